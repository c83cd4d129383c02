"""Time the synthetic universe: generation in process (goal < 10 s), written as a store, read back.

    .venv/bin/python benchmarks/bench_synthetic.py [--repeats 3] [--seed N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from workbench.data import load_universe
from workbench.data.store import load_universe_from_store, write_universe


def best_of(fn, repeats: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=20120101)
    args = ap.parse_args()
    gen, u = best_of(lambda: load_universe("synthetic", seed=args.seed), args.repeats)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synthetic.duckdb"
        t0 = time.perf_counter()
        write_universe(u, path)
        write = time.perf_counter() - t0
        read, back = best_of(lambda: load_universe_from_store(path), args.repeats)
    print(f"trades={len(u.trades):,} prices={len(u.prices):,} options={len(u.options):,}")
    print(f"generate_universe (best of {args.repeats}): {gen:.2f} s  (goal < 10 s)")
    print(f"write_universe to DuckDB: {write:.2f} s; load_universe_from_store: {read:.2f} s")
    assert len(back.trades) == len(u.trades)


if __name__ == "__main__":
    main()
