"""The registry champion's own forecast for a ticker at a decision session (ONNX).

The champion (:mod:`workbench.api.serving`) is a network of ``workbench train forecast`` with
its own horizon ``h_m`` and window. Its input window for (ticker, session) is built once per
universe for every ticker and session with :func:`workbench.forecast.build_dataset` (the
features it was trained on, price features and, when its schema lists them, the
disclosure-dated congressional activity features), so a forecast is one slice and one
onnxruntime call. The log-return forecast is scaled to the requested horizon ``h`` by
``h / h_m`` and the daily volatility forecast by ``sqrt(h)``.

In the ensemble's answers this forecast is reported beside the ensemble as
``registry_forecast``, not stacked: its predictions before its training cut are in-sample
(the ensemble's own ``deep_model`` member is refitted walk-forward instead).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

__all__ = ["ChampionRunner"]


def _pct(x: float) -> str:
    return f"{x * 100:+.1f}%"


class ChampionRunner:
    """Forecasts of a loaded :class:`~workbench.api.serving.ServingModel` on one universe.

    Parameters
    ----------
    universe : Universe
    model : ServingModel
    tickers : sequence of str
        Column order of the callers' ticker index ``k``.
    sessions : DatetimeIndex
        The callers' session calendar (positions ``pos``).
    """

    def __init__(self, universe, model, tickers, sessions: pd.DatetimeIndex):
        self.model = model
        self.tickers = tuple(tickers)
        self.sessions = sessions
        self.reason = model.reason
        self._cube = None
        if model.forecaster is not None:
            self._cube = self._build_cube(universe, model.schema)

    @property
    def available(self) -> bool:
        return self._cube is not None

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
            self.reason = f"features for the registry model failed: {type(exc).__name__}"
            return None
        if list(data.feature_names) != names:
            self.reason = ("the registry model's features are not the ones this build "
                           "computes: its forecast is unavailable")
            return None
        if not data.sessions.equals(self.sessions) or tuple(data.tickers) != self.tickers:
            self.reason = "feature calendar differs from the price calendar"
            return None
        return data.features

    def forecast(self, k: int, pos: int, h: int) -> dict:
        """``{name, value, uncertainty, status, reason, details}`` (a member's shape)."""
        sch = self.model.schema
        out = {"name": "registry_champion", "value": None, "uncertainty": None,
               "status": "unavailable", "reason": self.reason, "details": {}}
        if self._cube is None:
            return out
        w = int(sch["window"])
        if pos - w + 1 < 0:
            out["reason"] = f"fewer than {w} sessions before the decision date"
            return out
        x = self._cube[k, pos - w + 1: pos + 1]
        if np.isnan(x[:, 0]).any():
            out["reason"] = f"gaps in the last {w} sessions of prices"
            return out
        ret, vol, logits = self.model.forecaster.run(np.nan_to_num(x)[None])
        hm = int(sch["horizon"])
        z = logits[0] - logits[0].max()
        p = np.exp(z) / np.exp(z).sum()
        out.update(
            value=float(ret[0]) * h / hm, uncertainty=float(vol[0]) * math.sqrt(h),
            status="ok",
            reason=(f"{sch.get('model')} version {self.model.version}: "
                    f"{_pct(float(ret[0]))} over {hm} sessions, scaled to {h}"),
            details={"version": self.model.version, "model_horizon": hm,
                     "model_return": float(ret[0]), "model_daily_vol": float(vol[0]),
                     "model_prob_down": float(p[0]), "model_prob_flat": float(p[1]),
                     "model_prob_up": float(p[2])})
        return out
