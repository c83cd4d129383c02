"""Shared fixtures: real data location, reproducible seeds, the synthetic universe.

Seeds come from ``WORKBENCH_SEED`` (default in ``workbench.config``) and are printed in the
header and on failure, so a random failure can be replayed with ``WORKBENCH_SEED=<n> make test``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workbench.config import default_seed, shared_data_dir


def pytest_report_header(config):
    return [f"WORKBENCH_SEED={default_seed()}  WORKBENCH_SHARED_DATA={shared_data_dir()}"]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        report.sections.append(("seed", f"replay with WORKBENCH_SEED={default_seed()}"))


def pytest_collection_modifyitems(config, items):
    """Sweeps (``@pytest.mark.sweep``) run only when ``WORKBENCH_SWEEPS=1``; CI leaves them out."""
    if os.environ.get("WORKBENCH_SWEEPS") == "1":
        return
    skip = pytest.mark.skip(reason="sweep: set WORKBENCH_SWEEPS=1 to run")
    for item in items:
        if "sweep" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def seed() -> int:
    return default_seed()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Directory of the real public data; skips (or fails under WORKBENCH_REQUIRE_SHARED=1)."""
    path = shared_data_dir()
    if not path.is_dir():
        if os.environ.get("WORKBENCH_REQUIRE_SHARED") == "1":
            pytest.fail(f"shared data required but missing: {path}")
        pytest.skip(f"shared data not found at {path}")
    return path


def shared_file(shared_data: Path, rel: str) -> Path:
    p = shared_data / rel
    if not p.exists():
        if os.environ.get("WORKBENCH_REQUIRE_SHARED") == "1":
            pytest.fail(f"shared data file required but missing: {p}")
        pytest.skip(f"missing shared data file {p}")
    return p


@pytest.fixture(scope="session")
def shared_path(shared_data):
    """``shared_path("senate/all_daily_summaries.json")`` -> Path, failing/skipping if absent."""
    return lambda rel: shared_file(shared_data, rel)


@pytest.fixture(scope="session")
def universe(seed):
    """The synthetic universe at the session seed (generated once per test session).

    Treat it as read-only: tests that modify frames must copy them first.
    """
    from workbench.data import load_universe

    return load_universe("synthetic", seed=seed)
