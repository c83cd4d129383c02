"""Benchmark: vectorized backtester vs a straightforward event-by-event loop (and vectorbt).

Run:  .venv/bin/python benchmarks/bench_backtest.py [--trades-per-day 36] [--seed 20120101]

Builds a synthetic universe with >= 100k trades (workbench.data.generate_universe with a raised
trade intensity), runs the same copy-Congress strategy (all disclosed stock buys held 21
sessions, equal weight, 10 + 5 bps costs) with

* workbench.backtest (vectorized: difference arrays + one pass of numpy),
* tests/backtest/naive_backtest.py (event-by-event Python loop, same rules),
* vectorbt Portfolio.from_orders(size_type="targetpercent") on the same target weights
  (if vectorbt is installed),

checks the equity curves agree and prints timings and ratios (best of N repeats for the fast
paths, one run of the loop).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "backtest"))

from naive_backtest import naive_backtest  # noqa: E402

from workbench.backtest import Backtester, simulate  # noqa: E402
from workbench.data import generate_universe  # noqa: E402
from workbench.factors.inputs import to_wide_prices  # noqa: E402


def best_of(fn, repeats):
    times, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=20120101)
    ap.add_argument("--trades-per-day", type=float, default=36.0)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    u = generate_universe(args.seed, trades_per_day=args.trades_per_day)
    gen = time.perf_counter() - t0
    trades, factors = u.trades, u.factors
    levels = to_wide_prices(u.prices)
    n_buys = int(((trades["side"] == "buy") & (trades["asset_type"] == "stock")).sum())
    print(f"universe: {len(trades):,} trades ({n_buys:,} stock buys), {levels.shape[0]} sessions"
          f" x {levels.shape[1]} tickers, generated in {gen:.1f} s")
    params = dict(strategy="all_buys", holding_days=21, cost_bps=10.0, slippage_bps=5.0)

    fast_t, bt = best_of(lambda: Backtester(**params).fit(trades, levels, factors), args.repeats)
    fast = bt.result_
    print(f"workbench vectorized: {fast_t * 1e3:.1f} ms (best of {args.repeats})")

    t = time.perf_counter()
    ref = naive_backtest(trades, levels, **params)
    loop_t = time.perf_counter() - t
    diff = float(np.max(np.abs(fast.equity.to_numpy() - ref["equity"].to_numpy())))
    rel = float(np.max(np.abs(fast.equity.to_numpy() / ref["equity"].to_numpy() - 1)))
    print(f"event loop: {loop_t:.2f} s; max |equity diff| = {diff:.2e} (relative {rel:.2e})")
    print(f"ratio loop / vectorized = {loop_t / fast_t:.0f}x")

    # Simulation alone (weights given): the part vectorbt also does.
    W = bt.weights_.to_numpy()
    R = levels.pct_change(fill_method=None).to_numpy()
    sim_t, sim = best_of(lambda: simulate(W, R, 10.0, 5.0), args.repeats)
    print(f"workbench simulate() alone: {sim_t * 1e3:.1f} ms")
    try:
        import vectorbt as vbt
    except ImportError:
        print("vectorbt not installed: comparison skipped")
        return
    close = levels.ffill().bfill()
    # vectorbt executes orders at the close; our weights at close t are targets from then on.
    # min_size=0: its default minimum order size skips tiny rebalancing trades.
    size = bt.weights_.copy()
    size.iloc[:] = np.where(np.isnan(W), 0.0, W)

    def run_vbt(fees):
        return vbt.Portfolio.from_orders(
            close, size=size, size_type="targetpercent", group_by=True, cash_sharing=True,
            call_seq="auto", fees=fees, init_cash=1.0, freq="1D", min_size=0.0)

    run_vbt(0.0)   # numba compilation outside the timing
    vbt_t, pf = best_of(lambda: run_vbt(0.0), args.repeats)
    v_eq = pf.value().to_numpy()
    s0 = simulate(W, R, 0.0, 0.0)["equity"]
    rel0 = np.abs(v_eq / s0 - 1)
    d0 = float(np.max(rel0))
    if d0 > 1e-4:
        first = int(np.argmax(rel0 > 1e-4))
        print(f"  divergence starts at {levels.index[first].date()} (row {first}); equity "
              f"ours {s0[first]:.6f} vectorbt {v_eq[first]:.6f}; weights sum "
              f"{W[first - 1].sum():.6f}, min price {np.nanmin(close.to_numpy()[first]):.4g}, "
              f"NaN prices in input {int(levels.isna().sum().sum())}")
    vbt_tc, pfc = best_of(lambda: run_vbt(15e-4), args.repeats)
    d1 = float(np.max(np.abs(pfc.value().to_numpy() / sim["equity"] - 1)))
    print(f"vectorbt from_orders(targetpercent): {vbt_t * 1e3:.1f} ms without fees, "
          f"{vbt_tc * 1e3:.1f} ms with 15 bps fees")
    print(f"ratio vectorbt / workbench simulate() = {vbt_t / sim_t:.1f}x; "
          f"vectorbt / full workbench backtest = {vbt_t / fast_t:.1f}x")
    print(f"equity vs vectorbt: max relative diff {d0:.2e} without costs, {d1:.2e} with costs "
          "(vectorbt deducts fees from cash before sizing the targets)")


if __name__ == "__main__":
    main()
