"""TradeExplorer: callbacks redraw the figure for the selection; static fallback for HTML."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from workbench.exceptions import DataError
from workbench.widgets import ALL, TradeExplorer, explorer_figure, filter_trades, marker_sizes


def naive_filter(trades, politician=None, ticker=None, start=None, end=None,
                 date="disclosure"):
    """Row-by-row reference of filter_trades: trade ids in date order."""
    col = {"disclosure": "disclosure_date", "transaction": "transaction_date"}[date]
    rows = []
    for _, r in trades.iterrows():
        d = r[col]
        if pd.isna(d):
            continue
        if politician not in (None, ALL) and (pd.isna(r["politician"])
                                               or r["politician"] != politician):
            continue
        if ticker not in (None, ALL) and (pd.isna(r["ticker"]) or r["ticker"] != ticker):
            continue
        if start is not None and d < pd.Timestamp(start):
            continue
        if end is not None and d > pd.Timestamp(end):
            continue
        rows.append((d, r["trade_id"]))
    return [t for _, t in sorted(rows)]


@pytest.fixture(scope="module")
def small(universe):
    """300 trades of the session universe, with a few missing dates and amounts."""
    t = universe.trades.iloc[:300].copy()
    t.loc[t.index[:5], "disclosure_date"] = pd.NaT
    t.loc[t.index[5:10], ["amount_low", "amount_high", "amount_mid"]] = np.nan
    return t.reset_index(drop=True)


def test_filter_trades_matches_naive(small, seed):
    rng = np.random.default_rng(seed)
    pols = small["politician"].dropna().unique()
    ticks = small["ticker"].dropna().unique()
    dates = pd.to_datetime(small["disclosure_date"].dropna())
    for _ in range(12):
        kw = {"politician": rng.choice([None, ALL, *pols[:5]]),
              "ticker": rng.choice([None, ALL, *ticks[:5]]),
              "start": rng.choice([None, dates.min() + pd.Timedelta(days=10)]),
              "end": rng.choice([None, dates.max() - pd.Timedelta(days=10)]),
              "date": rng.choice(["disclosure", "transaction"])}
        got = filter_trades(small, **kw)["trade_id"].tolist()
        assert got == naive_filter(small, **kw), kw
    with pytest.raises(DataError):
        filter_trades(small, date="filing")


def test_marker_sizes():
    s = marker_sizes(pd.Series([np.nan, 500.0, 1000.0, 10_000.0, 1e9]))
    np.testing.assert_allclose(s, [6.0, 6.0, 6.0, 9.0, 24.0], atol=1e-12)


def test_callbacks_update_the_figure(small, universe):
    ex = TradeExplorer(small, universe.prices)
    buys = ex.figure.data[0]
    assert len(buys.x) == int((filter_trades(small)["side"] == "buy").sum())
    pol = small["politician"].value_counts().index[0]
    ex.politician_select.value = pol  # what a user's click does: fires update()
    want = filter_trades(small, politician=pol)
    assert len(ex.figure.data[0].x) == int((want["side"] == "buy").sum())
    assert len(ex.figure.data[1].x) == int((want["side"] == "sell").sum())
    assert ex.figure.layout.title.text.startswith(pol)
    np.testing.assert_allclose(np.asarray(ex.figure.data[0].y, dtype=float),
                               want.loc[want["side"] == "buy", "amount_mid"].to_numpy(float),
                               rtol=0, atol=1e-9, equal_nan=True)
    priced = sorted(set(small["ticker"].dropna()) & set(universe.prices["ticker"]))
    tick = priced[0]
    ex.ticker_select.value = tick
    ex.start_select.value = dt.date(2015, 1, 1)
    ex.end_select.value = dt.date(2016, 12, 31)
    px = universe.prices[(universe.prices["ticker"] == tick)
                         & universe.prices["date"].between("2015-01-01", "2016-12-31")]
    assert len(ex.figure.data[3].x) == len(px) > 0
    n = len(filter_trades(small, politician=pol, ticker=tick, start="2015-01-01",
                          end="2016-12-31"))
    assert sum(len(ex.figure.data[i].x) for i in range(3)) == n == len(ex.selection())
    ex.politician_select.value = ALL
    assert len(ex.selection()) == len(filter_trades(small, ticker=tick, start="2015-01-01",
                                                    end="2016-12-31"))


def test_static_fallback_matches_live(small, universe):
    pol = small["politician"].iloc[0]
    ex = TradeExplorer(small, universe.prices).select(politician=pol)
    static = explorer_figure(small, universe.prices, politician=pol)
    for live, still in zip(ex.figure.data, static.data, strict=True):
        assert len(live.x) == len(still.x)
    bundle = ex._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle  # live view in JupyterLab
    assert "wb-explorer-static" in bundle["text/html"]  # static figure in HTML reports
    assert "Plotly.newPlot" in bundle["text/html"] and "<script src" not in bundle["text/html"]


def test_explorer_rejects_unknown_selection(small):
    with pytest.raises(DataError, match="politician"):
        TradeExplorer(small, politician="Nobody At All")
    with pytest.raises(DataError, match="date"):
        TradeExplorer(small, date="filing")
