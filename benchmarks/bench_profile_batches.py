"""Build time with and without the politician profiles, before and after profile batches.

Four ``workbench reports build`` runs, back to back, each under ``/usr/bin/time -v`` (wall time,
and user + system CPU seconds of the whole process tree: the builder, its Dask workers and
every kernel, all waited for), on the same notebooks and the synthetic default:

1. after, without profiles (``--only`` the common notebooks: 12_politician runs once with its
   default member);
2. before, with ``--politicians top:N`` (the tree given by ``--before-src``, one kernel per
   profile);
3. after, with ``--politicians top:N`` (profiles in batches, one kernel per Dask worker);
4. before, without profiles.

Interleaved (after, before, after, before) so that a drift of the machine's load does not fall
on one side only. The issue's ratio is (notebooks + N profiles) / (notebooks without profiles)
on the same tree, goal <= 1.2. Run::

    git archive <commit> | tar -x -C /tmp/before-src
    .venv/bin/python benchmarks/bench_profile_batches.py --before-src /tmp/before-src \
        --out /tmp/bench-profiles [--politicians top:20] [--only 00_data_overview,...]

``--only`` defaults to the notebooks present in both trees.

``--profiles-only``: two builds of the N profiles alone (``--only 12_politician --politicians
top:N``), after then before: one kernel per profile vs one kernel per Dask worker's batch.

``--issue-ratio``: the three builds of RESULTS section 14c, back to back: the before tree's
notebooks (the baseline, ``--before-src`` at e35add2: 00-07), this tree's same notebooks plus
``--politicians top:N``, and this tree's same notebooks alone; prints wall, CPU, the ratios to
the baseline and each build's timeline (start and end of every report and profile, seconds
from the build's start, by index.json)::

    git -C /work/main archive e35add2 | tar -x -C /tmp/hb-before
    .venv/bin/python benchmarks/bench_profile_batches.py --before-src /tmp/hb-before \
        --out /tmp/hb-ratio --issue-ratio
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _time_v(stderr: str) -> dict:
    def grab(label):
        m = re.search(rf"{re.escape(label)}: (.+)", stderr)
        return m.group(1).strip() if m else ""

    wall = grab("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    parts = [float(p) for p in wall.split(":")] if wall else [float("nan")]
    seconds = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    return {"wall_s": seconds, "user_s": float(grab("User time (seconds)") or "nan"),
            "sys_s": float(grab("System time (seconds)") or "nan"),
            "max_rss_mb": float(grab("Maximum resident set size (kbytes)") or "nan") / 1024}


def run_build(label: str, src: Path, out: Path, only: str, politicians: str | None) -> dict:
    cmd = ["/usr/bin/time", "-v", sys.executable, "-m", "workbench", "reports", "build",
           "--only", only, "--out", str(out), "--no-progress"]
    if politicians:
        cmd += ["--politicians", politicians]
    env = dict(os.environ, PYTHONPATH=str(src))
    load0 = os.getloadavg()[0]
    t0 = time.time()
    proc = subprocess.run(cmd, cwd=src, env=env, capture_output=True, text=True)
    load1 = os.getloadavg()[0]
    rows = json.loads((out / "index.json").read_text()) if (out / "index.json").exists() else []
    rows = rows["reports"] if isinstance(rows, dict) else rows
    timeline = sorted((round(datetime.strptime(r["started"], "%Y-%m-%dT%H:%M:%SZ")
                             .replace(tzinfo=UTC).timestamp() - t0, 1),
                       round(r["duration_s"], 1), r["name"]) for r in rows if r.get("started"))
    rep = [r for r in rows if r.get("kind", "report") == "report"]
    prof = [r for r in rows if r.get("kind") == "profile"]
    res = {"label": label, "command": " ".join(cmd[2:]), "src": str(src), "rc": proc.returncode,
           **_time_v(proc.stderr), "load_start": load0, "load_end": load1,
           "reports": len(rep), "reports_ok": sum(r["status"] == "ok" for r in rep),
           "profiles": len(prof), "profiles_ok": sum(r["status"] == "ok" for r in prof),
           "sum_report_s": sum(r["duration_s"] for r in rep),
           "sum_profile_s": sum(r["duration_s"] for r in prof)}
    res["cpu_s"] = res["user_s"] + res["sys_s"]
    print(json.dumps(res), flush=True)
    print("  timeline (start s, duration s, name):",
          "; ".join(f"{a:.0f}+{d:.1f} {n}" for a, d, n in timeline), flush=True)
    if proc.returncode:
        print(proc.stdout[-2000:], proc.stderr[-4000:], file=sys.stderr)
    return res


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before-src", required=True, type=Path)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--politicians", default="top:20")
    ap.add_argument("--only", default="")
    ap.add_argument("--profiles-only", action="store_true")
    ap.add_argument("--issue-ratio", action="store_true")
    ap.add_argument("--also-src", type=Path, default=None,
                    help="--issue-ratio: also build notebooks + profiles from this tree "
                         "(an earlier commit), right after the baseline")
    args = ap.parse_args(argv)
    before = args.before_src.resolve()
    only = args.only or ",".join(sorted(
        {p.stem for p in (ROOT / "notebooks").glob("[0-9]*.ipynb")}
        & {p.stem for p in (before / "notebooks").glob("[0-9]*.ipynb")}))
    if args.profiles_only:
        return _profiles_only(before, args)
    if args.issue_ratio:
        return _issue_ratio(before, only, args)
    print(f"notebooks: {only}", flush=True)
    runs = [("after, no profiles", ROOT, None),
            (f"before, {args.politicians}", before, args.politicians),
            (f"after, {args.politicians}", ROOT, args.politicians),
            ("before, no profiles", before, None)]
    results = []
    for i, (label, src, pol) in enumerate(runs):
        results.append(run_build(label, src, args.out / f"run{i}", only, pol))
    by = {r["label"]: r for r in results}
    print("\n| build | wall s | CPU s (user+sys) | reports ok | profiles ok | load 1-min start/end |")
    print("|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['label']} | {r['wall_s']:.0f} | {r['cpu_s']:.0f} | {r['reports_ok']}/"
              f"{r['reports']} | {r['profiles_ok']}/{r['profiles']} | {r['load_start']:.1f} / "
              f"{r['load_end']:.1f} |")
    for side in ("after", "before"):
        w = by[f"{side}, {args.politicians}"]
        n = by[f"{side}, no profiles"]
        print(f"{side}: with/without profiles wall {w['wall_s'] / n['wall_s']:.2f}x, "
              f"CPU {w['cpu_s'] / n['cpu_s']:.2f}x")
    return 0


def _profiles_only(before: Path, args) -> int:
    pol = args.politicians
    results = [run_build(f"{side}, {pol} only", src, args.out / f"profiles-{side}",
                         "12_politician", pol)
               for side, src in (("after", ROOT), ("before", before))]
    print("\n| build | wall s | CPU s (user+sys) | profiles ok | sum of profile durations s |"
          " load 1-min start/end |")
    print("|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['label']} | {r['wall_s']:.0f} | {r['cpu_s']:.0f} | {r['profiles_ok']}/"
              f"{r['profiles']} | {r['sum_profile_s']:.0f} | {r['load_start']:.1f} / "
              f"{r['load_end']:.1f} |")
    a, b = results
    print(f"before/after: wall {b['wall_s'] / a['wall_s']:.2f}x, CPU {b['cpu_s'] / a['cpu_s']:.2f}x")
    return 0


def _issue_ratio(before: Path, only: str, args) -> int:
    pol = args.politicians
    runs = [("before: notebooks", before, None), (f"after: notebooks + {pol}", ROOT, pol),
            ("after: notebooks", ROOT, None)]
    if args.also_src:
        runs.insert(1, (f"{args.also_src.name}: notebooks + {pol}", args.also_src.resolve(), pol))
    results = [run_build(label, src, args.out / f"ratio{i}", only, p)
               for i, (label, src, p) in enumerate(runs)]
    base = results[0]
    print("\n| build | wall s | ratio | CPU s (user+sys) | ratio | ok | load 1-min start/end |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['label']} | {r['wall_s']:.1f} | {r['wall_s'] / base['wall_s']:.2f} | "
              f"{r['cpu_s']:.1f} | {r['cpu_s'] / base['cpu_s']:.2f} | "
              f"{r['reports_ok'] + r['profiles_ok']}/{r['reports'] + r['profiles']} | "
              f"{r['load_start']:.1f} / {r['load_end']:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
