"""Walk-forward evaluation of a forecasting network against its baselines, fold by fold.

:func:`walk_forward` trains one network per fold of a :class:`~workbench.forecast.folds.
PurgedWalkForward` (expanding window, purge of ``h`` sessions), fits every baseline of
:mod:`workbench.forecast.baselines` on the same training samples, and keeps the out-of-sample
forecasts of all of them. :class:`WalkForwardResult` turns them into metrics, Diebold-Mariano
comparisons and findings. Decision dates are sessions; nothing after a decision date enters
its inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench.forecast import evaluation as ev
from workbench.forecast.baselines import (
    DIRECTION_BASELINES,
    RETURN_BASELINES,
    VOL_BASELINES,
    fit_predict_baselines,
)
from workbench.forecast.dataset import DIRECTIONS, ForecastData
from workbench.forecast.folds import PurgedWalkForward
from workbench.forecast.trainer import ForecastTrainer

__all__ = ["WalkForwardResult", "walk_forward", "ALPHA"]

ALPHA = 0.05


@dataclass(frozen=True)
class WalkForwardResult:
    """Out-of-sample forecasts of a network and its baselines over walk-forward folds.

    Attributes
    ----------
    model : str
    horizon : int
        Sessions ahead.
    predictions : DataFrame
        One row per test sample: ``fold, date, ticker, ret, vol, direction, majority`` and
        ``ret_<p>``, ``vol_<p>``, ``p_<p>_<down|flat|up>`` for ``p`` in model and baselines.
    history : DataFrame
        Learning curves: ``fold, epoch, train_loss, val_loss, val_ret, val_vol, val_dir``.
    layout : DataFrame
        Fold layout (:meth:`PurgedWalkForward.layout`).
    params : dict
        Trainer parameters.
    trainers : tuple
        The fitted :class:`ForecastTrainer` of each fold (not compared or serialized).
    """

    model: str
    horizon: int
    predictions: pd.DataFrame
    history: pd.DataFrame
    layout: pd.DataFrame
    params: dict
    trainers: tuple = field(default=(), compare=False, repr=False)

    def to_frame(self) -> pd.DataFrame:
        return self.predictions

    def proba(self, name: str, rows=None) -> np.ndarray:
        p = self.predictions if rows is None else self.predictions.loc[rows]
        return p[[f"p_{name}_{c}" for c in DIRECTIONS]].to_numpy()

    def _losses(self, p: pd.DataFrame) -> dict:
        """Per-sample losses of every predictor: {(task, metric): {name: array}}."""
        out: dict = {("return", "squared error"): {}, ("volatility", "QLIKE"): {},
                     ("volatility", "squared error"): {}, ("direction", "log loss"): {},
                     ("direction", "miss rate"): {}}
        for n in ("model", *RETURN_BASELINES):
            out[("return", "squared error")][n] = ev.squared_error(p["ret"], p[f"ret_{n}"])
        for n in ("model", *VOL_BASELINES):
            out[("volatility", "QLIKE")][n] = ev.qlike(p["vol"], p[f"vol_{n}"])
            out[("volatility", "squared error")][n] = ev.squared_error(p["vol"], p[f"vol_{n}"])
        for n in ("model", *DIRECTION_BASELINES):
            pr = self.proba(n, p.index)
            out[("direction", "log loss")][n] = ev.log_loss(p["direction"], pr)
            out[("direction", "miss rate")][n] = (
                np.argmax(pr, axis=1) != p["direction"].to_numpy()).astype(float)
        return out

    def metrics(self, by_fold: bool = False, rows=None) -> pd.DataFrame:
        """Metric values of every predictor: ``[fold,] task, predictor, metric, value``.

        Return RMSE; volatility MSE and QLIKE; direction accuracy, balanced accuracy, log
        loss and ECE. ``rows`` restricts to a subset of prediction rows (e.g. some tickers).
        """
        pred = self.predictions if rows is None else self.predictions.loc[rows]
        groups = pred.groupby("fold") if by_fold else [("all", pred)]
        recs = []
        for fold, p in groups:
            losses = self._losses(p)
            for n, v in losses[("return", "squared error")].items():
                recs.append((fold, "return", n, "RMSE", float(np.sqrt(v.mean()))))
            for n, v in losses[("volatility", "squared error")].items():
                recs.append((fold, "volatility", n, "MSE", float(v.mean())))
                recs.append((fold, "volatility", n, "QLIKE",
                             float(losses[("volatility", "QLIKE")][n].mean())))
            for n in ("model", *DIRECTION_BASELINES):
                pr = self.proba(n, p.index)
                y = p["direction"].to_numpy()
                recs += [(fold, "direction", n, "accuracy", ev.accuracy(y, pr)),
                         (fold, "direction", n, "balanced accuracy", ev.balanced_accuracy(y, pr)),
                         (fold, "direction", n, "log loss",
                          float(losses[("direction", "log loss")][n].mean())),
                         (fold, "direction", n, "ECE", ev.expected_calibration_error(y, pr))]
        out = pd.DataFrame(recs, columns=["fold", "task", "predictor", "metric", "value"])
        return out if by_fold else out.drop(columns="fold")

    def comparisons(self, rows=None) -> pd.DataFrame:
        """The model against each baseline: loss of both, Diebold-Mariano test, verdict.

        One row per (task, loss, baseline); ``dm_p`` is one-sided (model better). For the
        direction miss rate against ``majority``, ``binom_p`` is the binomial test of the
        model's accuracy against the majority class's hit rate (non-overlapping dates).
        """
        p = self.predictions if rows is None else self.predictions.loc[rows]
        losses = self._losses(p)
        recs = []
        for (task, metric), by_name in losses.items():
            for base, lb in by_name.items():
                if base == "model":
                    continue
                dm = ev.diebold_mariano(by_name["model"], lb, p["date"].to_numpy(), self.horizon)
                rec = {"task": task, "loss": metric, "baseline": base,
                       "model_loss": float(by_name["model"].mean()),
                       "baseline_loss": float(lb.mean()), **dm.to_dict(), "binom_p": np.nan}
                test_p = dm.p_value
                if (task, metric, base) == ("direction", "miss rate", "majority"):
                    _, _, bp = _binomial(self, p)
                    rec["binom_p"] = bp
                rec["verdict"] = ("beats baseline" if test_p < ALPHA
                                  else "does not beat baseline")
                recs.append(rec)
        return pd.DataFrame(recs)

    def summary(self) -> pd.DataFrame:
        return self.comparisons()

    def findings(self, rows=None, label: str = "") -> list:
        """One :class:`~workbench.reports.findings.Finding` per model-vs-baseline comparison."""
        from workbench.reports.findings import Finding

        comp = self.comparisons(rows)
        out = []
        name = {"lstm": "LSTM", "transformer": "Transformer"}.get(self.model, self.model)
        for r in comp.itertuples():
            pct = 100.0 * (r.model_loss / r.baseline_loss - 1.0) if r.baseline_loss else np.nan
            extra = (f"; binomial p = {r.binom_p:.3g}" if np.isfinite(r.binom_p) else "")
            out.append(Finding(
                f"{label}{name} {r.task} ({r.loss}) vs {r.baseline}: {r.model_loss:.4g} vs "
                f"{r.baseline_loss:.4g} ({pct:+.1f}%)",
                r.verdict,
                f"Diebold-Mariano one-sided p = {r.dm_p:.3g} over {r.n_dates} test dates, "
                f"horizon {self.horizon} sessions{extra}."))
        return out


def _binomial(result: WalkForwardResult, p: pd.DataFrame) -> tuple[float, float, float]:
    """Binomial test of accuracy vs the training-majority class, fold by fold pooled."""
    pr = result.proba("model", p.index)
    y = p["direction"].to_numpy()
    # each fold's majority class comes from its own training samples
    maj = p["majority"].to_numpy()
    d = pd.DatetimeIndex(p["date"])
    keep = np.isin(d, d.unique().sort_values()[:: max(result.horizon, 1)])
    hits = int(np.sum(np.argmax(pr[keep], axis=1) == y[keep]))
    base = float(np.mean(y[keep] == maj[keep]))
    n = int(keep.sum())
    if n == 0 or not 0 < base < 1:
        return np.nan, base, np.nan
    from scipy import stats

    return hits / n, base, float(stats.binomtest(hits, n, base, alternative="greater").pvalue)


def walk_forward(data: ForecastData, folds: PurgedWalkForward | None = None, *,
                 model: str = "lstm", trainer_params: dict | None = None,
                 random_state: int = 0, progress: bool = False,
                 keep_models: bool = True) -> WalkForwardResult:
    """Train and test a network fold by fold, with every baseline on the same folds.

    Parameters
    ----------
    data : ForecastData
    folds : PurgedWalkForward, optional
        Default: 4 folds, purge ``h`` sessions, the last 40% of decision dates tested.
    model : {"lstm", "transformer"}
    trainer_params : dict, optional
        :class:`ForecastTrainer` arguments (``model`` and ``random_state`` are set here).
    random_state : int
        Seed of every fold's network (the same seed in each fold).
    progress : bool
        A tqdm bar over folds (and over epochs inside each).
    """
    from tqdm.auto import tqdm

    folds = folds or PurgedWalkForward(n_splits=4, purge=data.horizon)
    params = {**(trainer_params or {}), "model": model, "random_state": random_state}
    dates = data.dates
    parts, hist, trainers = [], [], []
    splits = list(folds.split(dates))
    for k, (tr, te) in enumerate(tqdm(splits, desc=f"{model} folds", disable=not progress)):
        trainer = ForecastTrainer(**params, progress=progress).fit(data, tr)
        f = trainer.predict(data, te)
        b = fit_predict_baselines(data, tr, te, random_state=random_state)
        frame = {"fold": k, "date": dates[te], "ticker": data.sample_tickers[te],
                 "sample": te, "ret": data.ret[te], "vol": data.vol[te],
                 "direction": data.direction[te],
                 "majority": int(np.argmax(np.bincount(data.direction[tr], minlength=3))),
                 "ret_model": f["ret"], "vol_model": f["vol"]}
        probas = {"model": f["proba"]}
        for key, val in b.items():
            if key.startswith("proba_"):
                probas[key[6:]] = val
            else:
                frame[key] = val
        for name, pr in probas.items():
            for j, c in enumerate(DIRECTIONS):
                frame[f"p_{name}_{c}"] = pr[:, j]
        parts.append(pd.DataFrame(frame))
        hist.append(trainer.history_.assign(fold=k))
        if keep_models:
            trainers.append(trainer)
    pred = pd.concat(parts, ignore_index=True)
    history = pd.concat(hist, ignore_index=True)[["fold", *hist[0].columns.drop("fold")]]
    return WalkForwardResult(model=model, horizon=data.horizon, predictions=pred,
                             history=history, layout=folds.layout(dates),
                             params=ForecastTrainer(**params).get_params(),
                             trainers=tuple(trainers))
