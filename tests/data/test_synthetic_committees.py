"""Committees of the synthetic universe: seats, terms, the planted committee relevance of informed
traders (recovered from the universe's own tables at two seeds), and that adding committees
changed nothing else.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.data.committees import relevance_by_member
from workbench.synthetic import generator
from workbench.synthetic.committees import INFORMED_MIN_SHARE, PROFILES
from workbench.synthetic.truth import SyntheticTruth

SMALL = {"start": "2019-01-02", "end": "2020-12-31"}   # a cheap universe for structure tests


@pytest.fixture(scope="module")
def other_seed_universe(seed):
    return generator.generate_universe(seed + 1)


@pytest.fixture(scope="module")
def small(seed):
    return generator.generate_universe(seed, **SMALL)


def test_seats_and_committees(universe):
    pol = universe.truth.politicians.set_index("bioguide_id")
    c = universe.committees.set_index("committee_id")
    seats = universe.committee_members
    assert len(c) == 2 * len(PROFILES) and c["parent_id"].isna().all()
    assert c["sectors"].map(len).between(1, 3).all()
    sectors = set(universe.securities["sector"])
    assert set().union(*c["sectors"]) <= sectors | {"Materials"}
    per = seats.groupby("bioguide_id").size()
    assert set(per.index) == set(pol.index) and per.between(1, 3).all()
    # seats are in the politician's own chamber
    assert (seats["committee_id"].map(c["chamber"]) == seats["bioguide_id"].map(pol["chamber"])).all()
    for (_, side), g in seats.groupby(["committee_id", "side"]):
        assert sorted(g["rank"]) == list(range(1, len(g) + 1))
        assert (g.loc[g["rank"] == 1, "title"] == ("Chair" if side == "majority"
                                                   else "Ranking Member")).all()
    pd.testing.assert_frame_equal(universe.truth.committee_members, seats)


def test_trades_dated_by_term_with_unchanged_values(universe):
    t = universe.trades
    assert (t["party_source"] == "term").all()
    pol = universe.truth.politicians.set_index("bioguide_id")
    for c in ("party", "state", "chamber"):
        assert (t[c] == t["bioguide_id"].map(pol[c])).all()
    terms = universe.legislator_terms
    assert set(terms["bioguide_id"]) == set(pol.index)


def check_planted_relevance(universe):
    """Informed traders mostly trade their committees' sectors; others at their base rate."""
    stock = universe.trades[universe.trades["asset_type"] == "stock"]
    got = relevance_by_member(universe, stock)
    truth = universe.truth.committee_relevance
    # the truth table is what the universe's own tables give
    pd.testing.assert_frame_equal(
        got.set_index("bioguide_id").sort_index(),
        truth.set_index("bioguide_id")[got.columns[1:]].sort_index(), check_dtype=False,
        check_index_type=False)
    informed = truth[truth["is_informed"]]
    assert len(informed) == universe.truth.params.n_informed
    se = np.sqrt(informed["base_rate"] * (1 - informed["base_rate"]) / informed["n_trades"])
    assert (informed["share"] >= INFORMED_MIN_SHARE).all(), informed
    assert (informed["excess"] > 2 * se).all(), informed
    # Others: committees drawn independently of trades. Trades of one politician are not
    # independent (communities trade 8 tickers), so test across politicians, each one
    # observation of share - base rate.
    others = truth[~truth["is_informed"]]
    mean, sd = others["excess"].mean(), others["excess"].std(ddof=1)
    assert abs(mean) < 3 * sd / np.sqrt(len(others)), (mean, sd)
    # and the informed stand out from them
    assert informed["excess"].min() > others["excess"].quantile(0.5)
    return informed, others


def test_planted_relevance_default_seed(universe):
    check_planted_relevance(universe)


def test_planted_relevance_other_seed(other_seed_universe):
    check_planted_relevance(other_seed_universe)


def test_committees_change_nothing_else(small, seed, monkeypatch):
    monkeypatch.setattr(generator, "add_committees", lambda u, pol, s: u)
    bare = generator.generate_universe(seed, **SMALL)
    pd.testing.assert_frame_equal(small.trades.drop(columns="party_source"),
                                  bare.trades.drop(columns="party_source"))
    assert bare.trades["party_source"].isna().all()
    pd.testing.assert_frame_equal(small.prices, bare.prices)
    pd.testing.assert_frame_equal(small.options, bare.options)
    pd.testing.assert_frame_equal(small.truth.politicians, bare.truth.politicians)
    pd.testing.assert_frame_equal(small.truth.anomalies, bare.truth.anomalies)
    assert bare.committees.empty and len(small.committees) == 2 * len(PROFILES)


def test_same_seed_same_committees(small, seed):
    again = generator.generate_universe(seed, **SMALL)
    pd.testing.assert_frame_equal(again.committee_members, small.committee_members)
    pd.testing.assert_frame_equal(again.truth.committee_relevance,
                                  small.truth.committee_relevance)


def test_truth_json_and_store_roundtrip(small, tmp_path):
    from workbench.data.store import load_universe_from_store, write_universe

    back = SyntheticTruth.from_json(small.truth.to_json())
    assert list(back.committees["sectors"]) == list(small.committees["sectors"])
    pd.testing.assert_frame_equal(back.committee_relevance, small.truth.committee_relevance,
                                  check_dtype=False)
    pd.testing.assert_frame_equal(back.committee_members, small.committee_members,
                                  check_dtype=False)
    path = write_universe(small, tmp_path / "synth.duckdb")
    u = load_universe_from_store(path)
    key = lambda d, k: d.sort_values(k, ignore_index=True)  # noqa: E731
    pd.testing.assert_frame_equal(key(u.committees, "committee_id"),
                                  key(small.committees, "committee_id"), check_dtype=False)
    pd.testing.assert_frame_equal(key(u.committee_members, ["committee_id", "bioguide_id"]),
                                  key(small.committee_members, ["committee_id", "bioguide_id"]),
                                  check_dtype=False)
    pd.testing.assert_frame_equal(key(u.legislator_terms, ["bioguide_id", "start"]),
                                  key(small.legislator_terms, ["bioguide_id", "start"]),
                                  check_dtype=False)
    assert (u.trades["party_source"] == "term").all()
    pd.testing.assert_frame_equal(u.truth.committee_relevance, small.truth.committee_relevance,
                                  check_dtype=False)
