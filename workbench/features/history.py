"""The politician's own track record, and committee relevance.

History uses the politician's **earlier disclosed** trades only (disclosed strictly before the
trade's disclosure date). The past hit rate and past abnormal return use only earlier trades
whose outcome is complete at the trade's decision session: an earlier stock buy or sell enters
at the close of the session after its disclosure and its outcome is the signed return minus the
market over the next ``HORIZON`` sessions, which must end on or before the decision session (no
partially observed outcome).

Committee relevance uses **current-Congress** committee membership (the data has no history):
for older trades it is an approximation, and it is NaN when the universe has no committee data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.features.context import Spec, TradeContext
from workbench.features.flow import _codes, _day, windowed_sum

__all__ = ["history_features", "history_specs", "committee_features", "committee_specs",
           "HORIZON", "trade_outcomes"]

HORIZON = 21


def trade_outcomes(ctx: TradeContext, close: np.ndarray, horizon: int = HORIZON) -> tuple[
        np.ndarray, np.ndarray]:
    """Signed market-adjusted return of each trade after its entry, and the session it is known.

    Entry is the close of the first session after the decision session (the disclosure rule);
    the outcome is ``sign * (P[e+h]/P[e] - 1 - (M[e+h]/M[e] - 1))`` with ``sign`` +1 for buys,
    -1 for sells, known at session ``e + h``. NaN (and known = -1) where not computable.
    """
    n = len(ctx.trades)
    side = ctx.trades["side"].astype("string").fillna("").to_numpy()
    sign = np.where(side == "buy", 1.0, np.where(side == "sell", -1.0, np.nan))
    e = ctx.dpos + 1
    known = e + horizon
    ok = (ctx.dpos >= 0) & (ctx.col >= 0) & (known < len(ctx.sessions)) & np.isfinite(sign)
    mlevel = np.cumprod(1.0 + np.where(np.isfinite(ctx.market), ctx.market, 0.0))
    out = np.full(n, np.nan)
    c = ctx.col[ok]
    with np.errstate(invalid="ignore", divide="ignore"):
        r = close[known[ok], c] / close[e[ok], c] - 1.0
        m = mlevel[known[ok]] / mlevel[e[ok]] - 1.0
    out[ok] = sign[ok] * (r - m)
    k = np.where(ok & np.isfinite(out), known, -1)
    return out, k


def _prior_median(group: np.ndarray, day: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Median of ``value`` over the same group's events strictly earlier in ``day``."""
    out = np.full(len(day), np.nan)
    frame = pd.DataFrame({"g": group, "d": day, "v": value, "i": np.arange(len(day))})
    frame = frame[(frame["g"] >= 0) & np.isfinite(frame["d"])]
    for _, sub in frame.groupby("g", sort=False):
        sub = sub.sort_values("d", kind="stable")
        d = sub["d"].to_numpy()
        med = sub["v"].expanding().median().to_numpy()
        # value of the expanding median at the last event with day < query day
        j = np.searchsorted(d, d, side="left") - 1
        res = np.where(j >= 0, med[np.clip(j, 0, None)], np.nan)
        out[sub["i"].to_numpy()] = res
    return out


def history_features(ctx: TradeContext, close: np.ndarray) -> pd.DataFrame:
    """Trade count, ticker familiarity, own lag and amount norms, past hit rate and return."""
    t = ctx.trades
    pol = _codes(t["politician"])
    tick = _codes(t["ticker"])
    pair = _codes(t["politician"].astype("string") + "\x00" + t["ticker"].astype("string"))
    day = _day(t["disclosure_date"])
    ones = np.ones(len(t))
    cols: dict[str, np.ndarray] = {}
    n_prior = windowed_sum(pol, day, ones, pol, day, np.inf)
    cols["pol_n_prior_trades"] = n_prior
    in_ticker = windowed_sum(pair, day, ones, pair, day, np.inf)
    cols["pol_n_prior_in_ticker"] = np.where(tick >= 0, in_ticker, np.nan)
    cols["pol_first_time_ticker"] = np.where(tick >= 0, (in_ticker == 0).astype(float), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        cols["pol_ticker_share"] = np.where((tick >= 0) & (n_prior > 0), in_ticker / n_prior,
                                            np.nan)
    lag = day - _day(t["transaction_date"])
    med_lag = _prior_median(pol, day, lag)
    cols["pol_median_lag_prior"] = med_lag
    cols["lag_minus_own_median"] = lag - med_lag
    amount = t["amount_mid"].astype(float).to_numpy()
    log_amount = np.log(np.where(amount > 0, amount, np.nan))
    cols["log_amount_mid"] = log_amount
    cols["log_amount_minus_own_median"] = log_amount - _prior_median(pol, day, log_amount)
    cols["log_amount_minus_ticker_median"] = log_amount - _prior_median(tick, day, log_amount)
    # last disclosure before this one (days)
    last = np.full(len(t), np.nan)
    order = np.lexsort((day, pol))
    d_sorted, p_sorted = day[order], pol[order]
    first_of_day = np.searchsorted(p_sorted * 1e7 + d_sorted, p_sorted * 1e7 + d_sorted, "left")
    prev = first_of_day - 1
    okp = (prev >= 0) & (p_sorted[np.clip(prev, 0, None)] == p_sorted) & (p_sorted >= 0)
    last[order[okp]] = d_sorted[okp] - d_sorted[prev[okp]]
    cols["pol_days_since_last_disclosure"] = last

    outcome, known = trade_outcomes(ctx, close)
    has = known >= 0
    wins = (outcome > 0).astype(float)
    kday = known.astype(float)
    kday[~has] = np.nan
    # events dated by the session their outcome is known; a query at decision session d counts
    # events with known <= d, i.e. known < d + 1
    qd = np.where(ctx.dpos >= 0, ctx.dpos + 1.0, np.nan)
    n_done = windowed_sum(pol, kday, np.ones(len(t)), pol, qd, np.inf)
    n_win = windowed_sum(pol, kday, wins, pol, qd, np.inf)
    s_abn = windowed_sum(pol, kday, np.nan_to_num(outcome), pol, qd, np.inf)
    cols["pol_n_outcomes_known"] = n_done
    with np.errstate(invalid="ignore", divide="ignore"):
        cols["pol_past_hit_rate"] = np.where(n_done > 0, n_win / n_done, np.nan)
        cols["pol_past_abn_return"] = np.where(n_done > 0, s_abn / n_done, np.nan)
    return pd.DataFrame(cols, index=pd.RangeIndex(len(t), name="row"))


def history_specs() -> list[Spec]:
    g = "history"
    src = "trades.politician, disclosure_date"
    return [Spec("pol_n_prior_trades", g, "the politician's trades disclosed before", "count", "all history", src),
            Spec("pol_n_prior_in_ticker", g, "... of them in this ticker", "count", "all history", src + ", ticker"),
            Spec("pol_first_time_ticker", g, "first disclosed trade of the politician in this ticker", "0/1", "all history", src + ", ticker"),
            Spec("pol_ticker_share", g, "share of the politician's earlier trades in this ticker", "share", "all history", src + ", ticker"),
            Spec("pol_median_lag_prior", g, "median disclosure lag of the politician's earlier trades", "days", "all history", src + ", transaction_date"),
            Spec("lag_minus_own_median", g, "this lag minus that median", "days", "all history", src + ", transaction_date"),
            Spec("log_amount_mid", g, "log of the amount range midpoint", "log $", "none", "trades.amount_mid"),
            Spec("log_amount_minus_own_median", g, "log amount minus the politician's earlier median", "log ratio", "all history", src + ", amount_mid"),
            Spec("log_amount_minus_ticker_median", g, "log amount minus Congress's earlier median in this ticker", "log ratio", "all history", "trades.ticker, disclosure_date, amount_mid"),
            Spec("pol_days_since_last_disclosure", g, "days since the politician's previous disclosure date", "days", "all history", src),
            Spec("pol_n_outcomes_known", g, f"earlier stock trades whose {HORIZON}-session outcome is complete at the decision session", "count", "all history", src + ", prices, factors"),
            Spec("pol_past_hit_rate", g, f"share of those with a positive signed {HORIZON}-session market-adjusted return after entry", "share", "all history", src + ", prices, factors"),
            Spec("pol_past_abn_return", g, f"their mean signed {HORIZON}-session market-adjusted return after entry", "decimal", "all history", src + ", prices, factors")]


def committee_features(ctx: TradeContext, universe) -> pd.DataFrame:
    """Whether the ticker's sector is overseen by one of the trader's (current) committees."""
    from workbench.data.committees import member_sectors

    t = ctx.trades
    n = len(t)
    seats = member_sectors(universe) if hasattr(universe, "committee_members") else None
    cols = {k: np.full(n, np.nan) for k in ("committee_relevant", "n_committees_overseeing",
                                            "pol_n_committees", "pol_committee_share_prior")}
    if seats is None or len(seats) == 0:
        return pd.DataFrame(cols, index=pd.RangeIndex(n, name="row"))
    sec = dict(zip(universe.securities["ticker"].astype(str),
                   universe.securities["sector"].astype("string"), strict=False))
    sector = t["ticker"].astype("string").map(lambda x: sec.get(x) if pd.notna(x) else None)
    bio = t["bioguide_id"].astype("string")
    per = seats.groupby(["bioguide_id", "sector"])["committee_id"].nunique()
    n_comm = seats.groupby("bioguide_id")["committee_id"].nunique()
    keys = pd.MultiIndex.from_arrays([bio.fillna(""), sector.fillna("").astype(str)])
    overseeing = per.reindex(keys).fillna(0).to_numpy(dtype=float)
    has_seat = bio.isin(n_comm.index).to_numpy()
    known = has_seat & sector.notna().to_numpy() & (sector.fillna("") != "").to_numpy()
    cols["n_committees_overseeing"] = np.where(known, overseeing, np.nan)
    cols["committee_relevant"] = np.where(known, (overseeing > 0).astype(float), np.nan)
    cols["pol_n_committees"] = np.where(has_seat, bio.map(n_comm).to_numpy(dtype=float), np.nan)
    pol = _codes(t["politician"])
    day = _day(t["disclosure_date"])
    rel = np.nan_to_num(cols["committee_relevant"])
    k = known.astype(float)
    num = windowed_sum(np.where(known, pol, -1), day, rel, pol, day, np.inf)
    den = windowed_sum(np.where(known, pol, -1), day, k, pol, day, np.inf)
    with np.errstate(invalid="ignore", divide="ignore"):
        cols["pol_committee_share_prior"] = np.where(has_seat & (den > 0), num / den, np.nan)
    return pd.DataFrame(cols, index=pd.RangeIndex(n, name="row"))


def committee_specs() -> list[Spec]:
    g = "committee"
    src = "committee_members (current Congress only), committees.sectors, securities.sector"
    note = " (current-Congress membership: an approximation for older trades)"
    return [Spec("committee_relevant", g, "the ticker's sector is overseen by one of the trader's committees" + note, "0/1", "none", src),
            Spec("n_committees_overseeing", g, "how many of the trader's committees oversee the sector" + note, "count", "none", src),
            Spec("pol_n_committees", g, "committees the trader sits on" + note, "count", "none", src),
            Spec("pol_committee_share_prior", g, "share of the trader's earlier disclosed trades that were committee-relevant" + note, "share", "all history", src + ", trades.disclosure_date")]
