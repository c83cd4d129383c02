"""Figures of the anomaly detector: score distribution, top trades, SHAP, late filers,
committee-relevant shares.

Builders return plotly figures and never show them; every string from data is escaped.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from workbench.plotting.features import plot_table
from workbench.plotting.theme import COLORWAY

__all__ = ["plot_score_distribution", "plot_top_trades", "plot_shap_bar", "plot_late_filers",
           "plot_committee_share", "plot_planted_vs_recovered"]


def plot_score_distribution(result) -> go.Figure:
    """Histogram of the rank-averaged score; flagged trades and the top-k in colour."""
    t = result.table
    bins = {"start": 0.0, "end": 1.0, "size": 0.01}
    fig = go.Figure([
        go.Histogram(x=t.loc[~t["flagged"], "score"], xbins=bins, name="not flagged",
                     marker_color="#b0b0b0"),
        go.Histogram(x=t.loc[t["flagged"], "score"], xbins=bins, name="flagged",
                     marker_color=COLORWAY[3])])
    cut = t["score"].iloc[result.k - 1] if len(t) >= result.k else np.nan
    if np.isfinite(cut):
        fig.add_vline(x=float(cut), line_dash="dash", annotation_text=f"top {result.k}")
    fig.update_layout(barmode="overlay", yaxis_type="log", title="Anomaly score (rank average "
                      "of isolation forest, autoencoder and robust z)",
                      xaxis_title="score (0-1)", yaxis_title="trades (log scale)")
    return fig


def plot_top_trades(result, n: int = 20) -> go.Figure:
    """The top trades with kind guess and explanation."""
    cols = ["rank", "politician", "ticker", "transaction_date", "disclosure_date", "score",
            "flagged", "kind", "explanation"]
    df = result.table.head(n)[cols].copy()
    fig = plot_table(df, f"Top {len(df)} unusual trades (explanations from SHAP on the "
                         "isolation forest; usual = the politician's median)")
    fig.update_traces(columnwidth=[30, 90, 45, 70, 70, 45, 45, 55, 420])
    return fig


def plot_shap_bar(result, trade_id: str | None = None, top: int = 10) -> go.Figure:
    """SHAP values of one trade (default the top one): bars left of 0 push toward anomalous."""
    if trade_id is None:
        trade_id = result.table["trade_id"].iloc[0]
    row = result.shap_values.loc[trade_id]
    vals = result.features.loc[trade_id]
    order = row.abs().sort_values(ascending=False).index[:top][::-1]
    info = result.table.set_index("trade_id").loc[trade_id]
    fig = go.Figure(go.Bar(
        x=row[order], y=[f"{f} = {vals[f]:.3g}" for f in order], orientation="h",
        marker_color=[COLORWAY[3] if v < 0 else COLORWAY[0] for v in row[order]]))
    fig.update_layout(title=html.escape(f"Why trade {trade_id} ({info['politician']}, "
                                        f"{info['ticker']}) is unusual: SHAP values"),
                      xaxis_title="SHAP value (negative = shorter isolation path = more unusual)",
                      margin={"l": 300}, height=420)
    return fig


def plot_late_filers(result, n: int = 15) -> go.Figure:
    """Politician-years whose late share is most unusual against their own history."""
    cols = ["politician", "year", "n_trades", "n_late", "late_share", "reference_share",
            "reference", "p_value", "unusual"]
    df = result.late_filers.head(n)[cols]
    return plot_table(df, f"Late filers: the {len(df)} politician-years with the lowest p-value "
                          "(late = disclosed more than 45 days after the trade)")


def plot_committee_share(by_member: pd.DataFrame, names: pd.Series | None = None,
                         top: int = 30) -> go.Figure:
    """Share of committee-relevant trades per politician against their base rate.

    ``by_member`` from :func:`workbench.data.committees.relevance_by_member`; ``names`` maps
    bioguide_id to a display name. Membership is current-Congress only.
    """
    df = by_member.sort_values("n_trades", ascending=False).head(top)
    df = df.sort_values("excess")
    label = df["bioguide_id"].map(names) if names is not None else df["bioguide_id"]
    label = label.fillna(df["bioguide_id"]).astype(str)
    fig = go.Figure([
        go.Bar(y=label, x=df["share"], orientation="h", name="committee-relevant share",
               marker_color=COLORWAY[0]),
        go.Scatter(y=label, x=df["base_rate"], mode="markers", name="base rate (own sectors "
                   "at Congress's sector mix)", marker={"color": COLORWAY[3], "symbol": "line-ns",
                                                       "size": 14, "line": {"width": 3}})])
    fig.update_layout(title=f"Committee-relevant share of trades, {len(df)} most active members "
                            "(current-Congress membership)", xaxis={"tickformat": ".0%",
                                                                   "range": [0, 1]},
                      height=max(420, 22 * len(df) + 140), margin={"l": 200})
    return fig


def plot_planted_vs_recovered(table: pd.DataFrame) -> go.Figure:
    return plot_table(table, "Planted vs recovered (synthetic truth)")
