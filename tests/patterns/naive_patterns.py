"""Slow, obviously-right references for workbench.patterns (used by tests and the benchmark)."""

from __future__ import annotations

import numpy as np
from dtaidistance import dtw


def naive_dtw(a, b, radius):
    """Pure-Python banded DTW, sqrt of summed squared differences, |i - j| <= radius."""
    n, m = len(a), len(b)
    D = np.full((n + 1, m + 1), np.inf)
    D[0, 0] = 0.0
    for i in range(1, n + 1):
        for j in range(max(1, i - radius), min(m, i + radius) + 1):
            D[i, j] = (a[i - 1] - b[j - 1]) ** 2 + min(D[i - 1, j], D[i, j - 1], D[i - 1, j - 1])
    return float(np.sqrt(D[n, m]))


def _z(w):
    sd = w.std()
    return (w - w.mean()) / sd if sd > 1e-12 else np.zeros_like(w)


def naive_topk(query, series_list, k, radius, exclusion, allowed=None):
    """DTW of every window of every series against the z-normalized query, then the best k
    windows that are pairwise non-overlapping within a series (|start difference| >= exclusion).

    ``series_list`` holds 1-D arrays (already log/de-meaned as the fast path sees them);
    ``allowed(series_no, start) -> bool`` optionally restricts candidates.
    Returns a list of (series_no, start, distance), best first.
    """
    q = _z(np.asarray(query, float))
    m = len(q)
    rows = []
    for si, x in enumerate(series_list):
        for s in range(len(x) - m + 1):
            w = x[s:s + m]
            if not np.all(np.isfinite(w)):
                continue
            if allowed is not None and not allowed(si, s):
                continue
            d = dtw.distance_fast(q, _z(w), window=radius + 1, use_pruning=False)
            rows.append((d, si, s))
    rows.sort()
    out = []
    for d, si, s in rows:
        if any(si == sj and abs(s - t) < exclusion for sj, t, _ in out):
            continue
        out.append((si, s, d))
        if len(out) == k:
            break
    return out
