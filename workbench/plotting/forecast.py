"""Figures of workbench.forecast results: folds, learning curves, calibration, fans, Optuna."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from workbench.plotting.theme import COLORWAY

__all__ = ["plot_fold_layout", "plot_learning_curves", "plot_calibration", "plot_forecast_fan",
           "plot_optuna_history", "plot_param_importance", "plot_fold_metric",
           "comparison_table"]

SET_COLORS = {"train": COLORWAY[0], "gap": "#bbbbbb", "test": COLORWAY[3]}
PREDICTOR_NAMES = {"model": "network", "majority": "majority class",
                   "logistic": "logistic regression"}


def plot_fold_layout(layout: pd.DataFrame, title: str = "Walk-forward folds "
                     "(expanding train, purge gap, test)") -> go.Figure:
    """Gantt-style bars of each fold's train, gap and test spans (decision dates)."""
    fig = go.Figure()
    shown = set()
    for r in layout.itertuples():
        start, end = pd.Timestamp(r.start), pd.Timestamp(r.end) + pd.Timedelta(days=1)
        fig.add_trace(go.Bar(
            y=[f"fold {r.fold + 1}"], x=[(end - start).total_seconds() * 1000], base=[start],
            orientation="h", marker_color=SET_COLORS[r.set], name=r.set,
            showlegend=r.set not in shown,
            hovertext=f"{r.set}: {start.date()} to {pd.Timestamp(r.end).date()} "
                      f"({r.n_dates} sessions)", hoverinfo="text"))
        shown.add(r.set)
    fig.update_layout(title=title, barmode="overlay", xaxis_type="date",
                      xaxis_title="decision date", yaxis_autorange="reversed",
                      height=140 + 45 * layout["fold"].nunique())
    return fig


def plot_learning_curves(history: pd.DataFrame, title: str = "Learning curves "
                         "(multitask loss on standardized targets)") -> go.Figure:
    """Training and validation loss by epoch, one colour per fold."""
    fig = go.Figure()
    for i, (fold, h) in enumerate(history.groupby("fold")):
        c = COLORWAY[i % len(COLORWAY)]
        fig.add_trace(go.Scatter(x=h["epoch"], y=h["train_loss"], mode="lines",
                                 name=f"fold {fold + 1} train", line={"color": c, "dash": "dot"}))
        fig.add_trace(go.Scatter(x=h["epoch"], y=h["val_loss"], mode="lines+markers",
                                 name=f"fold {fold + 1} validation", line={"color": c}))
    fig.update_layout(title=title, xaxis_title="epoch", yaxis_title="loss", xaxis_dtick=1)
    return fig


def plot_calibration(result, n_bins: int = 10,
                     title: str = "Direction calibration (top-label reliability, test folds)"
                     ) -> go.Figure:
    """Observed accuracy against stated confidence for the network and its baselines."""
    from workbench.forecast.evaluation import expected_calibration_error, reliability_curve

    y = result.predictions["direction"].to_numpy()
    fig = go.Figure(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="perfect calibration",
                               line={"color": "#999", "dash": "dash"}))
    for i, name in enumerate(("model", "majority", "logistic")):
        p = result.proba(name)
        c = reliability_curve(y, p, n_bins)
        c = c[c["count"] > 0]
        ece = expected_calibration_error(y, p, n_bins)
        fig.add_trace(go.Scatter(
            x=c["confidence"], y=c["accuracy"], mode="lines+markers",
            name=f"{PREDICTOR_NAMES[name]} (ECE {ece:.3f})",
            marker={"size": np.clip(np.sqrt(c["count"]) / 2, 4, 18)},
            line={"color": COLORWAY[i]}, customdata=c["count"],
            hovertemplate="confidence %{x:.2f}<br>accuracy %{y:.2f}<br>n %{customdata}"))
    fig.update_layout(title=title, xaxis_title="stated confidence (top class)",
                      yaxis_title="observed accuracy", xaxis_range=[0, 1], yaxis_range=[0, 1])
    return fig


def plot_forecast_fan(result, ticker: str, title: str | None = None) -> go.Figure:
    """Forecast ``h``-session log return of one ticker with 50% / 90% bands from the
    volatility head (normal, ``vol * sqrt(h)``), against the realized return."""
    p = result.predictions[result.predictions["ticker"] == ticker].sort_values("date")
    h = result.horizon
    sd = p["vol_model"] * np.sqrt(h)
    fig = go.Figure()
    for z, alpha, label in ((1.645, 0.18, "90% band"), (0.674, 0.35, "50% band")):
        fig.add_trace(go.Scatter(x=p["date"], y=p["ret_model"] + z * sd, mode="lines",
                                 line={"width": 0}, showlegend=False, hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=p["date"], y=p["ret_model"] - z * sd, mode="lines",
                                 line={"width": 0}, fill="tonexty", name=label,
                                 fillcolor=f"rgba(0,114,178,{alpha})", hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=p["date"], y=p["ret_model"], mode="lines", name="forecast",
                             line={"color": COLORWAY[0]}))
    fig.add_trace(go.Scatter(x=p["date"], y=p["ret"], mode="markers", name="realized",
                             marker={"color": COLORWAY[3], "size": 4}))
    fig.update_layout(title=title or f"{ticker}: {h}-session log return forecast fan "
                      "(test folds; date = decision date)",
                      xaxis_title="decision date", yaxis_title=f"{h}-session log return",
                      yaxis_tickformat=".1%")
    return fig


def plot_fold_metric(result, task: str = "volatility", metric: str = "QLIKE",
                     title: str | None = None) -> go.Figure:
    """One metric per fold for the network and each baseline (grouped bars)."""
    m = result.metrics(by_fold=True)
    m = m[(m["task"] == task) & (m["metric"] == metric)]
    fig = go.Figure()
    for i, (name, g) in enumerate(m.groupby("predictor", sort=False)):
        fig.add_trace(go.Bar(x=[f"fold {f + 1}" for f in g["fold"]], y=g["value"],
                             name=PREDICTOR_NAMES.get(name, name),
                             marker_color=COLORWAY[i % len(COLORWAY)]))
    fig.update_layout(title=title or f"{task} {metric} by test fold (lower is better)",
                      barmode="group", yaxis_title=metric)
    return fig


def plot_optuna_history(tuning, title: str = "Optuna trials (inner validation score; "
                        "lower is better)") -> go.Figure:
    """Each trial's score (pruned trials at their last report) and the running best."""
    t = tuning.trials
    fig = go.Figure()
    if t.empty:
        fig.update_layout(title=title + ": no trials")
        return fig
    done = t[t["state"] == "COMPLETE"]
    fig.add_trace(go.Scatter(x=done["number"], y=done["value"], mode="markers",
                             name="complete", marker={"color": COLORWAY[0], "size": 9}))
    pruned = t[t["state"] == "PRUNED"]
    if len(pruned):
        fig.add_trace(go.Scatter(x=pruned["number"], y=pruned["value"], mode="markers",
                                 name="pruned", marker={"color": "#999", "symbol": "x",
                                                        "size": 9}))
    best = done.set_index("number")["value"].cummin()
    fig.add_trace(go.Scatter(x=best.index, y=best, mode="lines", name="best so far",
                             line={"color": COLORWAY[3], "shape": "hv"}))
    fig.update_layout(title=title, xaxis_title="trial", yaxis_title="relative score",
                      xaxis_dtick=1)
    return fig


def plot_param_importance(tuning, title: str = "Hyperparameter importance (fANOVA)"
                          ) -> go.Figure:
    """Optuna's parameter importances (empty figure with a note if not computable)."""
    imp = tuning.importance.sort_values()
    fig = go.Figure(go.Bar(x=imp.to_numpy(), y=imp.index.astype(str), orientation="h",
                           marker_color=COLORWAY[2]))
    note = "" if len(imp) else ": needs at least two complete trials"
    fig.update_layout(title=title + note, xaxis_title="importance (sums to 1)",
                      height=max(250, 80 + 35 * len(imp)))
    return fig


def _sig(x, digits: int = 4) -> str:
    if x is None or not np.isfinite(x):
        return ""
    return f"{x:.{digits}g}"


def comparison_table(result, rows=None) -> pd.DataFrame:
    """The model-vs-baseline table with numbers rounded for display (strings)."""
    c = result.comparisons(rows)
    out = pd.DataFrame({
        "task": c["task"], "loss": c["loss"], "baseline": c["baseline"],
        "network": c["model_loss"].map(_sig), "baseline value": c["baseline_loss"].map(_sig),
        "change": (100 * (c["model_loss"] / c["baseline_loss"] - 1)).map(
            lambda v: f"{v:+.1f}%" if np.isfinite(v) else ""),
        "DM p (one-sided)": c["dm_p"].map(lambda v: _sig(v, 3)),
        "binomial p": c["binom_p"].map(lambda v: _sig(v, 3)),
        "verdict": c["verdict"]})
    return out
