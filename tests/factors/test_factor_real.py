"""Real Senate data: coverage of calendar-time portfolios is reported, never filled in."""

from __future__ import annotations

import pytest

from workbench.factors import calendar_time_portfolio


@pytest.mark.shared
def test_senate_buy_portfolio_coverage(shared_path):
    from workbench.data import read_prices, read_senate_daily_summaries

    trades = read_senate_daily_summaries(shared_path("senate/all_daily_summaries.json")).accepted
    tickers = sorted(set(trades["ticker"].dropna()))
    px = read_prices(shared_path("prices/sp500_daily_2010_2021.parquet"), tickers=tickers,
                     start="2011-12-01", end="2021-04-21").accepted
    res = calendar_time_portfolio(trades, px, "buy", holding_days=21)
    stock_buys = ((trades["side"] == "buy") & (trades["asset_type"] == "stock")).sum()
    assert len(res.positions) == stock_buys == res.coverage["trades"].sum()
    # README: about 56 % of Senate stock trades have a price series here.
    assert 0.45 < res.coverage_ratio < 0.70
    cov = res.positions[res.positions["covered"]].merge(
        trades[["trade_id", "disclosure_date"]], on="trade_id")
    assert (cov["entry_date"] > cov["disclosure_date"]).all()
    r = res.returns.dropna()
    assert 1500 < len(r) < 2400
    assert abs(r.mean()) < 0.005 and 0.003 < r.std() < 0.05
