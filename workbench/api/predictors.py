"""Predictors behind ``GET /predictions/{ticker}``: one small protocol, two implementations.

:class:`Predictor` is what the routers depend on: ``predict(ticker, horizon, pos)`` for a
decision session (its position in ``sessions``) returns the dictionary of
``workbench.ensemble``'s ``EnsemblePrediction.to_dict()`` (the schema in that package's
docstring; the service's response models in :mod:`workbench.api.schemas` mirror it), plus
``politician_activity`` (:mod:`workbench.api.activity`) and ``registry_forecast`` (the
registry champion's own forecast, :mod:`workbench.api.champion`).

- :class:`EnsemblePredictor` (default when ``workbench.ensemble`` is installed): an ensemble
  loaded with ``load_ensemble`` (``$WORKBENCH_ENSEMBLE`` or ``data/ensemble/ensemble.json``)
  or else a default ``MultiModelEnsemble``, warmed on the served universe at start-up (member
  states built, meta-learners of the served horizons fitted walk-forward) and batch-scored:
  every member's prediction of every ticker at the latest session is computed at start-up
  (``workbench.ensemble.score_members``), so a miss there costs the meta-learner, insights,
  activity and registry forecast only.
- :class:`ForecastPredictor` (fallback): the registry champion, else a historical-drift
  member; no meta-learner, probabilities from a normal law, confidence not calibrated.

Horizons are counted in sessions. Returns are log returns over the horizon; ``volatility`` is
the standard deviation of that log return.
"""

from __future__ import annotations

import logging
import math
from typing import Protocol, runtime_checkable

import numpy as np
import pandas as pd

from workbench.api.activity import ActivityIndex
from workbench.api.champion import ChampionRunner
from workbench.api.schemas import json_safe
from workbench.factors.inputs import to_wide_prices

__all__ = ["Predictor", "ForecastPredictor", "EnsemblePredictor", "make_predictor",
           "FLAT_BAND", "NoPriceHistory", "SERVED_HORIZONS"]

log = logging.getLogger(__name__)

FLAT_BAND = 0.005          # |log return| <= band over the horizon counts as flat
DRIFT_WINDOW = 252         # sessions of history behind the drift member
EWMA_LAMBDA = 0.94         # RiskMetrics
SERVED_HORIZONS = (7, 30, 90)


class NoPriceHistory(LookupError):
    """The ticker has no price history up to the decision session."""


@runtime_checkable
class Predictor(Protocol):
    """What the prediction router needs from a model."""

    name: str
    sessions: pd.DatetimeIndex

    def predict(self, ticker: str, horizon: int, pos: int) -> dict: ...


def _normal_probs(mu: float, sigma: float, band: float = FLAT_BAND) -> tuple[float, float, float]:
    """P(down), P(flat), P(up) of a normal log return with mean ``mu`` and sd ``sigma``."""
    if not sigma > 0:
        return (float(mu < -band), float(abs(mu) <= band), float(mu > band))
    cdf = lambda x: 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))  # noqa: E731
    down = cdf((-band - mu) / sigma)
    up = 1.0 - cdf((band - mu) / sigma)
    return down, max(0.0, 1.0 - up - down), up


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _pct(x: float) -> str:
    return f"{x * 100:+.1f}%"


def activity_sentence(ticker: str, a: dict) -> str:
    if not a["n_trades"]:
        return (f"No disclosed congressional trades in {ticker} in the last "
                f"{a['window_sessions']} sessions.")
    return (f"{_n(a['n_trades'], 'disclosed congressional trade')} in {ticker} in the last "
            f"{a['window_sessions']} sessions: {_n(a['n_buys'], 'buy')}, "
            f"{_n(a['n_sells'], 'sell')} by {_n(a['n_politicians'], 'politician')}.")


class ForecastPredictor:
    """The registry champion's forecast, else the historical drift (module notes).

    Members: ``deep_model`` — :class:`~workbench.api.champion.ChampionRunner`;
    ``historical_drift`` — ``h`` times the mean daily log return of the last 252 sessions,
    RiskMetrics volatility times ``sqrt(h)``. The prediction is the champion's when it is
    available, else the drift's. Direction probabilities treat the horizon log return as
    normal with that mean and volatility (flat: within :data:`FLAT_BAND`); ``confidence`` is
    the probability of the most likely direction, not calibrated.
    """

    name = "forecast"

    def __init__(self, universe, model):
        self.model = model
        close = to_wide_prices(universe.prices, "adj_close")
        self.sessions = pd.DatetimeIndex(close.index)
        self.tickers = tuple(close.columns)
        self._col = {t: i for i, t in enumerate(self.tickers)}
        r = np.log(close).diff()
        self._drift = r.rolling(DRIFT_WINDOW, min_periods=21).mean().to_numpy()
        # RiskMetrics variance; NaN returns skipped with the state carried forward.
        var = (r ** 2).ewm(alpha=1 - EWMA_LAMBDA, adjust=False, ignore_na=True).mean()
        self._vol = np.sqrt(var.where(close.notna()).to_numpy())
        self.activity = ActivityIndex(universe.trades, self.sessions)
        self.champion = ChampionRunner(universe, model, self.tickers, self.sessions)

    def _drift_member(self, k: int, pos: int, h: int) -> dict:
        mu_d, vol_d = self._drift[pos, k], self._vol[pos, k]
        if not (np.isfinite(mu_d) and np.isfinite(vol_d)):
            return {"name": "historical_drift", "value": None, "uncertainty": None,
                    "status": "unavailable", "reason": "fewer than 21 sessions of prices",
                    "details": {}}
        return {"name": "historical_drift", "value": float(h * mu_d),
                "uncertainty": float(vol_d * math.sqrt(h)), "status": "ok",
                "reason": f"mean daily log return of up to {DRIFT_WINDOW} sessions x {h}",
                "details": {"daily_mean": float(mu_d), "daily_vol": float(vol_d)}}

    def predict(self, ticker: str, horizon: int, pos: int) -> dict:
        k = self._col.get(ticker)
        if k is None or not np.isfinite(self._vol[: pos + 1, k]).any():
            raise NoPriceHistory(ticker)
        h = int(horizon)
        deep, drift = self.champion.forecast(k, pos, h), self._drift_member(k, pos, h)
        chosen = deep if deep["status"] == "ok" else drift
        if chosen["status"] != "ok":
            raise NoPriceHistory(ticker)
        mu, sigma = chosen["value"], chosen["uncertainty"]
        down, flat, up = _normal_probs(mu, sigma)
        activity = self.activity.summary(ticker, pos)
        day = self.sessions[pos].date().isoformat()
        insights = [f"{chosen['name'].replace('_', ' ').capitalize()} expects a log return of "
                    f"{_pct(mu)} over {h} sessions after {day} (volatility {sigma * 100:.1f}%)."]
        if drift["status"] == "ok" and chosen is deep:
            insights.append(f"The historical drift alone gives {_pct(drift['value'])}.")
        insights.append(activity_sentence(ticker, activity))
        members = [deep, drift]
        return {
            "expected_return": mu, "volatility": sigma, "prob_up": up, "prob_flat": flat,
            "prob_down": down, "confidence": max(up, flat, down),
            "attribution": {chosen["name"]: mu}, "intercept": 0.0,
            "weights": {m["name"]: float(m is chosen) for m in members},
            "members": members, "insights": insights,
            "summary": {"n_members": 2, "n_available": sum(m["status"] == "ok"
                                                           for m in members),
                        "strongest": chosen["name"]},
            "similar_patterns": None, "current_regime": None, "factors": None,
            "anomaly_score": None, "politician_activity": activity, "gamma_exposure": None,
            "registry_forecast": deep if deep["status"] == "ok" else None,
            "meta": {"status": "forecast fallback: no meta-learner; probabilities from a "
                               "normal law, not calibrated"},
        }


class EnsemblePredictor:
    """``workbench.ensemble.predict_ticker`` with one warmed ensemble per serving state."""

    name = "ensemble"
    json_safe_output = True     # EnsemblePrediction.to_dict() is; the parts added here made so

    def __init__(self, universe, model, ensemble, warm_horizons=SERVED_HORIZONS):
        import workbench.ensemble as ens

        self._ens = ens
        self.universe = universe
        self.model = model
        self.ensemble = ensemble
        close = to_wide_prices(universe.prices, "adj_close")
        self.sessions = pd.DatetimeIndex(close.index)
        self.tickers = tuple(close.columns)
        self._col = {t: i for i, t in enumerate(self.tickers)}
        self.activity = ActivityIndex(universe.trades, self.sessions)
        self.champion = ChampionRunner(universe, model, self.tickers, self.sessions)
        self.scored = None
        if warm_horizons:
            ensemble.warm(universe, tuple(warm_horizons))
            # batch scoring: every member's prediction of every ticker at the latest session,
            # so a miss there runs only the meta-learner, insights, activity and the registry
            # forecast (other sessions compute the members on demand; same answers)
            self.scored = ens.score_members(ensemble, universe, tuple(warm_horizons))

    def is_scored(self, horizon: int, pos: int) -> bool:
        """True when ``predict(ticker, horizon, pos)`` reads the batch-scored members (cheap)."""
        s = self.scored
        return s is not None and int(pos) == s["pos"] and int(horizon) in s["horizons"]

    def predict(self, ticker: str, horizon: int, pos: int) -> dict:
        try:
            pred = self._ens.predict_ticker(self.universe, ticker, as_of=self.sessions[pos],
                                            horizon=int(horizon), ensemble=self.ensemble)
        except self._ens.NoPrediction:
            raise NoPriceHistory(ticker) from None
        out = dict(pred.to_dict())
        if not out.get("politician_activity"):
            out["politician_activity"] = json_safe(self.activity.summary(ticker, pos))
        k = self._col.get(ticker)
        deep = self.champion.forecast(k, pos, int(horizon)) if k is not None else None
        out["registry_forecast"] = json_safe(deep) if deep and deep["status"] == "ok" else None
        return out


def make_predictor(universe, model, kind: str = "auto", warm_horizons=SERVED_HORIZONS):
    """The predictor a serving state uses; returns ``(predictor, reason)``.

    ``kind``: ``auto`` (the ensemble when ``workbench.ensemble.predict_ticker`` exists, else
    the forecast fallback), ``ensemble`` or ``forecast``.
    """
    why = "asked for"
    if kind in ("auto", "ensemble"):
        try:
            import workbench.ensemble as ens

            if not hasattr(ens, "predict_ticker"):     # a partial checkout: no interface yet
                raise ImportError("workbench.ensemble has no predict_ticker",
                                  name="workbench.ensemble.predict_ticker")
        except ImportError as exc:
            if kind == "ensemble":
                raise
            why = f"{exc.name} not importable"
        else:
            try:
                ensemble, how = ens.load_ensemble(), "stored ensemble"
            except (FileNotFoundError, ValueError) as exc:
                log.info("no stored ensemble (%s): fitting one on the served universe", exc)
                ensemble = ens.MultiModelEnsemble(horizons=SERVED_HORIZONS)
                how = "ensemble fitted on the served universe at start-up"
            return (EnsemblePredictor(universe, model, ensemble, warm_horizons),
                    f"workbench.ensemble: {how}")
    return ForecastPredictor(universe, model), f"forecast fallback: {why}"
