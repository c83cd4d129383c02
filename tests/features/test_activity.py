"""ticker_activity_features: against a per-row filter, and with the future cut off."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lookahead import assert_no_lookahead
from naive_features import activity_row

from workbench.features import ticker_activity_features


@pytest.fixture(scope="module")
def sample(universe, seed):
    rng = np.random.default_rng(seed)
    tickers = universe.trades["ticker"].dropna().value_counts().index[:4].tolist()
    sessions = universe.sessions()
    dates = pd.DatetimeIndex(np.sort(rng.choice(sessions[30:], 6, replace=False)))
    # a weekend date and a date before any disclosure
    dates = dates.append(pd.DatetimeIndex(["2015-06-13", "2012-01-04"])).sort_values()
    return tickers, dates


def test_matches_per_row_reference(universe, sample):
    tickers, dates = sample
    got = ticker_activity_features(universe, dates=dates, tickers=tickers, windows=(5, 21))
    assert list(got.index.names) == ["date", "ticker"]
    assert len(got) == len(dates) * len(tickers)
    for (d, tk), row in got.iterrows():
        for w in (5, 21):
            ref = activity_row(universe.trades, d, tk, w)
            for k, v in ref.items():
                assert row[k] == pytest.approx(v, rel=1e-12, abs=1e-9, nan_ok=True), (d, tk, k)
    assert got["n_trades_known"].max() > 0 and got["n_buys_21"].max() > 0


def test_disclosed_on_date_counts_from_next_session(universe):
    t = universe.trades
    row = t[(t["asset_type"] == "stock") & t["side"].isin(["buy", "sell"])].iloc[500]
    d = pd.Timestamp(row["disclosure_date"])
    sessions = universe.sessions()
    before = sessions[sessions <= d][-1]
    after = sessions[sessions > d][0]
    f = ticker_activity_features(universe, dates=[before, after], tickers=[row["ticker"]],
                                 windows=(5,))
    col = "n_buys_5" if row["side"] == "buy" else "n_sells_5"
    assert f[col].iloc[1] - f[col].iloc[0] >= 1
    assert f["sessions_since_last"].iloc[1] == 0


def test_no_lookahead(universe, sample):
    tickers, _ = sample
    dates = universe.sessions()[::7]
    assert_no_lookahead(
        lambda u: ticker_activity_features(u, dates=dates, tickers=tickers),
        universe, ["2014-03-14", "2018-11-05"])
