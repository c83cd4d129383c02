"""nbval over every notebook in notebooks/, with smoke parameters.

Each notebook is parameterized with papermill (``prepare_only``: ``smoke=True`` and the session
seed injected after its ``parameters`` cell, nothing executed) into a temporary directory, then
``pytest --nbval-lax`` runs it in a fresh kernel of this interpreter (``--nbval-current-env``):
a cell that raises fails the test. Outputs are not compared (notebooks are stored without them).
Notebooks are discovered at collection time, so new ones are picked up automatically.
"""

from __future__ import annotations

import os
import subprocess
import sys

import papermill as pm
import pytest

from workbench.config import project_root

NOTEBOOKS = sorted((project_root() / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_nbval(path, tmp_path, seed):
    smoke = tmp_path / path.name
    pm.execute_notebook(str(path), str(smoke), parameters={"smoke": True, "seed": seed},
                        prepare_only=True, progress_bar=False)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-q",
         "-p", "no:cacheprovider", "-p", "no:randomly", "--rootdir", str(tmp_path),
         "-c", os.devnull, str(smoke)],
        cwd=str(path.parent), capture_output=True, text=True, env=env, timeout=900)
    assert proc.returncode == 0, f"{path.name} failed under nbval:\n{proc.stdout[-6000:]}"
    assert " passed" in proc.stdout, proc.stdout[-2000:]
