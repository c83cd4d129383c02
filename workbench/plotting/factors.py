"""Figures of workbench.factors results: cumulative returns, exposures, attribution, CAR."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from workbench.plotting.theme import COLORWAY, party_color

__all__ = ["plot_cumulative", "plot_exposures", "plot_attribution", "plot_event_car",
           "plot_politician_alphas"]


def _color(name: str, i: int) -> str:
    c = party_color(name)
    return COLORWAY[i % len(COLORWAY)] if c == party_color("?") else c


def plot_cumulative(returns: pd.DataFrame | pd.Series, title: str = "Cumulative return"
                    ) -> go.Figure:
    """Compounded growth of daily portfolio returns (NaN sessions = no position = flat).

    ``returns`` is a session x group frame (e.g. ``GroupPortfolios.returns``) or one Series.
    """
    df = returns.to_frame() if isinstance(returns, pd.Series) else returns
    fig = go.Figure()
    for i, col in enumerate(df.columns):
        wealth = (1 + df[col].fillna(0.0)).cumprod()
        fig.add_trace(go.Scatter(x=wealth.index, y=wealth - 1, mode="lines", name=str(col),
                                 line={"color": _color(str(col), i)}))
    fig.update_layout(title=title, yaxis_tickformat=".0%", xaxis_title="session",
                      yaxis_title="cumulative return (no position: flat)")
    return fig


def plot_exposures(comparison, title: str = "Factor exposures and alpha by group") -> go.Figure:
    """Coefficients with confidence intervals per group (a :class:`GroupComparison`)."""
    t = comparison.table
    fig = go.Figure()
    for i, (g, sub) in enumerate(t.groupby("group", sort=False)):
        fig.add_trace(go.Bar(
            x=sub["term"], y=sub["coef"], name=str(g), marker_color=_color(str(g), i),
            error_y={"type": "data", "symmetric": False,
                     "array": sub["ci_high"] - sub["coef"],
                     "arrayminus": sub["coef"] - sub["ci_low"]}))
    fig.update_layout(title=title, barmode="group", xaxis_title="term",
                      yaxis_title="coefficient (alpha: per year; betas: loading)")
    return fig


def plot_attribution(fit, title: str | None = None) -> go.Figure:
    """Waterfall of the mean annualized return split into RF, alpha and factor contributions."""
    a = fit.attribution.drop("total")
    fig = go.Figure(go.Waterfall(
        x=list(a.index) + ["total"], y=list(a.to_numpy()) + [fit.attribution["total"]],
        measure=["relative"] * len(a) + ["total"], text=[f"{v:.1%}" for v in a] +
        [f"{fit.attribution['total']:.1%}"]))
    fig.update_layout(title=title or f"Return attribution ({fit.model.upper()}, annualized)",
                      yaxis_tickformat=".1%", showlegend=False, xaxis_title="component",
                      yaxis_title="mean return, per year")
    return fig


def plot_event_car(result, title: str | None = None) -> go.Figure:
    """CAAR around day 0 with its cross-sectional confidence band (an EventStudyResult)."""
    p = result.path
    x = p.index.to_numpy()
    fig = go.Figure([
        go.Scatter(x=np.concatenate([x, x[::-1]]),
                   y=np.concatenate([p["ci_high"], p["ci_low"][::-1]]), fill="toself",
                   line={"width": 0}, fillcolor="rgba(0,114,178,0.18)",
                   name=f"{result.confidence:.0%} band", hoverinfo="skip"),
        go.Scatter(x=x, y=p["caar"], mode="lines+markers", name="CAAR",
                   line={"color": COLORWAY[0]}),
    ])
    fig.add_vline(x=0, line_dash="dot", line_color="#888")
    fig.update_layout(
        title=title or f"Cumulative abnormal return around the {result.date} date "
        f"({result.model} model, {result.side}s, n={len(result.events)})",
        xaxis_title="sessions relative to day 0", yaxis_title="CAAR", yaxis_tickformat=".1%")
    return fig


def plot_politician_alphas(perf, top: int = 15, title: str | None = None) -> go.Figure:
    """Best and worst ``top`` politicians by annualized alpha, +-1.96 SE, coloured by party;
    ``*`` marks a Benjamini-Hochberg q below the level."""
    t = perf.table
    if len(t) > 2 * top:
        t = pd.concat([t.head(top), t.tail(top)])
    t = t.iloc[::-1]
    labels = [f"{p}{' *' if s else ''} (q {q:.2f})" if np.isfinite(q) else str(p)
              for p, s, q in zip(t["politician"], t["significant"], t["q"].astype(float),
                                 strict=True)]
    fig = go.Figure(go.Bar(
        y=labels, x=t["alpha"], orientation="h",
        marker_color=[party_color(p) for p in t["party"]],
        error_x={"type": "data", "array": 1.96 * t["alpha_se"]},
        hovertemplate="%{y}<br>alpha %{x:.1%}/yr<extra></extra>"))
    shown = "all" if len(t) == len(perf.table) else f"best and worst {top} of {len(perf.table)}"
    fig.update_layout(title=title or f"{perf.model.upper()} alpha by politician, {shown} "
                      f"(* {perf.method} q < {perf.level})", xaxis_tickformat=".0%",
                      xaxis_title="alpha, per year (bars: 95% CI)", yaxis_title="politician",
                      height=max(400, 18 * len(t) + 140), showlegend=False)
    return fig
