"""Interactive trade explorer for JupyterLab, with a static fallback for HTML reports.

:class:`TradeExplorer` shows a politician / ticker / date-range selection as a plotly
``FigureWidget``: buys and sells as markers (size ~ disclosed amount), and the selected ticker's
adjusted close on a second axis. Run live in JupyterLab, the dropdowns and date pickers update
the figure in place. Displayed in an executed notebook that is exported to HTML (no kernel), the
explorer falls back to a static plotly figure of its current selection.

The filtering and the figure are plain functions (:func:`filter_trades`,
:func:`explorer_figure`), so the callbacks are thin and unit-testable without a browser.

Dates: trades are placed at their **disclosure** date by default (what the public could see);
``date="transaction"`` places them when they happened. Trace dates are ISO strings
(``YYYY-MM-DD``): plotly's widget serializer turns a ``datetime64[ns]`` array into integers
(nanoseconds since 1970, ``ndarray.tolist()``), which the live figure would draw as numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from workbench.exceptions import DataError
from workbench.overview.summary import DATE_COLUMNS
from workbench.plotting.theme import SIDE_COLORS, figure_html

__all__ = ["ALL", "TradeExplorer", "filter_trades", "explorer_figure", "marker_sizes",
           "iso_dates"]

ALL = "(all)"


def _bound(value) -> pd.Timestamp | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return pd.Timestamp(value)


def filter_trades(trades: pd.DataFrame, *, politician: str | None = None,
                  ticker: str | None = None, start=None, end=None,
                  date: str = "disclosure") -> pd.DataFrame:
    """Trades of ``politician`` in ``ticker`` with ``date`` in ``[start, end]``, sorted by date.

    ``None``, ``""`` or :data:`ALL` leave a criterion open. Trades without the chosen date are
    dropped (they cannot be placed on the time axis).
    """
    if date not in DATE_COLUMNS:
        raise DataError(f"date must be one of {sorted(DATE_COLUMNS)}, got {date!r}")
    col = DATE_COLUMNS[date]
    d = pd.to_datetime(trades[col])
    keep = d.notna()
    if politician not in (None, "", ALL):
        keep &= (trades["politician"] == politician).fillna(False).astype(bool)
    if ticker not in (None, "", ALL):
        keep &= (trades["ticker"] == ticker).fillna(False).astype(bool)
    lo, hi = _bound(start), _bound(end)
    if lo is not None:
        keep &= d >= lo
    if hi is not None:
        keep &= d <= hi
    out = trades.loc[keep.to_numpy()].copy()
    out["_date"] = d[keep.to_numpy()]
    return out.sort_values(["_date", "trade_id"], kind="stable").reset_index(drop=True)


def marker_sizes(amount_mid: pd.Series) -> np.ndarray:
    """Marker diameter in px: 6 px at $1k rising 3 px per decade, unknown amounts 6 px, cap 24."""
    a = pd.to_numeric(amount_mid, errors="coerce").astype("float64").to_numpy()
    size = 6.0 + 3.0 * np.log10(np.clip(np.nan_to_num(a, nan=1000.0), 1000.0, None) / 1000.0)
    return np.clip(size, 6.0, 24.0)


def _price_line(prices: pd.DataFrame | None, ticker: str | None, start, end) -> pd.DataFrame:
    if prices is None or ticker in (None, "", ALL):
        return pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"),
                             "adj_close": pd.Series(dtype="float64")})
    p = prices.loc[(prices["ticker"] == ticker).fillna(False).to_numpy(), ["date", "adj_close"]]
    lo, hi = _bound(start), _bound(end)
    if lo is not None:
        p = p[p["date"] >= lo]
    if hi is not None:
        p = p[p["date"] <= hi]
    return p.sort_values("date")


def iso_dates(values) -> np.ndarray:
    """Dates as ISO strings: ``YYYY-MM-DD`` when every value is a midnight, else
    ``YYYY-MM-DD HH:MM:SS``; NaT becomes ``None``.

    What the explorer's traces carry as ``x``: plotly.js reads these strings as dates both in a
    static figure and through the ``FigureWidget`` comm, whose serializer sends a
    ``datetime64`` array as integers (``ndarray.tolist()`` gives nanoseconds since 1970) and a
    ``datetime`` with a ``Z`` suffix added by the kernel's JSON packer.
    """
    d = pd.DatetimeIndex(pd.to_datetime(values))
    if d.tz is not None:
        d = d.tz_convert(None)
    fmt = "%Y-%m-%d" if (d.dropna() == d.dropna().normalize()).all() else "%Y-%m-%d %H:%M:%S"
    out = np.asarray(d.strftime(fmt), dtype=object)
    out[np.asarray(d.isna())] = None
    return out


def _trace_values(sel: pd.DataFrame, side: str) -> dict:
    s = sel[sel["side"] == side]
    hover = [f"{p} | {t} | {desc} | ${lo:,.0f}-{hi:,.0f}" if pd.notna(lo) and pd.notna(hi)
             else f"{p} | {t} | {desc} | amount unknown"
             for p, t, desc, lo, hi in zip(s["politician"].astype(object),
                                           s["ticker"].astype(object).fillna("?"),
                                           s["asset_description"].astype(object).fillna(""),
                                           s["amount_low"], s["amount_high"], strict=True)]
    return {"x": iso_dates(s["_date"]),
            "y": pd.to_numeric(s["amount_mid"], errors="coerce").to_numpy(dtype="float64"),
            "hovertext": hover, "marker.size": marker_sizes(s["amount_mid"])}


def _title(politician, ticker, n: int, date: str) -> str:
    who = politician if politician not in (None, "", ALL) else "all politicians"
    what = ticker if ticker not in (None, "", ALL) else "all tickers"
    return f"{who}, {what}: {n} trades (by {date} date)"


def explorer_figure(trades: pd.DataFrame, prices: pd.DataFrame | None = None, *,
                    politician: str | None = None, ticker: str | None = None, start=None,
                    end=None, date: str = "disclosure") -> go.Figure:
    """Static figure of one selection: buy/sell markers (y = amount mid-point, dollars, log
    axis) and the ticker's adjusted close on the right axis."""
    sel = filter_trades(trades, politician=politician, ticker=ticker, start=start, end=end,
                        date=date)
    fig = go.Figure()
    for side in ("buy", "sell", "exchange"):
        v = _trace_values(sel, side)
        fig.add_trace(go.Scatter(x=v["x"], y=v["y"], mode="markers", name=side,
                                 hovertext=v["hovertext"], hoverinfo="text+x",
                                 marker={"size": v["marker.size"], "color": SIDE_COLORS[side],
                                         "opacity": 0.7, "line": {"width": 0}}))
    px = _price_line(prices, ticker, start, end)
    fig.add_trace(go.Scatter(x=iso_dates(px["date"]),
                             y=px["adj_close"].to_numpy(dtype="float64"), mode="lines",
                             name="adj. close", yaxis="y2", showlegend=len(px) > 0,
                             line={"color": "#555", "width": 1}))
    # An empty price trace still gets an autoranged axis (-1 to 4): hide it with the line.
    # The right axis ticks on its own ("sync", the default of an overlaying axis, puts them at
    # the log axis' minor lines: crowded, unround labels); the legend goes below the plot, as
    # the theme's place right of the plot is where the right axis draws its labels.
    fig.update_layout(title=_title(politician, ticker, len(sel), date),
                      xaxis={"title": f"{date} date", "type": "date"},
                      yaxis={"title": "amount mid-point ($)", "type": "log", "dtick": "D2"},
                      yaxis2={"title": "adjusted close", "overlaying": "y", "side": "right",
                              "showgrid": False, "tickmode": "auto", "visible": len(px) > 0},
                      legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -0.2,
                              "yanchor": "top"})
    return fig


class _FigureWidget(go.FigureWidget):
    """A ``FigureWidget`` whose comm opens with the figure already in its state.

    plotly's widget opens its comm (in ``ipywidgets.Widget.__init__``) with empty
    ``_widget_data``/``_widget_layout`` and sends the figure just after, as two state updates;
    the front-end view draws once from the model's state (its handlers for later changes of
    those two are empty). When JupyterLab drew the view before applying the updates (a loaded
    machine), the explorer stayed an empty plot with default axes. Opening the comm after the
    figure is set sends it in the ``comm_open`` message itself.
    """

    def __init__(self, *args, **kwargs):
        self._hold_comm = True
        super().__init__(*args, **kwargs)
        self._hold_comm = False
        self.open()

    def open(self):
        if not getattr(self, "_hold_comm", False):
            super().open()


class TradeExplorer:
    """Politician / ticker / date-range explorer backed by a plotly ``FigureWidget``.

    Parameters
    ----------
    trades : DataFrame
        Canonical trades.
    prices : DataFrame, optional
        Long price table (``date, ticker, adj_close``) for the price line.
    politician, ticker : str, optional
        Initial selection (default: all).
    start, end : str or Timestamp, optional
        Initial date range (inclusive).
    date : {"disclosure", "transaction"}
        Date that places trades on the time axis.

    Attributes
    ----------
    politician_select, ticker_select : ipywidgets.Dropdown
    start_select, end_select : ipywidgets.DatePicker
    figure : plotly.graph_objects.FigureWidget
    widget : ipywidgets.VBox
        Controls above the figure; what is displayed live.
    """

    def __init__(self, trades: pd.DataFrame, prices: pd.DataFrame | None = None, *,
                 politician: str | None = None, ticker: str | None = None, start=None,
                 end=None, date: str = "disclosure"):
        import ipywidgets as w

        if date not in DATE_COLUMNS:
            raise DataError(f"date must be one of {sorted(DATE_COLUMNS)}, got {date!r}")
        self.trades = trades
        self.prices = prices
        self.date = date
        names = sorted(trades["politician"].dropna().astype(str).unique())
        tickers = sorted(trades["ticker"].dropna().astype(str).unique())
        for value, options, what in ((politician, names, "politician"), (ticker, tickers,
                                                                          "ticker")):
            if value not in (None, "", ALL) and value not in options:
                raise DataError(f"{what} {value!r} not in the trades")
        self.politician_select = w.Dropdown(options=[ALL, *names],
                                            value=politician or ALL, description="Politician")
        self.ticker_select = w.Dropdown(options=[ALL, *tickers], value=ticker or ALL,
                                        description="Ticker")
        lo, hi = _bound(start), _bound(end)
        self.start_select = w.DatePicker(value=None if lo is None else lo.date(),
                                         description="From")
        self.end_select = w.DatePicker(value=None if hi is None else hi.date(), description="To")
        self.figure = _FigureWidget(self.static_figure())
        for control in self.controls:
            control.observe(self.update, names="value")
        self.widget = w.VBox([w.HBox(list(self.controls)), self.figure])

    @property
    def controls(self) -> tuple:
        return (self.politician_select, self.ticker_select, self.start_select, self.end_select)

    def selection_kwargs(self) -> dict:
        """The current selection as keyword arguments of :func:`filter_trades`."""
        return {"politician": self.politician_select.value, "ticker": self.ticker_select.value,
                "start": self.start_select.value, "end": self.end_select.value,
                "date": self.date}

    def selection(self) -> pd.DataFrame:
        """Trades of the current selection (sorted by the chosen date)."""
        return filter_trades(self.trades, **self.selection_kwargs())

    def static_figure(self) -> go.Figure:
        """A plain figure of the current selection (what HTML reports show)."""
        return explorer_figure(self.trades, self.prices, **self.selection_kwargs())

    def update(self, change=None) -> None:
        """Callback of every control: redraw the figure for the current selection in place."""
        fresh = self.static_figure()
        with self.figure.batch_update():
            for live, new in zip(self.figure.data, fresh.data, strict=True):
                live.x, live.y = new.x, new.y
                live.hovertext = new.hovertext
                live.showlegend = new.showlegend
                if new.mode == "markers":
                    live.marker.size = new.marker.size
            self.figure.layout.title.text = fresh.layout.title.text
            self.figure.layout.yaxis2.visible = fresh.layout.yaxis2.visible

    def select(self, *, politician: str | None = None, ticker: str | None = None, start=None,
               end=None) -> TradeExplorer:
        """Set controls programmatically (each change fires :meth:`update`); returns self."""
        if politician is not None:
            self.politician_select.value = politician
        if ticker is not None:
            self.ticker_select.value = ticker
        if start is not None:
            self.start_select.value = _bound(start).date()
        if end is not None:
            self.end_select.value = _bound(end).date()
        return self

    def _repr_mimebundle_(self, include=None, exclude=None):
        # Live: JupyterLab renders the widget view. Exported: the publisher drops the widget
        # view and the static HTML below is shown instead (plotly.js comes from the page).
        bundle = dict(self.widget._repr_mimebundle_(include=include, exclude=exclude) or {})
        bundle["text/html"] = ("<div class=\"wb-explorer-static\">"
                               + figure_html(self.static_figure()) + "</div>")
        return bundle
