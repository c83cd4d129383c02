"""The findings block and the planted-vs-recovered table of the anomalies report (08)."""

from __future__ import annotations

import numpy as np

from workbench.reports.findings import Finding

__all__ = ["recovery_rows", "anomaly_findings", "wilson_interval"]


def wilson_interval(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval of a proportion."""
    if n == 0:
        return float("nan"), float("nan")
    p = hits / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return float(c - h), float(c + h)


def recovery_rows(result, universe) -> list[dict]:
    """Rows of the planted-vs-recovered table (``workbench.reports.findings.planted_vs_recovered``):
    per planted kind, recovery in the top k, flagging and kind guess; plus the committee effect."""
    from workbench.reports.findings import recovery_verdict

    truth = getattr(universe, "truth", None)
    if truth is None or len(truth.anomalies) == 0:
        return []
    a = truth.anomalies
    top = set(result.table["trade_id"].head(result.k))
    flagged = set(result.table.loc[result.table["flagged"], "trade_id"])
    kinds = result.table.set_index("trade_id")["kind"]
    rows = []
    for kind, g in a.groupby("kind"):
        n = len(g)
        in_top = g["trade_id"].isin(top).to_numpy()
        n_top, n_flag = int(in_top.sum()), int(g["trade_id"].isin(flagged).sum())
        got = kinds.reindex(g["trade_id"][in_top])
        right = int((got == kind).sum())
        rows.append({"detector": f"{kind} anomalies, top {result.k}", "planted": str(n),
                     "recovered": str(n_top), "verdict": recovery_verdict(n_top, n),
                     "detail": f"{n_flag} of {n} flagged at threshold {result.threshold:g}; "
                               f"kind guessed right for {right} of {n_top}"})
    cr = getattr(truth, "committee_relevance", None)
    if cr is not None and len(cr):
        inf = cr[cr["is_informed"].astype(bool)]
        n_pos = int((inf["excess"] > 0).sum())
        rows.append({"detector": "informed traders trade their committees' sectors",
                     "planted": str(len(inf)), "recovered": str(n_pos),
                     "verdict": recovery_verdict(n_pos, len(inf)),
                     "detail": "committee-relevant share above the base rate; mean excess "
                               f"{inf['excess'].mean():+.0%}"})
    return rows


def anomaly_findings(result, universe, *, features=None, importance=None,
                     committee=None) -> list[Finding]:
    """Findings from the result objects (numbers with intervals and a plain verdict)."""
    t = result.table
    out = [Finding(f"{len(t):,} priced stock trades scored; {int(t['flagged'].sum()):,} "
                   f"({t['flagged'].mean():.1%}) flagged at the documented threshold "
                   f"{result.threshold:g}", "info",
                   "The threshold's stated false-positive rate on data without anomalies is "
                   "at most 1.5% of trades.")]
    truth = getattr(universe, "truth", None)
    if truth is not None and len(truth.anomalies):
        a = truth.anomalies
        hits = int(a["trade_id"].isin(set(t["trade_id"].head(result.k))).sum())
        lo, hi = wilson_interval(hits, result.k)
        p = hits / result.k
        verdict = "recovered" if p >= 0.7 else "partly recovered" if p >= 0.3 else "not recovered"
        out.append(Finding(f"Precision at k={result.k} (the number planted): {p:.0%} "
                           f"[{lo:.0%}, {hi:.0%}]", verdict,
                           "Planted kinds: " + ", ".join(f"{k} {n}" for k, n in
                                                         a["kind"].value_counts().items())))
    late = result.late_trades
    out.append(Finding(f"{len(late):,} trades were disclosed after the 45-day deadline; "
                       f"{int(result.late_filers['unusual'].sum())} politician-years are "
                       "unusually late against the politician's own earlier record (p < 0.01)",
                       "info"))
    if importance is not None:
        s = importance.summary()
        out.append(Finding(f"Forward {importance.horizon}-session abnormal return from public "
                           f"features: out-of-sample R^2 {s['test_r2']:.3f} vs "
                           f"{s['baseline_r2']:.3f} for the training mean",
                           "beats baseline" if importance.beats_baseline
                           else "does not beat baseline",
                           f"Diebold-Mariano p = {s['dm_p']:.3f} (one-sided, squared errors "
                           f"averaged per decision date); {int(s['selected'])} of "
                           f"{int(s['features'])} features selected from "
                           f"{int(s['clusters'])} correlation clusters."))
    if committee is not None and np.isfinite(committee.difference):
        sig = committee.p_clustered < 0.05
        out.append(Finding(f"Committee-relevant trades: {committee.share_relevant:.0%} of "
                           f"{len(committee.outcomes):,}; their {committee.horizon}-session "
                           f"abnormal return differs by {committee.difference:+.2%} "
                           f"[{committee.ci_low:+.2%}, {committee.ci_high:+.2%}]",
                           "significant" if sig else "not significant",
                           f"politician-clustered p = {committee.p_clustered:.3f} (Welch p = "
                           f"{committee.p_welch:.3f}); current-Congress committee membership."))
    if features is not None:
        cov = features.coverage()
        worst = cov["share_non_missing"].idxmin()
        out.append(Finding(f"{features.frame.shape[1]} features in {len(cov)} groups; lowest "
                           f"coverage: {worst} ({cov.loc[worst, 'share_non_missing']:.0%} "
                           "non-missing)", "info"))
    return out
