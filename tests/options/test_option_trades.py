"""Option-trade parsing and analysis; squeeze recovery on the synthetic universe."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.options import (
    analyze_option_trades,
    parse_option_description,
    select_option_trades,
    squeeze_auc,
)

RAW = ('Vulcan Materials Company <div class="text-muted">Option Type: Put <br><em>Strike '
       'price:</em> $120.00 <br> <em>Expires:</em> 05/15/2020 </div>')


def test_parse_cleaned_raw_and_bare_forms():
    out = parse_option_description([
        "Beacon Inc. Option Type: Call Strike price: $1,105.50 Expires: 03/20/2015",
        RAW,
        "MDLZ (stock option)",
        "Apple Inc. common stock",
        "The Kraft Heinz Company Option Type: Neither Strike price: $24.96 Expires: 02/23/2020",
        None,
    ])
    assert out.loc[0, "option_type"] == "call"
    assert out.loc[0, "strike"] == pytest.approx(1105.5)
    assert out.loc[0, "expiration"] == pd.Timestamp("2015-03-20")
    assert out.loc[0, "underlying"] == "Beacon Inc."
    assert out.loc[1, ["option_type", "strike", "underlying"]].tolist() == [
        "put", 120.0, "Vulcan Materials Company"]
    assert out.loc[1, "expiration"] == pd.Timestamp("2020-05-15")
    assert out["detail_status"].tolist() == ["parsed", "parsed", "no_details", "unparsed",
                                             "parsed", "unparsed"]
    assert out.loc[4, "option_type"] == "neither" and out.loc[4, "strike"] == 24.96
    assert out.loc[2, "underlying"] == "MDLZ"
    assert np.isnan(out.loc[2, "strike"]) and pd.isna(out.loc[2, "expiration"])


def _trades():
    base = dict(politician="A B", party="Democrat", owner="self", is_partial=False,
                amount_low=15001.0, amount_high=50000.0, amount_mid=32500.5)
    rows = [
        dict(trade_id="t1", ticker="ABC", asset_type="option", side="buy",
             asset_description="Abc Co Option Type: Call Strike price: $100.00 Expires: 02/20/2015",
             transaction_date="2015-01-05", disclosure_date="2015-01-20"),
        dict(trade_id="t2", ticker=None, asset_type="other", side="sell",
             asset_description="ABC (stock option)", transaction_date="2015-01-06",
             disclosure_date="2015-01-21"),
        dict(trade_id="t3", ticker="ABC", asset_type="stock", side="buy",
             asset_description="Abc Co", transaction_date="2015-01-06",
             disclosure_date="2015-01-21"),
    ]
    df = pd.DataFrame([base | r for r in rows])
    for c in ("transaction_date", "disclosure_date"):
        df[c] = pd.to_datetime(df[c])
    return df


def _prices():
    days = pd.bdate_range("2015-01-01", periods=40)
    close = 90.0 * 1.01 ** np.arange(len(days))
    return pd.DataFrame({"date": days, "ticker": "ABC", "open": close, "high": close,
                         "low": close, "close": close, "adj_close": close * 0.5,
                         "volume": 1e6})


def test_analyze_without_chain_hand_computed():
    trades = _trades()
    assert select_option_trades(trades)["trade_id"].tolist() == ["t1", "t2"]
    res = analyze_option_trades(trades, _prices())
    df = res.to_frame().set_index("trade_id")
    days = pd.bdate_range("2015-01-01", periods=40)
    i = days.get_loc(pd.Timestamp("2015-01-05"))
    spot = 90.0 * 1.01 ** i
    assert df.loc["t1", "spot"] == pytest.approx(spot)
    assert df.loc["t1", "moneyness"] == pytest.approx(spot / 100.0)
    assert df.loc["t1", "days_to_expiry"] == 46
    assert df.loc["t1", "notional"] == pytest.approx(32500.5)
    # adjusted close differs from close by a constant factor: moves are unaffected
    assert df.loc["t1", "move_7d"] == pytest.approx(1.01 ** 7 - 1, rel=1e-10)
    assert df.loc["t1", "max_move_7d"] == pytest.approx(1.01 ** 7 - 1, rel=1e-10)
    j = days.get_loc(pd.Timestamp("2015-01-20"))
    assert df.loc["t1", "move_7d_after_disclosure"] == pytest.approx(1.01 ** 7 - 1, rel=1e-10)
    assert j > i
    assert np.isnan(df.loc["t2", "strike"]) and np.isnan(df.loc["t2", "moneyness"])
    assert df.loc["t2", "ticker"] == "ABC"            # taken from "ABC (stock option)"
    assert df.loc["t2", "spot"] == pytest.approx(90.0 * 1.01 ** (i + 1))
    assert not df["has_chain"].any() and df["squeeze_score"].isna().all()
    s = res.summary()
    assert (s["trades"], s["parsed"], s["no_details"], s["with_price"], s["with_chain"]) == (
        2, 1, 1, 2, 0)


def test_squeeze_auc_reference():
    rng = np.random.default_rng(0)
    s = rng.normal(size=60)
    y = rng.random(60) < 0.3
    pairs = [(a > b) + 0.5 * (a == b) for a in s[y] for b in s[~y]]
    assert squeeze_auc(s, y) == pytest.approx(np.mean(pairs), abs=1e-12)
    assert np.isnan(squeeze_auc([1.0, 2.0], [True, True]))


def test_planted_squeezes_score_above_ordinary_trades(universe):
    res = analyze_option_trades(universe.trades, universe.prices, universe.options)
    df = res.to_frame()
    planted = df["trade_id"].isin(universe.truth.squeezes["trade_id"])
    assert planted.sum() == len(universe.truth.squeezes)
    assert df["has_chain"].mean() > 0.95
    auc = squeeze_auc(df["squeeze_score"], planted)
    print(f"squeeze AUC {auc:.3f} on {planted.sum()} planted of {len(df)} option trades")
    assert auc >= 0.8
    # the planted +8..15 % move shows up within 7 sessions
    assert df.loc[planted, "max_move_7d"].median() > 0.06
    assert df.loc[~planted, "max_move_7d"].median() < 0.05
    assert (df.loc[planted, "total_gex"] < 0).mean() >= 0.9


@pytest.mark.shared
def test_real_senate_option_trades(shared_path):
    from workbench.data import read_senate_daily_summaries

    trades = read_senate_daily_summaries(shared_path("senate/all_daily_summaries.json")).accepted
    res = analyze_option_trades(trades)
    s = res.summary()
    # 84 option rows: 81 calls/puts with terms, 2 employee options ("Neither"), 1 bare row
    assert (s["trades"], s["parsed"], s["no_details"], s["unparsed"]) == (84, 83, 1, 0)
    df = res.to_frame()
    assert set(df["option_type"].dropna()) == {"put", "neither"}
    assert (df["days_to_expiry"].dropna() > 0).all()
    assert df.loc[df["detail_status"] == "no_details", "ticker"].tolist() == ["MDLZ"]
