"""Small synthetic universes for the causal tests (2019-2020, 60 tickers: seconds to build)."""

from __future__ import annotations

import pytest

from workbench.data import load_universe

SMALL = {"start": "2019-01-02", "n_tickers": 60}


@pytest.fixture(scope="session")
def small(seed):
    return load_universe("synthetic", seed=seed, **SMALL)


@pytest.fixture(scope="session")
def small_other(seed):
    return load_universe("synthetic", seed=seed + 1, **SMALL)
