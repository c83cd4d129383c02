"""The planted causal event: present, recorded, and leaving the rest of the universe untouched."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.data import load_universe
from workbench.synthetic.events import EVENT_STREAM, event_rng
from workbench.synthetic.truth import SyntheticTruth

SMALL = {"start": "2019-01-02", "n_tickers": 60}


@pytest.fixture(scope="module")
def pair(seed):
    """A small universe with the event, and the same without it."""
    return (load_universe("synthetic", seed=seed, **SMALL),
            load_universe("synthetic", seed=seed, event_date="", **SMALL))


def test_event_stream_is_child_nine():
    a = event_rng(123).random(5)
    b = np.random.default_rng(np.random.SeedSequence(123).spawn(EVENT_STREAM + 1)[EVENT_STREAM]).random(5)
    np.testing.assert_array_equal(a, b)


def test_only_the_planted_event_changes_the_universe(pair):
    u, base = pair
    assert len(base.truth.events) == 0
    ev = u.truth.events.set_index("kind")
    n = len(base.trades)
    pd.testing.assert_frame_equal(u.trades.iloc[:n], base.trades)
    pd.testing.assert_frame_equal(u.options, base.options)
    added = u.trades.iloc[n:]
    assert len(added) == ev.at["intensity", "n_changed"] > 0
    assert not added["trade_id"].isin(base.trades["trade_id"]).any()
    group = ev.at["intensity", "group"].split(",")
    assert set(added["politician"]) <= set(group)
    assert (added["side"] == "sell").all() and (added["asset_type"] == "stock").all()
    assert added["transaction_date"].between(ev.at["intensity", "date"],
                                             ev.at["intensity", "end_date"]).all()
    assert (added["disclosure_date"] > added["transaction_date"]).all()
    # The group is ordinary: no community member, no informed trader.
    pol = u.truth.politicians.set_index("politician").loc[group]
    assert (pol["community"] < 0).all() and not pol["is_informed"].any()
    assert len(group) == u.truth.params.event_group_size

    # Prices: only the shifted ticker changes, by exactly 1 + size from the event close on.
    tk, d0, size = ev.at["price_level", "ticker"], ev.at["price_level", "date"], ev.at["price_level", "size"]
    hit = (base.prices["ticker"] == tk) & (base.prices["date"] >= d0)
    pd.testing.assert_frame_equal(u.prices[~hit.to_numpy()], base.prices[~hit.to_numpy()])
    ratio = (u.prices.loc[hit.to_numpy(), "close"].to_numpy()
             / base.prices.loc[hit.to_numpy(), "close"].to_numpy())
    np.testing.assert_allclose(ratio, 1 + size, rtol=1e-12)
    special = {*u.truth.communities["tickers"].str.split(",").sum(), *u.truth.motifs["ticker"]}
    assert tk not in special
    # Informed buys touch most tickers over the years: none of that ticker near the event.
    inf = u.truth.informed_trades
    near = inf[(inf["ticker"] == tk) & inf["transaction_date"].between(
        d0 - pd.Timedelta(days=330), ev.at["intensity", "end_date"])]
    assert near.empty


def test_added_sells_match_the_planted_factor(pair):
    """Added sells agree with their expectation, which is (factor - 1) x the group's own base
    sells in the window (both Poisson: 4 SD)."""
    u, base = pair
    row = u.truth.events.set_index("kind").loc["intensity"]
    f, exp = u.truth.params.event_sell_factor, row["expected_changed"]
    assert abs(row["n_changed"] - exp) <= 4 * np.sqrt(exp) + 1
    t = base.trades
    own = t[t["politician"].isin(row["group"].split(",")) & (t["side"] == "sell")
            & (t["asset_type"] == "stock") & t["transaction_date"].between(row["date"], row["end_date"])]
    base_exp = exp / (f - 1)
    assert abs(len(own) - base_exp) <= 4 * np.sqrt(base_exp) + 1


def test_thinning_removes_only_group_sells(seed):
    u = load_universe("synthetic", seed=seed, event_sell_factor=0.25, event_price_shift=0.0,
                      **SMALL)
    base = load_universe("synthetic", seed=seed, event_date="", **SMALL)
    row = u.truth.events.set_index("kind").loc["intensity"]
    assert row["n_changed"] < 0 and row["expected_changed"] < 0
    gone = base.trades[~base.trades["trade_id"].isin(u.trades["trade_id"])]
    assert len(gone) == -row["n_changed"]
    assert set(gone["politician"]) <= set(row["group"].split(","))
    assert (gone["side"] == "sell").all()
    assert len(u.truth.events) == 1  # no price shift asked for


def test_events_round_trip_through_truth_json(pair, tmp_path):
    u, _ = pair
    path = tmp_path / "truth.json"
    u.truth.write(path)
    back = SyntheticTruth.read(path)
    assert back.to_json() == u.truth.to_json()
    assert pd.api.types.is_datetime64_any_dtype(back.events["end_date"])
    # A truth.json written before the events field existed still reads (events empty).
    import json
    raw = json.loads(u.truth.to_json())
    raw.pop("events")
    old = SyntheticTruth.from_json(json.dumps(raw))
    assert old.events.empty
