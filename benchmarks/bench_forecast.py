"""Benchmark and real-data run of workbench.forecast.

Run:  .venv/bin/python benchmarks/bench_forecast.py [--threads 1] [--skip-cli]
      .venv/bin/python benchmarks/bench_forecast.py --real /tmp/h5.duckdb [--tickers 30]

Default mode, in one run:

* training throughput (samples/s, one epoch of forward + backward + AdamW over windows of
  21 sessions x 29 features, batch 256) of TradingLSTM and TradingTransformer on the CPU,
  at the default (hidden 32) and smoke (hidden 8) sizes;
* inference latency of the same trained LSTM/Transformer with torch eager (``no_grad``,
  eval) and with onnxruntime (CPU, one intra-op thread), at batch 1 and 256: median and
  95th percentile over repeated calls, and the eager/ONNX ratio (goal: ONNX >= 2x faster at
  batch 1 with p95 <= 2 ms);
* wall time of ``workbench train forecast --smoke --trials 2`` in a subprocess (MLflow on a
  temporary SQLite file).

``--real STORE``: the real-data run (S&P 500 prices, Senate activity features, decision
dates 2012-2020, horizon 7 sessions to match the seed's headline target), every metric
against the baselines, the seed's targets, and the allocation comparison.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def throughput(kind: str, hidden: int, threads: int, n: int = 4096, f: int = 29,
               w: int = 21, batch: int = 256) -> float:
    import torch

    from workbench.forecast.models import MultiTaskLoss, build_model
    from workbench.forecast.trainer import set_determinism

    set_determinism(0, threads)
    net = build_model(kind, f, hidden=hidden, heads=2)
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3)
    loss_fn = MultiTaskLoss()
    x = torch.randn(n, w, f)
    y = torch.randn(n)
    c = torch.randint(0, 3, (n,))
    net.train()

    def epoch():
        for s in range(0, n, batch):
            sl = slice(s, s + batch)
            loss, _ = loss_fn(net.forward_raw(x[sl]), y[sl], y[sl], c[sl])
            opt.zero_grad()
            loss.backward()
            opt.step()

    epoch()                                  # warm-up
    t = time.perf_counter()
    epoch()
    return n / (time.perf_counter() - t)


def latency(fn, x, repeats: int) -> tuple[float, float]:
    for _ in range(5):
        fn(x)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn(x)
        times.append(time.perf_counter() - t)
    ms = np.array(times) * 1000
    return float(np.median(ms)), float(np.percentile(ms, 95))


def bench_inference(kind: str, hidden: int, threads: int) -> list[str]:
    import torch

    from workbench.forecast.export import OnnxForecaster, check_parity, export_onnx
    from workbench.forecast.models import build_model
    from workbench.forecast.trainer import set_determinism

    set_determinism(0, threads)
    f, w = 29, 21
    net = build_model(kind, f, hidden=hidden, heads=2).eval()
    out = Path(tempfile.mkdtemp(prefix="wb-bench-onnx-"))
    export_onnx(net, out, model=kind, feature_names=[f"f{i}" for i in range(f)], window=w,
                horizon=5, flat_band=0.005)
    runner = OnnxForecaster(out, threads=threads)
    rows = []
    for b, reps in ((1, 500), (256, 50)):
        x = np.random.default_rng(0).normal(size=(b, w, f)).astype(np.float32)
        xt = torch.from_numpy(x)

        def eager(_, xt=xt):
            with torch.no_grad():
                return net(xt)

        e50, e95 = latency(eager, x, reps)
        o50, o95 = latency(runner.run, x, reps)
        diff = max(check_parity(net, runner, x).values())
        rows.append(f"| {kind} h{hidden} | {b} | {e50:.3f} | {e95:.3f} | {o50:.3f} | "
                    f"{o95:.3f} | {e50 / o50:.2f}x | {diff:.1e} |")
    return rows


def bench_cli() -> tuple[float, float]:
    """Wall time and CPU time (user + system of the child) of a smoke training."""
    import resource

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "WORKBENCH_MLFLOW_URI": f"sqlite:///{tmp}/mlflow.db"}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "workbench", "train", "forecast", "--smoke",
                        "--trials", "2", "--no-progress", "--out", f"{tmp}/out"],
                       check=True, env=env, capture_output=True, cwd=str(ROOT))
        wall = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return wall, cpu


def real_run(store: str, n_tickers: int, trials: int, seed: int) -> None:
    import dataclasses

    import pandas as pd

    from workbench.data import load_universe
    from workbench.forecast.pipeline import TrainingConfig, pick_tickers, train_forecast
    from workbench.forecast.report import forecast_findings
    from workbench.plotting.forecast import comparison_table
    from workbench.portfolio import compare_allocations

    pd.set_option("display.width", 200)
    u = load_universe(store)
    cut = pd.Timestamp("2020-12-31")
    u = dataclasses.replace(u, prices=u.prices[pd.to_datetime(u.prices["date"]) <= cut])
    cfg = TrainingConfig(n_tickers=n_tickers, horizon=7, hidden=16, max_epochs=8,
                         patience=3, batch_size=512, start="2012-01-01", end="2020-12-31")
    tickers = pick_tickers(u, cfg.n_tickers)
    t = time.perf_counter()
    run = train_forecast(u, model="lstm", seed=seed, trials=trials, config=cfg,
                         tickers=tickers, source=store, log_mlflow=False)
    print(f"forecast run: {time.perf_counter() - t:.0f} s; tickers: {', '.join(tickers)}")
    print(run.data_summary.to_string())
    if run.tuning is not None:
        print(run.tuning.summary().to_string())
    print(comparison_table(run.result).to_string(index=False))
    print(run.result.metrics().pivot_table(index=["task", "metric"], columns="predictor",
                                           values="value").to_string(float_format="{:.4g}".format))
    t = time.perf_counter()
    trades = u.trades[pd.to_datetime(u.trades["disclosure_date"]) <= cut]
    alloc = compare_allocations(trades, u.prices, u.factors, random_state=seed)
    print(f"allocations: {time.perf_counter() - t:.0f} s")
    print(alloc.summary().to_string(float_format="{:.3f}".format))
    for f in forecast_findings(run, alloc, None):
        print(f"[{f.verdict}] {f.headline} {f.detail}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, default=1, help="torch / onnxruntime threads")
    ap.add_argument("--skip-cli", action="store_true")
    ap.add_argument("--real", default=None, help="DuckDB store for the real-data run")
    ap.add_argument("--tickers", type=int, default=30)
    ap.add_argument("--trials", type=int, default=4)
    ap.add_argument("--seed", type=int, default=20120101)
    ap.add_argument("--cli-only", action="store_true", help="only time the smoke CLI run")
    args = ap.parse_args(argv)
    if args.cli_only:
        wall, cpu = bench_cli()
        print(f"workbench train forecast --smoke --trials 2: {wall:.1f} s wall, {cpu:.1f} s CPU "
              f"(load average {os.getloadavg()[0]:.1f})")
        return 0
    if args.real:
        real_run(args.real, args.tickers, args.trials, args.seed)
        return 0
    print(f"load average at start: {os.getloadavg()[0]:.1f} (2 cores)")
    print("\n| model | hidden | threads | training samples/s |\n|---|---|---|---|")
    for kind in ("lstm", "transformer"):
        for hidden in (32, 8):
            sps = throughput(kind, hidden, args.threads)
            print(f"| {kind} | {hidden} | {args.threads} | {sps:,.0f} |")
    print("\n| model | batch | eager p50 ms | eager p95 ms | ONNX p50 ms | ONNX p95 ms | "
          "eager/ONNX (p50) | max abs diff |\n|---|---|---|---|---|---|---|---|")
    for kind in ("lstm", "transformer"):
        for row in bench_inference(kind, 32, args.threads):
            print(row)
    if not args.skip_cli:
        wall, cpu = bench_cli()
        print(f"\nworkbench train forecast --smoke --trials 2: {wall:.1f} s wall, "
              f"{cpu:.1f} s CPU")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
