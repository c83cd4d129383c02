"""Copy-Congress backtests under the truncation harness: every session's return, cost and
holdings are the same when everything disclosed or priced after it is cut off."""

from __future__ import annotations

import pandas as pd
import pytest
from lookahead import assert_no_lookahead

from workbench.backtest import run_backtest

CUTS = ["2015-06-30", "2018-06-29"]


def _daily(strategy, entry="disclosure"):
    def fn(u):
        res = run_backtest(u.trades, u.prices, u.factors, strategy=strategy, holding_days=21,
                           entry=entry)
        return pd.DataFrame({"net": res.returns, "gross": res.gross_returns,
                             "cost": res.costs, "turnover": res.turnover,
                             "equity": res.equity, "n_holdings": res.n_holdings})
    return fn


@pytest.mark.parametrize("strategy", ["all_buys", "top_n", "long_short", "trader_score"])
def test_backtest_passes_truncation(universe, strategy):
    assert_no_lookahead(_daily(strategy), universe, CUTS, min_rows=500)


def test_transaction_entry_is_caught(universe):
    # the politicians' own timing acts on trades before anyone could see them: the harness
    # must flag it (trades made before the cut but disclosed after it change the past)
    with pytest.raises(AssertionError, match="look-ahead"):
        assert_no_lookahead(_daily("all_buys", "transaction"), universe, CUTS[:1])


def test_weights_pass_truncation(universe):
    def weights(u):
        w = run_backtest(u.trades, u.prices, u.factors, strategy="trader_score").weights
        return w.stack().rename("weight").to_frame().reset_index(level=1).set_index(
            "ticker", append=True)

    assert_no_lookahead(weights, universe, CUTS[:1],
                        date_of=lambda f: pd.Series(f.index.get_level_values(0), index=f.index))
