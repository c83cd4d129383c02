"""What `workbench reports build` prints: a progress bar and one line per report, no kernel noise.

Kernels used to log "Kernel is running over TCP without encryption" at start and, now and then,
"KeyboardInterrupt caught in kernel" at shutdown (jupyter_client sends SIGINT before the
shutdown request); see workbench/reports/kernel.py. The build runs in a subprocess so that
the kernels' own stderr, which pytest's capture would not see, is checked as a user sees it.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from report_helpers import TINY_FAIL, TINY_MIN, make_notebook

pytestmark = pytest.mark.notebooks

NOISE = ("without encryption", "KeyboardInterrupt", "Traceback", "Port 8787")


def _build(nbdir, out, *extra, env_extra=None):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "workbench", "reports", "build", "--notebooks",
                           str(nbdir), "--out", str(out), "--no-progress", *extra],
                          capture_output=True, text=True, env=env, timeout=600)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_build_prints_one_line_per_report_and_no_kernel_noise(tmp_path, workers):
    nbdir = tmp_path / "nb"
    for name in ("01_one", "02_two", "03_three"):
        make_notebook(nbdir / f"{name}.ipynb", TINY_MIN)
    res = _build(nbdir, tmp_path / "out", "--workers", workers)
    assert res.returncode == 0, res.stderr
    text = res.stdout + res.stderr
    for noise in NOISE:
        assert noise not in text, f"{noise!r} on the console:\n{text}"
    lines = [ln for ln in res.stdout.splitlines() if ln.strip()]
    assert lines[0].startswith("3/3 reports ok")
    assert sorted(ln.split()[-1] for ln in lines[1:]) == ["01_one", "02_two", "03_three"]
    assert res.stderr.strip() == "", res.stderr


def test_kernel_stderr_shown_on_request_has_no_encryption_or_interrupt_noise(tmp_path):
    """With the kernels' own stderr on the console (WORKBENCH_KERNEL_STDERR=1), the two causes
    fixed in kernel.py stay fixed: no unencrypted-TCP warning, no SIGINT at shutdown. (ipykernel's
    shutdown race, a rare ZMQStream traceback, is the reason that stderr is discarded by
    default, so a Traceback is not checked here.)"""
    nbdir = tmp_path / "nb"
    for name in ("01_one", "02_two"):
        make_notebook(nbdir / f"{name}.ipynb", TINY_MIN)
    res = _build(nbdir, tmp_path / "out", "--workers", "1",
                 env_extra={"WORKBENCH_KERNEL_STDERR": "1"})
    assert res.returncode == 0, res.stderr
    text = res.stdout + res.stderr
    for noise in ("without encryption", "KeyboardInterrupt"):
        assert noise not in text, f"{noise!r} on the console:\n{text}"


def test_real_error_still_shows_notebook_cell_and_exception(tmp_path):
    nbdir = tmp_path / "nb"
    make_notebook(nbdir / "01_ok.ipynb", TINY_MIN)
    make_notebook(nbdir / "02_bad.ipynb", TINY_FAIL)
    res = _build(nbdir, tmp_path / "out", "--workers", "1")
    assert res.returncode == 1
    bad = [ln for ln in res.stdout.splitlines() if "02_bad" in ln]
    assert len(bad) == 1 and "failed" in bad[0] and "ValueError: boom" in bad[0]
    assert "(cell " in bad[0]
