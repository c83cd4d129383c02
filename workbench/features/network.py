"""Network features: the trader's place in the co-trading network as it was known.

The network (:mod:`workbench.network`: similarity, graph, Louvain communities, centrality) is
rebuilt at snapshots on the first day of every ``freq`` period ("QS" quarterly by default,
"MS" monthly) from
the trades **disclosed strictly before** the snapshot. A trade reads the snapshot at the start
of its disclosure quarter (or month), so the network it sees is up to one period stale
(documented staleness: at most 92 days by default, 31 monthly). Co-trading counts the trades in the same ticker by the
trader's community (other members) disclosed in the ``COTRADE_DAYS`` calendar days strictly
before the trade's disclosure date.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.features.context import Spec, TradeContext
from workbench.features.flow import _codes, _day, windowed_sum

__all__ = ["network_features", "network_specs", "network_snapshot", "COTRADE_DAYS"]

COTRADE_DAYS = 30
_COLS = ("net_degree", "net_strength", "net_pagerank", "net_community",
         "net_community_size", "net_n_nodes")


def network_snapshot(trades: pd.DataFrame, securities: pd.DataFrame, *, top_fraction=0.1,
                     random_state: int = 0) -> pd.DataFrame:
    """Centrality and community of every politician in ``trades`` (one snapshot).

    Returns a frame indexed by politician with the ``net_*`` columns; empty when fewer than
    three politicians have trades with a ticker.
    """
    import networkx as nx

    from workbench.network import build_network, compute_similarity, detect_communities

    named = trades.loc[trades["ticker"].notna() & trades["politician"].notna()
                       & trades["transaction_date"].notna()]
    if named["politician"].nunique() < 3:
        return pd.DataFrame(columns=list(_COLS))
    sim = compute_similarity(named, securities)
    g = build_network(sim, top_fraction=top_fraction)
    nodes = pd.Index(sorted(g.nodes()), name="politician")
    comm = detect_communities(g, random_state=random_state).membership
    sizes = comm.map(comm.value_counts())
    deg = pd.Series(dict(g.degree()), dtype=float)
    strength = pd.Series(dict(g.degree(weight="weight")), dtype=float)
    pr = pd.Series(nx.pagerank(g, weight="weight") if g.number_of_edges() else
                   dict.fromkeys(nodes, 1.0 / len(nodes)), dtype=float)
    return pd.DataFrame({
        "net_degree": deg.reindex(nodes).to_numpy(),
        "net_strength": strength.reindex(nodes).to_numpy(),
        "net_pagerank": pr.reindex(nodes).to_numpy(),
        "net_community": comm.reindex(nodes).to_numpy(dtype=float),
        "net_community_size": sizes.reindex(nodes).to_numpy(dtype=float),
        "net_n_nodes": float(len(nodes))}, index=nodes)


def network_features(ctx: TradeContext, securities: pd.DataFrame, *, freq: str = "QS",
                     client=None) -> pd.DataFrame:
    """Snapshot centrality/community per trade and community co-trading of its ticker."""
    t = ctx.trades
    n = len(t)
    disc = pd.to_datetime(t["disclosure_date"]).astype("datetime64[ns]")
    snap = disc.dt.to_period(freq[0] if freq in ("MS", "QS") else freq).dt.start_time
    snap = snap.where(disc.notna())
    dates = pd.DatetimeIndex(np.sort(snap.dropna().unique()))
    out = {c: np.full(n, np.nan) for c in (*_COLS, "net_community_cotrades_30d",
                                           "net_community_cotraders_30d")}
    if len(dates) == 0:
        return pd.DataFrame(out, index=pd.RangeIndex(n, name="row"))
    cols = ["politician", "ticker", "side", "transaction_date"]
    subsets = [t.loc[(disc < d).to_numpy(), cols] for d in dates]
    if client is not None:
        futures = client.map(network_snapshot, subsets, [securities] * len(subsets), pure=False)
        snaps = client.gather(futures)
    else:
        snaps = [network_snapshot(s, securities) for s in subsets]
    pol = t["politician"].astype("string")
    day = _day(t["disclosure_date"])
    tick = _codes(t["ticker"])
    has_buy_sell = t["ticker"].notna().to_numpy()
    for d, table in zip(dates, snaps, strict=True):
        rows = np.flatnonzero((snap == d).to_numpy())
        if len(table) == 0:
            continue
        vals = table.reindex(pol.iloc[rows].to_numpy())
        for c in _COLS:
            out[c][rows] = vals[c].to_numpy(dtype=float)
        # everyone's community in this snapshot; co-trades by the others in the community
        comm = pol.map(table["net_community"]).to_numpy(dtype=float)
        grp = np.where(np.isfinite(comm) & (tick >= 0) & has_buy_sell,
                       np.nan_to_num(comm).astype(np.int64) * (tick.max() + 2) + tick, -1)
        qgrp = grp[rows]
        cnt = windowed_sum(grp, day, np.ones(n), qgrp, day[rows], COTRADE_DAYS)
        own_grp = _codes(pol + "\x00" + t["ticker"].astype("string"))
        own = windowed_sum(own_grp, day, np.ones(n), own_grp[rows], day[rows], COTRADE_DAYS)
        out["net_community_cotrades_30d"][rows] = np.where(qgrp >= 0, cnt - own, np.nan)
        # distinct co-traders: politicians of the community with a trade in the ticker
        pgrp = np.where(grp >= 0, _codes(pol).astype(np.int64) * (grp.max() + 1) + grp, -1)
        first = _first_in_window(pgrp, grp, day, rows, COTRADE_DAYS)
        out["net_community_cotraders_30d"][rows] = np.where(
            qgrp >= 0, first - (own > 0), np.nan)
    return pd.DataFrame(out, index=pd.RangeIndex(n, name="row"))


def _first_in_window(pgrp, grp, day, rows, window) -> np.ndarray:
    """Distinct politicians with an event in the query's group in ``[day - window, day)``.

    Each event is the politician's latest in the group for queries ``q`` in
    ``(day_e, min(next_e, day_e + window)]``; the count at ``q`` is the number of such
    intervals holding it, #(start < q) - #(end < q) within the group.
    """
    ok = (grp >= 0) & np.isfinite(day)
    idx = np.flatnonzero(ok)
    order = idx[np.lexsort((day[idx], pgrp[idx]))]
    nxt = np.full(len(day), np.inf)
    same = pgrp[order][1:] == pgrp[order][:-1]
    nxt[order[:-1][same]] = day[order][1:][same]
    start = np.where(ok, day, np.nan)
    end = np.where(ok, np.minimum(nxt, day + window), np.nan)
    one = np.ones(len(day))
    g = np.where(ok, grp, -1)
    # a query at q counts starts < q and ends < q; intervals are (start, end]
    a = windowed_sum(g, start, one, grp[rows], day[rows], np.inf)
    b = windowed_sum(g, end, one, grp[rows], day[rows], np.inf)
    return np.nan_to_num(a - b)


def network_specs() -> list[Spec]:
    g = "network"
    src = "trades disclosed before the snapshot (workbench.network)"
    lb = "all history to the quarter start"
    return [Spec("net_degree", g, "number of network neighbours at the snapshot", "count", lb, src),
            Spec("net_strength", g, "weighted degree (sum of similarity weights)", "weight", lb, src),
            Spec("net_pagerank", g, "PageRank on similarity weights", "share", lb, src),
            Spec("net_community", g, "Louvain community id at the snapshot (labels by size, not stable across snapshots)", "id", lb, src),
            Spec("net_community_size", g, "members of the trader's community", "count", lb, src),
            Spec("net_n_nodes", g, "politicians in the snapshot network", "count", lb, src),
            Spec("net_community_cotrades_30d", g, "trades in the ticker by the other members of the trader's community", "count", f"{COTRADE_DAYS} days", src + ", trades.ticker"),
            Spec("net_community_cotraders_30d", g, "distinct other community members who traded the ticker", "count", f"{COTRADE_DAYS} days", src + ", trades.ticker")]
