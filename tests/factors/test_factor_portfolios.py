"""Calendar-time portfolios: fast path against the loop reference, coverage, no look-ahead."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from naive_factors import naive_calendar_time

from workbench.factors import calendar_time_portfolio, group_portfolios


@pytest.mark.parametrize("side", ["buy", "sell"])
@pytest.mark.parametrize("weight", ["equal", "amount_mid"])
@pytest.mark.parametrize("entry", ["disclosure", "transaction"])
def test_matches_loop_reference(market, side, weight, entry):
    trades, px, _ = market
    res = calendar_time_portfolio(trades, px, side=side, holding_days=7, weight=weight,
                                  entry=entry)
    ref = naive_calendar_time(trades, px, side, 7, weight, entry)
    np.testing.assert_allclose(res.returns.to_numpy(), ref.to_numpy(), rtol=1e-10,
                               atol=1e-13, equal_nan=True)


def test_long_short_is_buy_minus_sell(market):
    trades, px, _ = market
    b = calendar_time_portfolio(trades, px, "buy", 10)
    s = calendar_time_portfolio(trades, px, "sell", 10)
    ls = calendar_time_portfolio(trades, px, "long_short", 10)
    np.testing.assert_allclose(ls.returns, b.returns - s.returns, equal_nan=True, atol=1e-15)


def test_coverage_counts_every_trade(market):
    trades, px, _ = market
    res = calendar_time_portfolio(trades, px, "buy", 5, weight="amount_mid")
    considered = ((trades["side"] == "buy") & (trades["asset_type"] == "stock")).sum()
    assert len(res.positions) == considered
    assert res.coverage["trades"].sum() == considered
    reasons = set(res.coverage["reason"])
    assert "covered" in reasons
    by_id = res.positions.set_index("trade_id")["reason"]
    for tid, why in [("t3", "missing ticker"), ("t4", "missing date"), ("t5", "missing amount")]:
        t = trades.set_index("trade_id").loc[tid]
        if t["side"] == "buy" and t["asset_type"] == "stock":
            assert by_id[tid] == why
    nopx = trades[(trades["ticker"] == "NOPX") & (trades["side"] == "buy")
                  & (trades["asset_type"] == "stock")]["trade_id"]
    assert (by_id[nopx] == "no price series").all()


def test_never_holds_before_disclosure(market):
    trades, px, _ = market
    res = calendar_time_portfolio(trades, px, "buy", 15)
    cov = res.positions[res.positions["covered"]].merge(
        trades[["trade_id", "disclosure_date"]], on="trade_id")
    # Entry is at the close of a session strictly after the disclosure date; returns start
    # the session after that.
    assert (cov["entry_date"] > cov["disclosure_date"]).all()
    assert (cov["exit_date"] > cov["entry_date"]).all()


def test_later_disclosure_changes_returns(market):
    trades, px, _ = market
    base = calendar_time_portfolio(trades, px, "buy", 10)
    late = trades.copy()
    late["disclosure_date"] = late["disclosure_date"] + pd.Timedelta(days=14)
    shifted = calendar_time_portfolio(late, px, "buy", 10)
    assert not np.allclose(base.returns.fillna(0), shifted.returns.fillna(0))
    # and every trade held in both is entered later, after its new disclosure date (14 calendar
    # days less at most a weekend and a holiday of rolling to the next session)
    both = base.positions[base.positions["covered"]].merge(
        shifted.positions[shifted.positions["covered"]], on="trade_id", suffixes=("", "_late"))
    both = both.merge(late[["trade_id", "disclosure_date"]], on="trade_id")
    assert len(both) > 5
    assert (both["entry_date_late"] > both["disclosure_date"]).all()
    assert (both["entry_date_late"] >= both["entry_date"] + pd.Timedelta(days=10)).all()


def test_groups_and_custom_lists(market):
    trades, px, _ = market
    g = group_portfolios(trades, px, by="party", side="buy", holding_days=5)
    assert list(g.returns.columns) == ["Democrat", "Republican"]
    d = calendar_time_portfolio(trades[trades["party"] == "Democrat"], px, "buy", 5)
    np.testing.assert_allclose(g.returns["Democrat"], d.returns, equal_nan=True)
    c = group_portfolios(trades, px, by={"AB": ["A", "B"]}, side="buy", holding_days=5)
    ab = calendar_time_portfolio(trades[trades["politician"].isin(["A", "B"])], px, "buy", 5)
    np.testing.assert_allclose(c.returns["AB"], ab.returns, equal_nan=True)
    assert c.coverage.loc[0, "trades"] == len(ab.positions)


def test_long_price_table_accepted(market):
    trades, px, _ = market
    long = px.stack().rename("adj_close").reset_index()
    long.columns = ["date", "ticker", "adj_close"]
    a = calendar_time_portfolio(trades, px, "buy", 5).returns
    b = calendar_time_portfolio(trades, long, "buy", 5).returns
    np.testing.assert_allclose(a, b, equal_nan=True)
