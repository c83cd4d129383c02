"""Figures of the cycle analyses (:mod:`workbench.cycles`). Builders only: nothing is shown."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

__all__ = ["plot_periodogram", "plot_decomposition", "plot_calendar_effects",
           "plot_forecast", "plot_activity", "plot_deadline"]


def plot_periodogram(result, *, title: str = "Periodogram") -> go.Figure:
    """Power against period (sessions, log axis) with the null and the significance line."""
    pg = result.periodogram
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=pg["period"], y=pg["power"], mode="lines", name="power",
                             line={"width": 1.2}))
    fig.add_trace(go.Scatter(x=pg["period"], y=pg["null_power"], mode="lines",
                             name=f"{result.null} null (mean)", line={"dash": "dot"}))
    fig.add_trace(go.Scatter(x=pg["period"], y=pg["threshold"], mode="lines",
                             name=f"significant (FDR {result.alpha:g})", line={"dash": "dash"}))
    sig = result.significant
    if len(sig):
        fig.add_trace(go.Scatter(
            x=sig["period"], y=sig["power"], mode="markers+text", name="cycles",
            text=[f"{p:.1f} {lab}" for p, lab in zip(sig["period"], sig["calendar_label"],
                                                      strict=True)],
            textposition="top center", marker={"size": 9, "symbol": "diamond"}))
    fig.update_layout(title=f"{title} ({result.method}, n={result.n_obs})",
                      xaxis_title="period (sessions)", yaxis_title="power")
    fig.update_xaxes(type="log")
    return fig


def plot_decomposition(decomposition, *, title: str = "Seasonal decomposition (MSTL)") -> go.Figure:
    """Observed, trend, each seasonal component and the remainder, stacked."""
    c = decomposition.components
    cols = ["observed", "trend"] + [f"seasonal_{p}" for p in decomposition.periods] + ["resid"]
    fig = make_subplots(rows=len(cols), cols=1, shared_xaxes=True, vertical_spacing=0.02,
                        subplot_titles=cols)
    for i, col in enumerate(cols, start=1):
        fig.add_trace(go.Scatter(x=c.index, y=c[col], mode="lines", name=col,
                                 line={"width": 1}, showlegend=False), row=i, col=1)
    fig.update_layout(title=title, height=140 * len(cols) + 80)
    return fig


def plot_calendar_effects(effects, *, title: str = "Calendar effects") -> go.Figure:
    """Point estimates with confidence intervals (rate ratios for counts, returns otherwise)."""
    e = effects.effects[effects.effects["term"] != "const"]
    ref = 1.0 if effects.model != "ols_hac" else 0.0
    fig = go.Figure(go.Scatter(
        x=e["estimate"], y=e["term"], mode="markers",
        error_x={"type": "data", "symmetric": False,
                 "array": (e["ci_high"] - e["estimate"]).to_numpy(),
                 "arrayminus": (e["estimate"] - e["ci_low"]).to_numpy()},
        hovertext=[f"p={p:.3g}" for p in e["p_value"]], name="estimate"))
    fig.add_vline(x=ref, line_dash="dot")
    unit = "rate ratio" if ref == 1.0 else "daily return difference"
    fig.update_layout(title=f"{title} ({effects.model}, {effects.level:.0%} CI)",
                      xaxis_title=unit, yaxis_title="term (vs Monday / January)",
                      height=max(350, 22 * len(e) + 120))
    fig.update_yaxes(autorange="reversed")
    return fig


def plot_forecast(history: pd.Series, forecast: pd.DataFrame, *, lower: str = "low",
                  upper: str = "high", mean: str = "mean", title: str = "Forecast",
                  tail: int = 504) -> go.Figure:
    """Recent history, the forecast mean and its interval band (cycle or Prophet forecasts)."""
    h = history.iloc[-tail:]
    fut = forecast[forecast.index > h.index[-1]]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=h.index, y=h.to_numpy(), mode="lines", name="observed",
                             line={"width": 1, "color": "#777"}))
    fig.add_trace(go.Scatter(x=fut.index, y=fut[upper], mode="lines", line={"width": 0},
                             showlegend=False, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=fut.index, y=fut[lower], mode="lines", line={"width": 0},
                             fill="tonexty", name="interval", fillcolor="rgba(0,114,178,0.2)"))
    fig.add_trace(go.Scatter(x=fut.index, y=fut[mean], mode="lines", name="forecast",
                             line={"color": "#0072B2"}))
    fig.update_layout(title=title, xaxis_title="session", yaxis_title=history.name or "value")
    return fig


def plot_activity(activity: pd.DataFrame, *, window: int = 21,
                  title: str = "Trade activity") -> go.Figure:
    """Trailing ``window``-session mean of per-session counts, one line per column."""
    sm = activity.rolling(window, min_periods=1).mean()
    fig = go.Figure([go.Scatter(x=sm.index, y=sm[c], mode="lines", name=str(c))
                     for c in sm.columns])
    fig.update_layout(title=f"{title} ({window}-session mean)", xaxis_title="session",
                      yaxis_title="trades per session")
    return fig


def plot_deadline(effect, *, deadline: int = 45) -> go.Figure:
    """Disclosures by reporting lag (calendar days) with the STOCK Act deadline marked."""
    lg = effect.lags
    fig = go.Figure(go.Bar(x=lg["lag_days"], y=lg["count"], name="disclosures"))
    fig.add_vline(x=deadline + 0.5, line_dash="dash", annotation_text=f"{deadline}-day limit")
    rr = "" if np.isnan(effect.rate_ratio) else (
        f" - last 5 days vs 5 before: x{effect.rate_ratio:.2f} "
        f"[{effect.ci_low:.2f}, {effect.ci_high:.2f}]")
    fig.update_layout(title=f"Reporting lag{rr}", xaxis_title="days from trade to disclosure",
                      yaxis_title="trades")
    return fig
