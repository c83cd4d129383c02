"""Calendar-time portfolios acting on disclosures pass the truncation harness; the
politicians' own timing (transaction entry) is caught by it."""

from __future__ import annotations

import pytest
from lookahead import assert_no_lookahead

from workbench.factors import calendar_time_portfolio, group_portfolios

CUTS = ["2015-06-30", "2018-06-29"]


def _party_returns(entry):
    def fn(u):
        g = group_portfolios(u.trades, u.prices, by="party", side="long_short",
                             holding_days=21, entry=entry)
        return g.returns.join(g.n_positions.add_suffix("_n"))
    return fn


def test_disclosure_portfolios_pass_truncation(universe):
    assert_no_lookahead(_party_returns("disclosure"), universe, CUTS, min_rows=500)


def test_transaction_entry_is_caught(universe):
    with pytest.raises(AssertionError, match="look-ahead"):
        assert_no_lookahead(_party_returns("transaction"), universe, CUTS[:1])


def test_amount_weighted_buys_pass_truncation(universe):
    def fn(u):
        p = calendar_time_portfolio(u.trades, u.prices, "buy", 63, weight="amount_mid")
        return p.returns.to_frame().join(p.n_positions)
    assert_no_lookahead(fn, universe, CUTS[1:], min_rows=500)
