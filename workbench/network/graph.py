"""The trader network: a networkx graph of politicians weighted by similarity."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from workbench.network.similarity import SimilarityResult

__all__ = ["build_network", "politician_attributes"]


def politician_attributes(trades: pd.DataFrame) -> pd.DataFrame:
    """``party, chamber, state, n_trades`` per politician (most frequent value in the trades).

    Indexed by politician; missing values become ``"unknown"``.
    """
    cols = [c for c in ("party", "chamber", "state") if c in trades.columns]
    df = trades.loc[trades["politician"].notna(), ["politician", *cols]].copy()
    df["politician"] = df["politician"].astype(str)
    for c in cols:
        df[c] = df[c].astype(object).where(df[c].notna(), "unknown").astype(str)
    out = pd.DataFrame(index=pd.Index(np.sort(df["politician"].unique()), name="politician"))
    for c in cols:
        counts = df.groupby(["politician", c]).size().rename("n").reset_index()
        counts = counts.sort_values(["politician", "n", c], ascending=[True, False, True])
        out[c] = counts.drop_duplicates("politician").set_index("politician")[c]
    for c in ("party", "chamber", "state"):
        if c not in out.columns:
            out[c] = "unknown"
    out["n_trades"] = df.groupby("politician").size()
    return out


def build_network(similarity: SimilarityResult, attributes: pd.DataFrame | None = None, *,
                  threshold: float = 0.0, top_fraction: float = 0.1) -> nx.Graph:
    """Undirected weighted graph: politicians linked by their strongest similarities.

    Parameters
    ----------
    similarity : SimilarityResult
        From :func:`~workbench.network.similarity.compute_similarity`.
    attributes : DataFrame, optional
        Indexed by politician (e.g. :func:`politician_attributes`); its ``party, chamber,
        state, n_trades`` become node attributes (``"unknown"`` where absent).
    threshold : float
        Keep pairs with ``weight > threshold``.
    top_fraction : float
        Of those, keep only pairs in the top ``top_fraction`` of all pairs by weight (0.1 keeps
        the strongest 10 %; 1.0 keeps every pair above ``threshold``).

    Returns
    -------
    networkx.Graph
        Nodes in sorted name order (every politician, isolated ones included); edges added in
        sorted order, with ``weight``, ``distance = 1 / weight`` (for shortest-path measures)
        and the four components. The graph attribute ``threshold_used`` holds the effective
        weight cut.
    """
    if not 0 < top_fraction <= 1:
        raise ValueError("top_fraction must be in (0, 1]")
    names = list(similarity.politicians)
    w = similarity.weight
    iu, ju = np.triu_indices(len(names), k=1)
    vals = w[iu, ju]
    cut = float(threshold)
    if top_fraction < 1 and len(vals):
        cut = max(cut, float(np.quantile(vals, 1.0 - top_fraction)))
    keep = (vals > threshold) & (vals >= cut)
    g = nx.Graph(threshold_used=cut, weights=similarity.weights)
    attrs = attributes if attributes is not None else pd.DataFrame()
    for name in names:
        row = attrs.loc[name] if name in attrs.index else {}
        g.add_node(name, **{c: (row[c] if c in row else "unknown")
                            for c in ("party", "chamber", "state")},
                   n_trades=int(similarity.n_trades.get(name, 0)))
    comps = ("jaccard", "count_corr", "side_agreement", "sector_overlap")
    for i, j in zip(iu[keep], ju[keep], strict=True):
        wt = float(w[i, j])
        g.add_edge(names[i], names[j], weight=wt, distance=1.0 / wt,
                   **{c: float(getattr(similarity, c)[i, j]) for c in comps})
    return g
