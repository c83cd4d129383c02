"""A small synthetic universe shared by the portfolio tests (built once per session)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def small_universe(seed):
    from workbench.data import load_universe

    return load_universe("synthetic", seed=seed, start="2019-01-02", n_tickers=60)
