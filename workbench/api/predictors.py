"""Predictors behind ``GET /predictions/{ticker}``: one small protocol, two implementations.

:class:`Predictor` is what the routers depend on: ``predict(ticker, horizon, pos)`` for a
decision session (its position in :attr:`sessions`) returns the ensemble's prediction
dictionary (the schema of ``workbench.ensemble``'s ``EnsemblePrediction.to_dict()``; the
service's response models in :mod:`workbench.api.schemas` mirror it).

- :class:`EnsemblePredictor`: ``workbench.ensemble.predict_ticker`` with an ensemble fitted or
  loaded once per serving state (the default when the ensemble package is installed).
- :class:`ForecastPredictor`: the fallback built from the forecasting package alone: the
  registry's deep model (ONNX) and a historical-drift member, plus the disclosed congressional
  activity. Every number comes from data up to the decision session.

Horizons are counted in sessions. Returns are log returns over the horizon; ``volatility`` is
the standard deviation of that log return (daily volatility times the square root of the
horizon).
"""

from __future__ import annotations

import logging
import math
from typing import Protocol, runtime_checkable

import numpy as np
import pandas as pd

from workbench.api.activity import ActivityIndex
from workbench.factors.inputs import to_wide_prices

__all__ = ["Predictor", "ForecastPredictor", "EnsemblePredictor", "make_predictor",
           "FLAT_BAND", "NoPriceHistory"]

log = logging.getLogger(__name__)

FLAT_BAND = 0.005          # |log return| <= band over the horizon counts as flat
DRIFT_WINDOW = 252         # sessions of history behind the drift member
EWMA_LAMBDA = 0.94         # RiskMetrics


class NoPriceHistory(LookupError):
    """The ticker has no price history up to the decision session."""


@runtime_checkable
class Predictor(Protocol):
    """What the prediction router needs from a model."""

    name: str

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


class ForecastPredictor:
    """Deep-model forecast (registry champion, ONNX) with a historical-drift fallback.

    Members: ``deep_model`` — the ONNX network's log-return and volatility forecasts for its
    own horizon ``h_m``, scaled to the requested ``h`` (return x ``h/h_m``, volatility x
    ``sqrt(h)``); ``historical_drift`` — ``h`` times the mean daily log return of the last
    252 sessions, RiskMetrics volatility. The prediction is the deep model's when it is
    available (it is the registry champion), else the drift's. Direction probabilities treat
    the horizon log return as normal with that mean and volatility (flat: within
    :data:`FLAT_BAND`); ``confidence`` is the probability of the most likely direction, not
    calibrated (the ensemble calibrates its own).
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
        self.deep_reason = model.reason
        self._cube = None
        if model.forecaster is not None:
            self._cube = self._build_cube(universe, model.schema)

    def _build_cube(self, universe, schema: dict):
        from workbench.forecast.dataset import activity_features, build_dataset

        names = list(schema.get("feature_names", ()))
        act = None
        if any(n.startswith("act_") for n in names):
            act = activity_features(universe, self.tickers, None)
        try:
            data = build_dataset(universe.prices, horizon=int(schema["horizon"]),
                                 window=int(schema["window"]), activity=act)
        except Exception as exc:
            self.deep_reason = f"features for the deep model failed: {type(exc).__name__}"
            return None
        if list(data.feature_names) != names:
            self.deep_reason = ("the deep model's features are not the ones this build "
                                "computes; deep-model member unavailable")
            return None
        if not data.sessions.equals(self.sessions) or tuple(data.tickers) != self.tickers:
            self.deep_reason = "feature calendar differs from the price calendar"
            return None
        return data.features

    def _deep(self, k: int, pos: int, h: int) -> dict:
        sch = self.model.schema
        member = {"name": "deep_model", "value": None, "uncertainty": None,
                  "status": "unavailable", "reason": self.deep_reason}
        if self._cube is None:
            return member
        w = int(sch["window"])
        if pos - w + 1 < 0:
            member["reason"] = f"fewer than {w} sessions before the decision date"
            return member
        x = self._cube[k, pos - w + 1: pos + 1]
        if np.isnan(x[:, 0]).any():
            member["reason"] = f"gaps in the last {w} sessions of prices"
            return member
        ret, vol, _ = self.model.forecaster.run(np.nan_to_num(x)[None])
        hm = int(sch["horizon"])
        mu = float(ret[0]) * h / hm
        member.update(value=mu, uncertainty=float(vol[0]) * math.sqrt(h), status="ok",
                      reason=(f"{sch.get('model')} version {self.model.version}: "
                              f"{_pct(float(ret[0]))} over {hm} sessions, scaled to {h}"))
        return member

    def _drift_member(self, k: int, pos: int, h: int) -> dict:
        mu_d, vol_d = self._drift[pos, k], self._vol[pos, k]
        if not (np.isfinite(mu_d) and np.isfinite(vol_d)):
            return {"name": "historical_drift", "value": None, "uncertainty": None,
                    "status": "unavailable", "reason": "fewer than 21 sessions of prices"}
        return {"name": "historical_drift", "value": float(h * mu_d),
                "uncertainty": float(vol_d * math.sqrt(h)), "status": "ok",
                "reason": f"mean daily log return of up to {DRIFT_WINDOW} sessions x {h}"}

    def predict(self, ticker: str, horizon: int, pos: int) -> dict:
        k = self._col.get(ticker)
        if k is None or not np.isfinite(self._vol[: pos + 1, k]).any():
            raise NoPriceHistory(ticker)
        h = int(horizon)
        deep, drift = self._deep(k, pos, h), self._drift_member(k, pos, h)
        members = [deep, drift]
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
        a = activity
        if a["n_trades"]:
            insights.append(f"{_n(a['n_trades'], 'disclosed congressional trade')} in "
                            f"{ticker} in the last {a['window_sessions']} sessions: "
                            f"{_n(a['n_buys'], 'buy')}, {_n(a['n_sells'], 'sell')} by "
                            f"{_n(a['n_politicians'], 'politician')}.")
        else:
            insights.append(f"No disclosed congressional trades in {ticker} in the last "
                            f"{a['window_sessions']} sessions.")
        return {
            "expected_return": mu, "volatility": sigma, "prob_up": up, "prob_flat": flat,
            "prob_down": down, "confidence": max(up, flat, down),
            "attribution": {chosen["name"]: mu}, "members": members, "insights": insights,
            "similar_patterns": None, "current_regime": None, "factors": None,
            "anomaly_score": None, "politician_activity": activity, "gamma_exposure": None,
        }


class EnsemblePredictor:
    """``workbench.ensemble.predict_ticker`` with one ensemble per serving state."""

    name = "ensemble"

    def __init__(self, universe, model, ensemble=None):
        import workbench.ensemble as ens

        self._ens = ens
        self.universe = universe
        self.model = model
        self.sessions = pd.DatetimeIndex(to_wide_prices(universe.prices, "adj_close").index)
        self.ensemble = ensemble
        self.activity = ActivityIndex(universe.trades, self.sessions)

    def predict(self, ticker: str, horizon: int, pos: int) -> dict:
        pred = self._ens.predict_ticker(self.universe, ticker, as_of=self.sessions[pos],
                                        horizon=int(horizon), ensemble=self.ensemble)
        out = dict(pred.to_dict())
        if not out.get("politician_activity"):
            out["politician_activity"] = self.activity.summary(ticker, pos)
        return out


def make_predictor(universe, model, kind: str = "auto"):
    """The predictor a serving state uses: the ensemble when installed, else the forecast one.

    ``kind`` forces ``"ensemble"`` or ``"forecast"``. Returns ``(predictor, reason)``.
    """
    if kind in ("auto", "ensemble"):
        try:
            import workbench.ensemble as ens

            ensemble = None
            if hasattr(ens, "load_ensemble"):
                try:
                    ensemble = ens.load_ensemble()
                except Exception as exc:
                    log.info("no stored ensemble (%s); predict_ticker fits on demand", exc)
            return EnsemblePredictor(universe, model, ensemble), "workbench.ensemble"
        except ImportError as exc:
            if kind == "ensemble":
                raise
            why = f"workbench.ensemble not importable ({exc.name})"
    else:
        why = "forced"
    return ForecastPredictor(universe, model), f"forecast fallback: {why}"
