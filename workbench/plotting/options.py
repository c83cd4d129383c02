"""Figures of the options analysis: GEX by strike, GEX profile, option-trade scores.

Builders return plotly figures and never show them. Text from the data reaches plotly only as
trace data (escaped JSON, drawn as SVG text).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from workbench.plotting.theme import COLORWAY

__all__ = ["plot_gex_by_strike", "plot_gex_profile", "plot_squeeze_scores"]


def _millions(x) -> np.ndarray:
    return np.asarray(x, dtype=float) / 1e6


def _no_chain(title: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text="no option chain available for this selection", showarrow=False,
                       x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_layout(title=title, xaxis={"visible": False}, yaxis={"visible": False})
    return fig


def plot_gex_by_strike(result) -> go.Figure:
    """Call and put dealer GEX per strike ($M per 1 % move), with spot and the walls.

    ``result=None`` (no chain) gives an empty figure that says so.
    """
    if result is None:
        return _no_chain("Dealer gamma exposure by strike")
    bs = result.by_strike
    fig = go.Figure([
        go.Bar(x=bs["strike"], y=_millions(bs["call_gex"]), name="calls", marker_color=COLORWAY[2]),
        go.Bar(x=bs["strike"], y=_millions(bs["put_gex"]), name="puts", marker_color=COLORWAY[3]),
        go.Scatter(x=bs["strike"], y=_millions(bs["net_gex"]), name="net", mode="lines+markers",
                   line={"color": COLORWAY[7]}),
    ])
    # Labels at different heights and sides: spot, call wall and put wall are often a strike
    # or two apart and their labels would overprint each other.
    fig.add_vline(x=result.spot, line_dash="dash", annotation_text=f"spot {result.spot:.2f}",
                  annotation_position="top left")
    for level, label, where in ((result.call_wall, "call wall", "top right"),
                                (result.put_wall, "put wall", "bottom left")):
        if np.isfinite(level):
            fig.add_vline(x=level, line_dash="dot", line_color="#888",
                          annotation_text=f"{label} {level:g}", annotation_position=where)
    fig.update_layout(barmode="relative",
                      title=f"Dealer gamma exposure by strike: {result.ticker} "
                            f"{result.quote_date:%Y-%m-%d} ({result.convention})",
                      xaxis_title="strike", yaxis_title="GEX, $M per 1% move")
    return fig


def plot_gex_profile(result) -> go.Figure:
    """Total dealer GEX as a function of spot, with the current spot and the gamma flip."""
    if result is None:
        return _no_chain("GEX profile")
    p = result.profile
    fig = go.Figure(go.Scatter(x=p["spot"], y=_millions(p["total_gex"]), mode="lines",
                               name="total GEX", line={"color": COLORWAY[0]}))
    fig.add_hline(y=0, line_color="#888")
    fig.add_vline(x=result.spot, line_dash="dash", annotation_text=f"spot {result.spot:.2f}",
                  annotation_position="top left")
    if np.isfinite(result.flip_level):
        fig.add_vline(x=result.flip_level, line_dash="dot", line_color=COLORWAY[3],
                      annotation_text=f"flip {result.flip_level:.2f}",
                      annotation_position="bottom right")
        note = ""
    else:
        note = " (no gamma flip in this range)"
    fig.update_layout(title=f"GEX profile: {result.ticker} {result.quote_date:%Y-%m-%d}{note}",
                      xaxis_title="spot", yaxis_title="total GEX, $M per 1% move",
                      showlegend=False)
    return fig


def plot_squeeze_scores(result, labels=None) -> go.Figure:
    """Squeeze score against the realized 7-session move, one point per option trade.

    ``labels`` (optional boolean array aligned with ``result.trades``) marks a group, e.g. the
    planted squeezes of the synthetic universe.
    """
    df = result.trades
    groups = [("trades", np.ones(len(df), dtype=bool))]
    if labels is not None:
        lab = np.asarray(labels, dtype=bool)
        groups = [("other trades", ~lab), ("planted squeeze setups", lab)]
    fig = go.Figure()
    for i, (name, m) in enumerate(groups):
        sub = df[m]
        fig.add_trace(go.Scatter(
            x=sub["squeeze_score"], y=sub["max_move_7d"] * 100, mode="markers", name=name,
            marker={"color": COLORWAY[i], "size": 8, "opacity": 0.8},
            text=sub["ticker"].astype(str) + " " + sub["trade_date"].dt.strftime("%Y-%m-%d"),
            hovertemplate="%{text}<br>score %{x:.2f}<br>max move %{y:.1f}%<extra></extra>"))
    fig.update_layout(title="Squeeze-setup score and the move that followed",
                      xaxis_title="squeeze score", yaxis_title="max move within 7 sessions, %")
    return fig
