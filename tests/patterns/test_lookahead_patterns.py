"""Analog outcomes and paths stop at ``as_of`` (issue 15, 1), checked by hand and by truncation."""

from __future__ import annotations

import numpy as np
import pandas as pd
from lookahead import assert_no_lookahead

from workbench.patterns import find_similar_patterns


def planted_jump_prices(seed):
    """Two tickers; B repeats A's last 30-session shape ending 2016-01-27, then jumps +50%."""
    rng = np.random.default_rng(seed)
    idx = pd.bdate_range("2015-01-01", "2016-06-30")
    px = pd.DataFrame(50 * np.exp(np.cumsum(rng.normal(0, 0.01, (len(idx), 2)), axis=0)),
                      index=idx, columns=["A", "B"])
    shape = np.exp(0.3 * np.sin(np.linspace(0, 2.5 * np.pi, 30)))
    a_end, b_end = idx.get_loc(pd.Timestamp("2016-02-04")), idx.get_loc(pd.Timestamp("2016-01-27"))
    px.iloc[a_end - 29:a_end + 1, 0] = 40 * shape
    px.iloc[b_end - 29:b_end + 1, 1] = 20 * shape
    px.iloc[b_end + 1:, 1] = 20 * shape[-1] * 1.5  # +50% the next session, then flat
    return px


def test_outcome_after_as_of_is_masked(seed):
    px = planted_jump_prices(seed)
    as_of = pd.Timestamp("2016-02-04")
    query = px["A"].loc[:as_of].iloc[-30:]
    res = find_similar_patterns(query, px, top_k=1, horizons=(30,), query_ticker="A",
                                require_outcome=False, as_of=as_of)
    m = res.matches.iloc[0]
    assert (m["ticker"], m["end"]) == ("B", pd.Timestamp("2016-01-27"))
    # before the fix: ret_30 = 0.50 read from the 2016-03-09 close, forecast mean 0.50
    assert np.isnan(m["ret_30"])
    f = res.forecast.set_index("horizon").loc[30]
    assert f["n"] == 0 and np.isnan(f["mean"])
    # the path stops at as_of (6 sessions after the match end), and is known up to there
    path = res.paths[1]
    assert path.loc[:6].notna().all() and path.loc[7:].isna().all()
    assert abs(path.loc[6] - 0.5) < 1e-12
    assert res.as_of == as_of
    # same search on the history cut at as_of: identical
    cut = find_similar_patterns(query, px.loc[:as_of], top_k=1, horizons=(30,),
                                query_ticker="A", require_outcome=False, as_of=as_of)
    pd.testing.assert_frame_equal(res.matches, cut.matches)
    pd.testing.assert_frame_equal(res.forecast, cut.forecast)
    # with the full history as the decision date the outcome is there
    late = find_similar_patterns(query, px, top_k=1, horizons=(30,), query_ticker="A",
                                 require_outcome=False, as_of=px.index[-1])
    assert abs(late.matches.iloc[0]["ret_30"] - 0.5) < 1e-12


DECISIONS = ("2015-09-30", "2016-12-30", "2018-03-29", "2019-06-28")


def _analogs_by_date(u, dates=DECISIONS):
    prices = u.prices_wide("adj_close")
    symbol = prices.loc[:"2014-06-30"].notna().sum().idxmax()  # same with or without the future
    frames = []
    for d in dates:
        as_of = pd.Timestamp(d)
        if prices.index.max() < as_of:
            continue
        query = prices[symbol].loc[:as_of].dropna().iloc[-30:]
        res = find_similar_patterns(query, prices, top_k=10, horizons=(30, 90),
                                    query_ticker=symbol, require_outcome=False, as_of=as_of)
        m = res.matches.assign(as_of=as_of, kind="match", key=res.matches["rank"].astype(str))
        f = res.forecast.assign(as_of=as_of, kind="forecast", key=res.forecast["horizon"]
                                .astype(str))
        frames += [m, f]
    out = pd.concat(frames, ignore_index=True)
    return out.set_index(["as_of", "kind", "key"], drop=False).drop(columns=["kind", "key"])


def test_analog_search_passes_truncation(universe):
    # cut exactly at each decision date: an outcome read after it differs
    assert_no_lookahead(_analogs_by_date, universe, DECISIONS, date_of=lambda f: f["as_of"])
