"""Trader-similarity matrix: vectorized workbench.network vs the straightforward pairwise loop.

Run: .venv/bin/python benchmarks/bench_network.py [--politicians 500] [--days 2250]

Random trades for N politicians over D business days (daily count series, bin_sessions=1),
400 tickers in 11 sectors. The baseline is the seed's approach: per-politician sets, count
vectors, side and sector dicts, then a Python loop over every pair with ``np.corrcoef`` for the
correlation. Both produce the four component matrices and the combined weight; the script
checks they agree to 1e-9 and reports the speed ratio.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
import pandas as pd

from workbench.network import combine_weights, compute_similarity


def make_trades(n_pol: int, n_days: int, n_trades: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    days = pd.bdate_range("2012-01-03", periods=n_days)
    tickers = np.array([f"T{i:03d}" for i in range(400)])
    pop = 1.0 / np.arange(1, 401) ** 0.8
    trades = pd.DataFrame({
        "politician": np.array([f"P{i:03d}" for i in range(n_pol)])[
            rng.integers(0, n_pol, n_trades)],
        "ticker": rng.choice(tickers, n_trades, p=pop / pop.sum()),
        "side": rng.choice(["buy", "sell", "exchange"], n_trades, p=[0.52, 0.47, 0.01]),
        "transaction_date": days[rng.integers(0, n_days, n_trades)],
    })
    sec = pd.DataFrame({"ticker": tickers, "sector": [f"S{i % 11}" for i in range(400)]})
    return trades, sec, days


def pairwise_loop(trades: pd.DataFrame, sec: pd.DataFrame, days: pd.DatetimeIndex,
                  politicians: list[str]) -> dict[str, np.ndarray]:
    sector_of = dict(zip(sec["ticker"], sec["sector"], strict=True))
    day_index = {d: i for i, d in enumerate(days)}
    tick, series, net, sect = {}, {}, {}, {}
    for p, sub in trades.groupby("politician"):
        tick[p] = set(sub["ticker"])
        s = np.zeros(len(days))
        for d in sub["transaction_date"]:
            s[day_index[d]] += 1
        series[p] = s
        score: dict = {}
        for t, side in zip(sub["ticker"], sub["side"], strict=True):
            score[t] = score.get(t, 0) + (1 if side == "buy" else -1 if side == "sell" else 0)
        net[p] = {t: (v > 0) - (v < 0) for t, v in score.items() if v != 0}
        c: dict = {}
        for t in sub["ticker"]:
            if t in sector_of:
                c[sector_of[t]] = c.get(sector_of[t], 0) + 1
        sect[p] = c
    n = len(politicians)
    out = {k: np.eye(n) for k in ("jaccard", "count_corr", "side_agreement", "sector_overlap")}
    for i in range(n):
        a = politicians[i]
        for j in range(i + 1, n):
            b = politicians[j]
            union = tick[a] | tick[b]
            jac = len(tick[a] & tick[b]) / len(union) if union else 0.0
            x, y = series[a], series[b]
            cor = 0.0 if x.std() == 0 or y.std() == 0 else np.corrcoef(x, y)[0, 1]
            shared = set(net[a]) & set(net[b])
            agr = sum(net[a][t] == net[b][t] for t in shared) / len(shared) if shared else 0.0
            keys = set(sect[a]) | set(sect[b])
            dot = sum(sect[a].get(k, 0) * sect[b].get(k, 0) for k in keys)
            na = math.sqrt(sum(v * v for v in sect[a].values()))
            nb = math.sqrt(sum(v * v for v in sect[b].values()))
            cos = dot / (na * nb) if na and nb else 0.0
            for k, v in (("jaccard", jac), ("count_corr", cor), ("side_agreement", agr),
                         ("sector_overlap", cos)):
                out[k][i, j] = out[k][j, i] = v
    # diagonal conventions of the fast path: side agreement with oneself is 1 where any net side
    for i, p in enumerate(politicians):
        out["side_agreement"][i, i] = 1.0 if net[p] else 0.0
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--politicians", type=int, default=500)
    ap.add_argument("--days", type=int, default=2250)
    ap.add_argument("--trades", type=int, default=60000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    trades, sec, days = make_trades(args.politicians, args.days, args.trades)
    print(f"{args.politicians} politicians x {args.days} days, {len(trades)} trades")

    fast_times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        res = compute_similarity(trades, sec, bin_sessions=1, start=days[0], end=days[-1])
        fast_times.append(time.perf_counter() - t0)
    fast = min(fast_times)

    t0 = time.perf_counter()
    ref = pairwise_loop(trades, sec, days, list(res.politicians))
    slow = time.perf_counter() - t0
    ref_w = combine_weights(ref["jaccard"], ref["count_corr"], ref["side_agreement"],
                            ref["sector_overlap"], res.weights)

    worst = {k: float(np.max(np.abs(getattr(res, k) - v))) for k, v in ref.items()}
    worst["weight"] = float(np.max(np.abs(res.weight - ref_w)))
    for k, v in worst.items():
        print(f"  max |fast - loop| {k:15s} {v:.2e}")
    ok = max(worst.values()) <= 1e-9
    print(f"vectorized: {fast:.3f} s (best of {args.repeat})")
    print(f"pairwise loop: {slow:.2f} s")
    print(f"ratio: {slow / fast:.0f}x; identical to 1e-9: {ok}")
    if not ok:
        raise SystemExit("fast path disagrees with the loop")


if __name__ == "__main__":
    main()
