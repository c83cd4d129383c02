"""Figures of the trader network: the graph coloured by community and party, tables.

Builders return plotly figures and never show them. Layouts use a fixed seed so a report
looks the same run to run.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import plotly.graph_objects as go

from workbench.plotting.theme import COLORWAY, party_color

__all__ = ["plot_network", "plot_community_table", "plot_leader_table",
           "plot_similarity_heatmap"]


def plot_network(graph: nx.Graph, membership=None, leadership=None, *, seed: int = 0,
                 color_by: str = "community") -> go.Figure:
    """Interactive force-directed network.

    Node fill = community (``color_by="community"``) or party (``"party"``); the node outline
    always shows the party. Size grows with the leadership score when ``leadership`` (a
    :class:`~workbench.network.leaders.LeadershipResult`) is given.
    """
    nodes = sorted(graph.nodes())
    pos = nx.spring_layout(graph, weight="weight", seed=seed) if nodes else {}
    ex, ey = [], []
    for u, v in graph.edges():
        ex += [pos[u][0], pos[v][0], None]
        ey += [pos[u][1], pos[v][1], None]
    # SVG, not WebGL: a few hundred edges draw fast either way, and reports must render in
    # browsers without a GPU (headless Chromium logs WebGL driver messages as console output).
    fig = go.Figure(go.Scatter(x=ex, y=ey, mode="lines", hoverinfo="skip", showlegend=False,
                               line={"width": 0.5, "color": "rgba(120,120,120,0.35)"}))
    comm = {n: (int(membership[n]) if membership is not None and n in membership.index else 0)
            for n in nodes}
    score = {n: 0.3 for n in nodes}
    if leadership is not None:
        score.update(leadership.table["leadership_score"].to_dict())
    party = {n: str(graph.nodes[n].get("party", "unknown")) for n in nodes}
    keys = sorted(set(comm.values())) if color_by == "community" else sorted(set(party.values()))
    for i, key in enumerate(keys):
        members = [n for n in nodes if (comm[n] if color_by == "community" else party[n]) == key]
        fill = COLORWAY[i % len(COLORWAY)] if color_by == "community" else party_color(key)
        fig.add_trace(go.Scatter(
            x=[pos[n][0] for n in members], y=[pos[n][1] for n in members], mode="markers",
            name=f"community {key}" if color_by == "community" else key,
            marker={"size": [8 + 18 * float(np.nan_to_num(score[n])) for n in members],
                    "color": fill,
                    "line": {"width": 2, "color": [party_color(party[n]) for n in members]}},
            text=[f"{n} ({party[n]}, {graph.nodes[n].get('state', '')})<br>community {comm[n]}"
                  f"<br>trades {graph.nodes[n].get('n_trades', 0)}" for n in members],
            hovertemplate="%{text}<extra></extra>"))
    fig.update_layout(title="Trader network (fill: " + color_by + ", outline: party)",
                      xaxis={"visible": False}, yaxis={"visible": False}, height=650)
    return fig


def _table(df, title: str) -> go.Figure:
    def fmt(v):
        if v.dtype.kind == "f":
            return v.map(lambda x: "" if np.isnan(x) else f"{x:,.4g}")
        return v.astype(str)

    fig = go.Figure(go.Table(header={"values": list(df.columns), "align": "left"},
                             cells={"values": [fmt(df[c]) for c in df.columns], "align": "left"}))
    fig.update_layout(title=title)
    return fig


def plot_community_table(profiles, min_size: int = 2) -> go.Figure:
    """Community profiles (``profile_communities``) with at least ``min_size`` members."""
    df = profiles[profiles["size"] >= min_size]
    return _table(df, f"Communities with at least {min_size} members ({len(df)})")


def plot_leader_table(leadership, top: int = 30) -> go.Figure:
    """Top politicians by leadership score with their centralities and lead-lag test."""
    cols = ["community", "rank_in_community", "leadership_score", "net_lead", "lead_p_value",
            "degree", "betweenness", "closeness", "pagerank"]
    df = (leadership.table.sort_values("leadership_score", ascending=False)
          .head(top)[cols].reset_index())
    return _table(df, f"Leaders and followers (top {len(df)} by leadership score)")


def plot_similarity_heatmap(similarity, membership=None, component: str = "weight") -> go.Figure:
    """Politician x politician heatmap of one similarity component, ordered by community."""
    names = list(similarity.politicians)
    if membership is not None:
        names = sorted(names, key=lambda n: (int(membership.get(n, -1)), n))
    m = similarity.matrix(component).loc[names, names]
    fig = go.Figure(go.Heatmap(z=m.to_numpy(), x=names, y=names, colorscale="Viridis"))
    fig.update_layout(title=f"Similarity ({component}), ordered by community", height=650)
    return fig
