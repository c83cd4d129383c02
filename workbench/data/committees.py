"""Committee seats joined to the sectors they oversee, and committee relevance of trades.

A trade is *committee-relevant* when its ticker's GICS sector is overseen by one of the trader's
committees (:mod:`workbench.data.sources.committee_sectors`). **Membership is current-Congress
only** (the congress-legislators snapshot has no history): for a trade made years before the
snapshot, the trader's committees then may have been different, so relevance of older trades is
an approximation, and every table built here says so in its docstring. Membership does not
depend on the trade date, so relevance uses neither the transaction nor the disclosure date.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["member_sectors", "committee_relevance", "relevance_by_member"]

_EMPTY = {"bioguide_id": "string", "committee_id": "string", "sector": "string"}


def member_sectors(universe) -> pd.DataFrame:
    """The GICS sectors each member's committees oversee.

    Parameters
    ----------
    universe : Universe
        Anything with ``committees`` (with ``sectors`` tuples) and ``committee_members``.

    Returns
    -------
    DataFrame
        ``bioguide_id, committee_id, sector``: one row per seat and sector overseen, sorted;
        seats on committees that oversee no sector (or are absent from ``committees``) give no
        row. Membership is **current-Congress only** (today's seats, no history), so using it
        for trades of earlier years is an approximation.
    """
    seats = universe.committee_members
    committees = universe.committees
    if len(seats) == 0 or len(committees) == 0:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in _EMPTY.items()})
    sectors = committees[["committee_id", "sectors"]].explode("sectors").dropna()
    out = (seats[["bioguide_id", "committee_id"]]
           .merge(sectors.rename(columns={"sectors": "sector"}), on="committee_id")
           .drop_duplicates()
           .sort_values(["bioguide_id", "committee_id", "sector"], ignore_index=True))
    return out.astype(_EMPTY)


def committee_relevance(universe, trades: pd.DataFrame | None = None) -> pd.Series:
    """Whether each trade's ticker sector is overseen by one of the trader's committees.

    Parameters
    ----------
    universe : Universe
        Supplies ``securities`` (ticker -> sector), ``committees`` and ``committee_members``.
    trades : DataFrame, optional
        Default ``universe.trades``; needs ``bioguide_id`` and ``ticker``.

    Returns
    -------
    Series of nullable boolean
        Aligned with ``trades``, named ``committee_relevant``. NA where it cannot be told: the
        ticker has no known sector, the trader is unresolved, or the trader holds no seat in
        the membership table (not a current member). Membership is **current-Congress only**:
        for older trades this is an approximation. No date is used (seats carry none).
    """
    trades = universe.trades if trades is None else trades
    sector = trades["ticker"].map(universe.securities.set_index("ticker")["sector"]
                                  .groupby(level=0).first())
    seated = set(universe.committee_members["bioguide_id"].dropna())
    ms = member_sectors(universe)
    pairs = set(zip(ms["bioguide_id"], ms["sector"], strict=True))
    bio = trades["bioguide_id"].astype(object)
    sec = sector.astype(object)
    known = bio.notna() & sec.notna() & bio.isin(seated)
    hit = np.array([(b, s) in pairs for b, s in zip(bio, sec, strict=True)], dtype=bool)
    out = pd.array(np.where(known, hit, False), dtype="boolean")
    out[~known.to_numpy()] = pd.NA
    return pd.Series(out, index=trades.index, name="committee_relevant")


def relevance_by_member(universe, trades: pd.DataFrame | None = None) -> pd.DataFrame:
    """Share of each member's trades that are committee-relevant, against a base rate.

    Parameters
    ----------
    universe : Universe
    trades : DataFrame, optional
        Default ``universe.trades`` (filter it first, e.g. to a chamber or to stock trades).

    Returns
    -------
    DataFrame
        One row per seated member with at least one trade of known sector: ``bioguide_id,
        n_trades`` (trades with a known ticker sector), ``n_relevant``, ``share``,
        ``base_rate``: the share of *all* the given trades of known sector that fall in the
        sectors this member's committees oversee, i.e. the share expected if the member's
        tickers were drawn like everyone's, independently of their committees; ``excess`` =
        share - base_rate. Membership is **current-Congress only** (an approximation for
        older trades).
    """
    trades = universe.trades if trades is None else trades
    rel = committee_relevance(universe, trades)
    sector = trades["ticker"].map(universe.securities.set_index("ticker")["sector"]
                                  .groupby(level=0).first())
    mix = sector.dropna().value_counts(normalize=True)
    ms = member_sectors(universe)
    base = ms.drop_duplicates(["bioguide_id", "sector"]).assign(
        w=lambda d: d["sector"].map(mix).fillna(0.0)).groupby("bioguide_id")["w"].sum()
    df = pd.DataFrame({"bioguide_id": trades["bioguide_id"], "rel": rel}).dropna()
    if df.empty:
        return pd.DataFrame(columns=["bioguide_id", "n_trades", "n_relevant", "share",
                                     "base_rate", "excess"])
    g = df.groupby("bioguide_id")["rel"]
    out = pd.DataFrame({"n_trades": g.size(), "n_relevant": g.sum().astype(int)})
    out["share"] = out["n_relevant"] / out["n_trades"]
    out["base_rate"] = base.reindex(out.index).fillna(0.0)
    out["excess"] = out["share"] - out["base_rate"]
    return out.reset_index()
