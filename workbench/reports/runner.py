"""Execute parameterized notebooks with papermill and publish them as HTML reports.

:func:`build_reports` is what ``workbench reports build`` runs: it discovers
``notebooks/*.ipynb``, injects parameters into each notebook's ``parameters`` cell, executes the
notebooks (serially, or as Dask tasks, see :mod:`workbench.reports.distributed`), writes one HTML
per notebook and ``index.html``. Each notebook runs in a kernel of its own
(:func:`~workbench.reports.execute.run_report`); the politician profiles share kernels: all
in one kernel in a serial build (:func:`~workbench.reports.execute.run_batch`), one kernel per
Dask worker otherwise (one task per profile, after the notebooks, each worker reusing the
kernel its first profile started: :func:`~workbench.reports.execute.run_in_session`).

Paths: output file names are derived from the notebook file stem only (sanitized); parameter
values never take part in a path, so ``-p name=../../x`` cannot redirect output.
Failures: a notebook that raises is marked ``failed`` in the index with its error; the previous
good HTML of that report stays in place (new files are written to a temporary file and renamed).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import nbformat

from workbench.exceptions import ReportError
from workbench.reports.execute import notebook_title, run_batch, run_report
from workbench.reports.jobs import BuildResult, ReportBatch, ReportJob, ReportOutcome, safe_name
from workbench.reports.parameters import read_parameters, resolve_parameters

__all__ = ["ReportJob", "ReportBatch", "ReportOutcome", "BuildResult", "discover_notebooks",
           "safe_name", "make_jobs", "run_report", "run_batch", "publish_outcome",
           "build_reports", "notebook_title", "EXECUTED_DIR"]

EXECUTED_DIR = "ipynb"


def discover_notebooks(directory: str | Path, only: Iterable[str] | None = None) -> list[Path]:
    """``directory/*.ipynb`` sorted by name, optionally restricted to ``only``.

    ``only`` entries match a notebook stem (``00_data_overview``) or the stem without its
    ``NN_`` prefix (``data_overview``). Unknown entries raise :class:`ReportError`.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise ReportError(f"notebook directory not found: {directory}")
    found = sorted(p for p in directory.glob("*.ipynb") if not p.name.startswith("."))
    if not only:
        return found
    wanted = [w.strip() for w in only if w.strip()]
    keys = {p: {p.stem, re.sub(r"^\d+_", "", p.stem)} for p in found}
    unknown = [w for w in wanted if not any(w in k for k in keys.values())]
    if unknown:
        raise ReportError(f"--only: no notebook named {unknown} in {directory} "
                          f"(have {[p.stem for p in found]})")
    return [p for p in found if keys[p] & set(wanted)]


def make_jobs(notebooks: Iterable[Path], given: Mapping[str, Any], *, kernel_name=None,
              timeout=None, plotlyjs="file", commit="unknown") -> list[ReportJob]:
    """Jobs for ``notebooks`` with the ``given`` parameters each one declares.

    Raises
    ------
    ReportError
        A given parameter that no selected notebook declares, a value of the wrong type, or a
        notebook without a valid parameters cell.
    """
    jobs, declared_any = [], set()
    for path in notebooks:
        path = Path(path)
        declared = read_parameters(path)
        declared_any |= {p.name for p in declared}
        values = resolve_parameters(declared, dict(given))
        jobs.append(ReportJob(
            name=safe_name(path.stem), notebook_json=path.read_text(encoding="utf-8"),
            parameters=values, defaults={p.name: p.default for p in declared},
            cwd=str(path.parent.resolve()), kernel_name=kernel_name, timeout=timeout,
            plotlyjs=plotlyjs, commit=commit))
    unknown = sorted(set(given) - declared_any)
    if unknown:
        raise ReportError(f"unknown parameter(s) {unknown}: declared by none of the notebooks")
    names = [j.name for j in jobs]
    if len(set(names)) != len(names):
        raise ReportError(f"two notebooks map to the same report name: {names}")
    return jobs


def publish_outcome(outcome: ReportOutcome, out_dir: str | Path) -> None:
    """Write one outcome under ``out_dir`` atomically.

    On success ``<name>.html`` (``politicians/<id>.html`` for a profile), ``ipynb/<name>.ipynb``
    and the report's tables under ``data/<name>/`` (CSV and Parquet); on failure only
    ``ipynb/<name>.failed.ipynb`` (when the run got far enough), leaving the previous HTML.
    """
    from workbench.reports.extract import extract_tables, write_downloads
    from workbench.reports.publish import publish_text

    out_dir = Path(out_dir)
    key = outcome.data_key  # defence in depth: never trust a name from a worker
    if outcome.status == "ok":
        publish_text(out_dir / outcome.html_path, outcome.html)
        if outcome.executed:
            publish_text(out_dir / EXECUTED_DIR / f"{key}.ipynb", outcome.executed)
            tables = extract_tables(nbformat.reads(outcome.executed, as_version=4))
            write_downloads(out_dir, key, tables)
        (out_dir / EXECUTED_DIR / f"{key}.failed.ipynb").unlink(missing_ok=True)
    elif outcome.executed:
        publish_text(out_dir / EXECUTED_DIR / f"{key}.failed.ipynb", outcome.executed)


def build_reports(notebooks_dir: str | Path | None = None, out_dir: str | Path | None = None, *,
                  parameters: Mapping[str, Any] | None = None, only: Iterable[str] | None = None,
                  workers: int | None = 1, scheduler: str | None = None,
                  kernel_name: str | None = None, timeout: float | None = None,
                  plotlyjs: str = "file", progress: bool = False,
                  on_done: Callable[[ReportOutcome], None] | None = None,
                  politicians: str | Iterable[str] | None = None) -> BuildResult:
    """Execute notebooks and publish HTML reports plus ``index.html``.

    Parameters
    ----------
    notebooks_dir : path, optional
        Default ``notebooks/`` under the project root.
    out_dir : path, optional
        Default :func:`workbench.config.reports_dir` (``reports/``).
    parameters : mapping
        ``name -> value`` (strings are coerced to each notebook's declared type). A notebook
        receives only the parameters it declares.
    only : iterable of str, optional
        Notebook stems (or stems without ``NN_``) to build.
    workers : int or None
        ``1``: run serially in this process. ``N > 1``: a Dask ``LocalCluster`` of N worker
        processes with one thread each. ``None``: number of cores.
    scheduler : str, optional
        Address of an existing Dask scheduler (overrides ``workers``).
    plotlyjs : {"file", "inline"}
        Ship ``plotly.min.js`` once beside the reports, or inline it in every report.
    progress : bool
        Show a tqdm bar (reports done / total) on stderr.
    on_done : callable, optional
        Called with each outcome as it is published.
    politicians : str or list of str, optional
        ``"top:N"`` or bioguide ids: also render one profile per member from
        ``12_politician`` into ``politicians/<id>.html`` (that notebook's default run is then
        left out). Ids are validated (:mod:`workbench.reports.profiles`).

    Returns
    -------
    BuildResult
    """
    from workbench.reports.notebook import UNIVERSE_CACHE_ENV

    # One synthetic universe per build: notebooks and profiles load it from a pickle in a
    # directory private to this build (local runs; remote workers generate their own).
    previous = os.environ.get(UNIVERSE_CACHE_ENV)
    with tempfile.TemporaryDirectory(prefix="wb-universe-") as cache:
        if scheduler is None:
            os.environ[UNIVERSE_CACHE_ENV] = cache
        try:
            return _build(notebooks_dir, out_dir, parameters, only, workers, scheduler,
                          kernel_name, timeout, plotlyjs, progress, on_done, politicians)
        finally:
            if previous is None:
                os.environ.pop(UNIVERSE_CACHE_ENV, None)
            else:
                os.environ[UNIVERSE_CACHE_ENV] = previous


def _build(notebooks_dir, out_dir, parameters, only, workers, scheduler, kernel_name, timeout,
           plotlyjs, progress, on_done, politicians) -> BuildResult:
    from workbench.config import project_root, reports_dir
    from workbench.reports import profiles
    from workbench.reports.publish import (
        git_commit,
        prune_dead_links,
        write_index,
        write_itables_js,
        write_plotlyjs,
    )

    notebooks_dir = Path(notebooks_dir) if notebooks_dir else project_root() / "notebooks"
    out_dir = Path(out_dir) if out_dir else reports_dir()
    given = dict(parameters or {})
    if given.get("politician"):
        profiles.check_bioguide_id(given["politician"])
    paths = discover_notebooks(notebooks_dir, only)
    # A local Dask cluster starts (and its workers import) in the background meanwhile
    early = _early_cluster(workers, scheduler)
    try:
        ids: list[str] = []
        if politicians is not None:
            ids = profiles.resolve_politicians(
                politicians, source=str(given.get("source", "synthetic")),
                seed=given.get("seed"), smoke=bool(given.get("smoke")))
            paths = [p for p in paths if p.stem != profiles.PROFILE_NOTEBOOK]
        if not paths and not ids:
            raise ReportError(f"no notebooks in {notebooks_dir}")
        commit = git_commit()
        kw = {"kernel_name": kernel_name, "timeout": timeout, "plotlyjs": plotlyjs,
              "commit": commit}
        jobs = make_jobs(paths, given, **kw) if paths else []
        profile_jobs: list[ReportJob] = []
        if ids:
            nb = profiles.profile_notebook(notebooks_dir)
            declared = {p.name for p in read_parameters(nb)}
            base = {k: v for k, v in given.items() if k in declared}
            profile_jobs = [replace(make_jobs([nb], base | {"politician": pid}, **kw)[0],
                                    name=pid, kind="profile") for pid in ids]
        out_dir.mkdir(parents=True, exist_ok=True)
        if plotlyjs == "file":
            write_plotlyjs(out_dir)
            write_itables_js(out_dir)
    except BaseException:
        _discard(early)
        raise

    outcomes: list[ReportOutcome] = []

    def done(outcome: ReportOutcome) -> None:
        publish_outcome(outcome, out_dir)
        outcomes.append(outcome)
        if on_done is not None:
            on_done(outcome)

    from tqdm.auto import tqdm

    total = len(jobs) + len(profile_jobs)
    with tqdm(total=total, desc="reports", unit="report", disable=not progress) as bar:
        def tick(outcome: ReportOutcome) -> None:
            done(outcome)
            bar.set_postfix_str(f"{outcome.name}: {outcome.status}")
            bar.update(1)

        if scheduler is None and workers == 1:
            for job in jobs:
                tick(run_report(job))
            run_batch(profile_jobs, on_done=tick)  # every profile in one kernel
        else:
            from workbench.reports.batch import prepare_worker
            from workbench.reports.distributed import run_on_dask
            from workbench.reports.execute import close_sessions, failed_outcomes, run_unit

            # Notebooks first, then the profiles, one task each, handed out one per free
            # worker in that order: the profiles (about a second each once a worker's kernel
            # is warm) fill both workers to the end instead of one worker finishing a long
            # notebook alone. A worker's profiles share the kernel its first profile started
            # (execute.run_in_session); close_sessions shuts those down at the end.
            run_on_dask(run_unit, [*jobs, *profile_jobs], workers=workers, scheduler=scheduler,
                        on_done=lambda outs: [tick(o) for o in outs], on_error=failed_outcomes,
                        in_flight=_dask_slots(workers, scheduler), setup=prepare_worker,
                        teardown=close_sessions,
                        cluster=early.result() if early is not None else None)
    outcomes.sort(key=lambda o: o.name)
    for o in outcomes:
        if o.status == "ok":
            prune_dead_links(out_dir / o.html_path)
    index = write_index(out_dir, [o.index_row() for o in outcomes], commit=commit)
    return BuildResult(out_dir=out_dir, outcomes=tuple(outcomes), index=index)


def _early_cluster(workers: int | None, scheduler: str | None):
    """Future of the build's LocalCluster, started now with its workers readied
    (:func:`~workbench.reports.batch.prepare_worker`); ``None`` for a serial build or an
    existing scheduler."""
    if scheduler is not None or workers == 1:
        return None
    from workbench.reports.batch import prepare_worker
    from workbench.reports.distributed import start_local_cluster

    return start_local_cluster(workers, setup=prepare_worker)


def _discard(early) -> None:
    """Close an early cluster the build will not use (it failed before running anything)."""
    if early is None:
        return
    try:
        early.result().close()
    except Exception:  # it failed to start: nothing to close
        pass


def _dask_slots(workers: int | None, scheduler: str | None) -> int:
    """Tasks the cluster runs at once: its threads (an existing scheduler) or ``workers``
    (default: cores, as :func:`workbench.reports.distributed.local_cluster`)."""
    if scheduler is None:
        return int(workers or os.cpu_count() or 1)
    from distributed import Client

    with Client(scheduler) as client:
        return max(1, sum(client.nthreads().values()))
