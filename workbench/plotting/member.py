"""Figures of a member profile (:mod:`workbench.member`). Builders only."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from workbench.plotting.theme import COLORWAY, SIDE_COLORS

__all__ = ["plot_member_activity", "plot_member_lag", "plot_member_sectors",
           "plot_member_cumulative"]


def plot_member_activity(profile) -> go.Figure:
    """Trades per transaction month, stacked by side."""
    fig = go.Figure()
    for side, sub in profile.monthly.groupby("side", observed=True, sort=True):
        fig.add_trace(go.Bar(x=sub["month"], y=sub["n_trades"], name=str(side),
                             marker_color=SIDE_COLORS.get(str(side), COLORWAY[7])))
    fig.update_layout(barmode="stack", title=f"{profile.name}: trades per month",
                      xaxis_title="transaction month", yaxis_title="trades")
    return fig


def plot_member_lag(profile, deadline: int = 45) -> go.Figure:
    """Histogram of disclosure lags (calendar days) with the STOCK Act limit."""
    t = profile.trades
    lag = (t["disclosure_date"] - t["transaction_date"]).dt.days.dropna()
    fig = go.Figure(go.Histogram(x=lag, xbins={"size": 5}, marker_color=COLORWAY[0],
                                 name="trades"))
    fig.add_vline(x=deadline, line_dash="dash", line_color=COLORWAY[3],
                  annotation_text=f"{deadline}-day limit", annotation_position="top right")
    fig.update_layout(title=f"{profile.name}: disclosure lag", xaxis_title="days from "
                      "transaction to disclosure", yaxis_title="trades", showlegend=False)
    return fig


def plot_member_sectors(profile) -> go.Figure:
    """Share of the member's trades per sector next to every member's share."""
    s = profile.sectors
    fig = go.Figure([go.Bar(y=s["sector"], x=s["share"], orientation="h", name=profile.name,
                            marker_color=COLORWAY[0]),
                     go.Bar(y=s["sector"], x=s["everyone_share"], orientation="h",
                            name="all members", marker_color="#b0b0b0")])
    fig.update_layout(barmode="group", title=f"{profile.name}: sectors traded",
                      xaxis_title="share of trades", xaxis_tickformat=".0%",
                      yaxis_title="sector", yaxis_autorange="reversed",
                      height=max(360, 40 * len(s) + 120))
    return fig


def plot_member_cumulative(profile) -> go.Figure:
    """Growth of the member's buy portfolio (flat without a position) and of the universe."""
    fig = go.Figure()
    for i, col in enumerate(("member", "universe")):
        r = profile.returns[col]
        if col == "member":
            r = r.fillna(0.0)
        wealth = (1 + r.fillna(0.0)).cumprod() - 1
        fig.add_trace(go.Scatter(x=wealth.index, y=wealth, mode="lines",
                                 name=profile.name + " buys" if col == "member"
                                 else "equal-weight universe",
                                 line={"color": COLORWAY[i], "dash": None if i == 0 else "dot"}))
    fig.update_layout(title=f"{profile.name}: buys copied at disclosure vs the universe",
                      xaxis_title="session", yaxis_title="cumulative return",
                      yaxis_tickformat=".0%")
    if not np.isfinite(profile.returns["member"]).any():
        fig.add_annotation(text="no priced buy", showarrow=False, x=0.5, y=0.5, xref="paper",
                           yref="paper")
    return fig
