"""Figures of workbench.ensemble results: member skill, weights, calibration, attribution, folds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from workbench.plotting.theme import COLORWAY

__all__ = ["plot_member_skill", "plot_weights", "plot_calibration", "plot_attribution",
           "plot_folds"]


def _label(name: str) -> str:
    from workbench.ensemble.prediction import LABELS

    return {"ensemble": "ensemble", "zero": "zero forecast",
            "mean": "training mean"}.get(name, LABELS.get(name, name))


def plot_member_skill(skill: pd.DataFrame, title: str = "Out-of-sample R² against a zero "
                      "forecast (test folds)") -> go.Figure:
    """Horizontal bars of each predictor's out-of-sample R2 (ensemble highlighted).

    The training-mean baseline is left out (its R2 is usually far below the others' and would
    set the scale); it is in the member table.
    """
    s = skill[skill["predictor"] != "mean"].sort_values("r2_oos")
    colors = [COLORWAY[3] if p == "ensemble" else "#999999" if p in ("zero", "mean")
              else COLORWAY[0] for p in s["predictor"]]
    fig = go.Figure(go.Bar(
        x=s["r2_oos"] * 100, y=[_label(p) for p in s["predictor"]], orientation="h",
        marker_color=colors, customdata=np.column_stack([s["coverage"] * 100, s["mse"]]),
        hovertemplate="%{y}<br>R² %{x:.3f}%<br>coverage %{customdata[0]:.0f}%"
                      "<br>MSE %{customdata[1]:.3g}<extra></extra>", showlegend=False))
    fig.update_layout(title=title, xaxis_title="out-of-sample R² (%)",
                      yaxis_title="predictor", height=160 + 32 * len(s))
    return fig


def plot_weights(weights: pd.DataFrame, members, served=None,
                 title: str = "Meta-learner weights by fold (return units)") -> go.Figure:
    """Grouped bars of each member's weight in each fold, and the served weights."""
    fig = go.Figure()
    for i, r in enumerate(weights.itertuples()):
        fig.add_trace(go.Bar(x=[_label(m) for m in members],
                             y=[getattr(r, m) for m in members], name=f"fold {r.fold + 1}",
                             marker_color=COLORWAY[i % len(COLORWAY)]))
    if served is not None:
        fig.add_trace(go.Bar(x=[_label(m) for m in members], y=list(served),
                             name="served (all samples)", marker_color="#333333"))
    fig.update_layout(title=title, barmode="group", xaxis_title="member",
                      yaxis_title="weight on the member's predicted log return")
    return fig


def plot_calibration(curve: pd.DataFrame, ece: float,
                     title: str = "Confidence calibration (top-label reliability, test folds)"
                     ) -> go.Figure:
    """Observed accuracy against stated confidence, with the diagonal and bin counts."""
    c = curve[curve["count"] > 0]
    fig = go.Figure(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="perfect calibration",
                               line={"color": "#999", "dash": "dash"}))
    fig.add_trace(go.Scatter(
        x=c["confidence"], y=c["accuracy"], mode="lines+markers",
        name=f"ensemble (ECE {ece * 100:.1f} points)", line={"color": COLORWAY[3]},
        marker={"size": np.clip(np.sqrt(c["count"]) / 2, 4, 18)}, customdata=c["count"],
        hovertemplate="confidence %{x:.2f}<br>accuracy %{y:.2f}<br>n %{customdata}"
                      "<extra></extra>"))
    fig.update_layout(title=title, xaxis_title="stated confidence (most likely direction)",
                      yaxis_title="observed accuracy", xaxis_range=[0, 1], yaxis_range=[0, 1])
    return fig


def plot_attribution(prediction, title: str | None = None) -> go.Figure:
    """Each member's contribution (weight x value) to the expected return, in percent."""
    f = prediction.to_frame()
    f = f.assign(contribution=f["attribution"] * 100).sort_values("contribution")
    colors = [COLORWAY[2] if v > 0 else COLORWAY[3] if v < 0 else "#bbbbbb"
              for v in f["contribution"]]
    text = [f"{round(v, 2) + 0.0:+.2f}%" if s == "ok" else s  # + 0.0: no "-0.00%"
            for v, s in zip(f["contribution"], f["status"], strict=True)]
    fig = go.Figure(go.Bar(x=f["contribution"], y=f["label"], orientation="h",
                           marker_color=colors, text=text, textposition="outside",
                           hovertext=f["reason"], hoverinfo="text", showlegend=False))
    er = round(prediction.expected_return * 100, 2) + 0.0
    day = pd.Timestamp(prediction.as_of).date()
    fig.update_layout(
        title=title or (f"{prediction.ticker} on {day}: expected {er:+.2f}% over "
                        f"{prediction.horizon} sessions, by member"),
        xaxis_title="contribution to the expected log return (%)", yaxis_title="member",
        height=160 + 34 * len(f))
    return fig


def plot_folds(by_fold: pd.DataFrame, title: str = "Squared error by test fold: ensemble, "
               "best member, zero") -> go.Figure:
    """Grouped bars of the mean squared error in each fold."""
    fig = go.Figure()
    x = [f"fold {int(f) + 1}" for f in by_fold["fold"]]
    best = by_fold["best_member"].iloc[0] if len(by_fold) else ""
    for i, (col, name) in enumerate((("ensemble_mse", "ensemble"),
                                     ("best_member_mse", f"best member ({_label(best)})"),
                                     ("zero_mse", "zero forecast"))):
        fig.add_trace(go.Bar(x=x, y=by_fold[col], name=name,
                             marker_color=[COLORWAY[3], COLORWAY[0], "#999999"][i]))
    fig.update_layout(title=title, barmode="group", xaxis_title="test fold",
                      yaxis_title="mean squared error of the log return")
    return fig
