"""Findings of the regimes report and its planted-vs-recovered rows.

Regimes are fitted on daily market returns (decimals); the shaded history is the whole-sample
(Viterbi) path. Probabilities as they were knowable at each session are the walk-forward ones
(:func:`~workbench.regimes.walk_forward_regimes`: refitted on earlier sessions only); the
whole-sample filter stops its recursion at each session but its parameters saw the later ones.
Change points in returns are compared with the planted regime switches within a tolerance in
sessions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.reports.findings import Finding, recovery_verdict
from workbench.reports.formatting import fmt

__all__ = ["regime_findings", "regime_recovery", "change_point_recovery", "BREAK_TOLERANCE",
           "walk_forward_findings"]

BREAK_TOLERANCE = 10  # sessions between a detected and a planted change point


def regime_findings(result, return_breaks=None, activity_breaks=None) -> list[Finding]:
    """Findings of the regimes report (regimes found, their statistics, change points)."""
    out = []
    s = result.summary()
    n = len(s)
    chosen = ("chosen by BIC among " + ", ".join(str(k) for k in result.bic.index)
              if len(result.bic) > 1 else "fixed by the n_states parameter (0 chooses by BIC)")
    desc = "; ".join(f"{r.regime} {fmt(r.mean, 'pct2')}/day, vol {fmt(r.vol, 'pct2')}, "
                     f"{fmt(r.share, 'pct')} of sessions" for r in s.itertuples())
    longest = s.loc[s["expected_duration"].idxmax()]
    out.append(Finding(f"{n} market regimes; the most persistent is {longest['regime']} "
                       f"(expected {fmt(longest['expected_duration'], 'int')} sessions)", "info",
                       f"{desc}. Number of states {chosen}."))
    odd = [r.regime for r in s.itertuples()
           if (r.regime == "bull" and r.mean < 0) or (r.regime == "bear" and r.mean > 0)]
    if odd:
        out.append(Finding(f"Labels to read with care: {', '.join(odd)} has a mean of the "
                           "opposite sign", "info",
                           "Labels come from each state's mean and volatility relative to the "
                           "others, not from the sign alone."))
    for name, res in (("daily returns", return_breaks), ("daily trade counts", activity_breaks)):
        if res is None:
            continue
        cps = pd.DatetimeIndex(res.change_points)
        seg = res.to_frame()
        detail = (f"{res.method}, {res.model} cost, penalty {fmt(res.penalty, 'num1')}; median "
                  f"segment {fmt(seg['length'].median(), 'int')} sessions" if len(seg) else "")
        out.append(Finding(f"{len(cps)} change points in {name}"
                           + (f", first {fmt(cps[0], 'date')}, last {fmt(cps[-1], 'date')}"
                              if len(cps) else ""), "info", detail))
    return out


def regime_recovery(result, truth) -> list[dict]:
    """Planted regimes against the fitted (Viterbi) path: label agreement per session."""
    if truth is None:
        return []
    planted = truth.regimes.set_index("date")["name"]
    found = result.regimes["regime"]
    both = pd.concat([planted.rename("planted"), found.rename("found")], axis=1,
                     join="inner").dropna()
    if both.empty:
        return []
    acc = float((both["planted"] == both["found"]).mean())
    per = (both["planted"] == both["found"]).groupby(both["planted"]).mean()
    stats = truth.regime_stats.set_index("name")
    rows = [{"detector": "market regimes (HMM labels per session)",
             "planted": f"{len(stats)} regimes: " + ", ".join(
                 f"{k} {fmt(v, 'pct2')}/day" for k, v in stats["mu"].items()),
             "recovered": f"{fmt(acc, 'pct')} of {len(both):,} sessions labelled as planted",
             "verdict": "recovered" if acc >= 0.7 else "partly recovered" if acc >= 0.4
             else "not recovered",
             "detail": "; ".join(f"{k}: {fmt(v, 'pct')}" for k, v in per.items())
             + ". Recovered at 70% agreement or more."}]
    return rows


def change_point_recovery(res, truth, tolerance: int = BREAK_TOLERANCE) -> list[dict]:
    """Planted regime switches against detected change points in returns (within
    ``tolerance`` sessions): recall and precision."""
    if truth is None or res is None:
        return []
    sessions = truth.regimes["date"]
    idx = pd.DatetimeIndex(sessions)
    pos = {d: i for i, d in enumerate(idx)}
    planted = np.array([pos[d] for d in pd.DatetimeIndex(truth.change_points) if d in pos])
    found = np.array([pos[d] for d in pd.DatetimeIndex(res.change_points) if d in pos])
    if not len(planted):
        return []
    hit_p = (np.abs(planted[:, None] - found[None, :]) <= tolerance).any(axis=1) \
        if len(found) else np.zeros(len(planted), bool)
    hit_f = (np.abs(found[:, None] - planted[None, :]) <= tolerance).any(axis=1) \
        if len(found) else np.zeros(0, bool)
    recall = float(hit_p.mean())
    precision = float(hit_f.mean()) if len(found) else np.nan
    return [{"detector": "change points in returns",
             "planted": f"{len(planted)} regime switches",
             "recovered": f"{int(hit_p.sum())} found within {tolerance} sessions (recall "
                          f"{fmt(recall, 'pct')}); {len(found)} detected, precision "
                          f"{fmt(precision, 'pct')}",
             "verdict": recovery_verdict(int(hit_p.sum()), len(planted)),
             "detail": "Variance changes only: switches between regimes of equal volatility "
                       "are invisible to this detector."}]


def walk_forward_findings(result, walk, truth=None) -> list[Finding]:
    """How far the whole-sample filtered probabilities are from what was knowable at the time
    (:class:`~workbench.regimes.WalkForwardRegimes`), and, with ``truth``, how often each
    labels the planted regime."""
    proba = walk.proba.dropna()
    if proba.empty:
        return [Finding("No walk-forward regime probabilities: the sample is shorter than the "
                        "first training window", "info")]
    cols = [c for c in proba.columns if f"p_{c}" in result.regimes.columns]
    full = result.regimes.loc[proba.index, [f"p_{c}" for c in cols]]
    full.columns = cols
    gap = float((full - proba[cols]).abs().to_numpy().max())
    differs = float((full.idxmax(axis=1) != proba[cols].idxmax(axis=1)).mean())
    r = walk.refits
    every = int(r["n_train"].diff().median()) if len(r) > 1 else 0
    detail = (f"{len(r)} refits{f' every {every} sessions' if every else ''} from "
              f"{fmt(r['date'].iloc[0], 'date')} (first model fitted on "
              f"{fmt(r['n_train'].iloc[0], 'int')} sessions); no probability before. The "
              "whole-sample filter's parameters saw later sessions: only the walk-forward "
              "probabilities may feed a decision or a feature.")
    if truth is not None:
        planted = truth.regimes.set_index("date")["name"].reindex(proba.index)
        acc = {k: float((v == planted).mean()) for k, v in (
            ("walk-forward", proba.idxmax(axis=1)), ("whole-sample filter",
                                                     full.idxmax(axis=1)),
            ("Viterbi", result.regimes.loc[proba.index, "regime"]))}
        detail += (" Planted regime labelled on the same sessions: "
                   + ", ".join(f"{k} {fmt(v, 'pct')}" for k, v in acc.items()) + ".")
    return [Finding(f"Regime probabilities as knowable at the time (walk-forward) differ from "
                    f"the whole-sample filter by up to {fmt(gap, 'num2')}; the most probable "
                    f"regime differs on {fmt(differs, 'pct')} of sessions", "info", detail)]
