"""TradeExplorer: callbacks redraw the figure for the selection; static fallback for HTML."""

from __future__ import annotations

import datetime as dt
import json
import re

import numpy as np
import pandas as pd
import pytest

from workbench.exceptions import DataError
from workbench.widgets import (
    ALL,
    TradeExplorer,
    explorer_figure,
    filter_trades,
    iso_dates,
    marker_sizes,
)


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


class RecordingComm:
    """What the kernel would send for a widget: every comm message's data, packed to JSON by
    the kernel session's own packer (``jupyter_client.session.json_packer``) and read back."""

    def __init__(self, log):
        self.log = log

    def __call__(self, *args, **kwargs):
        import comm as comm_pkg

        log = self.log

        class Recorder(comm_pkg.base_comm.BaseComm):
            def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
                from jupyter_client.session import json_packer

                log.append((self.comm_id, msg_type, json.loads(json_packer(data or {}))))

        return Recorder(*args, **kwargs)


def sent_x_values(log, comm_id) -> list[list]:
    """Every trace ``x`` array the figure's comm sent: initial state and later updates (a
    restyle/update message carries one array per trace under ``x``)."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "x" and isinstance(v, list):
                    per_trace = bool(v) and all(isinstance(e, list) for e in v)
                    found.extend(v) if per_trace else found.append(v)
                else:
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    for cid, _, data in log:
        if cid == comm_id:
            walk(data)
    return found


def synced_state(log, comm_id) -> dict:
    """The widget state the front end holds: the ``comm_open`` state, then every update."""
    state = {}
    for cid, kind, data in log:
        if cid == comm_id and kind in ("comm_open", "comm_msg") and "state" in data:
            state.update(data["state"])
    return state


ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def test_widget_sends_dates_as_iso_strings(small, universe, monkeypatch):
    """The FigureWidget's messages carry ISO date strings, not nanoseconds (issue 17): plotly's
    serializer sent ``datetime64[ns]`` arrays as ``ndarray.tolist()`` integers."""
    import comm as comm_pkg

    log = []
    monkeypatch.setattr(comm_pkg, "create_comm", RecordingComm(log))
    ex = TradeExplorer(small, universe.prices)
    ex.widget._repr_mimebundle_()  # displaying opens the comms, with the full state
    fig_id = ex.figure.comm.comm_id
    opened = [entry for entry in log if entry[0] == fig_id]
    assert opened[0][1] == "comm_open"
    want = filter_trades(small)
    first = sent_x_values(opened[:1], fig_id)
    assert sorted(v for xs in first for v in xs) == sorted(
        want["_date"].dt.strftime("%Y-%m-%d"))
    # the figure travels with comm_open: a view drawn before any later update is not empty
    assert len(opened[0][2]["state"]["_widget_data"]) == 4
    layout = synced_state(log, fig_id)["_widget_layout"]
    assert opened[0][2]["state"]["_widget_layout"] == layout
    assert layout["xaxis"]["type"] == "date"
    assert layout["yaxis2"]["visible"] is False  # ticker "(all)": no price line, no axis
    n_open = len(log)

    priced = sorted(set(small["ticker"].dropna()) & set(universe.prices["ticker"]))
    ex.ticker_select.value = priced[0]  # a user's choice: update() restyles the live figure
    updates = log[n_open:]
    assert any(cid == fig_id and kind == "comm_msg" for cid, kind, _ in updates)
    later = sent_x_values(updates, fig_id)
    px = universe.prices.loc[universe.prices["ticker"] == priced[0], "date"]
    assert sorted(px.dt.strftime("%Y-%m-%d")) in [sorted(xs) for xs in later]
    assert ex.figure.layout.yaxis2.visible is True
    for xs in first + later:
        bad = [v for v in xs if not (isinstance(v, str) and ISO_DAY.match(v))]
        assert not bad, bad[:3]


def test_iso_dates():
    got = iso_dates(pd.Series(pd.to_datetime(["2020-01-02", None, "1999-12-31"])))
    assert list(got) == ["2020-01-02", None, "1999-12-31"]
    assert list(iso_dates(pd.to_datetime(["2020-01-02 09:30"]).to_numpy())) == [
        "2020-01-02 09:30:00"]
    assert len(iso_dates(pd.Series([], dtype="datetime64[ns]"))) == 0


def test_right_axis_hidden_without_price_line(small, universe):
    fig = explorer_figure(small, universe.prices)
    assert fig.layout.yaxis2.visible is False and len(fig.data[3].x) == 0
    priced = sorted(set(small["ticker"].dropna()) & set(universe.prices["ticker"]))
    fig = explorer_figure(small, universe.prices, ticker=priced[0])
    assert fig.layout.yaxis2.visible is True and len(fig.data[3].x) > 0
    assert fig.layout.xaxis.type == "date"
