"""The full power study (issue 16): every detector's power curve, serially and on Dask.

Run::

    nice .venv/bin/python benchmarks/power_study.py --mode both --seeds 5 --json /tmp/power.json

``--mode serial`` runs every (detector, size, seed) point in this process, ``--mode dask`` as
tasks on a 2-worker ``LocalCluster`` (``--workers``), ``--mode both`` does the serial run and
then the Dask run on the same points, each into its own fresh cache directory (nothing cached
is reused, so both runs do all the work), and prints the wall times and their ratio. The MDE
and false-positive tables come from the serial run (the Dask run's are checked equal).
``--cache DIR`` makes the serial run reuse and fill DIR (the notebook's cache is
``benchmarks/.cache/power``; give an empty DIR for a timing). With ``--real STORE`` the real-data MDE of Senate buys (H = 21,
63, 126 sessions after disclosure, 2012-2020) is computed from that store.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.config import default_seed  # noqa: E402
from workbench.validation.study import power_study  # noqa: E402


def run(mode: str, seeds: int, detectors, cache, workers: int):
    """The study, its wall time and its CPU time (this process plus the Dask workers')."""
    load = os.getloadavg()[0]
    if mode == "serial":
        t0, c0 = time.perf_counter(), time.process_time()
        study = power_study(detectors, seeds, cache_dir=cache)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    else:
        from distributed import Client

        from workbench.reports.distributed import local_cluster

        with local_cluster(workers) as cluster, Client(cluster) as client:
            w0 = sum(client.run(time.process_time).values())
            t0, c0 = time.perf_counter(), time.process_time()
            study = power_study(detectors, seeds, client=client, cache_dir=cache)
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
            cpu += sum(client.run(time.process_time).values()) - w0
    return study, wall, cpu, (load, os.getloadavg()[0])


def real_mde(store: str) -> pd.DataFrame:
    from workbench.data import load_universe
    from workbench.validation.realdata import portfolio_alpha_mde

    u = load_universe(store)
    rows = []
    for h in (21, 63, 126):
        r = portfolio_alpha_mde(u.trades, u.prices, u.factors, holding_days=h,
                                start="2012-01-01", end="2020-12-31")
        rows.append({"holding": h, "sessions": r.n_obs, "observed alpha": r.observed_alpha,
                     "SE": r.observed_se, "MDE": r.mde, "MDE low": r.mde_low,
                     "MDE high": r.mde_high, "closed form": r.closed_form_mde,
                     "null rejection": r.null_rate})
        print(r.statement())
    return pd.DataFrame(rows)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mode", choices=("serial", "dask", "both"), default="serial")
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--first-seed", type=int, default=None,
                    help="seeds are first-seed + 0..n-1 (default $WORKBENCH_SEED)")
    ap.add_argument("--detectors", default="", help="comma-separated; empty for all")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--cache", default="", help="cache directory to reuse (default: fresh)")
    ap.add_argument("--real", default="", help="store with the real Senate data")
    ap.add_argument("--json", default="", help="write tables and timings here")
    args = ap.parse_args(argv)
    detectors = args.detectors or None
    first = default_seed() if args.first_seed is None else args.first_seed
    seeds = [first + i for i in range(args.seeds)]
    out: dict = {"seeds": seeds, "workers": args.workers}
    modes = ["serial", "dask"] if args.mode == "both" else [args.mode]
    studies = {}
    for mode in modes:
        with tempfile.TemporaryDirectory(prefix=f"power-{mode}-") as tmp:
            cache = args.cache if args.cache and mode == "serial" else tmp
            study, wall, cpu, load = run(mode, seeds, detectors, cache, args.workers)
        studies[mode] = study
        out[f"{mode}_seconds"] = wall
        out[f"{mode}_cpu_seconds"] = cpu
        out[f"{mode}_load"] = load
        points = sum(len(c.runs) for c in study.curves)
        print(f"{mode}: {wall:.1f} s wall, {cpu:.1f} s CPU for {points} points (load average "
              f"{load[0]:.1f} at start, {load[1]:.1f} at end)", flush=True)
    if len(studies) == 2:
        out["ratio"] = out["serial_seconds"] / out["dask_seconds"]
        same = all(a.curve.equals(b.curve) for a, b in
                   zip(studies["serial"].curves, studies["dask"].curves, strict=True))
        out["dask_equals_serial"] = bool(same)
        print(f"serial / dask = {out['ratio']:.2f}; identical curves: {same}")
    study = studies[modes[0]]
    pd.set_option("display.width", 220)
    pd.set_option("display.max_columns", 30)
    mde = study.mde_table()
    fp = study.false_positive_table()
    print(mde.drop(columns=["criterion", "mde", "mde_low", "mde_high"]).to_string(index=False))
    print(fp.to_string(index=False))
    print(study.planted_vs_recovered().to_string(index=False))
    out["mde"] = mde.to_dict(orient="records")
    out["false_positives"] = fp.to_dict(orient="records")
    out["curves"] = study.to_frame().to_dict(orient="records")
    if args.real:
        out["real"] = real_mde(args.real).to_dict(orient="records")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1, default=str))


if __name__ == "__main__":
    main()
