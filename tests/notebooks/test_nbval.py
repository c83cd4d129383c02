"""nbval over every notebook in notebooks/, with smoke parameters.

Each notebook is parameterized with papermill (``prepare_only``: ``smoke=True`` and the session
seed injected after its ``parameters`` cell, nothing executed) into a temporary directory. One
``pytest --nbval-lax`` subprocess then runs all of them, two kernels at a time (pytest-xdist),
each in a fresh kernel of this interpreter (``--nbval-current-env``); a cell that raises fails.
Outputs are not compared (notebooks are stored without them). The per-notebook tests below read
that run's JUnit XML, so each notebook passes or fails on its own. Notebooks are discovered at
collection time: new ones are picked up automatically.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import papermill as pm
import pytest

from workbench.config import project_root

NOTEBOOK_DIR = project_root() / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))


@pytest.fixture(scope="module")
def nbval_run(tmp_path_factory, seed):
    """Run nbval once over smoke copies of every notebook; cases grouped by notebook stem."""
    tmp = tmp_path_factory.mktemp("nbval")
    for path in NOTEBOOKS:
        pm.execute_notebook(str(path), str(tmp / path.name),
                            parameters={"smoke": True, "seed": seed}, prepare_only=True,
                            progress_bar=False)
    junit = tmp / "junit.xml"
    # loadfile: all cells of a notebook run in order on one worker (they share a kernel)
    workers = ["-n", "2", "--dist", "loadfile"] if len(NOTEBOOKS) > 1 else []
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-q",
         "-p", "no:cacheprovider", *workers, "--rootdir", str(tmp), "-c", os.devnull,
         f"--junitxml={junit}", *[str(tmp / p.name) for p in NOTEBOOKS]],
        cwd=str(NOTEBOOK_DIR), capture_output=True, text=True, timeout=1200,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    cases: dict[str, list[tuple[str, str]]] = {}
    if junit.exists():
        for case in ET.parse(junit).getroot().iter("testcase"):
            stem = os.path.basename(case.get("file") or case.get("classname", "")).split(".")[0]
            bad = [el for el in case if el.tag in ("failure", "error")]
            detail = "\n".join((el.get("message") or "") + "\n" + (el.text or "") for el in bad)
            cases.setdefault(stem, []).append((case.get("name", ""), detail))
    return proc, cases


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_nbval(path, nbval_run):
    proc, cases = nbval_run
    mine = cases.get(path.stem)
    assert mine, f"nbval ran no cell of {path.name}:\n{proc.stdout[-3000:]}{proc.stderr[-2000:]}"
    failed = [(name, detail) for name, detail in mine if detail]
    assert not failed, f"{path.name} failed under nbval:\n" + "\n".join(
        f"{name}: {detail[-3000:]}" for name, detail in failed)
