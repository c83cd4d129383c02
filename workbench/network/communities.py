"""Communities of co-traders (Louvain, deterministic) and their profiles."""

from __future__ import annotations

from dataclasses import dataclass

import community as community_louvain
import networkx as nx
import numpy as np
import pandas as pd

__all__ = ["CommunityResult", "detect_communities", "profile_communities",
           "mean_signed_return", "signed_trade_returns"]


def _canonical_copy(graph: nx.Graph) -> nx.Graph:
    """Same graph with nodes and edges inserted in sorted order.

    python-louvain visits nodes and neighbour communities in insertion order (shuffled by its
    random_state), so a fixed seed is only reproducible with a fixed insertion order.
    """
    g = nx.Graph()
    g.add_nodes_from(sorted(graph.nodes()))
    edges = sorted((min(u, v), max(u, v), float(d.get("weight", 1.0)))
                   for u, v, d in graph.edges(data=True))
    g.add_weighted_edges_from(edges)
    return g


@dataclass(frozen=True)
class CommunityResult:
    """Louvain partition of the trader network.

    Attributes
    ----------
    membership : Series
        Community id per politician (index sorted). Ids are renumbered 0, 1, ... by
        decreasing size, ties by the alphabetically first member, so they do not depend on
        Louvain's internal labels.
    modularity : float
        Weighted Newman modularity of the partition (at resolution 1).
    resolution : float
        Louvain resolution used (> 1 gives smaller communities).
    random_state : int
    """

    membership: pd.Series
    modularity: float
    resolution: float
    random_state: int

    @property
    def n_communities(self) -> int:
        return int(self.membership.nunique())

    def to_frame(self) -> pd.DataFrame:
        return self.membership.rename("community").reset_index()

    def summary(self) -> pd.Series:
        sizes = self.membership.value_counts()
        return pd.Series({"communities": self.n_communities,
                          "non_singleton": int((sizes > 1).sum()),
                          "largest": int(sizes.max()), "modularity": self.modularity,
                          "resolution": self.resolution})


def detect_communities(graph: nx.Graph, *, resolution: float = 1.0,
                       random_state: int = 0) -> CommunityResult:
    """Louvain communities with a fixed seed and a deterministic node order.

    Parameters
    ----------
    graph : networkx.Graph
        Weighted by ``weight`` (e.g. :func:`~workbench.network.graph.build_network`).
    resolution : float
        Louvain resolution parameter.
    random_state : int
        Seed of python-louvain's node shuffling; the same seed on the same graph gives the
        same partition, whatever order the graph was built in.

    Notes
    -----
    Blondel et al. (2008), doi:10.1088/1742-5468/2008/10/P10008. Isolated politicians
    form singleton communities.
    """
    g = _canonical_copy(graph)
    if g.number_of_edges() == 0:
        part = {n: i for i, n in enumerate(g.nodes())}
        q = float("nan")
    else:
        part = community_louvain.best_partition(g, weight="weight", resolution=resolution,
                                                random_state=int(random_state))
        q = float(community_louvain.modularity(part, g, weight="weight"))
    raw = pd.Series(part).sort_index()
    groups = sorted(raw.groupby(raw).groups.items(), key=lambda kv: (-len(kv[1]), min(kv[1])))
    relabel = {old: new for new, (old, _) in enumerate(groups)}
    membership = raw.map(relabel).astype(int).rename("community")
    membership.index.name = "politician"
    return CommunityResult(membership=membership, modularity=q, resolution=float(resolution),
                           random_state=int(random_state))


def signed_trade_returns(trades: pd.DataFrame, prices: pd.DataFrame, *, horizon: int = 21,
                         entry: str = "disclosure") -> pd.DataFrame:
    """Per trade, the signed return a copier earns over ``horizon`` sessions (decimal).

    Each buy (sell) with a ticker is entered at the close of its entry session
    (:func:`workbench.data.entries.entry_sessions`, the convention of the factor and backtest
    code) and held ``horizon`` sessions; the adjusted-close return gets the sign of the side
    (+1 buy, -1 sell).

    Parameters
    ----------
    trades : DataFrame
        Canonical trades (``politician, ticker, side`` and the date of ``entry``).
    prices : DataFrame
        Long price table (``adj_close``).
    horizon : int
        Sessions held after the entry close.
    entry : {"disclosure", "transaction"}
        ``"disclosure"`` (default, what a follower could capture): the first session strictly
        after the **disclosure date**, since a filing can first be acted on at the next close.
        ``"transaction"``: the **transaction date** rolled forward to a session (the
        politician's own timing, not replicable by the public).

    Returns
    -------
    DataFrame on the selected trades' index: ``trade_id`` (when present), ``politician``,
    ``entry_date``, ``exit_date`` (the session at whose close the return is known; NaT when the
    horizon runs past the price history), ``ret`` (signed; NaN when the entry has no price or
    the exit is missing) and ``reason`` (:func:`~workbench.data.entries.locate_entries`).
    """
    from workbench.data.entries import locate_entries
    from workbench.data.sources.prices import to_wide

    adj = to_wide(prices, "adj_close")
    df = trades.loc[(trades["ticker"].notna() & trades["side"].isin(["buy", "sell"]))
                    .to_numpy()]
    loc = locate_entries(df, adj, entry)
    row, col = loc["row"].to_numpy(), loc["col"].to_numpy()
    ok = (loc["reason"] == "").to_numpy() & (row + horizon < len(adj))
    vals = adj.to_numpy(dtype=float)
    ret = np.full(len(df), np.nan)
    ret[ok] = vals[row[ok] + horizon, col[ok]] / vals[row[ok], col[ok]] - 1.0
    sign = np.where(df["side"].astype(str).to_numpy() == "buy", 1.0, -1.0)
    exit_date = np.full(len(df), np.datetime64("NaT"), dtype="datetime64[ns]")
    exit_date[ok] = adj.index.to_numpy(dtype="datetime64[ns]")[row[ok] + horizon]
    out = pd.DataFrame({"politician": df["politician"].astype(str).to_numpy(),
                        "entry_date": loc["entry_date"].to_numpy(), "exit_date": exit_date,
                        "ret": ret * sign, "reason": loc["reason"].to_numpy()}, index=df.index)
    if "trade_id" in df.columns:
        out.insert(0, "trade_id", df["trade_id"].to_numpy())
    return out


def mean_signed_return(trades: pd.DataFrame, prices: pd.DataFrame, *, horizon: int = 21,
                       entry: str = "disclosure") -> pd.Series:
    """Mean signed forward return of each politician's trades: what a copier earns (decimal).

    The mean over the politician's trades of :func:`signed_trade_returns` (same parameters):
    by default entered at the close of the first session strictly after the **disclosure
    date** and held ``horizon`` sessions. Politicians with no trade whose entry has a price and
    whose horizon ends within the price history get NaN.
    """
    per_trade = signed_trade_returns(trades, prices, horizon=horizon, entry=entry)
    out = pd.Series(per_trade["ret"].to_numpy(), index=per_trade["politician"].to_numpy())
    return out.groupby(level=0).mean().rename("performance")


def profile_communities(result: CommunityResult, trades: pd.DataFrame,
                        securities: pd.DataFrame | None = None,
                        performance: pd.Series | None = None, *,
                        cross_party_min_share: float = 0.2, n_sectors: int = 3) -> pd.DataFrame:
    """One row per community: size, party mix, cross-party flag, sectors, performance.

    Parameters
    ----------
    result : CommunityResult
    trades : DataFrame
        Canonical trades (party and sectors are read from them).
    securities : DataFrame, optional
        ``ticker, sector`` for the dominant sectors.
    performance : Series, optional
        Any per-politician metric, averaged over members: :func:`mean_signed_return` (raw),
        or an alpha column of :func:`workbench.factors.politician_performance` (risk-adjusted).
    cross_party_min_share : float
        A community is cross-party when at least two parties each hold this share of members.
    n_sectors : int
        Number of dominant sectors listed (by trade count).

    Returns
    -------
    DataFrame
        ``community, size, members, n_democrat, n_republican, n_other, cross_party,
        dominant_sectors`` (by trade count among tickers with a known sector),
        ``sector_coverage`` (share of the community's trades whose sector is known),
        ``n_trades, avg_performance``.
    """
    from workbench.network.graph import politician_attributes

    attrs = politician_attributes(trades).reindex(result.membership.index)
    party = attrs["party"].fillna("unknown").str.lower()
    is_d = party.str.startswith("d")
    is_r = party.str.startswith("r")
    sec_map = {}
    if securities is not None and len(securities):
        sec_map = dict(zip(securities["ticker"].astype(str), securities["sector"].astype(str),
                           strict=True))
    tr = trades.loc[trades["ticker"].notna() & trades["politician"].notna(),
                    ["politician", "ticker"]].astype(str)
    tr["sector"] = tr["ticker"].map(sec_map)
    tr["community"] = tr["politician"].map(result.membership)
    perf = performance.reindex(result.membership.index) if performance is not None else None
    rows = []
    for cid, members in result.membership.groupby(result.membership):
        names = list(members.index)
        nd, nr = int(is_d[names].sum()), int(is_r[names].sum())
        size = len(names)
        shares = np.array([nd, nr, size - nd - nr]) / size
        in_c = tr.loc[tr["community"] == cid, "sector"]
        secs = in_c.value_counts()                        # known sectors only
        secs = secs.sort_index().sort_values(ascending=False, kind="stable")
        rows.append({
            "community": int(cid), "size": size, "members": ", ".join(names),
            "n_democrat": nd, "n_republican": nr, "n_other": size - nd - nr,
            "cross_party": bool((shares >= cross_party_min_share).sum() >= 2),
            "dominant_sectors": ", ".join(secs.index[:n_sectors]),
            "sector_coverage": float(in_c.notna().mean()) if len(in_c) else np.nan,
            "n_trades": int(attrs.loc[names, "n_trades"].fillna(0).sum()),
            "avg_performance": float(perf[names].mean()) if perf is not None else np.nan,
        })
    return pd.DataFrame(rows).sort_values("community", ignore_index=True)
