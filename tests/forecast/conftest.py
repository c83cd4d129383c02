"""Small synthetic universes and datasets shared by the forecast tests (built once per session)."""

from __future__ import annotations

import pytest

SMOKE = {"start": "2019-01-02", "n_tickers": 60}


@pytest.fixture(scope="session")
def small_universe(seed):
    from workbench.data import load_universe

    return load_universe("synthetic", seed=seed, **SMOKE)


@pytest.fixture(scope="session")
def small_data(small_universe):
    """Eight tickers, h = 5, window 21, price/volume features only (fast)."""
    from workbench.forecast.dataset import build_dataset

    tickers = sorted(small_universe.prices["ticker"].astype(str).unique())[:8]
    return build_dataset(small_universe.prices, horizon=5, window=21, tickers=tickers)
