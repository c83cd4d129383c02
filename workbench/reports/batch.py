"""Run several notebooks one after another in ONE kernel (politician profiles).

Each profile of ``workbench reports build --politicians top:20`` is the same notebook with
another ``politician``. In a fresh kernel per profile most of a profile's time is the kernel
start and the imports (statsmodels, pandas, plotly...), so :class:`KernelSession` starts one
kernel (:class:`~workbench.reports.kernel.ReportKernelManager`) and runs the notebooks of a
batch in it, each through papermill as before (the ``parameters`` cell, the injected
parameters, papermill's metadata, error marker cells and ``PapermillExecutionError`` are
papermill's own): only the kernel manager and client are the session's.

Isolation between runs: before each notebook the session executes, silently and outside the
notebook (so the executed notebook has the cells it always had and counts from ``In [1]``),
:data:`RESET_CODE` in the kernel: ``InteractiveShell.reset(new_session=True)`` empties the user
namespace (nothing a notebook defined is visible to the next one), restarts the execution
counter and history, the working directory returns to the kernel's, and every module's
``__warningregistry__`` is cleared (a warning shown once in a run is shown again in the next,
as in a fresh kernel), and the per-page id counters of figures and tables
(:data:`PAGE_COUNTERS`) start again from 1. ``sys.modules`` stays warm: that is the point. Module-level state that a
notebook changes through a library call (plotly's default template, pandas options) is set by
every notebook's own set-up cell and is not reset here.

After a failed run (a cell raised, a timeout, a dead kernel) the kernel is restarted before the
next notebook, so nothing half-done in the failed run survives.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import nbformat

__all__ = ["KernelSession", "RESET_CODE", "PAGE_COUNTERS", "split_batches", "SESSION_ENGINE",
           "SKIP_IMPORTS", "KERNEL_SKIP_ARGS", "skip_unused_imports", "prepare_worker"]

SESSION_ENGINE = "workbench-session"

# Per-page counters: figure and table element ids count from 1 in every page (a fresh kernel
# per notebook did that by itself). ``(module, attribute)``, reset when the module is loaded;
# tests/reports/test_batch.py compares batch and fresh-kernel outputs, so a counter added
# elsewhere and missing here shows up there.
PAGE_COUNTERS = (("workbench.plotting.theme", "_counter"), ("workbench.reports.tables", "_counter"))

# Executed silently in the kernel before each notebook (see the module docstring). Defines one
# name that the reset itself removes.
RESET_CODE = """\
def _wb_reset_session(cwd, counters):
    import itertools
    import os
    import sys

    get_ipython().reset(new_session=True)
    os.chdir(cwd)
    for module in list(sys.modules.values()):
        registry = getattr(module, "__warningregistry__", None)
        if isinstance(registry, dict):
            registry.clear()
    for name, attr in counters:
        if name in sys.modules:
            setattr(sys.modules[name], attr, itertools.count(1))
_wb_reset_session({cwd!r}, {counters!r})
"""

# Optional modules a build's processes never use but would pay for. jsonschema (imported with
# nbformat: by papermill in the builder and workers, by plotly's notebook renderer in every
# kernel that shows a figure) imports ``rfc3987_syntax`` when it is installed, which compiles a
# Lark grammar for the ``iri`` format check: about 1.5-2 s of CPU per process. jsonschema checks
# formats only when given a format checker, and nbformat's schema has no ``format`` keyword, so
# nothing here ever runs that check. Marking the module absent in ``sys.modules`` makes its
# import fail, which jsonschema expects (it then registers no ``iri`` checker).
SKIP_IMPORTS = ("rfc3987_syntax",)
_SKIP_CODE = f"import sys; [sys.modules.setdefault(m, None) for m in {SKIP_IMPORTS!r}]"

# nbclient starts its kernels with an in-memory IPython history (no SQLite file shared by
# concurrent kernels); the session starts its kernel itself, so it passes the same argument,
# and skips SKIP_IMPORTS at kernel start-up (exec_lines: before any notebook, not counted in
# its history).
KERNEL_SKIP_ARGS = (f"--IPKernelApp.exec_lines={_SKIP_CODE}",)
_KERNEL_ARGS = ["--HistoryManager.hist_file=:memory:", *KERNEL_SKIP_ARGS]


def skip_unused_imports() -> list[str]:
    """Mark :data:`SKIP_IMPORTS` absent in this process (those not imported yet); returns the
    names marked."""
    marked = [m for m in SKIP_IMPORTS if m not in sys.modules]
    for m in marked:
        sys.modules[m] = None
    return marked


def prepare_worker() -> None:
    """Ready a Dask worker before its first task: :func:`skip_unused_imports`, then the imports
    every report task makes (papermill, nbconvert), so that no task pays for them."""
    skip_unused_imports()
    import nbconvert  # noqa: F401
    import papermill  # noqa: F401

    from workbench.reports import page, publish  # noqa: F401

    _register_engine()


def split_batches(items: list, n: int) -> list[tuple]:
    """``items`` dealt round-robin into ``min(n, len(items))`` non-empty batches.

    Profiles come ranked by trade count (busiest first), so dealing them round-robin gives
    every batch a similar share of heavy and light members. Order within a batch follows
    ``items``.
    """
    n = max(1, min(int(n), len(items)))
    return [tuple(items[i::n]) for i in range(n)] if items else []


def _register_engine() -> None:
    """Register :data:`SESSION_ENGINE` with papermill (idempotent)."""
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.exceptions import PapermillException

    try:
        papermill_engines.get_engine(SESSION_ENGINE)
        return
    except PapermillException:
        pass

    class SessionEngine(NBClientEngine):
        """papermill's nbclient engine on a kernel it does not own (``km``, ``kc`` given)."""

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False,
                                     stdout_file=None, stderr_file=None, start_timeout=60,
                                     execution_timeout=None, *, km, kc, **kwargs):
            from papermill.clientwrap import PapermillNotebookClient
            from papermill.log import logger

            # nbclient leaves a kernel manager it did not create running (owns_km is False)
            # and keeps a client that is already set: the session owns both.
            client = PapermillNotebookClient(
                nb_man, km=km, timeout=execution_timeout, startup_timeout=start_timeout,
                kernel_name=kernel_name, log=logger, log_output=log_output,
                stdout_file=stdout_file, stderr_file=stderr_file)
            client.kc = kc
            return client.execute()

    papermill_engines.register(SESSION_ENGINE, SessionEngine)


class KernelSession:
    """One kernel that runs notebooks one after another; a context manager.

    Parameters
    ----------
    kernel_name : str
        Jupyter kernel name (``python3``: this interpreter).
    cwd : str, optional
        Working directory of the kernel (default: this process's).
    startup_timeout : float
        Seconds to wait for the kernel to answer after a start.

    Attributes
    ----------
    starts : int
        Kernels started so far (1 + restarts).
    """

    def __init__(self, kernel_name: str = "python3", cwd: str | None = None,
                 startup_timeout: float = 60):
        self.kernel_name = kernel_name or "python3"
        self.cwd = str(cwd) if cwd else os.getcwd()
        self.startup_timeout = startup_timeout
        self.km = None
        self.kc = None
        self.starts = 0
        self._dirty = False

    def __enter__(self) -> KernelSession:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self) -> None:
        """Start the kernel and its client."""
        from jupyter_core.utils import run_sync

        from workbench.reports.kernel import ReportKernelManager

        km = ReportKernelManager(kernel_name=self.kernel_name)
        run_sync(km.start_kernel)(extra_arguments=list(_KERNEL_ARGS), cwd=self.cwd)
        kc = km.client()
        kc.start_channels()
        try:
            run_sync(kc.wait_for_ready)(timeout=self.startup_timeout)
        except Exception:
            kc.stop_channels()
            run_sync(km.shutdown_kernel)(now=True)
            raise
        kc.allow_stdin = False
        self.km, self.kc = km, kc
        self.starts += 1
        self._dirty = False

    def close(self) -> None:
        """Stop the client and shut the kernel down (the manager's graceful shutdown)."""
        from jupyter_core.utils import run_sync

        kc, km, self.kc, self.km = self.kc, self.km, None, None
        if kc is not None:
            kc.stop_channels()
        if km is not None:
            try:
                if run_sync(km.is_alive)():
                    run_sync(km.shutdown_kernel)()
            finally:
                run_sync(km.cleanup_resources)()

    def restart(self) -> None:
        """A new kernel in place of the current one."""
        self.close()
        self.start()

    def _alive(self) -> bool:
        from jupyter_core.utils import run_sync

        return self.km is not None and bool(run_sync(self.km.is_alive)())

    def reset(self) -> None:
        """Empty the kernel's namespace (:data:`RESET_CODE`), silently; a restart when the
        kernel is gone or the reset fails."""
        from jupyter_core.utils import run_sync

        if not self._alive():
            self.restart()
            return
        try:
            reply = run_sync(self.kc.execute_interactive)(
                RESET_CODE.format(cwd=self.cwd, counters=PAGE_COUNTERS), silent=True, store_history=False,
                timeout=self.startup_timeout, output_hook=lambda msg: None)
            ok = reply["content"]["status"] == "ok"
        except Exception:  # a kernel that cannot reset is replaced
            ok = False
        if not ok:
            self.restart()

    def run(self, input_path: str, output_path: str, parameters: dict[str, Any], *,
            timeout: float | None = None) -> nbformat.NotebookNode:
        """Execute the notebook at ``input_path`` with ``parameters`` in this kernel, as
        :func:`papermill.execute_notebook` does in a kernel of its own.

        The namespace is reset first; after a failed run the kernel is restarted first.
        ``output_path`` receives the executed notebook (on failure too, with papermill's error
        markers). Raises what papermill raises (``PapermillExecutionError`` for a failing
        cell, nbclient's errors for a timeout or a dead kernel).
        """
        import papermill as pm

        _register_engine()
        if self._dirty or self.km is None:
            self.restart()
        else:
            self.reset()
        self._dirty = True  # until the run completes
        executed = pm.execute_notebook(
            str(input_path), str(output_path), parameters=dict(parameters),
            engine_name=SESSION_ENGINE, kernel_name=self.kernel_name, progress_bar=False,
            log_output=False, request_save_on_cell_execute=False, execution_timeout=timeout,
            start_timeout=self.startup_timeout, km=self.km, kc=self.kc)
        self._dirty = False
        return executed
