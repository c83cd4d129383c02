"""Figures of workbench.causal results: observed vs counterfactual, placebos, synthetic
control, event study."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from workbench.plotting.theme import COLORWAY

__all__ = ["plot_impact", "plot_placebo", "plot_synth_paths", "plot_synth_weights",
           "plot_event_study"]

BAND = "rgba(0,114,178,0.18)"
GREY = "rgba(120,120,120,0.25)"


def _band(fig, x, lo, hi, name, row=None, col=None, color=BAND, show=True):
    fig.add_trace(go.Scatter(x=np.concatenate([x, x[::-1]]),
                             y=np.concatenate([np.asarray(hi), np.asarray(lo)[::-1]]),
                             fill="toself", fillcolor=color, line={"width": 0}, name=name,
                             hoverinfo="skip", showlegend=show), row=row, col=col)


def _not_run(title: str) -> go.Figure:
    """Placeholder when the question could not be asked on this data (see the findings)."""
    fig = go.Figure()
    fig.add_annotation(text="not run on this data (see the findings)", showarrow=False,
                       x=0.5, y=0.5, xref="paper", yref="paper", font={"size": 15})
    fig.update_layout(title=title, height=200, xaxis={"visible": False},
                      yaxis={"visible": False})
    return fig


def _is_dates(index) -> bool:
    return np.issubdtype(np.asarray(index).dtype, np.datetime64)


def plot_impact(result, title: str = "Observed vs counterfactual", unit: str = "",
                tail: int | None = None) -> go.Figure:
    """Three panels of an :class:`~workbench.causal.impact.ImpactResult`: observed and the
    counterfactual with its band, the pointwise effect, the cumulative effect.

    ``tail`` keeps the last ``tail`` pre-period points (the fit of a long history is not the
    point of the figure). ``None`` (question not run) gives a placeholder.
    """
    if result is None:
        return _not_run(title)
    s = result.series
    if tail is not None:
        first = max(0, int((~s["post"]).sum()) - tail)
        s = s.iloc[first:]
    x = s.index.to_numpy()
    level = int(round(100 * (1 - result.alpha)))
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.06,
                        subplot_titles=("observed and counterfactual", "pointwise effect",
                                        "cumulative effect"))
    ok = s["predicted_low"].notna().to_numpy()
    _band(fig, x[ok], s["predicted_low"][ok], s["predicted_high"][ok], f"{level}% band", 1, 1)
    fig.add_trace(go.Scatter(x=x, y=s["predicted"], name="counterfactual", mode="lines",
                             line={"color": COLORWAY[0], "dash": "dash"}), row=1, col=1)
    fig.add_trace(go.Scatter(x=x, y=s["observed"], name="observed", mode="lines",
                             line={"color": "#222"}), row=1, col=1)
    _band(fig, x[ok], s["point_low"][ok], s["point_high"][ok], "band", 2, 1, show=False)
    fig.add_trace(go.Scatter(x=x, y=s["point_effect"], name="pointwise effect", mode="lines",
                             line={"color": COLORWAY[3]}, showlegend=False), row=2, col=1)
    post = s[s["post"]]
    xp = post.index.to_numpy()
    _band(fig, xp, post["cum_low"], post["cum_high"], "band", 3, 1, show=False)
    fig.add_trace(go.Scatter(x=xp, y=post["cum_effect"], name="cumulative effect", mode="lines",
                             line={"color": COLORWAY[3]}, showlegend=False), row=3, col=1)
    for r in (1, 2, 3):
        fig.add_vline(x=result.event_date, line_dash="dot", line_color="#888", row=r, col=1)
    for r in (2, 3):
        fig.add_hline(y=0, line_color="#bbb", row=r, col=1)
    fig.update_layout(title=title, height=720)
    fig.update_yaxes(title_text=unit, row=1, col=1)
    if _is_dates(x):
        fig.update_xaxes(type="date", hoverformat="%Y-%m-%d")
    return fig


def plot_placebo(placebo, title: str = "Placebo event dates") -> go.Figure:
    """Standardized effects at the placebo dates and at the real date (a PlaceboResult)."""
    if placebo is None:
        return _not_run(title)
    p = placebo.placebos
    fig = go.Figure(go.Histogram(x=p["z"], name="placebo dates", marker_color=GREY,
                                 nbinsx=max(10, len(p) // 2)))
    z = placebo.stats["real_z"]
    fig.add_vline(x=z, line_color=COLORWAY[3], line_width=3,
                  annotation_text=f"real event z = {z:.1f}", annotation_position="top")
    for edge in (-1.96, 1.96):
        fig.add_vline(x=edge, line_dash="dot", line_color="#888")
    fig.update_layout(title=title, xaxis_title="effect / half-width of its 95% interval x 1.96",
                      yaxis_title="placebo dates", showlegend=False, bargap=0.05)
    return fig


def plot_synth_paths(result, title: str = "Synthetic control: gap to the synthetic unit",
                     max_placebos: int = 60) -> go.Figure:
    """Treated minus synthetic over time beside the in-space placebos' gaps (grey)."""
    if result is None:
        return _not_run(title)
    g = result.gaps
    kept = result.placebos.loc[result.placebos["kept"], "unit"].tolist()[:max_placebos]
    x = g.index.to_numpy()
    fig = go.Figure()
    for i, u in enumerate(kept):
        fig.add_trace(go.Scatter(x=x, y=g[u], mode="lines", line={"color": GREY, "width": 1},
                                 name="placebo units", legendgroup="p", showlegend=i == 0,
                                 hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=x, y=g[result.treated], mode="lines", name=str(result.treated),
                             line={"color": COLORWAY[3], "width": 3}))
    fig.add_vline(x=result.event_date, line_dash="dot", line_color="#888")
    fig.add_hline(y=0, line_color="#bbb")
    fig.update_layout(title=title, yaxis_title="treated minus synthetic")
    if _is_dates(x):
        fig.update_xaxes(type="date", hoverformat="%Y-%m-%d")
    return fig


def plot_synth_weights(result, top: int = 15, title: str = "Synthetic control weights"
                       ) -> go.Figure:
    """The largest donor weights (a SynthControlResult)."""
    if result is None:
        return _not_run(title)
    w = result.weights.head(top)[::-1]
    fig = go.Figure(go.Bar(x=w.to_numpy(), y=[str(i) for i in w.index], orientation="h",
                           marker_color=COLORWAY[0], text=[f"{v:.2f}" for v in w],
                           textposition="auto"))
    fig.update_layout(title=title, xaxis_title="weight (sum 1)", showlegend=False,
                      height=max(300, 28 * len(w) + 120))
    return fig


def plot_event_study(did, title: str = "Event study: treated minus controls by week",
                     unit: str = "") -> go.Figure:
    """Lead and lag coefficients with intervals (a DiDResult); -1 is the reference."""
    if did is None:
        return _not_run(title)
    es = did.event_study
    k = es.index.to_numpy()
    level = int(round(100 * (1 - did.alpha)))
    fig = go.Figure(go.Scatter(
        x=k, y=es["coef"], mode="markers+lines", name=f"coefficient, {level}% interval",
        line={"color": COLORWAY[0]},
        error_y={"type": "data", "symmetric": False, "array": es["high"] - es["coef"],
                 "arrayminus": es["coef"] - es["low"]}))
    fig.add_vline(x=-0.5, line_dash="dot", line_color="#888")
    fig.add_hline(y=0, line_color="#bbb")
    fig.update_layout(title=title, xaxis_title="periods relative to the event (-1 = reference)",
                      yaxis_title=unit or "effect", showlegend=False)
    return fig
