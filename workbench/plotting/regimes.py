"""Figures of the regime analyses (:mod:`workbench.regimes`). Builders only."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

__all__ = ["REGIME_COLORS", "plot_regime_prices", "plot_transition_matrix",
           "plot_regime_probabilities", "plot_walk_forward_probabilities", "plot_change_points"]

REGIME_COLORS = {"bull": "#009E73", "bear": "#D55E00", "high_vol": "#CC79A7",
                 "low_vol": "#56B4E9"}


def _color(name: str) -> str:
    return REGIME_COLORS.get(name, "#999999")


def plot_regime_prices(prices: pd.Series, history: pd.DataFrame, *,
                       title: str = "Regimes", log: bool = True) -> go.Figure:
    """A price (or cumulative return) line over shaded regime spells.

    ``history`` is :attr:`RegimeResult.history` (``regime, start, end``).
    """
    fig = go.Figure()
    seen = set()
    for row in history.itertuples():
        fig.add_vrect(x0=row.start, x1=row.end, fillcolor=_color(row.regime), opacity=0.25,
                      line_width=0, layer="below")
        if row.regime not in seen:  # legend entry per regime
            seen.add(row.regime)
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=row.regime,
                                     marker={"color": _color(row.regime), "size": 10,
                                             "symbol": "square"}))
    fig.add_trace(go.Scatter(x=prices.index, y=prices.to_numpy(), mode="lines", name="price",
                             line={"color": "#222", "width": 1.2}))
    # The legend-only traces come first and carry no x: without an explicit type plotly would
    # take the axis as linear and draw the date rectangles as NaN paths.
    fig.update_layout(title=title, xaxis_title="session",
                      yaxis_title=prices.name or "growth of 1 (log scale)" if log else "level")
    fig.update_xaxes(type="date")
    if log:
        fig.update_yaxes(type="log")
    return fig


def plot_transition_matrix(transition: pd.DataFrame, *,
                           title: str = "Daily transition probabilities") -> go.Figure:
    """Heatmap of P(to | from) with the expected duration 1/(1-p_ii) in the row labels."""
    p = transition.to_numpy()
    dur = 1 / np.clip(1 - np.diag(p), 1e-12, None)
    rows = [f"{n} (~{d:.0f} sessions)" for n, d in zip(transition.index, dur, strict=True)]
    fig = go.Figure(go.Heatmap(z=p, x=list(transition.columns), y=rows, colorscale="Blues",
                               text=np.round(p, 3), texttemplate="%{text}", zmin=0, zmax=1))
    fig.update_layout(title=title, xaxis_title="to", yaxis_title="from")
    fig.update_yaxes(autorange="reversed")
    return fig


def plot_regime_probabilities(regimes: pd.DataFrame, *, kind: str = "p",
                              title: str | None = None) -> go.Figure:
    """Stacked area of filtered (``kind="p"``) or smoothed (``"s"``) probabilities of a
    :class:`~workbench.regimes.RegimeResult`.

    Both come from a model fitted on the whole sample: the filter's recursion stops at each
    session but its parameters saw the later sessions, so neither is what was knowable then
    (:func:`plot_walk_forward_probabilities` draws that).
    """
    cols = [c for c in regimes.columns if c.startswith(f"{kind}_")]
    fig = go.Figure([go.Scatter(x=regimes.index, y=regimes[c], mode="lines", stackgroup="one",
                                name=c[2:], line={"width": 0.5, "color": _color(c[2:])})
                     for c in cols])
    label = ("Filtered (whole-sample parameters)" if kind == "p"
             else "Smoothed (whole sample)")
    fig.update_layout(title=title or f"{label} regime probabilities", yaxis_range=[0, 1],
                      xaxis_title="session", yaxis_title="probability")
    return fig


def plot_walk_forward_probabilities(walk, *, title: str | None = None) -> go.Figure:
    """Stacked area of walk-forward regime probabilities, with the refit dates marked.

    ``walk`` is a :class:`~workbench.regimes.WalkForwardRegimes`: each session's probabilities
    come from a model fitted on earlier sessions only, filtered up to that session (what was
    knowable at its close). Sessions before the first refit are left out.
    """
    proba = walk.proba.dropna()
    fig = go.Figure([go.Scatter(x=proba.index, y=proba[c], mode="lines", stackgroup="one",
                                name=str(c), line={"width": 0.5, "color": _color(str(c))})
                     for c in proba.columns])
    for d in walk.refits["date"]:
        fig.add_vline(x=d, line_width=0.5, line_dash="dot", line_color="#555", opacity=0.5)
    every = (f", refitted every {int(walk.refits['n_train'].diff().median())} sessions"
             if len(walk.refits) > 1 else "")
    fig.update_layout(title=title or "Walk-forward regime probabilities (model fitted on earlier"
                      f" sessions only{every}; dotted: refits)", yaxis_range=[0, 1],
                      xaxis_title="session")
    fig.update_xaxes(type="date")
    return fig


def plot_change_points(series: pd.Series, result, *, title: str = "Change points",
                       cumulative: bool = False) -> go.Figure:
    """The series (or its cumulative sum) with segment means and vertical change-point lines.

    The series is drawn on the scale the detection used (``result.transform``).
    """
    from workbench.regimes.changepoints import transform_series

    y = transform_series(series.astype(float), getattr(result, "transform", "none"))
    y = y.cumsum() if cumulative else y
    fig = go.Figure(go.Scatter(x=y.index, y=y.to_numpy(), mode="lines", name=series.name or "y",
                               line={"width": 1, "color": "#777"}))
    if not cumulative:
        for row in result.segments.itertuples():
            fig.add_trace(go.Scatter(x=[row.start, row.end], y=[row.mean, row.mean], mode="lines",
                                     line={"color": "#D55E00", "width": 2}, showlegend=False))
    for cp in result.change_points:
        fig.add_vline(x=cp, line_dash="dot", line_color="#0072B2")
    scale = "" if result.transform == "none" else f", {result.transform} scale"
    fig.update_layout(title=f"{title} ({result.method}, {result.model}, pen={result.penalty:.1f}"
                            f"{scale})",
                      xaxis_title="session",
                      yaxis_title=(series.name or "value") + ("" if result.transform == "none"
                                                             else f" ({result.transform})"))
    return fig
