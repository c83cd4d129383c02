"""Deterministic communities, lead-lag counts, and recovery of the planted structure."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from naive_network import lead_counts
from sklearn.metrics import adjusted_rand_score

from workbench.network import (
    build_network,
    compute_similarity,
    detect_communities,
    lead_lag_counts,
    mean_signed_return,
    politician_attributes,
    profile_communities,
    rank_leaders,
)


def two_cliques(seed: int, order: list[int] | None = None) -> nx.Graph:
    rng = np.random.default_rng(seed)
    names = [f"N{i:02d}" for i in range(12)]
    edges = []
    for grp in (names[:6], names[6:]):
        for i, a in enumerate(grp):
            for b in grp[i + 1:]:
                edges.append((a, b, float(rng.uniform(0.5, 1.0))))
    edges.append((names[0], names[6], 0.05))
    g = nx.Graph()
    nodes = names if order is None else [names[i] for i in order]
    g.add_nodes_from(nodes)
    es = edges if order is None else [edges[i] for i in rng.permutation(len(edges))]
    g.add_weighted_edges_from(es)
    return g


def test_communities_deterministic_and_order_free(seed):
    a = detect_communities(two_cliques(seed), random_state=7)
    b = detect_communities(two_cliques(seed), random_state=7)
    c = detect_communities(two_cliques(seed, order=list(np.random.default_rng(seed).permutation(12))),
                           random_state=7)
    pd.testing.assert_series_equal(a.membership, b.membership)
    pd.testing.assert_series_equal(a.membership, c.membership)
    assert a.n_communities == 2
    assert a.membership["N00"] == 0 and a.membership["N06"] == 1   # renumbered by first member
    # modularity agrees with networkx's implementation
    parts = [set(m.index) for _, m in a.membership.groupby(a.membership)]
    ref = nx.community.modularity(two_cliques(seed), parts, weight="weight")
    assert a.modularity == pytest.approx(ref, abs=1e-12)
    empty = nx.Graph()
    empty.add_nodes_from(["x", "y"])
    assert detect_communities(empty).n_communities == 2


def test_lead_lag_counts_match_loop(seed):
    rng = np.random.default_rng(seed)
    n = 150
    trades = pd.DataFrame({
        "politician": rng.choice(["A", "B", "C", "D"], size=n),
        "ticker": rng.choice(["X", "Y", "Z"], size=n),
        "transaction_date": pd.Timestamp("2018-01-01")
        + pd.to_timedelta(rng.integers(0, 60, size=n), unit="D"),
    })
    got = lead_lag_counts(trades, max_lag=4)
    ref = lead_counts(trades, list(got.index), 4)
    np.testing.assert_array_equal(got.to_numpy(), ref)


def test_leader_detected_in_small_planted_group(seed):
    rng = np.random.default_rng(seed)
    rows = []
    days = pd.bdate_range("2019-01-01", periods=300)
    for _ in range(60):                         # leader trades; followers copy 2 days later
        d = int(rng.integers(0, 290))
        t = f"T{rng.integers(0, 5)}"
        rows.append(("L", t, days[d]))
        for f in ("F1", "F2", "F3"):
            if rng.random() < 0.7:
                rows.append((f, t, days[d + 2]))
    for _ in range(100):
        rows.append(("R", f"T{rng.integers(0, 5)}", days[int(rng.integers(0, 300))]))
    trades = pd.DataFrame(rows, columns=["politician", "ticker", "transaction_date"])
    trades["side"] = "buy"
    sim = compute_similarity(trades)
    g = build_network(sim, top_fraction=1.0)
    res = rank_leaders(g, trades, n_permutations=99, random_state=seed)
    t = res.table
    assert t["leadership_score"].idxmax() == "L"
    assert t.loc["L", "lead_p_value"] <= 0.02
    assert t.loc["F1", "net_lead"] < 0
    assert t["lead_p_value"].between(0, 1).all()


@pytest.fixture(scope="module")
def synthetic_network(universe):
    sim = compute_similarity(universe.trades, universe.securities)
    g = build_network(sim, politician_attributes(universe.trades))
    comm = detect_communities(g, random_state=0)
    lead = rank_leaders(g, universe.trades, comm.membership, n_permutations=49)
    return sim, g, comm, lead


def test_planted_communities_recovered(universe, synthetic_network):
    sim, g, comm, _ = synthetic_network
    truth = universe.truth.politicians.set_index("politician")["community"]
    planted = truth[truth >= 0]
    ari = adjusted_rand_score(planted.to_numpy(), comm.membership.reindex(planted.index))
    print(f"ARI on planted members {ari:.3f}; modularity {comm.modularity:.3f}")
    assert ari >= 0.8
    assert comm.modularity > 0.2
    # node attributes come from the trades
    any_member = planted.index[0]
    assert g.nodes[any_member]["party"] in ("Democrat", "Republican", "Independent")


def test_planted_leaders_rank_first(universe, synthetic_network):
    _, _, comm, lead = synthetic_network
    pol = universe.truth.politicians.set_index("politician")
    t = lead.table.join(pol["community"].rename("planted"))
    for leader in pol.index[pol["is_leader"]]:
        assert t.loc[leader, "rank_in_community"] == 1, leader
        grp = t[t["planted"] == t.loc[leader, "planted"]]
        assert grp["leadership_score"].idxmax() == leader
        assert t.loc[leader, "lead_p_value"] <= 0.05


def test_profiles_flag_the_cross_party_community(universe, synthetic_network):
    _, _, comm, _ = synthetic_network
    perf = mean_signed_return(universe.trades, universe.prices, horizon=21)
    prof = profile_communities(comm, universe.trades, universe.securities, perf)
    assert prof["size"].sum() == len(comm.membership)
    comms = universe.truth.communities
    cross_leader = comms.loc[comms["cross_party"], "leader"].iloc[0]
    row = prof[prof["community"] == comm.membership[cross_leader]].iloc[0]
    assert bool(row["cross_party"])
    assert row["n_democrat"] >= 3 and row["n_republican"] >= 3
    single = comms.loc[~comms["cross_party"], "leader"]
    for leader in single:
        r = prof[prof["community"] == comm.membership[leader]].iloc[0]
        assert not r["cross_party"]
    assert prof["avg_performance"].notna().sum() >= 4
    assert perf.abs().max() < 0.5
