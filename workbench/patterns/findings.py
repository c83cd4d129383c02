"""Findings of the analog report: the analog forecast against its base rate, and planted price
motifs against what the DTW search recovers.

Base rate: an analog forecast that the next ``h`` sessions go up (or down) is worth something
only if its leave-one-out hit rate beats always predicting the most common sign of ``h``-session
returns over the same history (every ticker, every start, outcomes known at ``as_of``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from workbench.reports.findings import Finding, recovery_verdict
from workbench.reports.formatting import fmt, fmt_interval, fmt_p

__all__ = ["base_rate", "analog_findings", "motif_recovery"]


def base_rate(prices: pd.DataFrame, horizon: int, as_of=None) -> float:
    """Share of positive ``horizon``-session returns over every ticker and start date whose
    outcome is known at ``as_of`` (default: the end of the history)."""
    p = prices if as_of is None else prices.loc[:as_of]
    r = (p.shift(-horizon) / p - 1.0).to_numpy().ravel()
    r = r[np.isfinite(r)]
    return float((r > 0).mean()) if len(r) else np.nan


def analog_findings(result, prices: pd.DataFrame, ticker: str, level: float = 0.05) -> list:
    """Findings of the analog report, one per outcome horizon, plus the query itself."""
    q = result.query
    out = [Finding(f"Query: {ticker}, the {result.window} sessions ending "
                   f"{fmt(q.index[-1], 'date')} ({fmt(q.iloc[-1] / q.iloc[0] - 1, 'pct_signed')})",
                   "info", f"{len(result.matches)} non-overlapping analogs among "
                   f"{result.n_candidates:,} windows (DTW, band radius {result.radius}).")]
    as_of = result.as_of if result.as_of is not None else q.index[-1]
    for _, row in result.forecast.iterrows():
        h = int(row["horizon"])
        n = int(row["n"]) if np.isfinite(row["n"]) else 0
        base = base_rate(prices, h, as_of)
        chance = max(base, 1 - base) if np.isfinite(base) else np.nan
        hit = row["hit_rate"]
        if n and np.isfinite(hit) and np.isfinite(chance):
            k = int(round(hit * n))
            p = stats.binomtest(k, n, chance, alternative="greater").pvalue
            verdict = "beats baseline" if p < level else "does not beat baseline"
        else:
            p, verdict = np.nan, "does not beat baseline"
        out.append(Finding(
            f"{h}-session analog forecast {fmt(row['mean'], 'pct_signed')} "
            f"{fmt_interval(row['low'], row['high'])}; hit rate {fmt(hit, 'pct')} of {n} analogs "
            f"vs {fmt(chance, 'pct')} for always predicting the most common sign",
            verdict,
            f"Base rate: {fmt(base, 'pct')} of all {h}-session returns up to "
            f"{fmt(as_of, 'date')} were positive; one-sided binomial p {fmt_p(p)} (few "
            "analogs: a wide test)."))
    return out


def motif_recovery(prices: pd.DataFrame, truth, *, top_k: int = 8, band: float = 0.1,
                   tolerance: int = 5) -> list[dict]:
    """Query the latest planted occurrence of each motif; count the earlier occurrences found
    among the ``top_k`` analogs (start within ``tolerance`` sessions). The search only looks
    at windows that ended before the query (no look-ahead), hence the latest as the query."""
    if truth is None or truth.motifs is None or not len(truth.motifs):
        return []
    from workbench.patterns.analogs import find_similar_patterns

    idx = prices.index
    motifs = truth.motifs.copy()
    motifs["start_date"] = pd.to_datetime(motifs["start_date"])
    found, total, parts = 0, 0, []
    for mid, occ in motifs.groupby("motif_id"):
        occ = occ.sort_values("start_date")
        first = occ.iloc[-1]
        length = int(first["length"])
        q = prices[first["ticker"]].loc[first["start_date"]:].iloc[:length]
        res = find_similar_patterns(q, prices, window=length, top_k=top_k, band=band,
                                    query_ticker=str(first["ticker"]), require_outcome=False)
        m = res.matches
        hits = 0
        for o in occ.iloc[:-1].itertuples():
            same = m[m["ticker"] == o.ticker]
            pos = idx.get_indexer([o.start_date])[0]
            hits += bool(len(same)) and bool(
                (np.abs(idx.get_indexer(pd.DatetimeIndex(same["start"])) - pos)
                 <= tolerance).any())
        found += hits
        total += len(occ) - 1
        parts.append(f"motif {mid} (query {first['ticker']} {first['start_date']:%Y-%m-%d}): "
                     f"{hits} of {len(occ) - 1} earlier occurrences in the top {top_k}")
    return [{"detector": "price motifs (DTW analog search)",
             "planted": f"{motifs['motif_id'].nunique()} motifs, {len(motifs)} occurrences of "
                        f"{int(motifs['length'].iloc[0])} sessions",
             "recovered": f"{found} of {total} repeat occurrences found",
             "verdict": recovery_verdict(found, total), "detail": "; ".join(parts)}]
