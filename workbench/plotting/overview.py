"""Figures of the data overview: one builder per view of :class:`~workbench.overview.summary.Overview`
and :class:`~workbench.overview.coverage.Coverage`. Builders return plotly figures and never show them.

Text from the data (names, tickers, descriptions) reaches plotly only as trace data, which plotly
serializes as escaped JSON and draws as SVG text, so it is never interpreted as HTML.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from workbench.plotting.theme import CHAMBER_COLORS, SIDE_COLORS, party_color

__all__ = ["plot_trades_per_month", "plot_chamber_year", "plot_party", "plot_top_traders",
           "plot_top_tickers", "plot_asset_types", "plot_amounts", "plot_lag_distribution",
           "plot_price_coverage"]


def _chamber_color(name: object) -> str:
    return CHAMBER_COLORS.get(str(name), CHAMBER_COLORS["unknown"])


def plot_trades_per_month(overview) -> go.Figure:
    """Stacked monthly trade counts by chamber (``overview.date`` decides the month)."""
    pm = overview.per_month
    fig = go.Figure([go.Bar(x=pm.index, y=pm[c], name=str(c), marker_color=_chamber_color(c))
                     for c in pm.columns])
    fig.update_layout(barmode="stack", title=f"Trades per month (by {overview.date} date)",
                      xaxis_title="month", yaxis_title="trades")
    return fig


def plot_chamber_year(coverage) -> go.Figure:
    """Trades per chamber and transaction year (``coverage.by_chamber_year``)."""
    t = coverage.by_chamber_year
    fig = go.Figure([go.Bar(x=[str(y) for y in t.columns], y=t.loc[c].to_numpy(), name=str(c),
                            marker_color=_chamber_color(c)) for c in t.index])
    fig.update_layout(barmode="group", title="Trades per chamber and transaction year",
                      xaxis_title="year", yaxis_title="trades")
    return fig


def plot_party(coverage) -> go.Figure:
    """Trades by party within each chamber (``coverage.by_party``)."""
    bp = coverage.by_party
    fig = go.Figure([go.Bar(x=sub["chamber"], y=sub["n_trades"], name=str(party),
                            marker_color=party_color(party))
                     for party, sub in bp.groupby("party", sort=True)])
    fig.update_layout(barmode="group", title="Trades by chamber and party", yaxis_title="trades",
                      xaxis_title="chamber")
    return fig


def _hbar(labels, values, *, title: str, xaxis: str, color: str, hover=None,
          yaxis: str = "") -> go.Figure:
    fig = go.Figure(go.Bar(x=list(values)[::-1], y=list(labels)[::-1], orientation="h",
                           marker_color=color, hovertext=None if hover is None
                           else list(hover)[::-1]))
    fig.update_layout(title=title, xaxis_title=xaxis, yaxis_title=yaxis,
                      height=max(300, 26 * len(labels) + 120), margin={"l": 180})
    return fig


def plot_top_traders(overview) -> go.Figure:
    """Horizontal bars: politicians with most trades (hover: chamber, party, tickers)."""
    t = overview.top_traders
    hover = [f"{c}, {p}: {n} tickers, ${v:,.0f} (mid-points)" for c, p, n, v in
             zip(t["chamber"], t["party"], t["n_tickers"], t["volume_mid"], strict=True)]
    return _hbar(t["politician"], t["n_trades"], title="Most active traders",
                 xaxis="trades", color=SIDE_COLORS["buy"], hover=hover, yaxis="politician")


def plot_top_tickers(overview) -> go.Figure:
    """Horizontal bars: most traded tickers (hover: description, buys/sells, politicians)."""
    t = overview.top_tickers
    hover = [f"{d}: {b} buys, {s} sells, {p} politicians" for d, b, s, p in
             zip(t["description"], t["n_buys"], t["n_sells"], t["n_politicians"], strict=True)]
    return _hbar(t["ticker"], t["n_trades"], title="Most traded tickers", xaxis="trades",
                 color="#0072B2", hover=hover, yaxis="ticker")


def plot_asset_types(overview) -> go.Figure:
    """Trades per normalized asset type."""
    t = overview.asset_types
    fig = go.Figure(go.Bar(x=t["asset_type"], y=t["n_trades"],
                           text=[f"{s:.1%}" for s in t["share"]], textposition="outside"))
    fig.update_layout(title="Asset types", yaxis_title="trades", xaxis_title="asset type")
    return fig


def plot_amounts(overview) -> go.Figure:
    """Trades per disclosed amount bracket (log count axis: brackets span four decades)."""
    t = overview.amounts
    fig = go.Figure(go.Bar(x=t["bracket"], y=t["n_trades"],
                           text=[f"{s:.1%}" for s in t["share"]], textposition="outside"))
    fig.update_layout(title="Disclosed amount brackets (US dollars)", yaxis_title="trades",
                      xaxis_title="amount bracket, $",
                      yaxis_type="log", xaxis_tickangle=-30)
    return fig


def plot_lag_distribution(coverage, trades: pd.DataFrame | None = None, *,
                          clip_days: int = 200) -> go.Figure:
    """Histogram of disclosure lags (calendar days) with the deadline line.

    Parameters
    ----------
    coverage : Coverage
        Its ``lag_days`` (disclosure minus transaction date) and ``deadline_days``.
    trades : DataFrame, optional
        The trades ``coverage`` was computed on (same index): when given, one overlaid
        histogram per chamber.
    clip_days : int
        Lags above it are drawn in the last bin (their count is in the title); negative lags
        (disclosure before the trade: data errors) stay visible left of zero.
    """
    lag = coverage.lag_days
    groups = ({"all": lag} if trades is None else
              {str(c): lag[(trades["chamber"] == c).fillna(False).to_numpy()]
               for c in sorted(trades["chamber"].dropna().unique())})
    known = lag.dropna()
    over = int((known > clip_days).sum())
    fig = go.Figure()
    for name, series in groups.items():
        fig.add_trace(go.Histogram(x=series.dropna().clip(upper=clip_days).to_numpy(),
                                   xbins={"size": 1}, name=name, opacity=0.75,
                                   marker_color=CHAMBER_COLORS.get(name, "#0072B2")))
    share = coverage.share_after_deadline
    label = f"{coverage.deadline_days}-day deadline" + ("" if np.isnan(share)
                                                         else f" ({share:.1%} later)")
    fig.add_vline(x=coverage.deadline_days, line_dash="dash", line_color="#c62828",
                  annotation_text=label, annotation_position="top right")
    title = "Disclosure lag (calendar days from transaction to disclosure)"
    if over:
        title += f"; {over} over {clip_days} days in the last bin"
    fig.update_layout(title=title, xaxis_title="days", yaxis_title="trades", barmode="overlay")
    return fig


def plot_price_coverage(coverage) -> go.Figure:
    """Share of stock trades with a price series around the transaction date, by year."""
    t = coverage.price_coverage_table
    fig = go.Figure()
    for c, sub in t.groupby("chamber", sort=True):
        fig.add_trace(go.Bar(x=sub["year"].astype(str), y=sub["coverage"], name=str(c),
                             marker_color=_chamber_color(c),
                             hovertext=[f"{k:,} of {n:,} stock trades" for k, n in
                                        zip(sub["n_covered"], sub["n_stock_trades"],
                                            strict=True)]))
    overall = coverage.price_coverage
    title = "Price coverage of stock trades" + ("" if np.isnan(overall)
                                                else f" (overall {overall:.1%})")
    fig.update_layout(barmode="group", title=title, yaxis_tickformat=".0%",
                      yaxis_range=[0, 1.05], xaxis_title="transaction year")
    return fig

