"""Anomaly tests reuse the features fixtures of tests/features."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "features"))

SMALL = {"start": "2016-01-04", "n_tickers": 60}
DETECTOR_GROUPS = ("time", "returns", "liquidity", "disclosure_flow", "history", "committee")


@pytest.fixture(scope="session")
def anomaly_features(universe):
    from workbench.features import trade_features

    return trade_features(universe, groups=DETECTOR_GROUPS)
