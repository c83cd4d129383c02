"""The network figure: leader names never drawn over one another."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from workbench.plotting.network import _label_box, label_positions, plot_network


def _overlap(a, b) -> bool:
    return not (a[1] <= b[0] or a[0] >= b[1] or a[3] <= b[2] or a[2] >= b[3])


def test_label_positions_dense_cluster_has_no_overlap(seed):
    rng = np.random.default_rng(seed)
    # eight long names within a tiny area (a dense community) and two far away
    pts = {f"Senator Number {i}": (float(x), float(y))
           for i, (x, y) in enumerate(rng.normal(0, 0.02, size=(8, 2)))}
    pts["Far Left"], pts["Far Right"] = (-1.0, -1.0), (1.0, 1.0)
    where = label_positions(pts)
    assert set(where) == set(pts)
    assert where["Far Left"] == "top center" and where["Far Right"] == "top center"
    # reference: recompute every drawn box with the same scale and check all pairs
    xs, ys = zip(*pts.values(), strict=True)
    cw = 7.0 * (max(xs) - min(xs)) * 1.1 / 900
    ch = 16.0 * (max(ys) - min(ys)) * 1.1 / 450
    boxes = [_label_box(*pts[n], n, w, cw, ch) for n, w in where.items() if w]
    assert all(not _overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]), \
        f"seed {seed}"
    assert 2 < len(boxes) < len(pts), f"seed {seed}: {where}"  # some dropped, most kept


def test_label_positions_scale_from_the_whole_figure():
    """Two leaders close together inside a wide figure: the scale is that of everything drawn
    (the leaders alone span almost nothing, which once made every label look far apart)."""
    pts = {"Isaac Winslow": (0.00, 0.00), "Patricia Fairbanks": (0.05, 0.005)}
    alone = label_positions(pts)
    assert alone == {"Isaac Winslow": "top center", "Patricia Fairbanks": "top center"}
    where = label_positions(pts, extent=(-1.0, 1.0, -1.0, 1.0))
    assert where["Isaac Winslow"] == "top center" and where["Patricia Fairbanks"] != "top center"


def test_plot_network_labels_only_placed_leaders(seed):
    g = nx.karate_club_graph()
    g = nx.relabel_nodes(g, {n: f"M{n:02d}" for n in g.nodes})
    for n in g.nodes:
        g.nodes[n]["party"] = "D" if int(n[1:]) % 2 else "R"
    membership = pd.Series({n: int(g.nodes[n]["club"] == "Officer") for n in g.nodes})

    class Lead:  # the two attributes plot_network reads from a LeadershipResult
        table = pd.DataFrame({"leadership_score": 0.5, "is_leader": False},
                             index=sorted(g.nodes))
    Lead.table.loc[["M00", "M33", "M01"], "is_leader"] = True
    fig = plot_network(g, membership, Lead, seed=seed % 1000)
    drawn = [t for tr in fig.data[1:] for t in (tr.text or ()) if t]
    assert set(drawn) <= {"M00", "M33", "M01"} and len(drawn) >= 2, f"seed {seed}: {drawn}"
