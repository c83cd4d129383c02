"""Findings of the network report and its planted-vs-recovered rows.

Inference rules the text follows: a singleton community has no leader; a lead-lag p-value is
shown with its permutation floor ``1/(B+1)`` (a p-value at the floor is "at most" that); the
leader claims are judged on Benjamini-Hochberg q-values across the leaders, not on raw
p-values. Dates: the network describes behaviour by **transaction** date and acts on no trade.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.reports.findings import Finding, recovery_verdict
from workbench.reports.formatting import fmt, fmt_p

__all__ = ["network_findings", "network_recovery", "leader_table"]


def leader_table(leaders, level: float = 0.05) -> pd.DataFrame:
    """One row per community leader (communities of at least two members), strongest first:
    ``politician, community, community_size, leadership_score, net_lead, lead_p_value``
    (shown against its floor), ``lead_q_value`` (BH across leaders), ``significant``."""
    t = leaders.summary().reset_index()
    cols = ["politician", "community", "community_size", "leadership_score", "net_lead",
            "leads", "follows", "lead_p_value", "lead_q_value"]
    out = t[cols].copy()
    out["at_floor"] = out["lead_p_value"] <= leaders.p_floor * (1 + 1e-9)
    out["significant"] = out["lead_q_value"] < level
    return out.reset_index(drop=True)


def network_findings(communities, leaders, profiles: pd.DataFrame | None = None,
                     level: float = 0.05) -> list[Finding]:
    """Findings of the network report, most important first."""
    out = []
    sizes = communities.membership.value_counts()
    multi = int((sizes > 1).sum())
    singles = int((sizes == 1).sum())
    lt = leader_table(leaders, level)
    k = int(lt["significant"].sum())
    floor = leaders.p_floor
    names = ", ".join(lt.loc[lt["significant"], "politician"].astype(str).head(5))
    out.append(Finding(
        f"{k} of {len(lt)} community leaders lead their followers significantly "
        f"(Benjamini-Hochberg q < {level} across the leaders)"
        + (f": {names}" if k else ""),
        "significant" if k else "not significant",
        f"Lead-lag permutation test with {leaders.n_permutations} circular shifts; its smallest "
        f"possible p-value is {fmt(floor, 'auto')} (1/(B+1)), so "
        f"{int(lt['at_floor'].sum())} leaders at the floor have p <= {fmt(floor, 'auto')}."))
    out.append(Finding(
        f"{multi} communities of two or more members (largest {int(sizes.max())}); "
        f"{singles} politicians are singletons and lead nobody",
        "info", f"Louvain, modularity {fmt(communities.modularity, 'num2')}, resolution "
                f"{fmt(communities.resolution, 'auto')}."))
    if profiles is not None and len(profiles):
        big = profiles[profiles["size"] >= 2]
        cross = int(big["cross_party"].sum())
        out.append(Finding(f"{cross} of {len(big)} communities are cross-party", "info",
                           "Cross-party: at least two parties each hold 20% of the members."))
    return out


def network_recovery(communities, leaders, truth, level: float = 0.05) -> list[dict]:
    """Planted communities and leaders against the detected ones (``[]`` without truth)."""
    if truth is None:
        return []
    from sklearn.metrics import adjusted_rand_score

    pol = truth.politicians.set_index("politician")
    planted = pol.loc[pol["community"] >= 0, "community"]
    found = communities.membership.reindex(planted.index)
    known = found.notna()
    ari = (adjusted_rand_score(planted[known].astype(int), found[known].astype(int))
           if known.sum() > 1 else np.nan)
    parts, hits = [], 0
    for cid, members in planted.groupby(planted):
        f = found[members.index].dropna()
        if not len(f):
            parts.append(f"planted {cid}: not in the network")
            continue
        best = f.value_counts()
        share = best.iloc[0] / len(members)
        hits += share >= 0.8
        parts.append(f"planted {cid}: {best.iloc[0]} of {len(members)} in detected "
                     f"{int(best.index[0])}")
    n = planted.nunique()
    rows = [{"detector": "co-trading communities (Louvain)",
             "planted": f"{n} communities of {int(planted.value_counts().iloc[0])}",
             "recovered": f"{hits} of {n} found (80% of members together); ARI "
                          f"{fmt(ari, 'num2')}",
             "verdict": recovery_verdict(hits, n), "detail": "; ".join(parts)}]
    t = leaders.table
    lq = leader_table(leaders, level).set_index("politician")
    planted_leaders = list(pol.index[pol["is_leader"].astype(bool)])
    found_l, parts = 0, []
    for name in planted_leaders:
        if name in lq.index:
            q = lq.loc[name, "lead_q_value"]
            ok = bool(q < level)
            found_l += ok
            parts.append(f"{name}: leader, q {fmt_p(q)}{'' if ok else ' (not significant)'}")
        elif name in t.index:
            parts.append(f"{name}: rank {int(t.loc[name, 'rank_in_community'])} in community "
                         f"{int(t.loc[name, 'community'])}")
        else:
            parts.append(f"{name}: not in the network")
    others = int((lq["significant"] & ~lq.index.isin(planted_leaders)).sum())
    rows.append({"detector": "leaders (rank 1 + lead-lag, BH)",
                 "planted": f"{len(planted_leaders)} leaders, followers "
                            f"{truth.leader_lag_days} sessions later",
                 "recovered": f"{found_l} of {len(planted_leaders)} significant leaders; "
                              f"{others} other significant leaders",
                 "verdict": recovery_verdict(found_l, len(planted_leaders)),
                 "detail": "; ".join(parts)})
    return rows
