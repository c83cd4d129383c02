"""Findings of the data overview and its planted-vs-recovered row.

Counts use the **transaction** date; the lag is disclosure minus transaction date in calendar
days against the STOCK Act's 45-day limit.
"""

from __future__ import annotations

import numpy as np
from statsmodels.stats.proportion import proportion_confint

from workbench.reports.findings import Finding, recovery_verdict
from workbench.reports.formatting import fmt, fmt_interval

__all__ = ["overview_findings", "overview_recovery"]


def overview_findings(overview, coverage) -> list[Finding]:
    """What the trades table holds: size, span, disclosure lag, late filings, coverage."""
    s = overview.summary()
    out = [Finding(f"{s['trades']:,} trades by {s['politicians']:,} politicians in "
                   f"{s['tickers']:,} tickers, {fmt(s['first transaction date'], 'date')} to "
                   f"{fmt(s['last transaction date'], 'date')}", "info",
                   "Counted by transaction date.")]
    q = coverage.lag_quantiles
    known = coverage.lag_days.dropna()
    late = int((known > coverage.deadline_days).sum())
    if len(known):
        lo, hi = proportion_confint(late, len(known), alpha=0.05, method="wilson")
        out.append(Finding(
            f"Median disclosure lag {fmt(q.get(0.5, np.nan), 'int')} days (middle half "
            f"{fmt(q.get(0.25, np.nan), 'int')}-{fmt(q.get(0.75, np.nan), 'int')}); "
            f"{fmt(late / len(known), 'pct')} {fmt_interval(lo, hi)} disclosed after the "
            f"{coverage.deadline_days}-day limit", "info",
            f"{late:,} late of {len(known):,} trades with both dates; Wilson 95% interval."))
    if coverage.has_prices:
        out.append(Finding(f"{fmt(coverage.price_coverage, 'pct')} of stock trades have a price "
                           "series around the trade", "info",
                           "Missing prices are reported, never filled in."))
    out.append(Finding(f"{fmt(coverage.resolution_rate, 'pct')} of trades resolved to a member "
                       f"of Congress; {len(coverage.unresolved):,} names unresolved", "info"))
    return out


def overview_recovery(coverage, trades, truth) -> list[dict]:
    """Planted late disclosures (``lag`` anomalies) among the trades the overview counts as
    late (``[]`` without truth)."""
    if truth is None or not len(truth.anomalies):
        return []
    ids = set(truth.anomalies.loc[truth.anomalies["kind"] == "lag", "trade_id"].astype(str))
    if not ids:
        return []
    late = coverage.lag_days > coverage.deadline_days
    planted = trades["trade_id"].astype(str).isin(ids).reindex(late.index, fill_value=False)
    hits = int((late & planted).sum())
    n = int(planted.sum())
    return [{"detector": "late disclosures (lag > 45 days)",
             "planted": f"{n} trades disclosed with an anomalous lag",
             "recovered": f"{hits} of {n} counted late; {int(late.sum()):,} late in all",
             "verdict": recovery_verdict(hits, n),
             "detail": "Late filing is a data fact, not a test: ordinary trades are late too."}]
