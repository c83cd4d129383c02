"""Figures of the options analysis: GEX by strike, GEX profile, option-trade scores.

Builders return plotly figures and never show them. Text from the data reaches plotly only as
trace data (escaped JSON, drawn as SVG text).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from workbench.plotting.theme import COLORWAY

__all__ = ["plot_gex_by_strike", "plot_gex_profile", "plot_squeeze_scores",
           "plot_option_trades_table"]


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
    fig.add_vline(x=result.spot, line_dash="dash", annotation_text="spot")
    for level, label in ((result.call_wall, "call wall"), (result.put_wall, "put wall")):
        if np.isfinite(level):
            fig.add_vline(x=level, line_dash="dot", line_color="#888", annotation_text=label)
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
    fig.add_vline(x=result.spot, line_dash="dash", annotation_text="spot")
    if np.isfinite(result.flip_level):
        fig.add_vline(x=result.flip_level, line_dash="dot", line_color=COLORWAY[3],
                      annotation_text=f"flip {result.flip_level:.2f}")
    fig.update_layout(title=f"GEX profile: {result.ticker} {result.quote_date:%Y-%m-%d}",
                      xaxis_title="spot", yaxis_title="total GEX, $M per 1% move")
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
        groups = [("other", ~lab), ("marked", lab)]
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


def plot_option_trades_table(result, max_rows: int = 200) -> go.Figure:
    """Table of option trades (highest squeeze score first, then most recent)."""
    df = result.trades.sort_values(["squeeze_score", "trade_date"], ascending=[False, False],
                                   na_position="last").head(max_rows)
    cols = ["trade_date", "politician", "ticker", "side", "option_type", "strike",
            "expiration", "notional", "moneyness", "days_to_expiry", "total_gex",
            "squeeze_score", "move_7d"]

    def fmt(c):
        v = df[c]
        if c in ("trade_date", "expiration"):
            return v.dt.strftime("%Y-%m-%d").fillna("")
        if c == "total_gex":
            return (v / 1e6).map(lambda x: "" if np.isnan(x) else f"{x:,.1f}M")
        if c == "move_7d":
            return v.map(lambda x: "" if np.isnan(x) else f"{x:+.1%}")
        if v.dtype.kind == "f":
            return v.map(lambda x: "" if np.isnan(x) else f"{x:,.2f}")
        return v.astype(str)

    fig = go.Figure(go.Table(header={"values": cols, "align": "left"},
                             cells={"values": [fmt(c) for c in cols], "align": "left"}))
    fig.update_layout(title=f"Option trades ({len(result.trades)}; showing {len(df)})")
    return fig
