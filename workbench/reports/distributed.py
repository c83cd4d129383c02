"""Run report jobs as Dask tasks: a ``LocalCluster`` of processes, or an existing scheduler.

Each task is :func:`workbench.reports.execute.run_report` (one notebook, its own kernel) or
:func:`workbench.reports.execute.run_batch` (a batch of politician profiles in one kernel),
started on the worker; it returns the HTML and executed notebooks as text and this process
writes them, so workers need the ``workbench`` package and the data, not the output directory.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["run_on_dask", "local_cluster"]


def local_cluster(workers: int | None = None):
    """A ``LocalCluster`` of ``workers`` processes (default: cores), one thread each.

    One thread per worker: each task drives a kernel subprocess that does the numeric work,
    so extra threads would only oversubscribe the cores. The scheduler's HTTP server (dashboard)
    binds a free port (``:0``): the default 8787 clashes with any other cluster on the machine
    and distributed then warns on the console.
    """
    from distributed import LocalCluster

    n = int(workers or os.cpu_count() or 1)
    return LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                        dashboard_address=":0", silence_logs=logging.ERROR)


def run_on_dask(task: Callable[[Any], Any], jobs: Sequence[Any], *, workers: int | None = None,
                scheduler: str | None = None,
                on_done: Callable[[Any], None] | None = None,
                on_error: Callable[[Any, BaseException], Any] | None = None) -> list[Any]:
    """Run ``task(job)`` for each job on Dask; outcomes in completion order.

    ``on_done`` is called with each outcome as it arrives. This module knows nothing of
    reports: :func:`workbench.reports.runner.build_reports` passes ``run_report`` (or
    ``run_batch``) as ``task``.

    Parameters
    ----------
    workers : int, optional
        Size of the ``LocalCluster`` started for this call (default: number of cores).
    scheduler : str, optional
        Address of an existing scheduler (``tcp://host:8786``); no cluster is started.

    Notes
    -----
    A task that dies (worker lost, unpicklable error) becomes ``on_error(job, exc)`` (re-raised
    when ``on_error`` is None); the other jobs go on.
    """
    from distributed import Client, as_completed

    cluster = None
    if scheduler is None:
        cluster = local_cluster(workers)
        client = Client(cluster)
    else:
        client = Client(scheduler)
    outcomes: list[Any] = []
    try:
        futures = {client.submit(task, job, pure=False,
                                 key=f"{getattr(job, 'name', 'job')}-{i}"): job
                   for i, job in enumerate(jobs)}
        for fut in as_completed(futures):
            try:
                outcome = fut.result()
            except Exception as exc:  # the worker died or the task could not run
                if on_error is None:
                    raise
                outcome = on_error(futures[fut], exc)
            outcomes.append(outcome)
            if on_done is not None:
                on_done(outcome)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return outcomes
