"""Shared feature sets: the default synthetic universe's features are computed once."""

from __future__ import annotations

import pytest

# A universe small enough to build features several times (look-ahead, Dask), long enough
# (2016-2020) for the walk-forward regime model to have fitted before the cuts.
SMALL = {"start": "2016-01-04", "n_tickers": 60}


@pytest.fixture(scope="session")
def features(universe):
    from workbench.features import trade_features

    return trade_features(universe)


@pytest.fixture(scope="session")
def small_universe(seed):
    from workbench.data import load_universe

    return load_universe("synthetic", seed=seed, **SMALL)
