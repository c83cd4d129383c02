"""Backtester: vectorized engine equals the event loop; no position before disclosure."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from market_fixtures import make_market
from naive_backtest import naive_backtest

from workbench.backtest import Backtester, run_backtest, simulate


@pytest.fixture(scope="module")
def market():
    from workbench.config import default_seed

    return make_market(default_seed(), n_trades=80, awkward_trades=False)


CASES = [
    dict(strategy="all_buys", holding_days=7),
    dict(strategy="all_buys", holding_days=12, weight="amount_mid", entry="transaction"),
    dict(strategy="long_short", holding_days=9),
    dict(strategy="top_n", top_n=3, lookback_days=15),
    dict(strategy="trader_score", holding_days=5, min_trades=2),
]


@pytest.mark.parametrize("params", CASES, ids=lambda p: p["strategy"] + str(len(p)))
def test_engine_matches_event_loop(market, params):
    trades, px, f = market
    res = run_backtest(trades, px, f, cost_bps=10, slippage_bps=5, **params)
    mkt = (f["Mkt-RF"] + f["RF"]).to_numpy()
    ref = naive_backtest(trades, px, cost_bps=10, slippage_bps=5, market=mkt, **params)
    assert res.n_holdings.sum() > 0
    np.testing.assert_allclose(res.gross_returns, ref["gross"], atol=1e-12)
    np.testing.assert_allclose(res.turnover, ref["turnover"], atol=1e-10)
    np.testing.assert_allclose(res.equity, ref["equity"], rtol=1e-10)


def test_simulate_by_hand():
    W = np.array([[1.0, 0.0], [0.5, 0.5], [0.5, 0.5]])
    R = np.array([[0.0, 0.0], [0.10, -0.05], [0.02, 0.04]])
    s = simulate(W, R, cost_bps=10)
    assert s["gross"][1] == pytest.approx(0.10)
    # drifted after day 1: [1.1/1.1, 0] -> trade to [0.5, 0.5]: turnover 1.0
    assert s["turnover"][0] == pytest.approx(1.0)
    assert s["turnover"][1] == pytest.approx(1.0)
    assert s["gross"][2] == pytest.approx(0.03)
    d = np.array([0.5 * 1.02, 0.5 * 1.04]) / 1.03
    assert s["turnover"][2] == pytest.approx(np.abs(d - 0.5).sum())
    assert s["equity"][-1] == pytest.approx((1 - 0.001) * (1.1 - 0.001) * (1.03 - s["cost"][2]))


@pytest.mark.parametrize("strategy", ["all_buys", "top_n", "long_short", "trader_score"])
def test_no_position_before_disclosure(market, strategy):
    trades, px, f = market
    res = run_backtest(trades, px, f, strategy=strategy, holding_days=6, min_trades=1)
    w = res.weights
    stocks = trades[(trades["asset_type"] == "stock") & trades["disclosure_date"].notna()]
    for tk in w.columns:
        held = w.index[w[tk] != 0]
        if len(held) == 0:
            continue
        first_disc = stocks.loc[stocks["ticker"] == tk, "disclosure_date"].min()
        assert held[0] > first_disc, (strategy, tk)
    # and each held (session, ticker) is covered by a trade disclosed strictly before it
    for tk in w.columns:
        disc = np.sort(stocks.loc[stocks["ticker"] == tk, "disclosure_date"].to_numpy())
        for d in w.index[w[tk] != 0]:
            assert (disc < d.to_datetime64()).any()


def test_later_disclosure_changes_results(market):
    trades, px, f = market
    base = run_backtest(trades, px, f, strategy="all_buys", holding_days=8)
    late = trades.copy()
    late["disclosure_date"] = late["disclosure_date"] + pd.Timedelta(days=10)
    shifted = run_backtest(late, px, f, strategy="all_buys", holding_days=8)
    assert not np.allclose(base.equity, shifted.equity)


def test_future_prices_do_not_change_past(market):
    trades, px, f = market
    cut = 100
    a = run_backtest(trades, px, f, strategy="trader_score", holding_days=5, min_trades=1)
    px2 = px.copy()
    px2.iloc[cut:] = px2.iloc[cut:] * np.linspace(1, 3, len(px2) - cut)[:, None]
    b = run_backtest(trades, px2, f, strategy="trader_score", holding_days=5, min_trades=1)
    np.testing.assert_allclose(a.weights.iloc[:cut], b.weights.iloc[:cut])
    np.testing.assert_allclose(a.equity.iloc[:cut], b.equity.iloc[:cut])


def test_costs_reduce_returns_and_benchmark_ticker(market):
    trades, px, f = market
    free = run_backtest(trades, px, f, cost_bps=0, slippage_bps=0)
    paid = run_backtest(trades, px, f, cost_bps=20, slippage_bps=5, benchmark="T0")
    diff = free.returns - paid.returns
    np.testing.assert_allclose(diff, paid.turnover * 25e-4, atol=1e-15)
    assert paid.equity.iloc[-1] < free.equity.iloc[-1]
    np.testing.assert_allclose(paid.benchmark, px["T0"].pct_change(fill_method=None))
    s = paid.summary()
    assert s["total_cost"] == pytest.approx(paid.costs.sum())
    bt = Backtester(strategy="all_buys", party="Democrat").fit(trades, px, f)
    dem = run_backtest(trades[trades["party"] == "Democrat"], px, f)
    np.testing.assert_allclose(bt.result_.equity, dem.equity)
