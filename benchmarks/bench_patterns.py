"""DTW analog search: fast exact top-k against the every-window dtaidistance reference.

500 random-walk price series x 2,800 sessions, window 30, band 10% (radius 3), top-5
non-overlapping matches. The reference computes dtaidistance's C DTW for every window (one call
per window, as tests/patterns/naive_patterns.py does) and keeps the best k; the fast path is
workbench.patterns.search.search_topk. Same run, same queries; top-k must be identical.

    .venv/bin/python benchmarks/bench_patterns.py [--series 500] [--days 2800] [--queries 5]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "patterns"))
from naive_patterns import naive_topk  # noqa: E402

from workbench.patterns.search import (  # noqa: E402
    _prepared,
    _raw_envelope,
    search_topk,
    stack_histories,
)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--series", type=int, default=500)
    ap.add_argument("--days", type=int, default=2800)
    ap.add_argument("--queries", type=int, default=5)
    ap.add_argument("--reference-queries", type=int, default=2)
    ap.add_argument("--seed", type=int, default=20120101)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    m, radius, k = 30, 3, 5
    px = 50 * np.exp(np.cumsum(rng.normal(0, 0.015, (args.days, args.series)), axis=0))
    hist = pd.DataFrame(px, index=pd.bdate_range("2010-01-01", periods=args.days))
    t0 = time.perf_counter()
    st = stack_histories(hist)
    _prepared(st, m)  # query-independent running sums and envelopes, cached on the index
    _raw_envelope(st, radius)
    t_stack = time.perf_counter() - t0
    series = [st.values[st.series_id == i] for i in range(args.series)]
    # queries: a fresh random walk (not in the history) and windows of the history itself
    queries = [np.cumsum(rng.normal(0, 0.015, m))]
    for _ in range(args.queries - 1):
        c, s0 = int(rng.integers(args.series)), int(rng.integers(args.days - m))
        queries.append(np.log(px[s0:s0 + m, c]))
    fast_times, n_windows = [], 0
    results = []
    for q in queries:
        t0 = time.perf_counter()
        starts, dists, n_windows = search_topk(q, st, k, radius, m)
        fast_times.append(time.perf_counter() - t0)
        results.append([(int(st.series_id[s]), int(st.pos[s]), float(d))
                        for s, d in zip(starts, dists, strict=True)])
    ref_times, identical = [], []
    for qi in range(args.reference_queries):
        t0 = time.perf_counter()
        ref = naive_topk(queries[qi], series, k, radius, m)
        ref_times.append(time.perf_counter() - t0)
        same = [(a, b) for a, b, _ in ref] == [(a, b) for a, b, _ in results[qi]] and np.allclose(
            [d for *_, d in ref], [d for *_, d in results[qi]], rtol=1e-9)
        identical.append(same)
    fast = float(np.median(fast_times))
    fast_same = float(np.median(fast_times[: args.reference_queries]))
    ref = float(np.mean(ref_times))
    print(f"series={args.series} days={args.days} window={m} radius={radius} top_k={k}")
    print(f"candidate windows per query: {n_windows:,}")
    print(f"index build (once per history and window length): {t_stack * 1e3:.0f} ms")
    print(f"fast per query (median of {len(fast_times)}): {fast * 1e3:.0f} ms "
          f"-> {n_windows / fast / 1e6:.2f} M windows/s; per-query times ms: "
          f"{[round(t * 1e3) for t in fast_times]}")
    print(f"reference per query (mean of {len(ref_times)}): {ref:.1f} s "
          f"-> {n_windows / ref / 1e6:.3f} M windows/s")
    print(f"speed-up on the same queries (reference / fast median): {ref / fast_same:.0f}x; "
          f"identical top-k: {all(identical)} ({identical})")


if __name__ == "__main__":
    main()
