"""Jobs -> outcomes: execute notebooks (one kernel each, or a batch in one kernel) and export.

:func:`run_report` runs one notebook in a kernel of its own (papermill starts and stops it).
:func:`run_batch` runs several jobs one after another in one kernel
(:class:`~workbench.reports.batch.KernelSession`): the politician profiles, which are one
notebook with different parameters and would otherwise spend most of their time starting a
kernel and importing. :func:`run_in_session` runs one job in a kernel this *process* keeps
for the next job (a Dask worker's profiles: one Dask task per profile, the worker's kernel
started by its first profile and reused by the others; :func:`close_sessions` shuts it down).
All run wherever they are called (this process, or a Dask worker) and never raise for a
failing notebook: the outcome says ``failed`` with papermill's error text
(``ename: evalue (cell N)``). Nothing is written to disk except papermill's scratch files in a
temporary directory; :func:`workbench.reports.runner.publish_outcome` writes the documents.
"""

from __future__ import annotations

import atexit
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import nbformat

from workbench.reports.jobs import ReportBatch, ReportJob, ReportOutcome

__all__ = ["run_report", "run_batch", "run_in_session", "close_sessions", "run_unit",
           "failed_outcome", "failed_outcomes", "notebook_title"]


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
    # papermill validated this notebook when it saved it: the v4 writer gives the same text as
    # nbformat.writes without validating it a second time
    executed_text = nbformat.v4.writes(executed) if executed is not None else ""
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

    The kernel starts with :data:`~workbench.reports.batch.SKIP_IMPORTS` marked absent (an
    unused optional import that costs every kernel showing a figure 1.5-2 s of CPU).

    Runs wherever it is called (this process, or a Dask worker): the kernel is a subprocess of
    the caller. Returns the HTML and executed notebook as text.
    """
    import papermill as pm

    from workbench.reports.batch import KERNEL_SKIP_ARGS
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
                kernel_manager_class=ReportKernelManager, extra_arguments=list(KERNEL_SKIP_ARGS))
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
                work = Path(tmp) / str(i)
                work.mkdir()
                outcome = _run_in(session, job, work)
                outcomes.append(outcome)
                if on_done is not None:
                    on_done(outcome)
        finally:
            session.close()
    return outcomes


def _run_in(session, job: ReportJob, work: Path) -> ReportOutcome:
    """One job in ``session`` (a :class:`~workbench.reports.batch.KernelSession`), its scratch
    files in the empty folder ``work``."""
    started, t0 = _now(), time.perf_counter()
    # papermill records the scratch paths in the metadata: same names as run_report's
    src, dst = work / "input.ipynb", work / "output.ipynb"
    src.write_text(job.notebook_json, encoding="utf-8")
    try:
        executed = session.run(src, dst, job.parameters, timeout=job.timeout)
        error = ""
    except Exception as exc:  # this job failed; the session goes on
        error = _error_text(exc)
        executed = _read_partial(dst)
    return _outcome(job, executed, error, started, t0)


# The kernels of run_in_session: one per (kernel name, working directory) in this process,
# driven by one dedicated thread (a kernel client belongs to the thread and event loop that
# started it, whichever thread the caller -- a Dask task -- runs in).
_SESSIONS: dict = {}
_SESSIONS_LOCK = threading.Lock()
_SESSION_THREAD: ThreadPoolExecutor | None = None


def _session_thread() -> ThreadPoolExecutor:
    global _SESSION_THREAD
    with _SESSIONS_LOCK:
        if _SESSION_THREAD is None:
            _SESSION_THREAD = ThreadPoolExecutor(1, thread_name_prefix="wb-kernel-session")
            atexit.register(close_sessions)
        return _SESSION_THREAD


def _run_kept(job: ReportJob) -> ReportOutcome:
    from workbench.reports.batch import KernelSession

    key = (_kernel_name(job), _cwd(job))
    session = _SESSIONS.get(key)
    if session is None:
        session = _SESSIONS[key] = KernelSession(*key)
    with tempfile.TemporaryDirectory(prefix="wb-session-") as tmp:
        return _run_in(session, job, Path(tmp))


def run_in_session(job: ReportJob) -> ReportOutcome:
    """Execute one job in the kernel this process keeps for its kernel name and working
    directory, and export it; never raises for a failing notebook.

    The first job starts the kernel; later jobs reuse it with the namespace reset between them
    (a restart after a failure), exactly as one :func:`run_batch` would, so the outcome is
    what :func:`run_report` gives except for timings. The kernel stays up until
    :func:`close_sessions` (also called when the process exits). A Dask build runs each
    profile as one task through this: a worker's profiles share its kernel, and the scheduler
    can give the next profile to whichever worker is free.
    """
    return _session_thread().submit(_run_kept, job).result()


def _close_kept() -> int:
    sessions = list(_SESSIONS.values())
    _SESSIONS.clear()
    for session in sessions:
        try:
            session.close()
        except Exception:  # a kernel that is already gone
            pass
    return len(sessions)


def close_sessions() -> int:
    """Shut down the kernels :func:`run_in_session` kept in this process; returns how many."""
    with _SESSIONS_LOCK:
        pool = _SESSION_THREAD
    if pool is None:
        return 0
    try:
        return pool.submit(_close_kept).result()
    except RuntimeError:  # interpreter shutting down: the thread no longer takes work
        return _close_kept()


def run_unit(unit: ReportJob | ReportBatch) -> list[ReportOutcome]:
    """One Dask task of a build: a report (its own kernel), a profile (the worker's kept
    kernel, :func:`run_in_session`) or a batch (one kernel for all)."""
    if isinstance(unit, ReportBatch):
        return run_batch(unit.jobs)
    if unit.kind == "profile":
        return [run_in_session(unit)]
    return [run_report(unit)]
