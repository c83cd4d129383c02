"""Members built on prices and the market: cycles (harmonic forecast) and regimes.

- :class:`CyclesMember`: the harmonic regression of :func:`workbench.cycles.forecast_cycles`
  (intercept, linear trend, a sine and cosine per period) fitted to the ticker's daily log
  returns over the trailing ``window`` sessions, summed over the next ``h`` sessions.
  Computed for every session at once by :func:`~workbench.ensemble.rolling.rolling_ols`; the
  tests compare it with ``forecast_cycles`` on the same window.
- :class:`RegimesMember`: walk-forward filtered probabilities of the market regimes
  (:func:`workbench.regimes.walk_forward_proba` on ``Mkt-RF``, never a whole-sample fit) and,
  per ticker, the regime-conditional mean and variance of its daily log return, estimated
  from history with the regime probabilities of the previous close as weights (a regime with
  less than ``min_weight`` sessions of weight takes the ticker's all-regime values). The forecast is
  ``h`` times the probability-weighted mean; its uncertainty the mixture standard deviation
  times ``sqrt(h)``.

Both use prices and factors dated up to the decision session only; no trade enters.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.ensemble.base import ArrayState, FailedState, signed_pct
from workbench.ensemble.context import Member
from workbench.ensemble.rolling import rolling_ols

__all__ = ["CyclesMember", "RegimesMember", "harmonic_design"]


def harmonic_design(n: int, periods: tuple[float, ...], scale: float = 1000.0) -> np.ndarray:
    """Rows ``[1, t / scale, cos(2 pi t / p), sin(2 pi t / p) ...]`` for ``t = 0 .. n-1``.

    The same column span as :func:`workbench.cycles.decomposition.forecast_cycles`'s design on
    any window (an affine change of the trend column and a phase shift of each harmonic), so
    OLS forecasts agree.
    """
    t = np.arange(n, dtype=float)
    cols = [np.ones(n), t / scale]
    for p in periods:
        cols += [np.cos(2 * np.pi * t / p), np.sin(2 * np.pi * t / p)]
    return np.column_stack(cols)


class _CyclesState(ArrayState):
    def __init__(self, name, value, unc, n_obs, periods, horizon):
        super().__init__(name, value, unc)
        self.n_obs, self.periods, self.h = n_obs, periods, horizon

    def explain(self, k, pos, value, unc):
        n = int(self.n_obs[pos, k])
        if not np.isfinite(value):
            return f"{n} sessions of returns in the window, too few for the harmonic fit", {
                "n_sessions": n}
        per = ", ".join(str(int(p)) for p in self.periods)
        return (f"harmonic fit (periods {per} sessions) on {n} sessions: "
                f"{signed_pct(value)} over {self.h} sessions",
                {"n_sessions": n, "periods": list(self.periods), "value_pct": value * 100})


class CyclesMember(Member):
    """Seasonal/harmonic forecast of the ticker's return (module notes).

    Parameters
    ----------
    periods : tuple of float
        Periods in sessions (weekly, monthly, quarterly by default).
    window : int
        Trailing sessions of the fit.
    min_obs : int
        Fewer valid sessions in the window: unavailable.
    """

    name = "cycles"
    label = "seasonal cycles"

    def __init__(self, periods: tuple[float, ...] = (5, 21, 63), window: int = 252,
                 min_obs: int = 189):
        self.periods = tuple(periods)
        self.window = window
        self.min_obs = min_obs

    def build(self, ctx, horizon):
        T = ctx.n_sessions
        h = int(horizon)
        X = harmonic_design(T + h, self.periods)
        beta, rvar, nobs = rolling_ols(X[:T], ctx.logret, self.window, self.min_obs)
        # sum of the design rows of the next h sessions, for every decision session
        cx = np.concatenate([np.zeros((1, X.shape[1])), np.cumsum(X, axis=0)])
        fut = cx[np.arange(T) + h + 1] - cx[np.arange(T) + 1]           # (T, D)
        value = np.einsum("td,tkd->tk", fut, beta)
        unc = np.sqrt(rvar * h)
        return _CyclesState(self.name, value, unc, nobs, self.periods, h)


class _RegimesState(ArrayState):
    def __init__(self, name, value, unc, proba, mu, names, horizon, reason_missing):
        super().__init__(name, value, unc)
        self.proba, self.mu, self.names, self.h = proba, mu, names, horizon
        self.reason_missing = reason_missing

    def current(self, pos: int) -> dict | None:
        p = self.proba[pos]
        if not np.isfinite(p).all():
            return None
        j = int(np.argmax(p))
        return {"name": self.names[j], "probability": float(p[j]),
                "probabilities": {n: float(x) for n, x in zip(self.names, p, strict=True)}}

    def explain(self, k, pos, value, unc):
        cur = self.current(pos)
        if cur is None:
            return self.reason_missing, {}
        if not np.isfinite(value):
            return (f"market regime {cur['name']} ({cur['probability'] * 100:.0f}%), but too "
                    "little history of this ticker in each regime", {"regime": cur["name"]})
        mean_h = self.mu[pos, k, self.names.index(cur["name"])] * self.h
        return (f"market regime {cur['name']} with probability "
                f"{cur['probability'] * 100:.0f}%; this ticker's mean in that regime is "
                f"{signed_pct(mean_h)} over {self.h} sessions",
                {"regime": cur["name"], "probability_pct": cur["probability"] * 100,
                 "regime_mean_pct": mean_h * 100, "value_pct": value * 100, "current": cur})


class RegimesMember(Member):
    """Regime-conditional forecast from walk-forward regime probabilities (module notes).

    Parameters
    ----------
    n_states, refit_every, min_train : int
        Of :func:`workbench.regimes.walk_forward_proba` (sessions of the price calendar).
    min_weight : float
        Least total regime weight (sessions) behind a regime-conditional mean.
    random_state : int
    """

    name = "regimes"
    label = "market regimes"

    def __init__(self, n_states: int = 4, refit_every: int = 63, min_train: int = 252,
                 min_weight: float = 20.0, random_state: int = 0):
        self.n_states = n_states
        self.refit_every = refit_every
        self.min_train = min_train
        self.min_weight = min_weight
        self.random_state = random_state

    def probabilities(self, ctx) -> pd.DataFrame:
        """Walk-forward regime probabilities on the price calendar (shared per context)."""
        from workbench.regimes import regime_features, walk_forward_proba

        def build():
            if "Mkt-RF" not in ctx.factors.columns:
                raise LookupError("the universe has no Mkt-RF factor")
            mkt = ctx.factors["Mkt-RF"].astype(float).dropna()
            feats = regime_features(mkt)
            if len(feats) <= self.min_train:
                return pd.DataFrame(index=ctx.sessions, dtype=float)
            pr = walk_forward_proba(feats, n_states=self.n_states, refit_every=self.refit_every,
                                    min_train=self.min_train, random_state=self.random_state,
                                    n_restarts=1, n_iter=50)
            return pr.reindex(ctx.sessions)

        return ctx.shared(f"regime_proba:{self.key()}", build)

    def build(self, ctx, horizon):
        try:
            proba = self.probabilities(ctx)
        except LookupError as exc:
            return FailedState(self.name, "unavailable", str(exc))
        if proba.shape[1] == 0 or not proba.notna().any().any():
            return FailedState(self.name, "unavailable",
                               f"fewer than {self.min_train} sessions of market returns "
                               "before the first regime refit")
        names = [str(c) for c in proba.columns]
        P = proba.to_numpy(dtype=float)                                  # (T, S)
        r = ctx.logret                                                    # (T, K)
        # weight of the return at t: the regime probabilities known at the close of t-1
        W = np.full_like(P, np.nan)
        W[1:] = P[:-1]
        ok = np.isfinite(W).all(axis=1)[:, None] & np.isfinite(r)         # (T, K)
        W0 = np.where(np.isfinite(W), W, 0.0)
        r0 = np.where(ok, r, 0.0)
        okf = ok.astype(float)
        sw = np.cumsum(W0[:, None, :] * okf[:, :, None], axis=0)         # (T, K, S)
        s1 = np.cumsum(W0[:, None, :] * r0[:, :, None], axis=0)
        s2 = np.cumsum(W0[:, None, :] * (r0 ** 2)[:, :, None], axis=0)
        # a regime with too little weight behind it takes the ticker's mean and variance over
        # all regimes (so a rarely visited regime does not void the forecast)
        tw, t1, t2 = sw.sum(axis=2), s1.sum(axis=2), s2.sum(axis=2)
        with np.errstate(invalid="ignore", divide="ignore"):
            m_all = np.where(tw >= self.min_weight, t1 / tw, np.nan)[:, :, None]
            v_all = np.where(tw >= self.min_weight, t2 / tw, np.nan)[:, :, None] - m_all ** 2
            enough = sw >= self.min_weight
            mu = np.where(enough, s1 / sw, m_all)
            var = np.where(enough, s2 / sw - mu ** 2, v_all)
        h = int(horizon)
        pnow = np.where(np.isfinite(P), P, np.nan)[:, None, :]            # (T, 1, S)
        m = np.sum(pnow * mu, axis=2)                                     # daily mixture mean
        second = np.sum(pnow * (np.maximum(var, 0) + mu ** 2), axis=2)
        value = h * m
        unc = np.sqrt(np.maximum(second - m ** 2, 0.0) * h)
        missing = ("no walk-forward regime probability yet (first refit after "
                   f"{self.min_train} sessions)")
        return _RegimesState(self.name, value, unc, P, mu, names, h, missing)
