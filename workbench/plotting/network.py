"""Figures of the trader network: the graph coloured by community and party, tables.

Builders return plotly figures and never show them. Layouts use a fixed seed so a report
looks the same run to run.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import plotly.graph_objects as go

from workbench.plotting.theme import COLORWAY, party_color

__all__ = ["plot_network", "plot_similarity_heatmap", "label_positions"]

_POSITIONS = ("top center", "bottom center", "middle right", "middle left")


def _label_box(x: float, y: float, text: str, where: str, cw: float, ch: float):
    """Approximate box (x0, x1, y0, y1) of a label drawn at ``where`` of the point (x, y)."""
    w = cw * len(text)
    gap = 1.2 * ch
    if where == "top center":
        return x - w / 2, x + w / 2, y + gap - ch / 2, y + gap + ch / 2
    if where == "bottom center":
        return x - w / 2, x + w / 2, y - gap - ch / 2, y - gap + ch / 2
    if where == "middle right":
        return x + gap, x + gap + w, y - ch / 2, y + ch / 2
    return x - gap - w, x - gap, y - ch / 2, y + ch / 2


def label_positions(points: dict[str, tuple[float, float]], *, extent=None,
                    width_px: int = 900, height_px: int = 450) -> dict[str, str | None]:
    """Greedy label placement: for each label (in the given order) the first of top, bottom,
    right, left whose box overlaps no label placed before; ``None`` when all four overlap (the
    name is then left to the hover text, never drawn over another).

    ``extent`` is ``(xmin, xmax, ymin, ymax)`` of everything drawn (default: of ``points``).
    Boxes are estimated from that data range and the plotting area (defaults: the area of a
    650 px high figure without its title and margins, at the narrowest report width), with an
    11 px font taken as 7 px per character and a 16 px line: conservative, so that estimates
    err towards dropping a label rather than overlapping one.
    """
    if not points:
        return {}
    if extent is None:
        xs = [p[0] for p in points.values()]
        ys = [p[1] for p in points.values()]
        extent = (min(xs), max(xs), min(ys), max(ys))
    span_x = max(extent[1] - extent[0], 1e-9) * 1.1
    span_y = max(extent[3] - extent[2], 1e-9) * 1.1
    cw, ch = 7.0 * span_x / width_px, 16.0 * span_y / height_px
    placed: list[tuple[float, float, float, float]] = []
    out: dict[str, str | None] = {}
    for name, (x, y) in points.items():
        out[name] = None
        for where in _POSITIONS:
            b = _label_box(x, y, name, where, cw, ch)
            if all(b[1] <= o[0] or b[0] >= o[1] or b[3] <= o[2] or b[2] >= o[3] for o in placed):
                placed.append(b)
                out[name] = where
                break
    return out


def plot_network(graph: nx.Graph, membership=None, leadership=None, *, seed: int = 0,
                 color_by: str = "community") -> go.Figure:
    """Interactive force-directed network.

    Node fill = community (``color_by="community"``) or party (``"party"``); the node outline
    always shows the party. Size grows with the leadership score when ``leadership`` (a
    :class:`~workbench.network.leaders.LeadershipResult`) is given; community leaders are
    labelled with their names. The legend lists communities of at least two members only
    (singletons are drawn in grey as one entry).
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
    leaders = set()
    if leadership is not None and "is_leader" in leadership.table:
        leaders = set(leadership.table.index[leadership.table["is_leader"]])
    # strongest leaders placed first; a label that fits nowhere stays in the hover text
    order = sorted(leaders, key=lambda n: (-float(np.nan_to_num(score.get(n, 0.0))), n))
    allx = [float(p[0]) for p in pos.values()] or [0.0]
    ally = [float(p[1]) for p in pos.values()] or [0.0]
    where = label_positions({n: (float(pos[n][0]), float(pos[n][1])) for n in order},
                            extent=(min(allx), max(allx), min(ally), max(ally)))
    size = {}
    for n in nodes:
        size[comm[n]] = size.get(comm[n], 0) + 1
    if color_by == "community":  # singletons share one grey entry
        group = {n: comm[n] if size[comm[n]] > 1 else -1 for n in nodes}
    else:
        group = party
    keys = sorted(set(group.values()), key=lambda k: (k == -1, k))
    for i, key in enumerate(keys):
        members = [n for n in nodes if group[n] == key]
        if color_by == "community":
            fill = "#c8c8c8" if key == -1 else COLORWAY[i % len(COLORWAY)]
            label = "singletons" if key == -1 else f"community {key}"
        else:
            fill, label = party_color(key), key
        fig.add_trace(go.Scatter(
            x=[pos[n][0] for n in members], y=[pos[n][1] for n in members],
            mode="markers+text", name=label,
            textposition=[where.get(n) or "top center" for n in members],
            textfont={"size": 11}, text=[n if where.get(n) else "" for n in members],
            marker={"size": [8 + 18 * float(np.nan_to_num(score[n])) for n in members],
                    "color": fill,
                    "line": {"width": 2, "color": [party_color(party[n]) for n in members]}},
            customdata=[f"{n} ({party[n]}, {graph.nodes[n].get('state', '')})<br>community "
                        f"{comm[n]}<br>trades {graph.nodes[n].get('n_trades', 0)}"
                        for n in members],
            hovertemplate="%{customdata}<extra></extra>"))
    fig.update_layout(title="Trader network (fill: " + color_by + ", outline: party; "
                      "labels: community leaders)",
                      xaxis={"visible": False}, yaxis={"visible": False}, height=650)
    return fig


def plot_similarity_heatmap(similarity, membership=None, component: str = "weight") -> go.Figure:
    """Politician x politician heatmap of one similarity component, ordered by community."""
    names = list(similarity.politicians)
    if membership is not None:
        names = sorted(names, key=lambda n: (int(membership.get(n, -1)), n))
    m = similarity.matrix(component).loc[names, names]
    fig = go.Figure(go.Heatmap(z=m.to_numpy(), x=names, y=names, colorscale="Viridis"))
    fig.update_layout(title=f"Similarity ({component}), ordered by community", height=650,
                      xaxis_title="politician", yaxis_title="politician",
                      xaxis_showticklabels=False, yaxis_showticklabels=False)
    return fig
