"""The factors member: factor-model expected return plus the congressional alpha of recent traders.

Two parts, added:

1. **Factor-model expected return.** Per ticker, Fama-French betas (``Mkt-RF, SMB, HML, RMW,
   CMA``; the model of :func:`workbench.factors.fit_factor_model`) from OLS of the daily
   excess log return over the trailing ``window`` sessions; the expected return over ``h``
   sessions is ``h * (RF + beta . premia)`` with the premia the factors' mean up to the
   decision session (the alpha is not forecast).
2. **Congressional alpha of recent traders.** Each stock trade is acted on from its entry
   session (first session after the **disclosure** date). Its *copier outcome at age d* is the
   signed (buy +1, sell -1) abnormal log return over sessions ``e+d+1 .. e+d+h`` (abnormal:
   minus ``RF`` and ``beta . factors`` with the betas known the session before), known at
   ``e+d+h``. A politician's track record at age ``d`` is the mean of their outcomes at that
   age known by the decision session, shrunk toward 0 as ``n / (n + shrink)``. For a ticker
   at session ``p``, every trade disclosed in it with age ``d = p - e < recent`` contributes
   ``sign x track record(d)``; the contributions add up.

Uncertainty: the residual volatility of the factor regression times ``sqrt(h)``.
"""

from __future__ import annotations

import numpy as np

from workbench.ensemble.base import ArrayState, FailedState
from workbench.ensemble.context import Member
from workbench.ensemble.rolling import prior_group_mean, rolling_ols

__all__ = ["FactorsMember", "FF5"]

FF5 = ("Mkt-RF", "SMB", "HML", "RMW", "CMA")


class _FactorsState(ArrayState):
    def __init__(self, name, value, unc, factor_part, alpha_part, beta, ctx, member, horizon,
                 track):
        super().__init__(name, value, unc)
        self.factor_part, self.alpha_part, self.beta = factor_part, alpha_part, beta
        self.ctx, self.member, self.h, self.track = ctx, member, horizon, track

    def recent(self, k: int, pos: int) -> list[dict]:
        """Trades in column ``k`` acted on in the ``recent`` sessions up to ``pos``."""
        tr = self.ctx.trades
        m = ((tr["k"].to_numpy() == k) & (tr["entry_pos"].to_numpy() <= pos)
             & (tr["entry_pos"].to_numpy() > pos - self.member.recent))
        out = []
        for i in np.flatnonzero(m):
            d = int(pos - tr["entry_pos"].iat[i])
            s, n = self.track(i, d)
            out.append({"politician": str(tr["politician"].iat[i]),
                        "side": str(tr["side"].iat[i]), "age_sessions": d,
                        "track_record_pct": None if n == 0 else float(s / n * 100),
                        "n_track": int(n)})
        return out

    def explain(self, k, pos, value, unc):
        fp, ap = self.factor_part[pos, k], self.alpha_part[pos, k]
        if not np.isfinite(value):
            return "too few sessions for the factor betas", {}
        trades = self.recent(k, pos)
        buys = sum(t["side"] == "buy" for t in trades)
        sells = len(trades) - buys
        betas = {f: float(b) for f, b in zip(FF5, self.beta[pos, k, 1:], strict=True)}
        details = {"factor_return_pct": fp * 100, "congress_alpha_pct": ap * 100,
                   "n_recent_buys": int(buys), "n_recent_sells": int(sells),
                   "recent_trades": trades[:10], "betas": betas, "value_pct": value * 100,
                   "recent_sessions": int(self.member.recent), "horizon": int(self.h)}
        why = f"FF5 expected return {fp * 100:+.2f}% over {self.h} sessions"
        if trades:
            why += (f"; {buys} buys and {sells} sells disclosed in the last "
                    f"{self.member.recent} sessions add {ap * 100:+.2f}% from the traders' "
                    "track records")
        else:
            why += f"; no trades disclosed in the last {self.member.recent} sessions"
        return why, details


class FactorsMember(Member):
    """Factor-model expected return plus recent traders' congressional alpha (module notes).

    Parameters
    ----------
    window, min_obs : int
        Trailing sessions of the beta regression and the least valid sessions in it.
    recent : int
        Trades acted on in the last ``recent`` sessions count (ages ``0 .. recent-1``).
    shrink : float
        Pseudo-count of the shrinkage of a track record toward 0.
    """

    name = "factors"
    label = "factor model and congressional alpha"

    def __init__(self, window: int = 252, min_obs: int = 126, recent: int = 10,
                 shrink: float = 20.0):
        self.window = window
        self.min_obs = min_obs
        self.recent = recent
        self.shrink = shrink

    def build(self, ctx, horizon):
        if not set(FF5 + ("RF",)) <= set(ctx.factors.columns):
            return FailedState(self.name, "unavailable", "the universe has no FF5 factors")
        h = int(horizon)
        F = ctx.factors[list(FF5)].to_numpy(dtype=float)
        rf = ctx.factors["RF"].to_numpy(dtype=float)
        X = np.column_stack([np.ones(len(F)), F])
        excess = ctx.logret - rf[:, None]
        beta, rvar, _ = rolling_ols(X, excess, self.window, self.min_obs)
        # premia: mean of each factor up to the decision session
        Ff = np.where(np.isfinite(F), F, 0.0)
        cnt = np.cumsum(np.isfinite(F), axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            prem = np.cumsum(Ff, axis=0) / cnt
            rf_mean = np.cumsum(np.where(np.isfinite(rf), rf, 0)) / np.cumsum(np.isfinite(rf))
        factor_part = h * (rf_mean[:, None] + np.einsum("tkd,td->tk", beta[:, :, 1:], prem))
        # abnormal daily log returns with the betas known at the previous close
        b_prev = np.full_like(beta, np.nan)
        b_prev[1:] = beta[:-1]
        ar = excess - np.einsum("tkd,td->tk", b_prev[:, :, 1:], F)
        car = np.concatenate([np.zeros((1, ar.shape[1])),
                              np.cumsum(np.where(np.isfinite(ar), ar, 0.0), axis=0)])
        arok = np.concatenate([np.zeros((1, ar.shape[1])), np.cumsum(np.isfinite(ar), axis=0)])
        tr = ctx.trades
        T = ctx.n_sessions
        alpha_part = np.zeros((T, ctx.n_tickers))
        track = _TrackRecord(tr, car, arok, h, T, self.shrink)
        for d in range(self.recent):
            p = tr["entry_pos"].to_numpy() + d
            keep = p < T
            s, n = track.at_age(d)
            contrib = tr["sign"].to_numpy() * np.where(n > 0, s / np.maximum(n, 1), 0.0) * (
                n / (n + self.shrink))
            np.add.at(alpha_part, (p[keep], tr["k"].to_numpy()[keep]), contrib[keep])
        value = factor_part + alpha_part
        unc = np.sqrt(rvar * h)
        value[~np.isfinite(factor_part)] = np.nan
        return _FactorsState(self.name, value, unc, factor_part, alpha_part, beta, ctx, self,
                             h, track.one)


class _TrackRecord:
    """Politicians' copier outcomes by age, known at each session (module notes)."""

    def __init__(self, tr, car, arok, h, T, shrink):
        self.tr, self.car, self.arok, self.h, self.T, self.shrink = tr, car, arok, h, T, shrink
        self.pol = tr["politician"].astype("category").cat.codes.to_numpy().astype(np.int64)
        self.e = tr["entry_pos"].to_numpy().astype(np.int64)
        self.k = tr["k"].to_numpy().astype(np.int64)
        self.sign = tr["sign"].to_numpy()
        self._cache: dict[int, tuple] = {}

    def outcome(self, d: int) -> tuple[np.ndarray, np.ndarray]:
        """Signed abnormal log return of each trade at age ``d`` and when it is known."""
        a, b = self.e + d, self.e + d + self.h
        out = np.full(len(self.e), np.nan)
        ok = b < self.T
        full = ok.copy()
        full[ok] = (self.arok[b[ok] + 1, self.k[ok]] - self.arok[a[ok] + 1, self.k[ok]]) == self.h
        out[full] = self.sign[full] * (self.car[b[full] + 1, self.k[full]]
                                       - self.car[a[full] + 1, self.k[full]])
        return out, b

    def at_age(self, d: int) -> tuple[np.ndarray, np.ndarray]:
        """Track record (sum, count) of each trade's politician at age ``d``, at ``e + d``."""
        if d not in self._cache:
            o, known = self.outcome(d)
            self._cache[d] = prior_group_mean(self.pol, known, o, self.pol, self.e + d)
        return self._cache[d]

    def one(self, i: int, d: int) -> tuple[float, float]:
        s, n = self.at_age(d)
        return float(s[i]), float(n[i])
