"""What a copier earns enters at the project's entry session (issue 15, 2): by hand, against a
per-trade loop, and under the truncation harness."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lookahead import assert_no_lookahead

import workbench.network as network
from workbench.data import calendar

DISCLOSED = pd.Timestamp("2019-03-06")  # a Wednesday session


def jump_after_disclosure():
    """Ticker X flat at 100, +10% on the session after ``DISCLOSED``, flat after."""
    days = calendar.trading_days("2019-01-02", "2019-06-28")
    px = np.where(days <= DISCLOSED, 100.0, 110.0)
    prices = pd.DataFrame({"date": days, "ticker": "X", "close": px, "adj_close": px})
    trades = pd.DataFrame({
        "trade_id": ["b", "s"], "politician": ["P", "Q"], "ticker": ["X", "X"],
        "side": ["buy", "sell"], "asset_type": ["stock", "stock"],
        "transaction_date": pd.to_datetime(["2019-02-20", "2019-02-20"]),
        "disclosure_date": [DISCLOSED, DISCLOSED]})
    return trades, prices


def test_copier_enters_at_next_session_close():
    trades, prices = jump_after_disclosure()
    perf = network.mean_signed_return(trades, prices, horizon=21)
    # before the fix both read the disclosure-day close: +0.10 for the buy, -0.10 for the sell
    assert perf["P"] == pytest.approx(0.0, abs=1e-15)
    assert perf["Q"] == pytest.approx(0.0, abs=1e-15)
    per = network.signed_trade_returns(trades, prices, horizon=21).set_index("trade_id")
    assert per.loc["b", "entry_date"] == pd.Timestamp("2019-03-07")
    assert per.loc["b", "exit_date"] == calendar.add_sessions(pd.Timestamp("2019-03-07"), 21)
    # the politician's own timing (transaction date) did catch the jump
    own = network.mean_signed_return(trades, prices, horizon=21, entry="transaction")
    assert own["P"] == pytest.approx(0.10, rel=1e-12)
    assert own["Q"] == pytest.approx(-0.10, rel=1e-12)


def naive_signed_returns(trades, prices, horizon):
    """One trade at a time: next NYSE session after the disclosure, its close, h sessions on."""
    adj = prices.pivot_table(index="date", columns="ticker", values="adj_close")
    out = {}
    for i, t in trades.iterrows():
        if pd.isna(t["ticker"]) or t["side"] not in ("buy", "sell") or t["ticker"] not in adj:
            continue
        entry = calendar.next_session(pd.Timestamp(t["disclosure_date"]))
        if entry not in adj.index:
            continue
        k = adj.index.get_loc(entry)
        if k + horizon >= len(adj):
            continue
        p0, p1 = adj[t["ticker"]].iloc[k], adj[t["ticker"]].iloc[k + horizon]
        out[i] = (1.0 if t["side"] == "buy" else -1.0) * (p1 / p0 - 1.0)
    return pd.Series(out, dtype=float)


def test_signed_returns_match_loop(universe, seed):
    sample = universe.trades.sample(400, random_state=seed % 2**31)
    got = network.signed_trade_returns(sample, universe.prices, horizon=21)["ret"]
    ref = naive_signed_returns(sample, universe.prices, 21)
    assert len(ref) > 200
    np.testing.assert_allclose(got.reindex(ref.index).to_numpy(), ref.to_numpy(), rtol=1e-12)
    assert got.drop(ref.index).isna().all()


def _copier_returns(u):
    return network.signed_trade_returns(u.trades, u.prices, horizon=21).set_index("trade_id")


def test_copier_returns_pass_truncation(universe):
    # a trade's return is dated by its exit close, when it is known
    assert_no_lookahead(_copier_returns, universe, ["2015-06-30", "2018-06-29"],
                        date_of=lambda f: f["exit_date"], min_rows=1000)
