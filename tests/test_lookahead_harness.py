"""The truncation harness itself: it passes a causal computation and catches a leaking one."""

from __future__ import annotations

import pandas as pd
import pytest

from lookahead import assert_no_lookahead, truncate_universe


def _trailing_mean(u):
    r = u.returns()
    return r.iloc[:, :5].rolling(5).mean()


def _centered_mean(u):
    r = u.returns()
    return r.iloc[:, :5].rolling(5, center=True).mean()  # reads two sessions ahead


def test_truncate_keeps_only_what_was_disclosed(universe):
    cut = pd.Timestamp("2016-06-30")
    v = truncate_universe(universe, cut)
    assert (pd.to_datetime(v.trades["disclosure_date"]) <= cut).all()
    assert pd.to_datetime(v.prices["date"]).max() <= cut
    assert v.factors.index.max() <= cut
    # a trade made before the cut but disclosed after it is unknown at the cut
    late = universe.trades.loc[(pd.to_datetime(universe.trades["transaction_date"]) <= cut)
                               & (pd.to_datetime(universe.trades["disclosure_date"]) > cut)]
    assert len(late) > 0 and not late["trade_id"].isin(v.trades["trade_id"]).any()


def test_harness_passes_causal_and_catches_leak(universe):
    cuts = ["2014-03-31", "2017-09-29"]
    assert_no_lookahead(_trailing_mean, universe, cuts)
    with pytest.raises(AssertionError, match="look-ahead"):
        assert_no_lookahead(_centered_mean, universe, cuts)
