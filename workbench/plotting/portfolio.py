"""Figures of workbench.portfolio results: allocation equity curves and the metrics table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from workbench.plotting.theme import COLORWAY

__all__ = ["plot_allocation_equity", "allocation_table"]

LABELS = {"equal": "equal weight", "mean_variance": "mean-variance",
          "risk_parity": "risk parity", "agent": "policy-gradient agent"}


def plot_allocation_equity(comparison, log: bool = True,
                           title: str = "Allocation over the most-bought tickers "
                           "(net of costs)") -> go.Figure:
    """Net equity of each allocation method from the first session any method holds."""
    eq = comparison.equity()
    start = min(r.n_holdings.gt(0).idxmax() for r in comparison.results.values())
    eq = eq.loc[start:]
    eq = eq / eq.iloc[0]
    fig = go.Figure()
    for i, col in enumerate(eq.columns):
        fig.add_trace(go.Scatter(x=eq.index, y=eq[col], mode="lines",
                                 name=LABELS.get(col, col),
                                 line={"color": COLORWAY[i % len(COLORWAY)]}))
    fig.update_layout(title=title, yaxis_type="log" if log else "linear",
                      xaxis_title="session", yaxis_title="wealth (start = 1)")
    return fig


def allocation_table(comparison) -> pd.DataFrame:
    """Headline metrics per method, rounded for display (strings)."""
    m = comparison.metrics

    def pct(v):
        return f"{100 * v:.1f}%" if np.isfinite(v) else ""

    def num(v, d=2):
        return f"{v:.{d}f}" if np.isfinite(v) else ""

    return pd.DataFrame({
        "method": [LABELS.get(i, i) for i in m.index],
        "Sharpe (annual)": m["sharpe"].map(num).to_numpy(),
        "CAGR": m["cagr"].map(pct).to_numpy(),
        "volatility": m["volatility"].map(pct).to_numpy(),
        "max drawdown": m["max_drawdown"].map(pct).to_numpy(),
        "turnover / yr": m["annual_turnover"].map(lambda v: num(v, 1)).to_numpy(),
        "deflated Sharpe": m["dsr"].map(num).to_numpy(),
        "p vs equal": m["diff_vs_equal_p"].map(lambda v: f"{v:.3g}" if np.isfinite(v)
                                               else "").to_numpy()})
