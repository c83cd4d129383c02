"""Universes of one point of a power curve: the full synthetic universe or its market alone.

Regime and change-point detectors read only the market factor and the regime truth. Simulating
the market alone (the generator's first random stream, :func:`workbench.synthetic.market.
simulate_market`) gives the very same factors and regimes as the full universe in a fraction
of the time (a test checks they are identical).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["MarketTruth", "MarketUniverse", "market_universe", "build_universe"]

# The generator draws the market from child 0 of SeedSequence(seed) (workbench.synthetic.generator).
MARKET_STREAM = 0


@dataclass(frozen=True)
class MarketTruth:
    """The regime part of :class:`~workbench.synthetic.truth.SyntheticTruth`."""

    seed: int
    params: object
    regimes: pd.DataFrame
    regime_stats: pd.DataFrame
    change_points: pd.DatetimeIndex


@dataclass(frozen=True)
class MarketUniverse:
    """Factors (``Mkt-RF, SMB, HML, RMW, CMA, RF``) and the regime truth, nothing else."""

    factors: pd.DataFrame
    truth: MarketTruth
    source: str = "synthetic"


def market_universe(seed: int, **overrides) -> MarketUniverse:
    """The market of ``generate_universe(seed, **overrides)`` without trades, prices or options."""
    from workbench.data.calendar import trading_days
    from workbench.synthetic.market import regime_frames, simulate_market
    from workbench.synthetic.truth import SynthParams

    params = SynthParams(**overrides)
    child = np.random.SeedSequence(int(seed)).spawn(MARKET_STREAM + 1)[MARKET_STREAM]
    market = simulate_market(trading_days(params.start, params.end), params,
                             np.random.default_rng(child))
    regimes, stats, change_points = regime_frames(market)
    return MarketUniverse(market.factors, MarketTruth(int(seed), params, regimes, stats,
                                                      change_points))


def build_universe(seed: int, overrides: dict, market_only: bool = False):
    """The synthetic universe (or its market) of one (dial value, seed) point."""
    if market_only:
        return market_universe(seed, **overrides)
    from workbench.synthetic.generator import generate_universe

    return generate_universe(int(seed), **overrides)
