"""The ensemble estimator and the one-call interface the service uses.

- :class:`MultiModelEnsemble`: members + one :class:`~workbench.ensemble.meta.MetaLearner` per
  horizon, fitted on the members' out-of-sample predictions with a walk-forward evaluation
  (:mod:`~workbench.ensemble.evaluation`) on purged folds; the served learner is refitted on
  every sample, with the temperature fitted on all out-of-sample predictions.
- :func:`fit_ensemble`, :func:`predict_ticker`, :func:`load_ensemble`, :func:`save_ensemble`.

A horizon that was not fitted is fitted on first use on the universe being predicted
(thread-safe, once). Member states are built per universe on first use as well;
:meth:`MultiModelEnsemble.warm` builds them ahead (what a service does at start-up).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import weakref
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.ensemble.base import MemberPrediction, position_of
from workbench.ensemble.batch import stored_predictions
from workbench.ensemble.context import context_for
from workbench.ensemble.meta import MetaLearner, fit_temperature
from workbench.ensemble.prediction import EnsemblePrediction, build_insights

__all__ = ["MultiModelEnsemble", "NoPrediction", "fit_ensemble", "predict_ticker",
           "load_ensemble", "save_ensemble", "default_ensemble_path", "FORMAT"]

log = logging.getLogger(__name__)

FORMAT = "workbench-ensemble/1"
MIN_SAMPLES = 200      # fewer training samples: no meta-learner, the equal-weight fallback


class NoPrediction(LookupError):
    """The ticker has no price series, or none up to ``as_of``: nothing can be predicted."""


def _equal_weights(m: int) -> MetaLearner:
    """Fallback combiner: the mean of the members (unavailable count as 0), uniform
    direction probabilities, RiskMetrics volatility. Used when too few samples exist."""
    ml = MetaLearner()
    ml.scale_ = np.ones(m)
    ml.alpha_ = np.nan
    ml.C_ = np.nan
    ml.coef_ = np.full(m, 1.0 / max(m, 1))
    ml.weights_ = ml.coef_.copy()
    ml.intercept_ = 0.0
    ml.lv_mean_, ml.lv_sd_ = 0.0, 1.0
    ml.logit_coef_ = np.zeros((3, m + 1))
    ml.logit_intercept_ = np.zeros(3)
    ml.var_coef_ = np.r_[1.0, np.zeros(m)]
    ml.temperature_ = 1.0
    ml.members_ = m
    ml.n_train_ = 0
    return ml


class MultiModelEnsemble:
    """Every member's view of a ticker combined into one calibrated prediction.

    Parameters
    ----------
    members : sequence of Member, optional
        Default :func:`workbench.ensemble.members.default_members`.
    horizons : tuple of int
        Horizons (sessions) fitted by :meth:`fit`; others are fitted on first use.
    step : int, optional
        Sessions between the decision dates of the training grid (default
        :func:`~workbench.ensemble.samples.default_step`).
    n_splits, test_fraction, embargo : int, float, int
        Walk-forward folds (:func:`~workbench.ensemble.evaluation.make_folds`).
    learner : dict, optional
        :class:`MetaLearner` arguments.
    max_tickers : int, optional
        Tickers of the training grid (a fixed hash subset when the universe has more; every
        ticker is still predicted). None: all.

    Attributes
    ----------
    metas_ : dict
        Horizon -> fitted :class:`MetaLearner` (the served combiner).
    evaluations_ : dict
        Horizon -> :class:`~workbench.ensemble.evaluation.EnsembleEvaluation` (None when too
        few samples for folds; not kept by :func:`save_ensemble`).
    info_ : dict
        Horizon -> status, sample counts, ECE, temperature, data the learner was fitted on.
    """

    def __init__(self, members=None, horizons=(7,), step: int | None = None,
                 n_splits: int = 4, test_fraction: float = 0.4, embargo: int = 1,
                 learner: dict | None = None, max_tickers: int | None = 200):
        self.members = members
        self.horizons = tuple(horizons)
        self.step = step
        self.max_tickers = max_tickers
        self.n_splits = n_splits
        self.test_fraction = test_fraction
        self.embargo = embargo
        self.learner = learner
        self.metas_: dict[int, MetaLearner] = {}
        self.evaluations_: dict = {}
        self.info_: dict[int, dict] = {}
        self.stacks_: dict = {}
        self._lock = threading.Lock()
        self._hlocks: dict[int, threading.Lock] = {}

    @property
    def members_(self) -> tuple:
        if self.members is None:
            from workbench.ensemble.members import default_members

            self.members = tuple(default_members())
        return tuple(self.members)

    @property
    def member_names(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.members_)

    # -- fitting ---------------------------------------------------------------------------
    def fit(self, universe, horizons=None) -> MultiModelEnsemble:
        """Fit the meta-learner of each horizon on ``universe`` (walk-forward, module notes)."""
        for h in (self.horizons if horizons is None else tuple(horizons)):
            self._fit_horizon(universe, int(h))
        return self

    def _fit_horizon(self, universe, h: int) -> None:
        from workbench.ensemble.evaluation import evaluate_walk_forward, make_folds
        from workbench.ensemble.samples import build_stack, default_step

        ctx = context_for(universe)
        step = self.step or default_step(h)
        stack = build_stack(ctx, self.members_, h, step=step, max_tickers=self.max_tickers)
        kw = dict(self.learner or {})
        info = {"horizon": h, "step": step, "n_samples": len(stack),
                "n_dates": int(len(np.unique(stack.pos))) if len(stack) else 0,
                "fitted_on": _describe(universe), "members": list(self.member_names),
                "coverage": {m: float(c) for m, c in stack.coverage().items()}
                if len(stack) else {}}
        evaluation = None
        if len(stack) >= MIN_SAMPLES:
            folds = make_folds(h, step, self.n_splits, self.test_fraction, self.embargo)
            try:
                evaluation = evaluate_walk_forward(stack, folds, kw)
            except ValueError as exc:
                info["evaluation_error"] = str(exc)
        if evaluation is not None:
            meta = MetaLearner(**kw).fit(stack.X, stack.U, stack.y, stack.direction,
                                         stack.base_vol, stack.dates)
            p = evaluation.predictions
            raw = p[[f"ens_raw_p_{c}" for c in ("down", "flat", "up")]].to_numpy()
            meta.temperature_ = fit_temperature(raw, p["direction"].to_numpy())
            info.update(status="fitted", ece=evaluation.ece(),
                        n_oos=len(p), best_member=evaluation.best_member())
        elif len(stack) >= MIN_SAMPLES:
            # no out-of-sample check possible: an uncalibrated fit would overstate confidence
            meta = _equal_weights(len(self.members_))
            info.update(status="equal weights: too few decision dates for walk-forward folds "
                               f"({info.get('evaluation_error', '')})", ece=None)
        else:
            meta = _equal_weights(len(self.members_))
            info.update(status=f"equal weights: {len(stack)} training samples (fewer than "
                               f"{MIN_SAMPLES})", ece=None)
        info["temperature"] = meta.temperature_
        self.metas_[h] = meta
        self.evaluations_[h] = evaluation
        self.stacks_[h] = stack
        self.info_[h] = info

    def _meta(self, universe, h: int) -> MetaLearner:
        if h not in self.metas_:
            with self._lock:
                lock = self._hlocks.setdefault(h, threading.Lock())
            with lock:
                if h not in self.metas_:
                    self._fit_horizon(universe, h)
        return self.metas_[h]

    def warm(self, universe, horizons=None) -> MultiModelEnsemble:
        """Build every member's state on ``universe`` (and fit missing horizons) ahead of use."""
        ctx = context_for(universe)
        for h in (self.horizons if horizons is None else tuple(horizons)):
            self._meta(universe, int(h))
            for m in self.members_:
                ctx.state(m, int(h))
        return self

    # -- prediction ------------------------------------------------------------------------
    def predict(self, universe, ticker: str, as_of=None, horizon: int | None = None
                ) -> EnsemblePrediction:
        """The ensemble's prediction for ``ticker`` at the close of ``as_of`` (module notes).

        ``as_of`` is read at the last session on or before it (default: the last session).
        Raises :class:`NoPrediction` when the ticker has no price up to then.
        """
        h = int(horizon or self.horizons[0])
        ctx = context_for(universe)
        k = ctx.column(ticker)
        pos = position_of(ctx.sessions, as_of)
        if k < 0:
            raise NoPrediction(f"no price series for {ticker!r}")
        if pos < 0:
            raise NoPrediction(f"{as_of} is before the price history")
        seen = np.flatnonzero(np.isfinite(ctx.ewma_vol[: pos + 1, k]))
        if not len(seen):
            raise NoPrediction(f"no price history for {ticker!r} up to {ctx.sessions[pos].date()}")
        meta = self._meta(universe, h)
        preds = stored_predictions(ctx, self.members_, h, k, pos)   # batch or on demand
        x = np.array([np.nan if p.value is None else p.value for p in preds])
        u = np.array([np.nan if p.uncertainty is None else p.uncertainty for p in preds])
        base_vol = float(ctx.ewma_vol[seen[-1], k]) * np.sqrt(h)
        out = meta.predict(x[None], u[None], np.array([base_vol]))
        names = self.member_names
        attribution = {n: float(a) for n, a in zip(names, out["attribution"][0], strict=True)}
        pr = out["proba"][0]
        info = self.info_.get(h, {})
        pieces = _pieces(preds)
        pred = EnsemblePrediction(
            ticker=ctx.tickers[k], as_of=ctx.sessions[pos], horizon=h,
            expected_return=float(out["ret"][0]), volatility=float(out["vol"][0]),
            prob_up=float(pr[2]), prob_flat=float(pr[1]), prob_down=float(pr[0]),
            confidence=float(pr.max()), attribution=attribution,
            intercept=float(meta.intercept_),
            weights={n: float(w) for n, w in zip(names, meta.weights_, strict=True)},
            members=tuple(preds), meta={
                "status": info.get("status"), "ece": info.get("ece"),
                "temperature": float(meta.temperature_), "n_train": int(meta.n_train_),
                "best_member": info.get("best_member"), "fitted_on": info.get("fitted_on")},
            **pieces)
        import dataclasses

        return dataclasses.replace(pred, insights=build_insights(pred))


def _pieces(preds: list[MemberPrediction]) -> dict:
    """The parts of the seed's API response that come from single members' details."""
    by = {p.name: p for p in preds}

    def details(name, key=None):
        p = by.get(name)
        if p is None or p.status != "ok":
            return None
        d = dict(p.details)
        return d.get(key) if key else (d or None)

    factors = {**(details("factors") or {}), **(details("congress") or {})}
    return {"similar_patterns": details("patterns", "matches"),
            "current_regime": details("regimes", "current"),
            "factors": factors or None, "anomaly_score": details("anomaly", "score"),
            "gamma_exposure": details("options", "gex")}


def _describe(universe) -> str:
    prov = getattr(universe, "provenance", None)
    src = str(getattr(universe, "source", "unknown"))
    if isinstance(prov, pd.DataFrame) and len(prov) and {"item", "value"} <= set(prov.columns):
        items = ", ".join(f"{i}={v}" for i, v in zip(prov["item"], prov["value"], strict=True)
                          if str(i) in ("seed", "params_hash", "params"))
        return f"{src} ({items})" if items else src
    return src


# -- the service's interface -----------------------------------------------------------------
_DEFAULTS: dict[int, MultiModelEnsemble] = {}
_DLOCK = threading.Lock()


def _default_for(universe) -> MultiModelEnsemble:
    key = id(universe)
    with _DLOCK:
        ens = _DEFAULTS.get(key)
        if ens is None:
            ens = MultiModelEnsemble()
            _DEFAULTS[key] = ens
            try:
                weakref.finalize(universe, _DEFAULTS.pop, key, None)
            except TypeError:
                pass
        return ens


def fit_ensemble(universe, *, horizons=(7,), members=None, **params) -> MultiModelEnsemble:
    """A :class:`MultiModelEnsemble` fitted on ``universe`` for ``horizons``."""
    return MultiModelEnsemble(members=members, horizons=horizons, **params).fit(universe)


def predict_ticker(universe, ticker: str, *, as_of=None, horizon: int = 7,
                   ensemble: MultiModelEnsemble | None = None) -> EnsemblePrediction:
    """The ensemble's prediction for one ticker (the service's one call).

    Parameters
    ----------
    universe : Universe
    ticker : str
    as_of : date-like, optional
        Decision date; read at the last session on or before it (default the last session).
        Only data known at its close is used (trades from the session after their disclosure).
    horizon : int
        Sessions ahead.
    ensemble : MultiModelEnsemble, optional
        Default: one default ensemble per universe, fitted on it on first use per horizon.

    Raises
    ------
    NoPrediction
        The ticker has no price series, or no price up to ``as_of``.
    """
    ens = ensemble if ensemble is not None else _default_for(universe)
    return ens.predict(universe, ticker, as_of=as_of, horizon=horizon)


def default_ensemble_path() -> Path:
    """``$WORKBENCH_ENSEMBLE`` or ``data/ensemble/ensemble.json`` under the project root."""
    from workbench.config import project_root

    env = os.environ.get("WORKBENCH_ENSEMBLE")
    return Path(env) if env else project_root() / "data" / "ensemble" / "ensemble.json"


def save_ensemble(ensemble: MultiModelEnsemble, path=None) -> Path:
    """Write the fitted combiners and the member configuration as JSON (atomically)."""
    from workbench.data.atomic import atomic_write_text
    from workbench.ensemble.prediction import json_safe

    path = Path(path) if path is not None else default_ensemble_path()
    doc = {"format": FORMAT,
           "members": [{"name": m.name, "params": m.get_params()} for m in ensemble.members_],
           "params": {"horizons": list(ensemble.horizons), "step": ensemble.step,
                      "n_splits": ensemble.n_splits, "test_fraction": ensemble.test_fraction,
                      "embargo": ensemble.embargo, "learner": ensemble.learner,
                      "max_tickers": ensemble.max_tickers},
           "horizons": {str(h): {"meta": m.to_dict(), "info": ensemble.info_.get(h, {})}
                        for h, m in ensemble.metas_.items()}}
    atomic_write_text(path, json.dumps(json_safe(doc), indent=1))
    return path


def load_ensemble(path_or_uri=None) -> MultiModelEnsemble:
    """Read an ensemble written by :func:`save_ensemble`.

    ``path_or_uri``: a file path, an MLflow artifact URI (``runs:/<id>/ensemble.json``,
    ``models:/...``), or None for :func:`default_ensemble_path`. Raises
    ``FileNotFoundError`` when there is none.
    """
    from workbench.ensemble.members import member_from_dict

    src = default_ensemble_path() if path_or_uri is None else path_or_uri
    text = str(src)
    if "://" in text or text.startswith(("runs:/", "models:/")):
        import mlflow

        text = mlflow.artifacts.download_artifacts(artifact_uri=text)
    path = Path(text)
    if not path.is_file():
        raise FileNotFoundError(f"no stored ensemble at {path}")
    doc = json.loads(path.read_text(encoding="utf-8"))
    if doc.get("format") != FORMAT:
        raise ValueError(f"{path}: not a {FORMAT} file")
    p = doc["params"]
    ens = MultiModelEnsemble(members=[member_from_dict(d) for d in doc["members"]],
                             horizons=tuple(p["horizons"]), step=p["step"],
                             n_splits=p["n_splits"], test_fraction=p["test_fraction"],
                             embargo=p["embargo"], learner=p["learner"],
                             max_tickers=p.get("max_tickers", 200))
    for h, d in doc["horizons"].items():
        ens.metas_[int(h)] = MetaLearner.from_dict(d["meta"])
        ens.info_[int(h)] = d["info"]
    return ens
