"""Jobs -> outcomes: execute notebooks (one kernel each, or a batch in one kernel) and export.

:func:`run_report` runs one notebook in a kernel of its own (papermill starts and stops it).
:func:`run_batch` runs several jobs one after another in one kernel
(:class:`~workbench.reports.batch.KernelSession`): the politician profiles, which are one
notebook with different parameters and would otherwise spend most of their time starting a
kernel and importing. Both run wherever they are called (this process, or a Dask worker) and
never raise for a failing notebook: the outcome says ``failed`` with papermill's error text
(``ename: evalue (cell N)``). Nothing is written to disk except papermill's scratch files in a
temporary directory; :func:`workbench.reports.runner.publish_outcome` writes the documents.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import nbformat

from workbench.reports.jobs import ReportBatch, ReportJob, ReportOutcome

__all__ = ["run_report", "run_batch", "run_unit", "failed_outcome", "failed_outcomes",
           "notebook_title"]


def notebook_title(nb: nbformat.NotebookNode, default: str) -> str:
    """Text of the first markdown ``# heading`` of the notebook, else ``default``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip() or default
            break
    return default


def _error_text(exc: BaseException) -> str:
    ename = getattr(exc, "ename", None)
    if ename:  # PapermillExecutionError
        return (f"{ename}: {getattr(exc, 'evalue', '')} "
                f"(cell {getattr(exc, 'exec_count', '?')})")
    return f"{type(exc).__name__}: {exc}"


def failed_outcome(job: ReportJob, exc: BaseException) -> ReportOutcome:
    """The outcome of a job whose Dask task died (worker lost, unpicklable error)."""
    return ReportOutcome(name=job.name, status="failed",
                         parameters={**job.defaults, **job.parameters}, duration_s=0.0,
                         started="", error=f"dask: {type(exc).__name__}: {exc}", kind=job.kind)


def failed_outcomes(unit: ReportJob | ReportBatch, exc: BaseException) -> list[ReportOutcome]:
    """:func:`failed_outcome` for every job of a Dask task (a job or a batch)."""
    jobs = unit.jobs if isinstance(unit, ReportBatch) else (unit,)
    return [failed_outcome(job, exc) for job in jobs]


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _read_partial(path: Path) -> nbformat.NotebookNode | None:
    """The executed notebook papermill saved before raising, if it got that far."""
    if not path.exists():
        return None
    try:
        return nbformat.read(str(path), as_version=4)
    except Exception:  # a half-written scratch file adds nothing to the error
        return None


def _outcome(job: ReportJob, executed, error: str, started: str, t0: float) -> ReportOutcome:
    """Outcome of one executed (or failed) notebook: provenance, page, index fields."""
    from workbench.reports.page import build_page
    from workbench.reports.publish import extract_provenance

    effective = {**job.defaults, **job.parameters}
    duration = time.perf_counter() - t0
    prov = extract_provenance(executed) if executed is not None else None
    executed_text = nbformat.writes(executed) if executed is not None else ""
    if error:
        return ReportOutcome(name=job.name, status="failed", parameters=effective,
                             duration_s=duration, started=started, error=error,
                             provenance=prov, executed=executed_text, kind=job.kind)
    try:
        page = build_page(executed, job, effective=effective, provenance=prov,
                          started=started, duration_s=duration,
                          title=notebook_title(executed, job.name))
    except Exception as exc:  # export failure: same treatment as an execution failure
        return ReportOutcome(name=job.name, status="failed", parameters=effective,
                             duration_s=time.perf_counter() - t0, started=started,
                             error=f"export: {_error_text(exc)}", provenance=prov,
                             executed=executed_text, kind=job.kind)
    return ReportOutcome(name=job.name, status="ok", parameters=effective,
                         duration_s=time.perf_counter() - t0, started=started, provenance=prov,
                         executed=executed_text, kind=job.kind, **page)


def _cwd(job: ReportJob) -> str | None:
    return job.cwd if job.cwd and Path(job.cwd).is_dir() else None


def run_report(job: ReportJob) -> ReportOutcome:
    """Execute one notebook in a kernel of its own and export it; never raises for a failing
    notebook.

    Runs wherever it is called (this process, or a Dask worker): the kernel is a subprocess of
    the caller. Returns the HTML and executed notebook as text.
    """
    import papermill as pm

    from workbench.reports.kernel import ReportKernelManager

    started, t0 = _now(), time.perf_counter()
    executed = None
    with tempfile.TemporaryDirectory(prefix="wb-report-") as tmp:
        src = Path(tmp) / "input.ipynb"
        dst = Path(tmp) / "output.ipynb"
        src.write_text(job.notebook_json, encoding="utf-8")
        try:
            executed = pm.execute_notebook(
                str(src), str(dst), parameters=dict(job.parameters), kernel_name=job.kernel_name,
                progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                cwd=_cwd(job), execution_timeout=job.timeout,
                kernel_manager_class=ReportKernelManager)
            error = ""
        except Exception as exc:  # report the failure in the index, keep the build going
            error = _error_text(exc)
            executed = _read_partial(dst)
    return _outcome(job, executed, error, started, t0)


def _kernel_name(job: ReportJob) -> str:
    if job.kernel_name:
        return job.kernel_name
    meta = nbformat.reads(job.notebook_json, as_version=4).metadata
    return meta.get("kernelspec", {}).get("name") or "python3"


def run_batch(jobs: Sequence[ReportJob],
              on_done: Callable[[ReportOutcome], None] | None = None) -> list[ReportOutcome]:
    """Execute ``jobs`` one after another in ONE kernel and export each; never raises for a
    failing notebook.

    Each job's outcome is what :func:`run_report` would give for it (same executed cells and
    outputs, same page, same error text), except for timings: the kernel starts once, the
    namespace is emptied between notebooks, and after a failure the kernel is restarted, so
    the next notebook runs as in a fresh kernel (:class:`~workbench.reports.batch.
    KernelSession`). ``on_done`` is called with each outcome as soon as it is ready (serial
    builds publish it then); a job's ``duration_s`` includes a kernel start when it had one.

    Raises
    ------
    ValueError
        Jobs that do not share kernel and working directory (a batch is one kernel).
    """
    from workbench.reports.batch import KernelSession

    jobs = list(jobs)
    if not jobs:
        return []
    kernels = {(_kernel_name(j), _cwd(j)) for j in jobs}
    if len(kernels) != 1:
        raise ValueError(f"a batch runs in one kernel: jobs need one kernel and cwd, got "
                         f"{sorted(kernels, key=str)}")
    kernel, cwd = kernels.pop()
    outcomes = []
    session = KernelSession(kernel, cwd)
    with tempfile.TemporaryDirectory(prefix="wb-batch-") as tmp:
        try:
            for i, job in enumerate(jobs):
                started, t0 = _now(), time.perf_counter()
                # papermill records the scratch paths in the metadata: same names as
                # run_report's, one folder per job
                work = Path(tmp) / str(i)
                work.mkdir()
                src, dst = work / "input.ipynb", work / "output.ipynb"
                src.write_text(job.notebook_json, encoding="utf-8")
                try:
                    executed = session.run(src, dst, job.parameters, timeout=job.timeout)
                    error = ""
                except Exception as exc:  # this job failed; the batch goes on
                    error = _error_text(exc)
                    executed = _read_partial(dst)
                outcome = _outcome(job, executed, error, started, t0)
                outcomes.append(outcome)
                if on_done is not None:
                    on_done(outcome)
        finally:
            session.close()
    return outcomes


def run_unit(unit: ReportJob | ReportBatch) -> list[ReportOutcome]:
    """One Dask task of a build: a job (its own kernel) or a batch (one kernel for all)."""
    if isinstance(unit, ReportBatch):
        return run_batch(unit.jobs)
    return [run_report(unit)]
