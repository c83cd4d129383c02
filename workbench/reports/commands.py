"""``workbench reports build|list``: registered on the ``workbench`` parser by ``cli.py``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["register", "cmd_build", "cmd_list", "format_parameters"]


def register(subparsers) -> None:
    """Add the ``reports`` command group to ``subparsers``."""
    group = subparsers.add_parser("reports", help="build and list the HTML reports")
    sub = group.add_subparsers(dest="reports_command", required=True)

    b = sub.add_parser("build", help="execute notebooks/ with papermill and publish HTML reports",
                       formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    b.add_argument("--source", default=None,
                   help="'synthetic' or a DuckDB store path (default: each notebook's default)")
    b.add_argument("--seed", type=int, default=None, help="seed of the synthetic universe")
    b.add_argument("--only", default=None,
                   help="comma-separated notebook names (stem, or stem without NN_)")
    b.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE",
                   help="notebook parameter (repeatable); typed from the parameters cell")
    b.add_argument("--out", default=None, help="output directory (default: reports/)")
    b.add_argument("--notebooks", default=None, help="notebook directory (default: notebooks/)")
    where = b.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, default=None,
                       help="Dask LocalCluster worker processes; 1 runs serially in this "
                            "process (default: number of cores)")
    where.add_argument("--scheduler", default=None,
                       help="address of an existing Dask scheduler, e.g. tcp://host:8786")
    b.add_argument("--smoke", action="store_true", help="inject smoke=True (small, fast runs)")
    b.add_argument("--self-contained", action="store_true",
                   help="inline plotly.js in every report instead of shipping plotly.min.js")
    b.add_argument("--timeout", type=float, default=None, help="per-cell timeout, seconds")
    b.add_argument("--politicians", default=None, metavar="top:N|ID,ID",
                   help="also render one profile per member into politicians/<bioguide_id>.html "
                        "from 12_politician: 'top:20' (most trades) or bioguide ids")
    b.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    b.set_defaults(func=cmd_build)

    ls = sub.add_parser("list", help="list notebooks and their parameters")
    ls.add_argument("--notebooks", default=None, help="notebook directory (default: notebooks/)")
    ls.set_defaults(func=cmd_list)


def _notebooks_dir(arg: str | None) -> Path:
    from workbench.config import project_root

    return Path(arg) if arg else project_root() / "notebooks"


def cmd_build(args) -> int:
    """Run a build; exit status 1 when any report failed (the others are still published)."""
    import os

    from workbench.reports.batch import skip_unused_imports

    skip_unused_imports()      # before nbformat/jsonschema load (see batch.SKIP_IMPORTS)
    from workbench.reports.parameters import parse_assignments
    from workbench.reports.runner import build_reports

    params: dict = parse_assignments(args.param)
    if args.source is not None:
        params["source"] = args.source
    if args.seed is not None:
        params["seed"] = args.seed
    if args.smoke:
        params["smoke"] = True
    workers = args.workers if args.workers is not None else (os.cpu_count() or 1)
    only = args.only.split(",") if args.only else None
    result = build_reports(_notebooks_dir(args.notebooks), args.out, parameters=params, only=only,
                           workers=workers, scheduler=args.scheduler, timeout=args.timeout,
                           plotlyjs="inline" if args.self_contained else "file",
                           progress=not args.no_progress, politicians=args.politicians)
    print(result.summary())
    return 0 if result.ok else 1


def format_parameters(path: Path) -> str:
    """Text block for one notebook: ``name: type = default  # help`` per parameter."""
    from workbench.reports.parameters import read_parameters

    lines = [path.stem]
    params = read_parameters(path)
    width = max((len(p.name) for p in params), default=0)
    for p in params:
        typ = p.type or "?"
        lines.append(f"  {p.name:<{width}} : {typ:<5} = {p.default_text:<14}  {p.help}".rstrip())
    return "\n".join(lines)


def cmd_list(args) -> int:
    from workbench.exceptions import ReportError
    from workbench.reports.runner import discover_notebooks

    status = 0
    for path in discover_notebooks(_notebooks_dir(args.notebooks)):
        try:
            print(format_parameters(path))
        except ReportError as exc:
            print(f"{path.stem}\n  error: {exc}", file=sys.stderr)
            status = 1
    return status
