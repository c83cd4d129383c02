"""Figures of the DTW analog search (:mod:`workbench.patterns`). Builders only."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from workbench.patterns.analogs import weighted_quantile

__all__ = ["plot_analogs", "plot_match_shapes"]


def plot_analogs(result, *, title: str = "Historical analogs", band: tuple[float, float] = (0.1, 0.9)
                 ) -> go.Figure:
    """Query and matched paths (relative to the window's last close) with the weighted outcome fan.

    x is sessions relative to the end of the window; the fan shows the weighted ``band``
    quantiles and mean of the analogs' paths after it.
    """
    paths = result.paths
    w = result.matches.set_index("rank")["weight"]
    fig = go.Figure()
    for rank in paths.columns:
        r = result.matches.set_index("rank").loc[rank]
        fig.add_trace(go.Scatter(x=paths.index, y=paths[rank], mode="lines",
                                 name=f"#{rank} {r['ticker']} {r['end']:%Y-%m-%d}",
                                 line={"width": 1}, opacity=0.6))
    fut = paths.loc[paths.index >= 0]
    arr = fut.to_numpy()
    ww = w.reindex(fut.columns).to_numpy()
    lo = [weighted_quantile(row, ww, band[0]) for row in arr]
    hi = [weighted_quantile(row, ww, band[1]) for row in arr]
    mean = [np.average(row[np.isfinite(row)], weights=ww[np.isfinite(row)])
            if np.isfinite(row).any() else np.nan for row in arr]
    fig.add_trace(go.Scatter(x=fut.index, y=hi, mode="lines", line={"width": 0},
                             showlegend=False, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=fut.index, y=lo, mode="lines", line={"width": 0}, fill="tonexty",
                             fillcolor="rgba(0,114,178,0.2)",
                             name=f"analog {band[0]:.0%}-{band[1]:.0%}"))
    fig.add_trace(go.Scatter(x=fut.index, y=mean, mode="lines", name="weighted mean",
                             line={"color": "#0072B2", "width": 2.5}))
    q = result.query.to_numpy()
    qname = f"query {result.query.name}" if result.query.name else "query"
    fig.add_trace(go.Scatter(x=np.arange(-len(q) + 1, 1), y=q / q[-1] - 1, mode="lines",
                             name=qname, line={"color": "#000", "width": 3}))
    fig.add_vline(x=0, line_dash="dot")
    fig.update_layout(title=title, xaxis_title="sessions from window end",
                      yaxis_title="return vs window end", yaxis_tickformat=".0%")
    return fig


def plot_match_shapes(result, *, title: str = "Z-normalized shapes") -> go.Figure:
    """The query and each match over the window only, z-normalized (what DTW compared)."""
    from workbench.patterns.search import znormalize

    fig = go.Figure()
    x = np.arange(result.window)
    qname = f"query {result.query.name}" if result.query.name else "query"
    fig.add_trace(go.Scatter(x=x, y=znormalize(np.log(result.query.to_numpy())), mode="lines",
                             name=qname, line={"color": "#000", "width": 3}))
    win = result.paths.loc[result.paths.index <= 0]
    for rank in win.columns:
        v = np.log1p(win[rank].to_numpy())
        fig.add_trace(go.Scatter(x=x, y=znormalize(v), mode="lines", name=f"#{rank}",
                                 line={"width": 1}))
    fig.update_layout(title=title, xaxis_title="session in window", yaxis_title="z")
    return fig
