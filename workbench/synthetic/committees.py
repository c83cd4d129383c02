"""Committees, seats and legislator terms of the synthetic universe, with a planted relevance.

Every politician sits on 1-3 committees of their own chamber, each overseeing 1-3 GICS sectors
(:data:`PROFILES`, twelve committee profiles present in both chambers). The planted effect:
**informed traders trade mostly in sectors their committees oversee.** Their trades are drawn
first (by :mod:`workbench.synthetic.trades`, unchanged), and their three committees are then
chosen, among all combinations of profiles, to oversee the sectors they trade most relative to
everyone (largest excess of their committee-relevant share over its base rate, with the share at
least :data:`INFORMED_MIN_SHARE`). The link is planted through the committee assignment, not the
tickers, so the rest of the universe is byte-identical to a universe without committees. Every
other politician's committees are drawn at random, independently of their trades, so their
committee-relevant share sits at its base rate up to sampling noise.

Randomness comes from child 8 of ``numpy.random.SeedSequence(seed)`` (children 0-7 are the
generator's streams; 9 and 10 are reserved for other parts), so adding committees reshuffles
nothing else. Relevance is measured on stock trades whose ticker has a sector; base rate and
share are defined in :func:`workbench.data.committees.relevance_by_member`.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pandas as pd

from workbench.data.committees import relevance_by_member
from workbench.data.schema import (
    COMMITTEE_COLUMNS,
    COMMITTEE_MEMBER_COLUMNS,
    LEGISLATOR_TERM_COLUMNS,
    coerce_frame,
)
from workbench.data.terms import date_trades_by_term

__all__ = ["PROFILES", "STREAM", "INFORMED_MIN_SHARE", "SyntheticCommittees", "make_committees",
           "make_terms", "add_committees"]

STREAM = 8                  # child of SeedSequence(seed) drawn for committees
INFORMED_MIN_SHARE = 0.5    # informed traders' committees cover at least this share if possible
INFORMED_SEATS = 3
PROFILES = (  # (short id, name, sectors overseen)
    ("AG", "Agriculture", ("Consumer Staples", "Materials")),
    ("AS", "Armed Services", ("Industrials",)),
    ("BK", "Banking and Housing", ("Financials", "Real Estate")),
    ("EN", "Energy and Natural Resources", ("Energy", "Utilities", "Materials")),
    ("HL", "Health", ("Health Care",)),
    ("CM", "Commerce and Communications", ("Communication Services", "Consumer Discretionary")),
    ("ST", "Science and Technology", ("Information Technology", "Industrials")),
    ("TI", "Transportation and Infrastructure", ("Industrials", "Utilities")),
    ("FI", "Finance", ("Financials", "Health Care")),
    ("CP", "Consumer Protection", ("Consumer Discretionary", "Consumer Staples")),
    ("EV", "Environment", ("Utilities", "Materials")),
    ("IP", "Intellectual Property and the Internet", ("Information Technology",
                                                      "Communication Services")),
)
_PREFIX = {"senate": "S", "house": "H"}
_CHAMBER_NAME = {"senate": "Senate", "house": "House"}


class SyntheticCommittees(SimpleNamespace):
    """``committees``, ``members``, ``terms`` frames and ``relevance`` (per politician)."""


def committee_id(chamber: str, profile: str) -> str:
    """``HSYNAG``-style ids: chamber letter, ``SYN``, profile (never a real thomas_id)."""
    return f"{_PREFIX[chamber]}SYN{profile}"


def _stock_sectors(trades: pd.DataFrame, securities: pd.DataFrame) -> pd.DataFrame:
    sector = trades["ticker"].map(securities.set_index("ticker")["sector"])
    keep = (trades["asset_type"] == "stock").to_numpy() & sector.notna().to_numpy()
    return pd.DataFrame({"bioguide_id": trades["bioguide_id"].to_numpy()[keep],
                         "sector": sector.to_numpy()[keep]})


def _best_profiles(own: pd.Series, mix: pd.Series, k: int) -> tuple[int, ...]:
    """Profiles (indexes) whose sectors give the largest excess share with share >= the floor."""
    best, best_key = (), None
    own, mix = own.to_dict(), mix.to_dict()
    for size in range(1, k + 1):
        for combo in itertools.combinations(range(len(PROFILES)), size):
            covered = sorted({s for i in combo for s in PROFILES[i][2]})  # fixed sum order
            share = sum(own.get(s, 0.0) for s in covered)
            excess = share - sum(mix.get(s, 0.0) for s in covered)
            # Reaching the floor first, then the excess; the full k seats break ties.
            key = (share >= INFORMED_MIN_SHARE, excess if share >= INFORMED_MIN_SHARE else share,
                   size)
            if best_key is None or key > best_key:
                best, best_key = combo, key
    return best


def make_committees(seed: int, pol: pd.DataFrame, trades: pd.DataFrame,
                    securities: pd.DataFrame) -> SyntheticCommittees:
    """Committees and seats for the politicians ``pol`` (generator frame), given their trades.

    Parameters
    ----------
    seed : int
        The universe seed; draws come from child :data:`STREAM` of its SeedSequence.
    pol : DataFrame
        ``politician, bioguide_id, party, chamber, is_informed`` (one row per politician).
    trades, securities : DataFrame
        The universe's trades and securities (tickers' sectors).
    """
    rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(STREAM + 1)[STREAM])
    n = len(pol)
    # All draws up front, one per politician whatever their role, so that the informed choice
    # does not move anyone else's committees.
    n_seats = rng.integers(1, INFORMED_SEATS + 1, size=n)
    orders = [rng.permutation(len(PROFILES)) for _ in range(n)]
    seniority = rng.permutation(n)
    st = _stock_sectors(trades, securities)
    mix = st["sector"].value_counts(normalize=True)
    picks: list[tuple[int, ...]] = []
    for i, (bio, informed) in enumerate(zip(pol["bioguide_id"], pol["is_informed"], strict=True)):
        if informed:
            own = st.loc[st["bioguide_id"] == bio, "sector"].value_counts(normalize=True)
            picks.append(_best_profiles(own, mix, INFORMED_SEATS))
        else:
            picks.append(tuple(sorted(orders[i][: n_seats[i]])))
    chambers = [c for c in ("senate", "house") if (pol["chamber"] == c).any()]
    committees = pd.DataFrame(
        [(committee_id(c, p[0]), None, f"{_CHAMBER_NAME[c]} Committee on {p[1]}", c, None, None,
          p[2]) for c in chambers for p in PROFILES], columns=list(COMMITTEE_COLUMNS))
    seats = pd.DataFrame(
        [(committee_id(c, PROFILES[j][0]), bio, party, seniority[i])
         for i, (bio, party, c) in enumerate(zip(pol["bioguide_id"], pol["party"], pol["chamber"],
                                                  strict=True)) for j in picks[i]],
        columns=["committee_id", "bioguide_id", "party", "seniority"])
    majority = {c: g["party"].value_counts().sort_index().idxmax()
                for c, g in pol.groupby("chamber")}
    seats["side"] = np.where(seats["party"].to_numpy() == seats["committee_id"].str[0].map(
        {"S": majority.get("senate"), "H": majority.get("house")}).to_numpy(),
        "majority", "minority")
    seats = seats.sort_values(["committee_id", "side", "seniority"], ignore_index=True)
    seats["rank"] = seats.groupby(["committee_id", "side"]).cumcount() + 1
    seats["title"] = np.where(seats["rank"] == 1, np.where(seats["side"] == "majority", "Chair",
                                                            "Ranking Member"), None)
    members = coerce_frame(seats, COMMITTEE_MEMBER_COLUMNS)
    committees = coerce_frame(committees, COMMITTEE_COLUMNS)
    relevance = relevance_by_member(
        SimpleNamespace(securities=securities, committees=committees, committee_members=members),
        trades[(trades["asset_type"] == "stock").to_numpy()])
    relevance = pol[["politician", "bioguide_id", "is_informed"]].merge(
        relevance, on="bioguide_id", how="left")
    return SyntheticCommittees(committees=committees, members=members,
                               relevance=relevance.reset_index(drop=True))


def make_terms(pol: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    """Terms covering ``start..end`` for every politician (their party, state and chamber).

    House terms are the two-year Congresses starting on January 3 of odd years; Senate terms
    six years, staggered by class (the politician's row index mod 3). Nobody switches party:
    every synthetic trade is dated by a term and its values do not change.
    """
    first, last = pd.Timestamp(start).year - 1, pd.Timestamp(end).year + 1
    rows = []
    for i, r in enumerate(pol.itertuples(index=False)):
        step, y = (6, 2007 + 2 * (i % 3)) if r.chamber == "senate" else (2, 2011)
        while y > first:
            y -= step
        while y <= last:
            district = None if r.district is None or pd.isna(r.district) else str(int(r.district[2:]))
            rows.append((r.bioguide_id, pd.Timestamp(y, 1, 3), pd.Timestamp(y + step, 1, 3),
                         r.chamber, r.state, district, r.party))
            y += step
    return coerce_frame(pd.DataFrame(rows, columns=list(LEGISLATOR_TERM_COLUMNS)),
                        LEGISLATOR_TERM_COLUMNS)


def add_committees(universe, pol: pd.DataFrame, seed: int):
    """The universe with terms, committees, seats and their truth (``dataclasses.replace``).

    Trades are dated by term (``party_source`` ``"term"``; values unchanged); the truth gains
    ``committees``, ``committee_members`` and ``committee_relevance``.
    """
    made = make_committees(seed, pol, universe.trades, universe.securities)
    params = universe.truth.params
    terms = make_terms(pol, params.start, params.end)
    trades = date_trades_by_term(universe.trades, terms)
    truth = replace(universe.truth, committees=made.committees,
                    committee_members=made.members, committee_relevance=made.relevance)
    return replace(universe, trades=trades, truth=truth, legislator_terms=terms,
                   committees=made.committees, committee_members=made.members)
