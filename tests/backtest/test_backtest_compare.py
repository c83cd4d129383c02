"""Strategy comparison, cost sensitivity and the figure builders (small market)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest
from market_fixtures import make_market

from workbench import metrics
from workbench.backtest import compare_strategies, cost_sensitivity, run_backtest
from workbench.plotting import backtest as pb


@pytest.fixture(scope="module")
def market():
    from workbench.config import default_seed

    return make_market(default_seed() + 5, n_days=200, n_trades=120, awkward_trades=False)


def test_compare_strategies_and_dsr(market):
    trades, px, f = market
    cmp = compare_strategies(trades, px, f, holding_days=5, top_n=3, min_trades=2)
    m = cmp.metrics
    assert list(m.index) == list(dict(cmp.results))
    assert ((m["dsr"] >= 0) & (m["dsr"] <= 1)).all()
    # DSR with several trials never exceeds the PSR against 0 of the same returns
    assert (m["dsr"] <= m["psr"] + 1e-12).all()
    one = dict(cmp.results)["all buys"]
    direct = run_backtest(trades, px, f, strategy="all_buys", holding_days=5)
    np.testing.assert_allclose(one.equity, direct.equity)
    assert cmp.equity().shape[1] == len(m)


def test_cost_sensitivity_monotone(market):
    trades, px, f = market
    t = cost_sensitivity(trades, px, f, costs_bps=(0, 10, 50), holding_days=5)
    assert t["cagr"].is_monotonic_decreasing
    base = run_backtest(trades, px, f, holding_days=5, cost_bps=0, slippage_bps=0)
    assert t["total_cost"].iloc[2] == pytest.approx(base.turnover.sum() * 50e-4, rel=1e-9)
    assert t["cagr"].iloc[0] == pytest.approx(
        metrics.cagr(base.returns.loc[(base.n_holdings > 0).idxmax():]), rel=1e-9)


def test_figures(market):
    trades, px, f = market
    cmp = compare_strategies(trades, px, f, {"a": {"strategy": "all_buys"},
                                             "b": {"strategy": "long_short"}}, holding_days=5)
    fig = pb.plot_equity(cmp)
    assert isinstance(fig, go.Figure) and len(fig.data) == 3
    np.testing.assert_allclose(fig.data[0].y, dict(cmp.results)["a"].equity.to_numpy())
    dd = pb.plot_drawdowns(cmp)
    assert float(np.min(dd.data[0].y)) == pytest.approx(
        metrics.max_drawdown(dict(cmp.results)["a"].returns))
    t = cost_sensitivity(trades, px, f, costs_bps=(0, 20), holding_days=5)
    assert len(pb.plot_cost_sensitivity(t).data[0].x) == 2
