"""One member of Congress: trades over time, disclosure lag and late filings, performance against
the market and the equal-weight universe with intervals, sectors, committee relevance and
network neighbours.

:func:`member_profile` returns a frozen :class:`MemberProfile`. Dates used:

- counts over time use the **transaction** month;
- the lag is disclosure minus transaction date in calendar days (STOCK Act limit 45 days);
- performance acts at **disclosure**: each buy enters at the first close strictly after its
  disclosure date (:func:`workbench.factors.inputs.entry_sessions`) and is held
  ``holding_days`` sessions; alphas are annualized (x252) with Newey-West errors;
- committee seats are current-Congress only (:mod:`workbench.data.committees`): relevance of
  older trades is an approximation.

What does not depend on the member (wide prices, the universe portfolio, pair similarities,
committee relevance of everyone, the late share and sector mix of all trades) comes from
:func:`workbench.member.context.universe_context`, computed once per universe content.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from workbench.exceptions import DataError
from workbench.member.context import (
    LATE_DAYS,
    UniverseContext,
    universe_context,
    universe_fingerprint,
)

__all__ = ["MemberProfile", "member_profile", "LATE_DAYS"]


@dataclass(frozen=True)
class MemberProfile:
    """Everything the profile report shows about one member.

    Attributes
    ----------
    bioguide_id, name, party, chamber, state : str
    trades : DataFrame
        The member's trades (canonical columns), newest first.
    monthly : DataFrame
        ``month, side, n_trades`` by **transaction** month.
    lag : dict
        ``n, median_days, p90_days, late, late_share, late_low, late_high`` (Wilson 95%
        interval of the share disclosed after :data:`LATE_DAYS` days) and ``everyone_share``
        (the same share over every member's trades).
    performance : DataFrame
        Indexed by benchmark (``market`` = factor model, ``universe`` = buys minus the
        equal-weight universe): ``alpha, alpha_low, alpha_high, alpha_p, n_sessions``; empty
        when the member has too few priced buys.
    sectors : DataFrame
        ``sector, n_trades, share, everyone_share``.
    committees : DataFrame
        ``n_trades, n_relevant, share, base_rate, excess`` (one row) or empty when the
        universe has no committee data.
    neighbours : DataFrame
        ``politician, weight, jaccard`` of the most similar traders (combined similarity).
    returns : DataFrame
        Session x (``member``, ``universe``): daily return of the member's buy portfolio (NaN
        with no position) and of the equal-weight universe.
    holding_days, model, confidence
    """

    bioguide_id: str
    name: str
    party: str
    chamber: str
    state: str
    trades: pd.DataFrame
    monthly: pd.DataFrame
    lag: dict
    performance: pd.DataFrame
    sectors: pd.DataFrame
    committees: pd.DataFrame
    neighbours: pd.DataFrame
    returns: pd.DataFrame
    holding_days: int
    model: str
    confidence: float = 0.95

    def to_frame(self) -> pd.DataFrame:
        return self.trades

    def summary(self) -> pd.Series:
        t = self.trades
        return pd.Series({
            "bioguide_id": self.bioguide_id, "name": self.name, "party": self.party,
            "chamber": self.chamber, "state": self.state, "trades": len(t),
            "buys": int((t["side"] == "buy").sum()), "sells": int((t["side"] == "sell").sum()),
            "tickers": int(t["ticker"].nunique()),
            "first_trade": t["transaction_date"].min(), "last_trade": t["transaction_date"].max(),
            "median_lag_days": self.lag.get("median_days", np.nan),
            "late_share": self.lag.get("late_share", np.nan)})


def _lag(trades: pd.DataFrame, everyone_share: float) -> dict:
    lag = (pd.to_datetime(trades["disclosure_date"])
           - pd.to_datetime(trades["transaction_date"])).dt.days.dropna()
    n, late = len(lag), int((lag > LATE_DAYS).sum())
    lo, hi = proportion_confint(late, n, alpha=0.05, method="wilson") if n else (np.nan, np.nan)
    return {"n": n, "median_days": float(lag.median()) if n else np.nan,
            "p90_days": float(lag.quantile(0.9)) if n else np.nan, "late": late,
            "late_share": late / n if n else np.nan, "late_low": float(lo), "late_high": float(hi),
            "everyone_share": everyone_share}


def _performance(mine, universe, holding_days, model, confidence, ctx: UniverseContext):
    from workbench.factors.model import fit_factor_model
    from workbench.factors.portfolios import calendar_time_portfolio

    cols = ["alpha", "alpha_low", "alpha_high", "alpha_p", "n_sessions"]
    p = calendar_time_portfolio(mine, ctx.levels, side="buy", holding_days=holding_days,
                                entry="disclosure")
    uni = ctx.universe_returns.reindex(p.returns.index)
    r = p.returns.dropna()
    rows = {}
    for name, series, rf in (("market", r, True),
                             ("universe", (p.returns - uni).dropna(), False)):
        try:
            fr = fit_factor_model(series, universe.factors, model, subtract_rf=rf,
                                  confidence=confidence)
        except (DataError, ValueError):
            continue
        lo, hi = fr.alpha_ci()
        rows[name] = [fr.alpha, lo, hi, fr.alpha_p, fr.n_obs]
    table = pd.DataFrame.from_dict(rows, orient="index", columns=cols).rename_axis("benchmark")
    returns = pd.DataFrame({"member": p.returns, "universe": uni})
    return table, returns


def _sectors(mine, ctx: UniverseContext) -> pd.DataFrame:
    cols = ["sector", "n_trades", "share", "everyone_share"]
    if ctx.sector_of is None:
        return pd.DataFrame(columns=cols)
    mine_s = mine["ticker"].map(ctx.sector_of).dropna()
    if mine_s.empty:
        return pd.DataFrame(columns=cols)
    out = mine_s.value_counts().rename("n_trades").to_frame()
    out["share"] = out["n_trades"] / out["n_trades"].sum()
    out["everyone_share"] = ctx.everyone_sector_share.reindex(out.index).fillna(0.0)
    return out.rename_axis("sector").reset_index()[cols]


def _neighbours(sim, name: str, n: int) -> pd.DataFrame:
    cols = ["politician", "weight", "jaccard"]
    if name not in list(sim.politicians):
        return pd.DataFrame(columns=cols)
    w = sim.matrix("weight")[name].drop(name)
    j = sim.matrix("jaccard")[name].drop(name)
    top = w.sort_values(ascending=False).head(n)
    return pd.DataFrame({"politician": top.index, "weight": top.to_numpy(),
                         "jaccard": j.reindex(top.index).to_numpy()})


def member_profile(universe, bioguide_id: str, *, holding_days: int = 21, model: str = "ff5",
                   n_neighbours: int = 8, confidence: float = 0.95,
                   context: UniverseContext | None = None) -> MemberProfile:
    """Profile of the member with ``bioguide_id`` (see the module docstring for the dates).

    ``context`` (default: :func:`~workbench.member.context.universe_context` of ``universe``,
    cached per universe content) supplies what does not depend on the member.

    Raises
    ------
    DataError
        No trade carries that bioguide id.
    """
    trades = universe.trades
    mine = trades[trades["bioguide_id"].astype("string") == bioguide_id]
    if mine.empty:
        raise DataError(f"no trades for bioguide id {bioguide_id!r}")
    mine = mine.sort_values("transaction_date", ascending=False)
    first = mine.iloc[0]
    name = str(first["politician"])
    month = pd.to_datetime(mine["transaction_date"]).dt.to_period("M").dt.to_timestamp()
    monthly = (mine.assign(month=month).groupby(["month", "side"], observed=True).size()
               .rename("n_trades").reset_index())
    if context is None:
        ctx = universe_context(universe)
    elif context.fingerprint != universe_fingerprint(universe):
        raise ValueError("context was computed from another universe (fingerprints differ)")
    else:
        ctx = context
    committees = pd.DataFrame(columns=["n_trades", "n_relevant", "share", "base_rate", "excess"])
    if ctx.relevance is not None:
        rel = ctx.relevance
        committees = rel[rel["bioguide_id"] == bioguide_id].drop(columns="bioguide_id")
    performance, returns = _performance(mine, universe, holding_days, model, confidence, ctx)
    return MemberProfile(
        bioguide_id=bioguide_id, name=name, party=str(first.get("party") or "unknown"),
        chamber=str(first.get("chamber") or "unknown"), state=str(first.get("state") or ""),
        trades=mine.reset_index(drop=True), monthly=monthly,
        lag=_lag(mine, ctx.everyone_late_share),
        performance=performance, returns=returns,
        sectors=_sectors(mine, ctx),
        committees=committees.reset_index(drop=True),
        neighbours=_neighbours(ctx.similarity, name, n_neighbours),
        holding_days=int(holding_days), model=model, confidence=confidence)
