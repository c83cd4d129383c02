"""Shared fixtures of the ensemble tests: small synthetic universes and fitted ensembles.

- ``small``: the CI universe (2019-2020, 60 tickers) at the session seed; every member is
  built on it once (the member states are cached per universe object).
- ``fitted``: the default ensemble (all eight members) fitted on ``small`` at 7 sessions.
- ``cheap_members``: the members without a network fit, an anomaly detector or a neural net
  (used where a test refits several times).
"""

from __future__ import annotations

import pytest

SMALL = {"start": "2019-01-02", "n_tickers": 60}
HORIZON = 7


@pytest.fixture(scope="session")
def small(seed):
    from workbench.data import load_universe

    return load_universe("synthetic", seed=seed, **SMALL)


@pytest.fixture(scope="session")
def fitted(small):
    from workbench.ensemble import fit_ensemble

    return fit_ensemble(small, horizons=(HORIZON,))


@pytest.fixture(scope="session")
def cheap_members():
    from workbench.ensemble import default_members

    return default_members(["cycles", "regimes", "patterns", "factors", "congress", "options"])
