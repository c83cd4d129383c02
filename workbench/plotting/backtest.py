"""Figures of workbench.backtest results: equity curves, drawdowns, cost sensitivity."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from workbench import metrics
from workbench.plotting.theme import COLORWAY

__all__ = ["plot_equity", "plot_drawdowns", "plot_cost_sensitivity"]


def _results(comparison_or_results):
    if hasattr(comparison_or_results, "results"):
        return list(comparison_or_results.results)
    if isinstance(comparison_or_results, dict):
        return list(comparison_or_results.items())
    return [(r.strategy, r) for r in comparison_or_results]


def plot_equity(results, benchmark: bool = True, log: bool = True,
                title: str = "Equity curves (net of costs)") -> go.Figure:
    """Net equity of each strategy (a StrategyComparison, dict or list of BacktestResult)."""
    items = _results(results)
    fig = go.Figure()
    for i, (name, r) in enumerate(items):
        fig.add_trace(go.Scatter(x=r.equity.index, y=r.equity, mode="lines", name=str(name),
                                 line={"color": COLORWAY[i % len(COLORWAY)]}))
    if benchmark and items:
        b = items[0][1].benchmark.fillna(0.0)
        fig.add_trace(go.Scatter(x=b.index, y=(1 + b).cumprod(), mode="lines",
                                 name="benchmark", line={"color": "#888", "dash": "dot"}))
    fig.update_layout(title=title, yaxis_type="log" if log else "linear",
                      xaxis_title="session", yaxis_title="wealth (start = 1)")
    return fig


def plot_drawdowns(results, title: str = "Drawdowns") -> go.Figure:
    """Drawdown from the running peak of each strategy's net equity."""
    fig = go.Figure()
    for i, (name, r) in enumerate(_results(results)):
        dd = metrics.drawdown(r.returns)
        fig.add_trace(go.Scatter(x=dd.index, y=dd, mode="lines", name=str(name),
                                 line={"color": COLORWAY[i % len(COLORWAY)]}))
    fig.update_layout(title=title, yaxis_tickformat=".0%", yaxis_title="drawdown",
                      xaxis_title="session")
    return fig


def plot_cost_sensitivity(table: pd.DataFrame, metric: str = "cagr",
                          title: str | None = None) -> go.Figure:
    """A metric of :func:`workbench.backtest.cost_sensitivity` against the one-way cost."""
    fig = go.Figure(go.Scatter(x=table["cost_bps"], y=table[metric], mode="lines+markers",
                               line={"color": COLORWAY[0]}))
    fig.update_layout(title=title or f"{metric} vs one-way cost",
                      xaxis_title="one-way cost incl. slippage (bps)",
                      yaxis_title=metric,
                      yaxis_tickformat=".1%" if metric in ("cagr", "ff5_alpha") else None)
    return fig
