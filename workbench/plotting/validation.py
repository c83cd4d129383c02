"""Figures of the power study (:mod:`workbench.validation`). Builders only.

Every curve shows the detection rate at each planted size with its exact binomial 95% interval, the
80% target, and the minimum detectable effect (MDE) with its interval as a shaded band. Noise
dials whose null is infinite (no effect left) draw the null as a point at the right edge,
labelled "null".
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

__all__ = ["plot_power_curve", "plot_power_grid", "plot_alpha_mde"]

CURVE_COLOR = "#0072B2"
CLOSED_FORM_COLOR = "#E69F00"
MDE_COLOR = "#D55E00"


def _x_values(result) -> tuple[np.ndarray, list[str] | None]:
    """Display x of each curve point; an infinite null is placed one step past the largest."""
    x = result.curve["display_size"].to_numpy(dtype=float)
    if not np.isinf(x).any():
        return x, None
    finite = x[np.isfinite(x)]
    step = (finite.max() - finite.min()) / max(len(finite) - 1, 1) if len(finite) else 1.0
    out = np.where(np.isinf(x), (finite.max() if len(finite) else 0.0) + step, x)
    return out, ["null" if np.isinf(v) else f"{v:.3g}" for v in x]


def _add_curve(fig, result, row=None, col=None, legend=True):
    at = {} if row is None else {"row": row, "col": col}
    x, labels = _x_values(result)
    c = result.curve
    y = c["power"].to_numpy(dtype=float)
    fig.add_trace(go.Scatter(
        x=x, y=y, mode="lines+markers", name="detection rate", showlegend=legend,
        legendgroup="rate", line={"color": CURVE_COLOR},
        error_y={"type": "data", "symmetric": False,
                 "array": (c["ci_high"] - c["power"]).to_numpy(),
                 "arrayminus": (c["power"] - c["ci_low"]).to_numpy(), "thickness": 1},
        customdata=np.column_stack([c["detected"], c["trials"]]),
        hovertemplate="size %{x:.3g}<br>power %{y:.2f}<br>%{customdata[0]} of "
                      "%{customdata[1]}<extra></extra>"), **at)
    if "closed_form_power" in c and c["closed_form_power"].notna().any():
        fig.add_trace(go.Scatter(x=x, y=c["closed_form_power"], mode="lines",
                                 name="noncentral t (closed form)", showlegend=legend,
                                 legendgroup="cf", line={"color": CLOSED_FORM_COLOR,
                                                         "dash": "dash"}), **at)
    fig.add_hline(y=result.target, line={"color": "#888", "dash": "dot", "width": 1}, **at)
    s = result.detector.display_scale
    if math.isfinite(result.mde):
        # a bound the sizes run never reached is left open (the band stops at the MDE)
        lo = result.mde_low * s if math.isfinite(result.mde_low) else result.mde * s
        hi = result.mde_high * s if math.isfinite(result.mde_high) else result.mde * s
        if hi > lo:
            fig.add_vrect(x0=lo, x1=hi, fillcolor=MDE_COLOR, opacity=0.15, line_width=0, **at)
        fig.add_vline(x=result.mde * s, line={"color": MDE_COLOR, "width": 2}, **at)
    if labels is not None:
        fig.update_xaxes(tickvals=x, ticktext=labels, **at)
    fig.update_yaxes(range=[-0.03, 1.03], **at)


def plot_power_curve(result, *, title: str | None = None) -> go.Figure:
    """One detector's power curve with its MDE (:class:`~workbench.validation.PowerResult`)."""
    fig = go.Figure()
    _add_curve(fig, result)
    d = result.detector
    fig.update_layout(
        title=title or f"{d.label or d.name}: detection rate by planted size",
        xaxis_title=d.unit or d.param, yaxis_title="detection rate (power)",
        legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0})
    return fig


def plot_power_grid(study, *, cols: int = 3,
                    title: str = "Detection rate by planted size (MDE in red)") -> go.Figure:
    """Every detector's curve as a small multiple (:class:`~workbench.validation.study.PowerStudy`)."""
    curves = list(study.curves)
    rows = max(1, math.ceil(len(curves) / cols))
    names = [c.detector.label or c.detector.name for c in curves]
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=names, vertical_spacing=0.5 / rows,
                        horizontal_spacing=0.08)
    for i, c in enumerate(curves):
        r, k = divmod(i, cols)
        _add_curve(fig, c, r + 1, k + 1, legend=i == 0)
        fig.update_xaxes(title_text=c.detector.unit or c.detector.param, title_font_size=11,
                         row=r + 1, col=k + 1)
    for ann in fig.layout.annotations:
        ann.font.size = 12
    # no legend: the caption says what the marks are (a legend would sit on the panels)
    fig.update_layout(title=title, height=290 * rows + 120, showlegend=False)
    return fig


def plot_alpha_mde(result, *, title: str | None = None) -> go.Figure:
    """Power of the calendar-time alpha test by planted alpha on a real portfolio
    (:class:`~workbench.validation.realdata.AlphaMDEResult`), alphas in %/yr.

    ``None`` (no real data given) gives an empty figure that says so.
    """
    if result is None:
        fig = go.Figure()
        fig.add_annotation(text="No real-data store given: the real-data MDE was not computed.",
                           x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False)
        fig.update_layout(title=title or "Real data: power of the alpha test by planted alpha",
                          height=220, xaxis_visible=False, yaxis_visible=False)
        return fig
    c = result.curve
    x = 100 * c["alpha"].to_numpy()
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=np.r_[x, x[::-1]], y=np.r_[c["ci_high"], c["ci_low"][::-1]],
                             fill="toself", fillcolor="rgba(0,114,178,0.15)", line_width=0,
                             hoverinfo="skip", name="95% interval"))
    fig.add_trace(go.Scatter(x=x, y=c["power"], mode="lines", name="block bootstrap",
                             line={"color": CURVE_COLOR}))
    fig.add_trace(go.Scatter(x=x, y=c["closed_form_power"], mode="lines",
                             name="normal approximation", line={"color": CLOSED_FORM_COLOR,
                                                                "dash": "dash"}))
    fig.add_hline(y=result.target, line={"color": "#888", "dash": "dot", "width": 1})
    if math.isfinite(result.mde):
        fig.add_vline(x=100 * result.mde, line={"color": MDE_COLOR, "width": 2},
                      annotation_text=f"MDE {100 * result.mde:.1f}%/yr",
                      annotation_position="bottom right")
    fig.update_layout(title=title or "Real data: power of the alpha test by planted alpha",
                      xaxis_title="planted alpha, %/yr", yaxis_title="power",
                      yaxis_range=[0, 1.03],
                      legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0})
    return fig
