"""Findings and planted-vs-recovered rows of a member profile (:mod:`workbench.member.profile`).

Text is built from the :class:`~workbench.member.profile.MemberProfile` numbers only.
"""

from __future__ import annotations

import numpy as np

from workbench.reports.findings import Finding, recovery_verdict, verdict_from_p
from workbench.reports.formatting import fmt, fmt_interval, fmt_p

__all__ = ["member_findings", "member_recovery"]


def _alpha(row) -> str:
    return (f"{fmt(row['alpha'], 'pct_signed')}/yr "
            f"{fmt_interval(row['alpha_low'], row['alpha_high'])}, p {fmt_p(row['alpha_p'])}")


def member_findings(profile, level: float = 0.05) -> list:
    """Findings of one member's profile, most important first."""
    p, out = profile, []
    m = p.model.upper()
    perf = p.performance
    conf = f"{p.confidence:.0%} CI"
    if "universe" in perf.index:
        r = perf.loc["universe"]
        out.append(Finding(f"{p.name}'s disclosed buys vs the equal-weight universe: {m} alpha "
                           f"{_alpha(r)}", verdict_from_p(r["alpha_p"], level),
                           f"Each buy entered at the first close after its disclosure, held "
                           f"{p.holding_days} sessions; {conf}, HAC; {int(r['n_sessions']):,} "
                           "sessions."))
    if "market" in perf.index:
        r = perf.loc["market"]
        out.append(Finding(f"Against the {m} factor model alone: alpha {_alpha(r)}",
                           verdict_from_p(r["alpha_p"], level),
                           "A market-beating alpha that the universe also earns is no skill."))
    if perf.empty:
        out.append(Finding("Too few priced buys for a performance estimate", "info",
                           "Trades without a price series are never filled in."))
    lag = p.lag
    if lag["n"]:
        outside = not (lag["late_low"] <= lag["everyone_share"] <= lag["late_high"])
        out.append(Finding(
            f"{lag['late']:,} of {lag['n']:,} trades disclosed after 45 days: "
            f"{fmt(lag['late_share'], 'pct')} {fmt_interval(lag['late_low'], lag['late_high'])}"
            f" vs {fmt(lag['everyone_share'], 'pct')} for all members",
            "significant" if outside else "not significant",
            f"Median lag {fmt(lag['median_days'], 'int')} days (90th percentile "
            f"{fmt(lag['p90_days'], 'int')}); Wilson 95% interval; significant means all "
            "members' share lies outside it."))
    s = p.summary()
    out.append(Finding(f"{s['trades']:,} trades ({s['buys']:,} buys, {s['sells']:,} sells) in "
                       f"{s['tickers']:,} tickers, {fmt(s['first_trade'], 'date')} to "
                       f"{fmt(s['last_trade'], 'date')}", "info",
                       f"{p.party}, {p.chamber}{', ' + p.state if p.state else ''}."))
    if len(p.committees):
        c = p.committees.iloc[0]
        out.append(Finding(
            f"{fmt(c['share'], 'pct')} of trades in sectors the member's committees oversee "
            f"(base rate {fmt(c['base_rate'], 'pct')})", "info",
            "Committee seats are current-Congress only: relevance of older trades is an "
            "approximation."))
    else:
        out.append(Finding("Committee data not available for this member or source", "info"))
    if len(p.neighbours):
        out.append(Finding("Most similar traders: " + ", ".join(p.neighbours["politician"]
                                                                 .astype(str).head(3)), "info",
                           "Combined similarity of tickers, timing, side and sectors."))
    return out


def member_recovery(profile, truth, level: float = 0.05) -> list[dict]:
    """What was planted for this member (synthetic only; ``[]`` otherwise) and what the
    profile recovered: informed trading (alpha vs universe), community (neighbours)."""
    if truth is None:
        return []
    pol = truth.politicians
    row = pol[pol["bioguide_id"].astype(str) == profile.bioguide_id]
    if row.empty:
        return []
    row = row.iloc[0]
    perf = profile.performance
    p_uni = float(perf.loc["universe", "alpha_p"]) if "universe" in perf.index else np.nan
    a_uni = float(perf.loc["universe", "alpha"]) if "universe" in perf.index else np.nan
    flagged = bool(p_uni < level and a_uni > 0)
    out = []
    if bool(row["is_informed"]):
        inf = truth.informed
        car = inf.loc[inf["politician"] == row["politician"], "car"]
        out.append({"detector": "informed trading (alpha vs universe)",
                    "planted": f"informed: +{fmt(car.iloc[0] if len(car) else np.nan, 'pct')} "
                               "CAR after each buy",
                    "recovered": f"alpha vs universe p {fmt_p(p_uni)}",
                    "verdict": recovery_verdict(int(flagged), 1), "detail": ""})
    else:
        out.append({"detector": "informed trading (alpha vs universe)",
                    "planted": "not informed", "recovered":
                    f"alpha vs universe p {fmt_p(p_uni)}"
                    + (" (a false positive)" if flagged else ""),
                    "verdict": "not recovered" if flagged else "recovered", "detail":
                    "Recovered here means correctly not flagged."})
    comm = int(row["community"])
    if comm >= 0:
        same = set(pol.loc[pol["community"] == comm, "politician"].astype(str))
        nb = profile.neighbours["politician"].astype(str).head(5)
        hits = int(nb.isin(same).sum())
        out.append({"detector": "co-trading community (top-5 neighbours)",
                    "planted": f"community {comm}" + (" leader" if bool(row["is_leader"]) else
                                                      " member"),
                    "recovered": f"{hits} of {len(nb)} nearest neighbours in it",
                    "verdict": recovery_verdict(hits, min(5, len(same) - 1)),
                    "detail": ", ".join(nb)})
    return out
