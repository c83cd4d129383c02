"""Factor members: the factor-model expected return and the congressional alpha of recent traders.

The issue's "factors" view has two parts; they are two members so that the meta-learner can
weigh them apart (and the attribution says which one spoke):

1. **Factor-model expected return** (:class:`FactorsMember`). Per ticker, Fama-French betas
   (``Mkt-RF, SMB, HML, RMW, CMA``; the model of :func:`workbench.factors.fit_factor_model`)
   from OLS of the daily excess log return over the trailing ``window`` sessions; the expected
   return over ``h`` sessions is ``h * (RF + beta . premia)`` with the premia the factors'
   mean up to the decision session (the alpha is not forecast).
2. **Congressional alpha of recent traders** (:class:`CongressMember`). Each stock trade is
   acted on from its entry session (first session after the **disclosure** date). Its
   *copier outcome at age d* is the
   signed (buy +1, sell -1) abnormal log return over sessions ``e+d+1 .. e+d+h`` (abnormal:
   minus ``RF`` and ``beta . factors`` with the betas known the session before), known at
   ``e+d+h``. A politician's track record on one side (buys, or sells) at age ``d`` is the
   mean of their outcomes of that side at that age known by the decision session, shrunk
   toward 0 as ``n / (n + shrink)`` (``shrink`` = 100: the variance of one outcome over the
   spread of true alphas, roughly (5% / 0.5%)^2 at a week). For a ticker
   at session ``p``, every trade disclosed in it with age ``d = p - e < recent`` contributes
   ``sign x track record(d)``; the contributions add up.

Uncertainty (both): the residual volatility of the factor regression times ``sqrt(h)``.
"""

from __future__ import annotations

import numpy as np

from workbench.ensemble.base import ArrayState, FailedState, signed_pct
from workbench.ensemble.context import Member
from workbench.ensemble.rolling import prior_group_mean, rolling_ols

__all__ = ["FactorsMember", "CongressMember", "FF5", "factor_model"]

FF5 = ("Mkt-RF", "SMB", "HML", "RMW", "CMA")


def factor_model(ctx, window: int, min_obs: int) -> dict:
    """Rolling FF5 betas, residual variance, premia and cumulative abnormal log returns
    (betas of the previous close), shared by the factors and congress members."""

    def build():
        F = ctx.factors[list(FF5)].to_numpy(dtype=float)
        rf = ctx.factors["RF"].to_numpy(dtype=float)
        X = np.column_stack([np.ones(len(F)), F])
        excess = ctx.logret - rf[:, None]
        beta, rvar, _ = rolling_ols(X, excess, window, min_obs)
        Ff = np.where(np.isfinite(F), F, 0.0)
        cnt = np.cumsum(np.isfinite(F), axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            prem = np.cumsum(Ff, axis=0) / cnt
            rf_mean = np.cumsum(np.where(np.isfinite(rf), rf, 0)) / np.cumsum(np.isfinite(rf))
        daily = rf_mean[:, None] + np.einsum("tkd,td->tk", beta[:, :, 1:], prem)
        b_prev = np.full_like(beta, np.nan)
        b_prev[1:] = beta[:-1]
        ar = excess - np.einsum("tkd,td->tk", b_prev[:, :, 1:], F)
        car = np.concatenate([np.zeros((1, ar.shape[1])),
                              np.cumsum(np.where(np.isfinite(ar), ar, 0.0), axis=0)])
        arok = np.concatenate([np.zeros((1, ar.shape[1])), np.cumsum(np.isfinite(ar), axis=0)])
        return {"beta": beta, "rvar": rvar, "daily": daily, "car": car, "arok": arok}

    return ctx.shared(f"factor_model:{window}:{min_obs}", build)


class _FactorsState(ArrayState):
    def __init__(self, name, value, unc, beta, horizon):
        super().__init__(name, value, unc)
        self.beta, self.h = beta, horizon

    def explain(self, k, pos, value, unc):
        if not np.isfinite(value):
            return "too few sessions for the factor betas", {}
        betas = {f: float(b) for f, b in zip(FF5, self.beta[pos, k, 1:], strict=True)}
        return (f"FF5 expected return {signed_pct(value)} over {self.h} sessions",
                {"factor_return_pct": value * 100, "betas": betas, "horizon": int(self.h)})


class FactorsMember(Member):
    """Factor-model expected return (module notes, part 1).

    Parameters
    ----------
    window, min_obs : int
        Trailing sessions of the beta regression and the least valid sessions in it.
    """

    name = "factors"
    label = "factor model"

    def __init__(self, window: int = 252, min_obs: int = 126):
        self.window = window
        self.min_obs = min_obs

    def build(self, ctx, horizon):
        if not set(FF5 + ("RF",)) <= set(ctx.factors.columns):
            return FailedState(self.name, "unavailable", "the universe has no FF5 factors")
        h = int(horizon)
        fm = factor_model(ctx, self.window, self.min_obs)
        return _FactorsState(self.name, h * fm["daily"], np.sqrt(fm["rvar"] * h), fm["beta"], h)


class _CongressState(ArrayState):
    def __init__(self, name, value, unc, ctx, member, horizon, track):
        super().__init__(name, value, unc)
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
        if not np.isfinite(value):
            return "too few sessions for the factor betas behind abnormal returns", {}
        trades = self.recent(k, pos)
        buys = sum(t["side"] == "buy" for t in trades)
        sells = len(trades) - buys
        details = {"congress_alpha_pct": value * 100, "n_recent_buys": int(buys),
                   "n_recent_sells": int(sells), "recent_trades": trades[:10],
                   "recent_sessions": int(self.member.recent), "horizon": int(self.h)}
        if not trades:
            return f"no trades disclosed in the last {self.member.recent} sessions", details
        return (f"{buys} buys and {sells} sells disclosed in the last {self.member.recent} "
                f"sessions; the traders' track records give {signed_pct(value)} abnormal "
                f"over {self.h} sessions", details)


class CongressMember(Member):
    """Congressional alpha of the ticker's recent traders (module notes, part 2).

    Parameters
    ----------
    window, min_obs : int
        Of the factor model behind the abnormal returns.
    recent : int
        Trades acted on in the last ``recent`` sessions count (ages ``0 .. recent-1``).
    shrink : float
        Pseudo-count of the shrinkage of a track record toward 0.
    """

    name = "congress"
    label = "congressional alpha"

    def __init__(self, window: int = 252, min_obs: int = 126, recent: int = 10,
                 shrink: float = 100.0):
        self.window = window
        self.min_obs = min_obs
        self.recent = recent
        self.shrink = shrink

    def build(self, ctx, horizon):
        if not set(FF5 + ("RF",)) <= set(ctx.factors.columns):
            return FailedState(self.name, "unavailable", "the universe has no FF5 factors")
        h = int(horizon)
        fm = factor_model(ctx, self.window, self.min_obs)
        tr = ctx.trades
        T = ctx.n_sessions
        value = np.zeros((T, ctx.n_tickers))
        track = _TrackRecord(tr, fm["car"], fm["arok"], h, T, self.shrink)
        for d in range(self.recent):
            p = tr["entry_pos"].to_numpy() + d
            keep = p < T
            s, n = track.at_age(d)
            contrib = tr["sign"].to_numpy() * np.where(n > 0, s / np.maximum(n, 1), 0.0) * (
                n / (n + self.shrink))
            np.add.at(value, (p[keep], tr["k"].to_numpy()[keep]), contrib[keep])
        value[~np.isfinite(fm["daily"])] = np.nan
        return _CongressState(self.name, value, np.sqrt(fm["rvar"] * h), ctx, self, h,
                              track.one)


class _TrackRecord:
    """Politicians' copier outcomes by age, known at each session (module notes)."""

    def __init__(self, tr, car, arok, h, T, shrink):
        self.tr, self.car, self.arok, self.h, self.T, self.shrink = tr, car, arok, h, T, shrink
        # a track record per politician and side: a member's buys and sells are judged apart
        key = tr["politician"].astype(str) + "|" + tr["side"].astype(str)
        self.pol = key.astype("category").cat.codes.to_numpy().astype(np.int64)
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
