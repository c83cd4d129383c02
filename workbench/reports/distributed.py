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
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

__all__ = ["run_on_dask", "local_cluster", "start_local_cluster"]


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


def start_local_cluster(workers: int | None = None,
                        setup: Callable[[], Any] | None = None) -> Future:
    """:func:`local_cluster` started in a background thread, ``setup`` run on its workers;
    a future of the cluster.

    The builder starts its cluster this way before work of its own (ranking the politicians
    loads the universe), so that the worker processes start and import while it works.
    """
    def start():
        from distributed import Client

        cluster = local_cluster(workers)
        if setup is not None:
            try:
                with Client(cluster) as client:
                    client.run(setup)
            except BaseException:
                cluster.close()
                raise
        return cluster

    pool = ThreadPoolExecutor(1, thread_name_prefix="wb-cluster-start")
    try:
        return pool.submit(start)
    finally:
        pool.shutdown(wait=False)


def run_on_dask(task: Callable[[Any], Any], jobs: Sequence[Any], *, workers: int | None = None,
                scheduler: str | None = None,
                on_done: Callable[[Any], None] | None = None,
                on_error: Callable[[Any, BaseException], Any] | None = None,
                in_flight: int | None = None,
                setup: Callable[[], Any] | None = None,
                teardown: Callable[[], Any] | None = None, cluster=None) -> list[Any]:
    """Run ``task(job)`` for each job on Dask; outcomes in completion order.

    ``on_done`` is called with each outcome as it arrives. This module knows nothing of
    reports: :func:`workbench.reports.runner.build_reports` passes
    :func:`~workbench.reports.execute.run_unit` as ``task``.

    Parameters
    ----------
    workers : int, optional
        Size of the ``LocalCluster`` started for this call (default: number of cores).
    scheduler : str, optional
        Address of an existing scheduler (``tcp://host:8786``); no cluster is started.
    in_flight : int, optional
        At most this many tasks submitted at a time, in the order of ``jobs``: the next job is
        submitted when a task finishes, so it goes to the worker that just became free and the
        jobs start in the given order (give the cluster's thread count). Default: every job at
        once, where the scheduler places them as it sees fit.
    setup, teardown : callable, optional
        Run once on every worker (``Client.run``) before the first task is submitted, and
        after the last task before the cluster closes (the build readies its workers with the
        one and shuts their kept kernels down with the other).
    cluster : LocalCluster, optional
        A cluster already started (:func:`start_local_cluster`) to use instead of starting one;
        closed at the end like one started here.

    Notes
    -----
    A task that dies (worker lost, unpicklable error) becomes ``on_error(job, exc)`` (re-raised
    when ``on_error`` is None); the other jobs go on.
    """
    from distributed import Client, as_completed

    if scheduler is not None:
        client = Client(scheduler)
    else:
        cluster = cluster if cluster is not None else local_cluster(workers)
        client = Client(cluster)
    outcomes: list[Any] = []
    pending = list(enumerate(jobs))[::-1]  # popped from the end: first job first
    futures: dict = {}
    done = as_completed()

    def submit_next() -> None:
        if pending:
            i, job = pending.pop()
            fut = client.submit(task, job, pure=False,
                                key=f"{getattr(job, 'name', 'job')}-{i}")
            futures[fut] = job
            done.add(fut)

    try:
        if setup is not None:
            client.run(setup)
        for _ in range(len(pending) if not in_flight else max(1, int(in_flight))):
            submit_next()
        for fut in done:
            submit_next()  # the free worker starts its next job before this one is collected
            try:
                outcome = fut.result()
            except Exception as exc:  # the worker died or the task could not run
                if on_error is None:
                    raise
                outcome = on_error(futures[fut], exc)
            del futures[fut]
            outcomes.append(outcome)
            if on_done is not None:
                on_done(outcome)
        if teardown is not None:
            try:
                client.run(teardown)
            except Exception:  # a lost worker took its kernels with it (parent-poller exit)
                pass
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return outcomes
