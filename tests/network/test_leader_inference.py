"""Leader inference: singletons are not leaders, permutation p-values carry their floor
1/(B+1), leader claims are corrected (Benjamini-Hochberg across leaders), and the report's
findings and planted-vs-recovered rows say so."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from workbench.network import detect_communities, rank_leaders
from workbench.network.findings import leader_table, network_findings, network_recovery


def bh_reference(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values, written out (step-up, monotone)."""
    n = len(p)
    order = np.argsort(p)
    q = np.empty(n)
    prev = 1.0
    for rank in range(n, 0, -1):
        i = order[rank - 1]
        prev = min(prev, p[i] * n / rank)
        q[i] = prev
    return q


@pytest.fixture
def network(seed):
    """Two planted groups with a leader each (followers trade its tickers 2 days later), plus
    two isolated traders (singletons)."""
    rng = np.random.default_rng(seed)
    days = pd.bdate_range("2019-01-01", periods=300)
    rows = []
    groups = {"A": [f"A{i}" for i in range(5)], "B": [f"B{i}" for i in range(5)]}
    for g, members in groups.items():
        for _ in range(60):
            d = int(rng.integers(0, 290))
            tick = f"{g}T{int(rng.integers(0, 6))}"
            rows.append((members[0], tick, days[d]))
            for m in members[1:]:
                if rng.random() < 0.7:
                    rows.append((m, tick, days[min(d + 2, 299)]))
    for solo in ("S1", "S2"):
        for _ in range(20):
            rows.append((solo, f"{solo}T", days[int(rng.integers(0, 300))]))
    trades = pd.DataFrame(rows, columns=["politician", "ticker", "transaction_date"])
    g = nx.Graph()
    g.add_nodes_from(sorted(trades["politician"].unique()))
    for members in groups.values():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                g.add_edge(a, b, weight=1.0, distance=1.0)
    comm = detect_communities(g, random_state=0)
    lead = rank_leaders(g, trades, comm.membership, max_lag=5, n_permutations=99,
                        random_state=seed)
    return trades, g, comm, lead, groups


def test_singletons_are_not_leaders(network):
    _, _, comm, lead, groups = network
    t = lead.table
    assert not t.loc[["S1", "S2"], "is_leader"].any()
    assert (t.loc[["S1", "S2"], "rank_in_community"] == 1).all()  # rank kept, claim dropped
    assert set(lead.leaders()) == {"A0", "B0"}
    summary = lead.summary()
    assert set(summary.index) == {"A0", "B0"}
    assert summary["leadership_score"].is_monotonic_decreasing
    assert t["lead_q_value"].notna().sum() == 2


def test_p_floor_and_bh_across_leaders(network):
    _, _, _, lead, _ = network
    assert lead.p_floor == pytest.approx(1 / 100)
    t = lead.table
    assert (t["lead_p_value"] >= lead.p_floor - 1e-12).all()
    leaders = t[t["is_leader"]]
    assert np.allclose(leaders["lead_q_value"], bh_reference(leaders["lead_p_value"].to_numpy()))
    lt = leader_table(lead)
    assert lt["at_floor"].all() and lt["significant"].all()  # planted leaders: p at the floor
    f = network_findings(detect_communities(network[1], random_state=0), lead)
    assert f[0].verdict == "significant" and "2 of 2 community leaders" in f[0].headline
    assert "1/(B+1)" in f[0].detail and "0.01" in f[0].detail
    assert "2 politicians are singletons and lead nobody" in f[1].headline


def test_recovery_rows(network):
    _, _, comm, lead, groups = network

    class Truth:
        leader_lag_days = 2
        politicians = pd.DataFrame({
            "politician": groups["A"] + groups["B"] + ["S1", "S2"],
            "community": [0] * 5 + [1] * 5 + [-1, -1],
            "is_leader": [True] + [False] * 4 + [True] + [False] * 4 + [False, False]})

    rows = network_recovery(comm, lead, Truth)
    assert rows[0]["verdict"] == "recovered" and "ARI 1.00" in rows[0]["recovered"]
    assert rows[1]["verdict"] == "recovered"
    assert rows[1]["recovered"].startswith("2 of 2 significant leaders")
    assert network_recovery(comm, lead, None) == []
