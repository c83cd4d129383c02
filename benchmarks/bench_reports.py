"""Per-notebook overhead of the report pipeline, and the whole build.

For each notebook (default: every notebook in notebooks/, smoke parameters) this measures

- ``report``: ``workbench.reports.runner.run_report`` -- papermill starts a kernel, injects the
  parameters, executes every cell, exports HTML with the header (what ``reports build`` does per
  notebook, minus writing files);
- ``plain``: the same cells, parameters cell + injected values first, executed with ``exec`` by
  one fresh ``python`` process (interpreter start and imports included, as in the kernel; figure
  and table values of last expressions are not rendered).

overhead = report - plain (seconds), ratio = report / plain. Goal: overhead <= 2 s per notebook.
Each figure is the median of ``--repeat`` runs. Run::

    .venv/bin/python benchmarks/bench_reports.py [--only NAME,...] [--repeat 3] [--full]

``--full`` also times a complete ``workbench reports build`` (synthetic default, not smoke,
default workers) into a temporary directory: the ``make reports`` figure (goal: < 180 s).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.config import default_seed  # noqa: E402
from workbench.reports.runner import discover_notebooks, make_jobs, run_report  # noqa: E402

PLAIN = r"""
import json, sys, time
t0 = time.perf_counter()
cells, params = json.loads(sys.stdin.read())
ns = {"__name__": "__main__"}
for i, src in enumerate(cells):
    exec(compile(src, f"<cell {i}>", "exec"), ns)
    if i == 0:
        ns.update(params)  # what papermill's injected cell does
print(time.perf_counter() - t0)
"""


def plain_run(nb_path: Path, params: dict) -> float:
    """Wall time of the notebook's code in one fresh Python process (start included)."""
    from IPython.core.inputtransformer2 import TransformerManager

    nb = nbformat.read(str(nb_path), as_version=4)
    tm = TransformerManager()
    code = [c for c in nb.cells if c.cell_type == "code"]
    first = next(i for i, c in enumerate(code) if "parameters" in c.metadata.get("tags", []))
    cells = [tm.transform_cell(c.source) for c in code[first:]]
    payload = json.dumps([cells, params])
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", PLAIN], input=payload, capture_output=True,
                          text=True, cwd=str(nb_path.parent), env={**os.environ, "MPLBACKEND": "agg"})
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{nb_path.name} failed in plain Python:\n{proc.stderr[-2000:]}")
    return wall


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default=None, help="comma-separated notebook names")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--full", action="store_true", help="also time a full non-smoke build")
    args = ap.parse_args()

    params = {"smoke": True, "seed": default_seed()}
    paths = discover_notebooks(ROOT / "notebooks", args.only.split(",") if args.only else None)
    jobs = make_jobs(paths, params)
    print(f"cores={os.cpu_count()} load={os.getloadavg()[0]:.2f} repeat={args.repeat} "
          f"params={params}")
    print(f"{'notebook':24s} {'report s':>9s} {'plain s':>9s} {'overhead s':>11s} {'ratio':>6s}")
    overheads = []
    for path, job in zip(paths, jobs, strict=True):
        rep, pl = [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            outcome = run_report(job)
            rep.append(time.perf_counter() - t0)
            if outcome.status != "ok":
                raise RuntimeError(f"{job.name}: {outcome.error}")
            pl.append(plain_run(path, job.parameters))
        r, p = statistics.median(rep), statistics.median(pl)
        overheads.append(r - p)
        print(f"{job.name:24s} {r:9.2f} {p:9.2f} {r - p:11.2f} {r / p:6.2f}")
    print(f"median overhead per notebook: {statistics.median(overheads):.2f} s "
          f"(max {max(overheads):.2f} s; goal <= 2 s)")

    if args.full:
        with tempfile.TemporaryDirectory() as out:
            t0 = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "workbench", "reports", "build",
                                   "--out", out, "--no-progress"], cwd=str(ROOT),
                                  capture_output=True, text=True)
            wall = time.perf_counter() - t0
            print(proc.stdout.strip())
            print(f"full build (synthetic default, workers={os.cpu_count()}): {wall:.1f} s "
                  f"(goal < 180 s), exit {proc.returncode}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
