"""Figures of the feature store: catalog by group, coverage, importance.

Builders return plotly figures and never show them.
"""

from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go

from workbench.plotting.theme import COLORWAY

__all__ = ["plot_catalog_summary", "plot_coverage", "plot_importance", "plot_table"]


def plot_table(df, title: str, height: int | None = None) -> go.Figure:
    """A plotly table; strings escaped, floats with at most 4 significant digits."""
    def fmt(v):
        if v.dtype.kind == "f":
            return v.map(lambda x: "" if not np.isfinite(x) else f"{x:,.4g}")
        if v.dtype.kind == "M":
            return v.dt.strftime("%Y-%m-%d").fillna("")
        return v.astype(str).map(html.escape)

    fig = go.Figure(go.Table(
        header={"values": [html.escape(str(c)) for c in df.columns], "align": "left"},
        cells={"values": [fmt(df[c]) for c in df.columns], "align": "left"}))
    fig.update_layout(title=title, height=height or min(120 + 28 * len(df), 900),
                      margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return fig


def plot_catalog_summary(features) -> go.Figure:
    """Features per group: public (disclosure-dated) and ``*_tx`` (transaction-dated)."""
    s = features.summary()
    fig = go.Figure([
        go.Bar(x=s.index, y=s["n_public"], name="public (known at disclosure)",
               marker_color=COLORWAY[0]),
        go.Bar(x=s.index, y=s["n_tx"], name="*_tx (trader's knowledge at transaction)",
               marker_color=COLORWAY[1])])
    fig.update_layout(barmode="stack", title=f"Feature catalog: {int(s['n_features'].sum())} "
                      "features in {} groups".format(len(s)), yaxis_title="features")
    return fig


def plot_coverage(coverage, title: str = "Coverage: share of non-missing values per group") -> go.Figure:
    """Bar of ``share_non_missing`` (and the worst feature) per group (``FeatureSet.coverage``)."""
    fig = go.Figure([
        go.Bar(x=coverage.index, y=coverage["share_non_missing"], name="mean over features",
               marker_color=COLORWAY[2]),
        go.Bar(x=coverage.index, y=coverage["worst_feature_share"], name="worst feature",
               marker_color=COLORWAY[3])])
    fig.update_layout(title=title, yaxis={"title": "share non-missing", "range": [0, 1.05],
                                          "tickformat": ".0%"}, barmode="group")
    return fig


def plot_importance(result, top: int = 25) -> go.Figure:
    """Mutual information and permutation importance of the top features (selected marked)."""
    t = result.table.head(top).iloc[::-1]
    names = [f"{f} ({g}){' *' if s else ''}" for f, g, s in
             zip(t["feature"], t["group"], t["selected"], strict=True)]
    fig = go.Figure([
        go.Bar(y=names, x=t["mutual_info"], orientation="h", name="mutual information (train)",
               marker_color=COLORWAY[0]),
        go.Bar(y=names, x=t["perm_importance"], orientation="h",
               error_x={"type": "data", "array": t["perm_std"]},
               name="permutation importance (test, R^2 drop)", marker_color=COLORWAY[1])])
    fig.update_layout(barmode="group", height=max(420, 22 * len(t) + 140),
                      title=f"Top {len(t)} features against the {result.horizon}-session forward "
                            "abnormal return (* = selected)", margin={"l": 320})
    return fig
