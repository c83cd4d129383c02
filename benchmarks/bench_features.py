"""trade_features (vectorized per ticker block) vs a per-trade pandas loop, in one process.

Run: .venv/bin/python benchmarks/bench_features.py [--sample 40] [--seed 20120101]

The loop is tests/features/naive_features.py: for each trade it cuts the ticker's series at
the trade's decision (and transaction) session and computes every return, liquidity, technical
and exposure feature with plain pandas, plus the moves since the transaction. It runs on a
random sample of priced stock trades and is extrapolated per trade to all trades. The script
checks that both agree to 1e-9 on the sample and prints the ratio and the total time of the
whole feature store (all ten groups).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "features"))

from naive_features import price_features_at, since_tx_features  # noqa: E402

from workbench.data import load_universe  # noqa: E402
from workbench.features import trade_features  # noqa: E402

PRICE = ("returns", "liquidity", "technical", "exposures")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sample", type=int, default=40)
    ap.add_argument("--seed", type=int, default=20120101)
    args = ap.parse_args()
    u = load_universe("synthetic", seed=args.seed)
    t = u.trades
    priced = set(u.prices["ticker"].astype(str))
    pool = t[(t["asset_type"] == "stock") & t["ticker"].astype(str).isin(priced)]
    rng = np.random.default_rng(0)
    sample = pool.loc[rng.choice(pool.index, args.sample, replace=False)]

    t0 = time.perf_counter()
    fast_price = trade_features(u, groups=PRICE)
    fast_price_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    full = trade_features(u)
    full_s = time.perf_counter() - t0

    worst = 0.0
    t0 = time.perf_counter()
    refs = []
    for _, tr in sample.iterrows():
        refs.append({**price_features_at(u, tr, "dec"), **price_features_at(u, tr, "tx"),
                     **since_tx_features(u, tr)})
    loop_s = time.perf_counter() - t0
    for (_, tr), ref in zip(sample.iterrows(), refs, strict=True):
        got = fast_price.frame.loc[tr["trade_id"]]
        for k, v in ref.items():
            a, b = float(got[k]), float(v)
            if np.isnan(a) and np.isnan(b):
                continue
            worst = max(worst, abs(a - b) / max(1.0, abs(b)))
    per_trade = loop_s / len(sample)
    loop_total = per_trade * len(t)
    n_cols = len(refs[0])
    print(f"trades {len(t)}, features compared per trade {n_cols}, sample {len(sample)}")
    print(f"max |fast - loop| / max(1, |loop|) = {worst:.2e}  (tolerance 1e-9: "
          f"{'ok' if worst <= 1e-9 else 'FAIL'})")
    print(f"per-trade loop: {per_trade * 1e3:.1f} ms/trade -> {loop_total:.0f} s for all trades")
    print(f"vectorized price groups: {fast_price_s:.2f} s -> ratio {loop_total / fast_price_s:.0f}x")
    print(f"whole feature store ({full.frame.shape[1]} features, 10 groups): {full_s:.2f} s")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} (2 cores)")
    if worst > 1e-9:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
