"""Profiles in batches: several notebooks in ONE kernel give what a kernel each gives.

- three real profiles in one kernel equal three separate runs (executed cells and outputs,
  page body, findings, tables), and so do the profiles of the session's Dask smoke build;
- a failing notebook in the middle of a batch is reported like a separate run's failure, the
  batch goes on in a new kernel, and no notebook sees another's variables, working directory or
  spent warnings;
- builds put every profile of a serial build in one kernel; on Dask each profile is a task and
  a worker's profiles share the kernel it keeps (run_in_session), shut down with the build;
- run_on_dask hands jobs out in order, at most ``in_flight`` at a time.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
from pandas.testing import assert_frame_equal
from report_helpers import NOTEBOOKS, index_rows, make_notebook
from test_dask import normalized

from workbench.reports.batch import split_batches
from workbench.reports.execute import run_batch, run_report
from workbench.reports.extract import extract_findings, extract_tables
from workbench.reports.runner import build_reports, make_jobs

# The fixture profiles compare with the session smoke build (built once per xdist group).
pytestmark = pytest.mark.xdist_group("reports")

ABSENT = "A000000"  # bioguide-shaped, no trades in the synthetic universe


def streams(outcome) -> list[str]:
    """Text of every stream output of the executed notebook, cell by cell."""
    nb = json.loads(outcome.executed)
    return ["".join(o.get("text", "")) for c in nb["cells"] if c["cell_type"] == "code"
            for o in c.get("outputs", []) if o.get("output_type") == "stream"]


def body(html: str) -> str:
    """Page without its header (run time, duration) and cell ids (random per injection)."""
    text = re.sub(r'<header class="wb-header">.*?</header>', "", html, flags=re.S)
    return re.sub(r"cell-id=[0-9a-f-]+", "cell-id=*", text)


def unlinked(html: str) -> str:
    """Table links to other pages (``wb-link``) reduced to their text."""
    return re.sub(r'<a class="wb-link" href="[^"]*">(.*?)</a>', r"\1", html, flags=re.S)


def same_report(got, want, tmp_path) -> None:
    """Two outcomes of one job agree on everything but timings."""
    assert (got.status, got.error) == (want.status, want.error), got.name
    paths = []
    for o, tag in ((got, "got"), (want, "want")):
        path = tmp_path / f"{o.name}-{tag}.ipynb"
        path.write_text(o.executed)
        paths.append(path)
    assert normalized(paths[0]) == normalized(paths[1]), got.name
    assert body(got.html) == body(want.html), got.name
    assert (got.title, got.headline, got.downloads) == (want.title, want.headline,
                                                        want.downloads)


@pytest.fixture(scope="session")  # xdist may interleave modules: run once
def profile_runs(tmp_path_factory, seed):
    """Top-3 smoke profiles run separately (a kernel each) and as one batch
    ``[P1, P2, P3, absent member, P1]``: three in one kernel, a failure, then a new kernel."""
    import os

    from workbench.reports.notebook import UNIVERSE_CACHE_ENV, load_universe
    from workbench.reports.profiles import top_politicians

    cache = tmp_path_factory.mktemp("universe")
    previous = os.environ.get(UNIVERSE_CACHE_ENV)
    os.environ[UNIVERSE_CACHE_ENV] = str(cache)  # one universe for every kernel, as a build
    try:
        trades = load_universe("synthetic", seed=seed, smoke=True).trades
        ids = top_politicians(trades, 3)
        assert ABSENT not in set(trades["bioguide_id"].dropna())
        nb = NOTEBOOKS / "12_politician.ipynb"

        def job(pid):
            return replace(make_jobs([nb], {"smoke": True, "seed": seed, "politician": pid})[0],
                           name=pid, kind="profile")

        separate = {pid: run_report(job(pid)) for pid in ids}
        batch = run_batch([job(p) for p in [*ids, ABSENT, ids[0]]])
    finally:
        if previous is None:
            os.environ.pop(UNIVERSE_CACHE_ENV, None)
        else:
            os.environ[UNIVERSE_CACHE_ENV] = previous
    return ids, separate, batch


def test_three_profiles_in_one_kernel_equal_separate_runs(profile_runs, tmp_path):
    ids, separate, batch = profile_runs
    assert [o.name for o in batch] == [*ids, ABSENT, ids[0]]
    for got in batch[:3]:
        want = separate[got.name]
        assert got.status == "ok", got.error
        same_report(got, want, tmp_path)
        # the findings text and the downloadable tables, read back from the notebooks
        import nbformat

        g, w = (nbformat.reads(o.executed, as_version=4) for o in (got, want))
        assert extract_findings(g) == extract_findings(w) and extract_findings(g)
        gt, wt = extract_tables(g), extract_tables(w)
        assert set(gt) == set(wt) and {"trades", "performance", "neighbours"} <= set(wt)
        for name in wt:
            assert_frame_equal(gt[name], wt[name])


def test_failing_profile_mid_batch_is_reported_and_the_batch_goes_on(profile_runs, tmp_path):
    ids, separate, batch = profile_runs
    failed = batch[3]
    assert failed.status == "failed" and failed.kind == "profile"
    assert re.fullmatch(r"DataError: no trades for bioguide id 'A000000' \(cell \d+\)",
                        failed.error), failed.error
    assert "papermill-error-cell" in failed.executed  # papermill's markers, as a lone run
    again = batch[4]  # after the failure: a new kernel, the same report as a lone run
    assert again.status == "ok", again.error
    same_report(again, separate[ids[0]], tmp_path)


def test_dask_smoke_build_profiles_equal_separate_runs(profile_runs, smoke_build):
    """smoke_build ran the same three profiles as tasks on two workers (kept kernels)."""
    ids, separate, _ = profile_runs
    out = smoke_build.out_dir
    for pid in ids:
        want = separate[pid]
        path = out / "ipynb" / "politicians" / f"{pid}.ipynb"
        ref = out / f"ref-{pid}.ipynb"
        ref.write_text(want.executed)
        try:
            assert normalized(path) == normalized(ref), pid
        finally:
            ref.unlink()
        # the build unlinks neighbours whose profile it did not build (prune_dead_links, a
        # publishing step tested in test_profiles); a lone run keeps every link
        page = (out / "politicians" / f"{pid}.html").read_text()
        assert unlinked(body(page)) == unlinked(body(want.html)), pid


# Tiny notebooks: each prints its kernel's pid; A leaves a variable, a changed directory and a
# spent warning behind; F leaves a variable and fails; B looks for all of that.
A = ["import os\nimport wbwarn\nwb_sentinel = 42\nwbwarn.warn_once()\nos.chdir('/')\n"
     "print('pid', os.getpid())"]
B = ["import os\nimport wbwarn\nwbwarn.warn_once()\n"
     "print('pid', os.getpid())\n"
     "print('leaked', sorted(n for n in ('wb_sentinel', 'wb_failed') if n in globals()))\n"
     "print('cwd', os.getcwd())\n"
     "print('history', len(In))"]
F = ["wb_failed = 1", "raise ValueError('boom <b>bold</b>')"]
WARN_MODULE = "import warnings\n\n\ndef warn_once():\n    warnings.warn('spent?', UserWarning)\n"


def _pid(outcome) -> str:
    return next(s for s in streams(outcome) if s.startswith("pid")).split()[1]


def test_no_variable_leaks_and_restart_after_failure(tmp_path):
    nbdir = tmp_path / "nb"
    for name, cells in (("a", A), ("b", B), ("f", F), ("c", B)):
        make_notebook(nbdir / f"{name}.ipynb", cells)
    (nbdir / "wbwarn.py").write_text(WARN_MODULE)
    jobs = make_jobs(sorted(nbdir.glob("*.ipynb")), {})
    by = {j.name: j for j in jobs}
    order = [by["a"], by["b"], by["f"], by["c"]]
    seen = []
    batch = run_batch(order, on_done=seen.append)
    assert [o.name for o in seen] == ["a", "b", "f", "c"]  # reported one by one
    a, b, f, c = batch
    assert [o.status for o in batch] == ["ok", "ok", "failed", "ok"]
    assert _pid(a) == _pid(b) != _pid(c)  # one kernel for a and b; a new one after f
    for o in (b, c):
        text = "".join(streams(o))
        assert "leaked []" in text and f"cwd {nbdir}\n" in text, text
    lone = {n: run_report(by[n]) for n in ("b", "f")}
    assert f.error == lone["f"].error == "ValueError: boom <b>bold</b> (cell 3)"
    # same cells, counts from In [1], same outputs (the pid aside), warning shown again
    for o in (b, c):
        assert [s for s in streams(o) if not s.startswith("pid")] == \
            [s for s in streams(lone["b"]) if not s.startswith("pid")]
        assert any("UserWarning: spent?" in s for s in streams(o))
        nb = json.loads(o.executed)
        counts = [c["execution_count"] for c in nb["cells"] if c["cell_type"] == "code"]
        assert counts == [1, 2]


def test_batch_needs_one_kernel(tmp_path):
    make_notebook(tmp_path / "a" / "x.ipynb", ["1"])
    make_notebook(tmp_path / "b" / "y.ipynb", ["1"])
    jobs = make_jobs([tmp_path / "a" / "x.ipynb", tmp_path / "b" / "y.ipynb"], {})
    with pytest.raises(ValueError, match="one kernel"):
        run_batch(jobs)
    assert run_batch([]) == []


def test_dead_task_fails_every_job_of_its_batch(tmp_path):
    from workbench.reports.execute import failed_outcomes
    from workbench.reports.jobs import ReportBatch

    make_notebook(tmp_path / "x.ipynb", ["1"])
    job = make_jobs([tmp_path / "x.ipynb"], {})[0]
    jobs = (replace(job, name="A000001", kind="profile"), replace(job, name="B000002",
                                                                  kind="profile"))
    got = failed_outcomes(ReportBatch("profiles-0", jobs), RuntimeError("worker lost"))
    assert [(o.name, o.kind, o.status, o.error) for o in got] == [
        (j.name, "profile", "failed", "dask: RuntimeError: worker lost") for j in jobs]
    assert got[0].html_path == "politicians/A000001.html"
    assert [o.name for o in failed_outcomes(job, RuntimeError("x"))] == ["x"]


@pytest.mark.parametrize(("n_items", "n"), [(0, 2), (1, 2), (3, 2), (20, 2), (5, 8), (7, 1),
                                            (4, 0)])
def test_split_batches_deals_round_robin(n_items, n):
    items = list(range(n_items))
    got = split_batches(items, n)
    assert len(got) == (min(max(n, 1), n_items) if n_items else 0)
    assert sorted(x for b in got for x in b) == items  # each exactly once
    for i, b in enumerate(got):  # naive reference: item k goes to batch k mod len(got)
        assert list(b) == [k for k in items if k % len(got) == i]
    assert all(b for b in got)


PROFILE_PARAMS = ('source: str = "synthetic"  # data source\n'
                  "seed: int = 1  # seed\n"
                  "smoke: bool = False  # small run\n"
                  'politician: str = ""  # bioguide id')
PROFILE_CELLS = ["import os\nprint('pid', os.getpid())\nprint('member', politician)"]


def _running(pid: int) -> bool:
    """The process exists and is not a zombie (exited, not yet reaped)."""
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.mark.parametrize("workers", [1, 2])
def test_build_runs_profiles_in_batches(tmp_path, seed, workers):
    """A serial build runs every profile in one kernel; a 2-worker build at most one kernel per
    worker (kept between a worker's profiles), all shut down when the build returns."""

    from workbench.reports.notebook import load_universe
    from workbench.reports.profiles import top_politicians

    nbdir = tmp_path / "nb"
    make_notebook(nbdir / "12_politician.ipynb", PROFILE_CELLS, params=PROFILE_PARAMS,
                  title="# Profile")
    make_notebook(nbdir / "01_tiny.ipynb", ["print(note)"])
    ids = top_politicians(load_universe("synthetic", seed=seed, smoke=True).trades, 3)
    res = build_reports(nbdir, tmp_path / "out", parameters={"smoke": True, "seed": seed},
                        workers=workers, politicians=",".join(ids))
    assert res.ok, res.summary()
    profiles = {o.name: o for o in res.outcomes if o.kind == "profile"}
    assert sorted(profiles) == sorted(ids)
    pids = {pid: _pid(o) for pid, o in profiles.items()}
    if workers == 1:
        assert len(set(pids.values())) == 1, pids
    else:  # 3 profiles on 2 workers: two of them ran on one worker, in its one kernel
        assert len(set(pids.values())) in (1, 2), pids
    for pid in set(pids.values()):  # the kernels did not outlive the build
        assert not _running(int(pid)), pid
    rows = index_rows(tmp_path / "out")
    for pid in ids:
        assert rows[pid]["status"] == "ok" and rows[pid]["html"] == f"politicians/{pid}.html"
        assert (tmp_path / "out" / "politicians" / f"{pid}.html").exists()
        assert f"member {pid}" in "".join(streams(profiles[pid]))
    assert rows["01_tiny"]["status"] == "ok"


def test_kept_session_reuses_its_kernel_and_closes(tmp_path):
    """run_in_session: one kernel for a and b (nothing leaks), a new one after the failure of
    f, none left after close_sessions; outcomes as lone runs give."""
    from workbench.reports.execute import close_sessions, run_in_session

    nbdir = tmp_path / "nb"
    for name, cells in (("a", A), ("b", B), ("f", F), ("c", B)):
        make_notebook(nbdir / f"{name}.ipynb", cells)
    (nbdir / "wbwarn.py").write_text(WARN_MODULE)
    by = {j.name: j for j in make_jobs(sorted(nbdir.glob("*.ipynb")), {})}
    try:
        a, b, f, c = (run_in_session(by[n]) for n in "abfc")
    finally:
        closed = close_sessions()
    assert closed == 1 and close_sessions() == 0
    assert [o.status for o in (a, b, f, c)] == ["ok", "ok", "failed", "ok"]
    assert f.error == "ValueError: boom <b>bold</b> (cell 3)"
    assert _pid(a) == _pid(b) != _pid(c)
    for o in (b, c):
        assert "leaked []" in "".join(streams(o))
    assert not _running(int(_pid(a))) and not _running(int(_pid(c)))


def test_run_on_dask_in_order_with_setup_and_teardown():
    """One job at a time on one worker: outcomes come back in the jobs' order."""
    import gc
    import operator

    from workbench.reports.distributed import run_on_dask

    seen = []
    got = run_on_dask(operator.neg, [3, 1, 2, 5, 4], workers=1, in_flight=1, on_done=seen.append,
                      setup=gc.collect, teardown=gc.collect)
    assert got == seen == [-3, -1, -2, -5, -4]
