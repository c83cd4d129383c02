"""The option trades' move after disclosure enters at the project's entry session (issue 15, 2),
and the option-trade analysis passes the truncation harness."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lookahead import assert_no_lookahead

from workbench.data import calendar
from workbench.options import analyze_option_trades

DISCLOSED = pd.Timestamp("2019-03-06")


def test_move_after_disclosure_enters_next_session():
    days = calendar.trading_days("2019-01-02", "2019-06-28")
    px = np.where(days <= DISCLOSED, 100.0, 110.0)  # +10% on the session after disclosure
    prices = pd.DataFrame({"date": days, "ticker": "X", "open": px, "high": px, "low": px,
                           "close": px, "adj_close": px, "volume": 1e6})
    trades = pd.DataFrame([dict(
        trade_id="o1", politician="P", party="Democrat", owner="self", ticker="X",
        asset_type="option", side="buy", is_partial=False, amount_low=1001.0,
        amount_high=15000.0, amount_mid=8000.5,
        asset_description="X Corp Option Type: Call Strike price: $105.00 Expires: 06/21/2019",
        transaction_date=pd.Timestamp("2019-02-20"), disclosure_date=DISCLOSED)])
    df = analyze_option_trades(trades, prices).to_frame().set_index("trade_id")
    # before the fix: 0.10, measured from the disclosure-day close
    assert df.loc["o1", "move_7d_after_disclosure"] == pytest.approx(0.0, abs=1e-15)
    # the setup columns still describe the trade date (unchanged convention)
    assert df.loc["o1", "move_7d"] == pytest.approx(0.0, abs=1e-15)
    assert df.loc["o1", "spot"] == pytest.approx(100.0)
    # a disclosure one session earlier: the copier enters on DISCLOSED at 100 and catches it
    early = trades.assign(disclosure_date=pd.Timestamp("2019-03-05"))
    e = analyze_option_trades(early, prices).to_frame().set_index("trade_id")
    assert e.loc["o1", "move_7d_after_disclosure"] == pytest.approx(0.10, rel=1e-12)


def _option_trades(u):
    df = analyze_option_trades(u.trades, u.prices, u.options).to_frame().set_index("trade_id")
    cols = ["spot", "moneyness", "has_chain", "total_gex", "net_gamma_ratio", "c_gamma",
            "c_put", "c_wall", "squeeze_score", "move_7d", "max_move_7d",
            "move_7d_after_disclosure"]
    return df[cols + ["trade_date", "disclosure_date"]]


def _known_at(f):
    """A row is complete at the latest of its disclosure, the trade's 7-session move and the
    copier's 7-session move (their exit closes)."""
    trade_exit = calendar.add_sessions(calendar.roll_backward(f["trade_date"]), 7)
    copier_exit = calendar.add_sessions(calendar.next_session(f["disclosure_date"]), 7)
    return pd.concat([f["disclosure_date"], trade_exit, copier_exit], axis=1).max(axis=1)


def test_option_trades_pass_truncation(universe):
    assert_no_lookahead(_option_trades, universe, ["2015-06-30", "2018-06-29"],
                        date_of=_known_at, min_rows=20)
