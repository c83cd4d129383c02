"""A build on a Dask LocalCluster (2 worker processes) gives the same reports as a serial one."""

from __future__ import annotations

import re
import shutil

import nbformat
import pytest
from report_helpers import NOTEBOOKS, TINY_MIN, TINY_OK, make_notebook

from workbench.reports.runner import build_reports

# One xdist worker runs every test that shares the session smoke build (built once).
pytestmark = pytest.mark.xdist_group("reports")

WIDGET = "application/vnd.jupyter.widget-view+json"  # holds a random model id


def normalized(path) -> list:
    """Code cells' sources and outputs, without timings, metadata or widget model ids."""
    nb = nbformat.read(str(path), as_version=4)
    cells = []
    for c in nb.cells:
        if c.cell_type != "code":
            continue
        outs = []
        for o in c.outputs:
            if o.output_type == "stream":
                outs.append(("stream", o.name, o.text))
            elif o.output_type in ("display_data", "execute_result"):
                outs.append((o.output_type, {k: v for k, v in o.data.items() if k != WIDGET}))
            else:
                outs.append((o.output_type, o.get("ename"), o.get("evalue")))
        cells.append((c.source, c.execution_count, outs))
    return cells


def body(path) -> str:
    """Report HTML without its header (run time, duration) and cell ids (papermill gives the
    injected-parameters cell a random id)."""
    text = re.sub(r'<header class="wb-header">.*?</header>', "", path.read_text(), flags=re.S)
    return re.sub(r"cell-id=[0-9a-f-]+", "cell-id=*", text)


def compare(name: str, got_dir, want_dir) -> None:
    got = normalized(got_dir / "ipynb" / f"{name}.ipynb")
    want = normalized(want_dir / "ipynb" / f"{name}.ipynb")
    assert got == want, name
    assert body(got_dir / f"{name}.html") == body(want_dir / f"{name}.html"), name


def test_overview_on_dask_matches_serial(tmp_path, smoke_build, seed):
    """smoke_build ran on a 2-worker LocalCluster; rebuild the overview serially."""
    nbdir = tmp_path / "nb"
    nbdir.mkdir()
    shutil.copy(NOTEBOOKS / "00_data_overview.ipynb", nbdir)
    serial = build_reports(nbdir, tmp_path / "serial", parameters={"smoke": True, "seed": seed},
                           workers=1)
    assert serial.ok, serial.summary()
    compare("00_data_overview", smoke_build.out_dir, serial.out_dir)


def test_workers_2_matches_serial_with_progress(tmp_path, capsys):
    nbdir = tmp_path / "nb"
    make_notebook(nbdir / "01_tiny.ipynb", TINY_OK)
    make_notebook(nbdir / "02_min.ipynb", TINY_MIN)
    serial = build_reports(nbdir, tmp_path / "serial", workers=1)
    capsys.readouterr()
    dask = build_reports(nbdir, tmp_path / "dask", workers=2, progress=True)
    err = capsys.readouterr().err
    assert "2/2" in err and "reports" in err  # tqdm: reports done / total
    assert dask.ok and serial.ok, (dask.summary(), serial.summary())
    assert [o.name for o in dask.outcomes] == ["01_tiny", "02_min"]
    for name in ("01_tiny", "02_min"):
        compare(name, dask.out_dir, serial.out_dir)


def test_existing_scheduler(tmp_path):
    """``--scheduler ADDRESS``: jobs go to a cluster this build did not start (and leaves up)."""
    from workbench.reports.distributed import local_cluster

    nbdir = tmp_path / "nb"
    make_notebook(nbdir / "02_min.ipynb", TINY_MIN)
    with local_cluster(1) as cluster:
        res = build_reports(nbdir, tmp_path / "out", scheduler=cluster.scheduler_address)
        assert res.ok, res.summary()
        assert cluster.scheduler_info["workers"]  # still running after the build
    assert (tmp_path / "out" / "02_min.html").exists()
