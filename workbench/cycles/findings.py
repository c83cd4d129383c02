"""Findings of the cycles report and its planted-vs-recovered rows.

Activity is counted by **transaction** date (unless the report says otherwise); the deadline
effect compares transaction and disclosure dates. Calendar effects are rate ratios against a
stated baseline: Monday for weekdays, January for months.
"""

from __future__ import annotations

import numpy as np

from workbench.reports.findings import Finding, recovery_verdict, verdict_from_p
from workbench.reports.formatting import fmt, fmt_interval, fmt_p

__all__ = ["cycle_findings", "cycle_recovery", "deadline_finding", "PERIOD_TOLERANCE"]

PERIOD_TOLERANCE = 0.1  # a detected period within 10% of a planted one recovers it


def deadline_finding(deadline) -> Finding:
    """The 45-day deadline effect said as what it is: a pile-up, a deficit, or neither."""
    rr, lo, hi = deadline.rate_ratio, deadline.ci_low, deadline.ci_high
    if not np.isfinite(rr):
        return Finding("Too few disclosures near the 45-day deadline to compare", "info")
    if lo > 1:
        shape = "a pile-up"
    elif hi < 1:
        shape = f"a deficit ({fmt(1 - rr, 'pct')} fewer), not a pile-up"
    else:
        shape = "neither a pile-up nor a deficit"
    return Finding(
        f"Disclosures in the last 5 days before the 45-day deadline vs the 5 days before those: "
        f"{fmt(rr, 'ratio')} {fmt_interval(lo, hi, 'ratio')}, p {fmt_p(deadline.p_value)}: "
        f"{shape}", verdict_from_p(deadline.p_value),
        f"Baseline: lags of 36-40 days; {fmt(deadline.late_share, 'pct')} of disclosures came "
        "after the deadline.")


def cycle_findings(cycles, effects=None, deadline=None, level: float = 0.05) -> list[Finding]:
    """Findings of the cycles report: significant cycles, calendar effects, the deadline."""
    out = []
    sig = cycles.to_frame()
    sig = sig[sig["significant"]]
    if len(sig):
        labels = ", ".join(f"{fmt(p, 'num1')} sessions ({lab})" for p, lab in
                           zip(sig["period"], sig["calendar_label"], strict=True))
        out.append(Finding(f"{len(sig)} significant cycles in daily trade counts: {labels}",
                           "significant", f"FFT periodogram against an AR(1) red-noise null, "
                           f"false discovery rate {cycles.alpha}; {cycles.n_obs:,} sessions."))
    else:
        out.append(Finding("No significant cycle in daily trade counts", "not significant",
                           f"AR(1) null, false discovery rate {cycles.alpha}."))
    if effects is not None:
        e = effects.to_frame().set_index("term")
        dow = e[e.index.str.startswith("dow_")]
        mon = e[e.index.str.startswith("month_")]
        for part, base in ((dow, "Monday"), (mon, "January")):
            if not len(part):
                continue
            lo = part["estimate"].idxmin()
            r = part.loc[lo]
            out.append(Finding(
                f"Lowest {'weekday' if base == 'Monday' else 'month'}: {lo.split('_', 1)[1]} "
                f"trades {fmt(r['estimate'], 'ratio')} {fmt_interval(r['ci_low'], r['ci_high'], 'ratio')}"
                f" as often as {base}", verdict_from_p(r["p_value"], level),
                f"Count-model rate ratios against {base} (the baseline), other calendar terms "
                "held fixed."))
    if deadline is not None:
        out.append(deadline_finding(deadline))
    return out


def cycle_recovery(cycles, effects, truth, level: float = 0.05) -> list[dict]:
    """Planted cycles (and the August recess) against what the report detected."""
    if truth is None:
        return []
    found = cycles.to_frame()
    found = found[found["significant"]]
    rows = []
    for _, c in truth.cycles.iterrows():
        period = float(c["period_days"])
        if c["name"] == "august_recess":
            continue
        testable = cycles.n_obs >= 2 * period
        hit = found[(found["period"] - period).abs() <= PERIOD_TOLERANCE * period]
        if not testable:
            verdict, rec = "info", f"not testable: {cycles.n_obs:,} sessions < 2 periods"
        else:
            verdict = recovery_verdict(int(len(hit) > 0), 1)
            rec = (f"{fmt(hit['period'].iloc[0], 'num1')} sessions, q "
                   f"{fmt_p(hit['q_value'].iloc[0])}" if len(hit) else "not significant")
        rows.append({"detector": f"cycle: {c['name']}", "verdict": verdict, "recovered": rec,
                     "planted": f"{period:g} sessions, amplitude {fmt(c['amplitude'], 'num2')}",
                     "detail": f"within {PERIOD_TOLERANCE:.0%} of the planted period"})
    recess = truth.cycles[truth.cycles["name"] == "august_recess"]
    if len(recess) and effects is not None:
        e = effects.to_frame().set_index("term")
        if "month_Aug" in e.index:
            r = e.loc["month_Aug"]
            ok = bool(r["ci_high"] < 1 and r["p_value"] < level)
            rows.append({"detector": "August recess (calendar effect)",
                         "planted": f"intensity x{truth.params.august_recess_factor:g} in "
                                    "August",
                         "recovered": f"August vs January {fmt(r['estimate'], 'ratio')} "
                                      f"{fmt_interval(r['ci_low'], r['ci_high'], 'ratio')}",
                         "verdict": recovery_verdict(int(ok), 1),
                         "detail": "A month effect also absorbs the planted annual cycle."})
    return rows

