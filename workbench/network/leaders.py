"""Leaders and followers: centrality, lead-lag with a permutation test, a leadership score.

Lead-lag
--------
``L[i, j]`` counts pairs (trade of i, trade of j) in the same ticker where j trades 1 to
``max_lag`` business days after i (trade dates by ``date_col``; several trades of one
politician in one ticker on one day count once). ``leads_i = sum_j L[i, j]``,
``follows_i = sum_j L[j, i]``, ``net_lead_i = leads_i - follows_i``.

The null shifts each politician's whole trading calendar by an independent random circular
offset (keeping what and how often each one trades, destroying who trades first), and
``lead_p_value`` is ``(1 + #{null net_lead >= observed}) / (1 + n_permutations)``, so it is
never below its floor ``1 / (1 + n_permutations)`` (0.005 with 200 permutations): a p-value at
the floor means "at least as small as the test can show", not an exact value.

Leaders
-------
A community's leader is its top-ranked member when the community has at least two members:
a singleton leads nobody. The leader claims are tested together: ``lead_q_value`` is the
Benjamini-Hochberg adjusted p-value across the leaders (NaN for other politicians).

Leadership score
----------------
``score = w_lead * lead + (1 - w_lead) * centrality``, with ``w_lead = 0.5`` by default,
where ``lead`` is ``net_lead`` min-max scaled to [0, 1] over all politicians and
``centrality`` is the mean of degree (weighted strength), betweenness and closeness (both on
``distance = 1 / weight``) and PageRank (on ``weight``), each min-max scaled to [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from workbench.exceptions import DataError

__all__ = ["LeadershipResult", "compute_centrality", "lead_lag_counts", "rank_leaders"]


def compute_centrality(graph: nx.Graph) -> pd.DataFrame:
    """Weighted degree (strength), betweenness, closeness and PageRank per node (sorted)."""
    nodes = sorted(graph.nodes())
    if graph.number_of_edges() == 0:
        z = np.zeros(len(nodes))
        return pd.DataFrame({"degree": z, "betweenness": z, "closeness": z, "pagerank": z},
                            index=pd.Index(nodes, name="politician"))
    deg = dict(graph.degree(weight="weight"))
    btw = nx.betweenness_centrality(graph, weight="distance", normalized=True)
    clo = nx.closeness_centrality(graph, distance="distance")
    pr = nx.pagerank(graph, weight="weight")
    return pd.DataFrame({"degree": [deg[n] for n in nodes],
                         "betweenness": [btw[n] for n in nodes],
                         "closeness": [clo[n] for n in nodes],
                         "pagerank": [pr[n] for n in nodes]},
                        index=pd.Index(nodes, name="politician"))


def _events(trades: pd.DataFrame, politicians: pd.Index, date_col: str):
    df = trades.loc[trades["ticker"].notna() & trades["politician"].notna()
                    & trades[date_col].notna(), ["politician", "ticker", date_col]]
    pi = politicians.get_indexer(df["politician"].astype(str))
    ok = pi >= 0
    tick, ti = np.unique(df["ticker"].astype(str).to_numpy()[ok], return_inverse=True)
    days = pd.to_datetime(df[date_col]).to_numpy(dtype="datetime64[D]")[ok]
    lo = days.min()
    day = np.busday_count(lo, days)
    n_days = int(day.max()) + 1
    ev = np.unique(np.stack([pi[ok], ti, day], axis=1), axis=0)   # one per politician/ticker/day
    return ev, len(tick), n_days


def _lead_matrix(ev: np.ndarray, n_pol: int, n_tick: int, n_days: int, max_lag: int,
                 shift: np.ndarray | None = None) -> np.ndarray:
    """Count (i, j) event pairs in one ticker with j 1..max_lag days after i (no wrap-around)."""
    p, k, d = ev[:, 0], ev[:, 1], ev[:, 2]
    if shift is not None:
        d = (d + shift[p]) % n_days
    key = k.astype(np.int64) * (n_days + max_lag + 1) + d
    order = np.argsort(key, kind="stable")
    key, p = key[order], p[order]
    lo = np.searchsorted(key, key + 1, side="left")
    hi = np.searchsorted(key, key + max_lag, side="right")
    cnt = hi - lo
    total = int(cnt.sum())
    src = np.repeat(np.arange(len(key)), cnt)
    dst = np.arange(total) - np.repeat(np.cumsum(cnt) - cnt, cnt) + np.repeat(lo, cnt)
    flat = np.bincount(p[src] * n_pol + p[dst], minlength=n_pol * n_pol)
    return flat.reshape(n_pol, n_pol).astype(float)


def lead_lag_counts(trades: pd.DataFrame, politicians=None, *,
                    date_col: str = "transaction_date", max_lag: int = 10) -> pd.DataFrame:
    """``L[i, j]``: times j traded a ticker 1..``max_lag`` business days after i did.

    Rows lead, columns follow; labelled by politician (sorted, or as given).
    """
    pols = pd.Index(np.sort(trades["politician"].dropna().astype(str).unique())
                    if politicians is None else list(politicians), name="politician")
    ev, n_tick, n_days = _events(trades, pols, date_col)
    L = _lead_matrix(ev, len(pols), n_tick, n_days, max_lag)
    return pd.DataFrame(L, index=pols, columns=pols)


@dataclass(frozen=True)
class LeadershipResult:
    """Centrality, lead-lag and leadership score per politician.

    Attributes
    ----------
    table : DataFrame
        Indexed by politician: ``community, degree, betweenness, closeness, pagerank,
        centrality, leads, follows, net_lead, lead_p_value, leadership_score,
        rank_in_community`` (1 = top of the community), ``community_size``, ``is_leader``
        (rank 1 in a community of at least two) and ``lead_q_value`` (Benjamini-Hochberg
        across the leaders; NaN otherwise).
    lead_matrix : DataFrame
        ``L[i, j]`` (rows lead).
    w_lead, max_lag, n_permutations, date_col
        Parameters used.
    """

    table: pd.DataFrame
    lead_matrix: pd.DataFrame
    w_lead: float
    max_lag: int
    n_permutations: int
    date_col: str

    @property
    def p_floor(self) -> float:
        """Smallest p-value the permutation test can give, ``1 / (n_permutations + 1)``."""
        return 1.0 / (self.n_permutations + 1) if self.n_permutations > 0 else float("nan")

    def to_frame(self) -> pd.DataFrame:
        return self.table.reset_index()

    def summary(self) -> pd.DataFrame:
        """The leader of each community of at least two members, strongest first."""
        t = self.table
        return t[t["is_leader"]].sort_values("leadership_score", ascending=False)

    def leaders(self) -> pd.Series:
        """Leader of each community of at least two members, indexed by community id."""
        top = self.table[self.table["is_leader"]]
        return pd.Series(top.index, index=top["community"].to_numpy(), name="leader").sort_index()


def _bh(p: pd.Series) -> pd.Series:
    """Benjamini-Hochberg adjusted p-values over the non-NaN entries (NaN elsewhere)."""
    from statsmodels.stats.multitest import multipletests

    out = pd.Series(np.nan, index=p.index)
    ok = p.notna()
    if ok.any():
        out[ok] = multipletests(p[ok].to_numpy(dtype=float), method="fdr_bh")[1]
    return out


def _minmax(x: pd.Series) -> pd.Series:
    lo, hi = x.min(), x.max()
    return (x - lo) / (hi - lo) if hi > lo else x * 0.0


def rank_leaders(graph: nx.Graph, trades: pd.DataFrame, membership: pd.Series | None = None, *,
                 date_col: str = "transaction_date", max_lag: int = 10,
                 n_permutations: int = 200, w_lead: float = 0.5,
                 random_state: int = 0) -> LeadershipResult:
    """Leadership score of every politician in the graph and their rank in their community.

    Parameters
    ----------
    graph : networkx.Graph
        Trader network (:func:`~workbench.network.graph.build_network`).
    trades : DataFrame
        Canonical trades used for the lead-lag counts.
    membership : Series, optional
        Community per politician (``CommunityResult.membership``); all in one otherwise.
    date_col : str
        Default ``"transaction_date"``: who trades first is a question about trade dates; the
        result describes behaviour and acts on no trade.
    max_lag : int
        Largest lead, business days.
    n_permutations : int
        Circular-shift permutations of the lead-lag null (0 skips the test: p-values NaN).
    w_lead : float
        Weight of the lead-lag component in the score (module docstring).
    random_state : int
    """
    if date_col not in trades.columns:
        raise DataError(f"trades have no column {date_col!r}", file="trades")
    pols = pd.Index(sorted(graph.nodes()), name="politician")
    cent = compute_centrality(graph).reindex(pols)
    ev, n_tick, n_days = _events(trades, pols, date_col)
    L = _lead_matrix(ev, len(pols), n_tick, n_days, max_lag)
    leads, follows = L.sum(axis=1), L.sum(axis=0)
    net = leads - follows
    pval = np.full(len(pols), np.nan)
    if n_permutations > 0:
        rng = np.random.default_rng(random_state)
        ge = np.zeros(len(pols))
        for _ in range(n_permutations):
            shift = rng.integers(0, n_days, size=len(pols))
            Lp = _lead_matrix(ev, len(pols), n_tick, n_days, max_lag, shift)
            ge += (Lp.sum(axis=1) - Lp.sum(axis=0)) >= net
        pval = (1.0 + ge) / (1.0 + n_permutations)
    t = cent.copy()
    t.insert(0, "community", (membership.reindex(pols).fillna(-1).astype(int)
                              if membership is not None else 0))
    t["centrality"] = sum(_minmax(t[c]) for c in ("degree", "betweenness", "closeness",
                                                  "pagerank")) / 4.0
    t["leads"], t["follows"], t["net_lead"] = leads, follows, net
    t["lead_p_value"] = pval
    t["leadership_score"] = w_lead * _minmax(t["net_lead"]) + (1 - w_lead) * t["centrality"]
    t["rank_in_community"] = (t.groupby("community")["leadership_score"]
                              .rank(ascending=False, method="first").astype(int))
    t["community_size"] = t.groupby("community")["leadership_score"].transform("size")
    t["is_leader"] = (t["rank_in_community"] == 1) & (t["community_size"] >= 2)
    t["lead_q_value"] = _bh(t["lead_p_value"].where(t["is_leader"]))
    return LeadershipResult(table=t, lead_matrix=pd.DataFrame(L, index=pols, columns=pols),
                            w_lead=float(w_lead), max_lag=int(max_lag),
                            n_permutations=int(n_permutations), date_col=date_col)
