"""The one entry point of every notebook: :func:`load_universe`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.data.truth import SyntheticTruth

__all__ = ["Universe", "load_universe"]


@dataclass(frozen=True)
class Universe:
    """Everything an analysis needs, in canonical shapes (see ARCHITECTURE.md).

    Attributes
    ----------
    trades : DataFrame
        Canonical trades table (plus the extra columns of ``TRADE_EXTRA_COLUMNS``).
    prices : DataFrame
        Long table ``date, ticker, open, high, low, close, adj_close, volume``.
    factors : DataFrame
        Daily decimals indexed by date: ``Mkt-RF, SMB, HML, RMW, CMA, RF``.
    legislators : DataFrame
        ``LEGISLATOR_COLUMNS``.
    securities : DataFrame
        ``ticker, name, sector``.
    options : DataFrame
        Option-chain quotes, ``OPTION_COLUMNS``.
    truth : SyntheticTruth or None
        What was planted (synthetic only).
    source : str
        ``"synthetic"`` or the store path.
    provenance : DataFrame
        ``item, value`` rows: seed and parameters hash (synthetic) or ingested files and sha256.
    """

    trades: pd.DataFrame
    prices: pd.DataFrame
    factors: pd.DataFrame
    legislators: pd.DataFrame
    securities: pd.DataFrame
    options: pd.DataFrame
    truth: SyntheticTruth | None
    source: str
    provenance: pd.DataFrame

    def prices_wide(self, field: str = "adj_close") -> pd.DataFrame:
        """Date x ticker frame of one price field (NaN where a ticker has no quote)."""
        from workbench.data.prices import to_wide

        return to_wide(self.prices, field)

    def returns(self, field: str = "adj_close", log: bool = False) -> pd.DataFrame:
        """Daily simple (or log) returns, date x ticker, from the adjusted close.

        The first session of each ticker is NaN; gaps are not filled.
        """
        from workbench.data.prices import compute_returns

        return compute_returns(self.prices, "log" if log else "simple", field=field)

    def sessions(self) -> pd.DatetimeIndex:
        """Trading days covered by the price table."""
        return pd.DatetimeIndex(np.sort(self.prices["date"].unique()))


def load_universe(source: str | Path = "synthetic", *, seed: int | None = None,
                  **synth_params) -> Universe:
    """Load the synthetic default or a DuckDB store built by ``workbench data ingest``.

    Parameters
    ----------
    source : "synthetic" or path
        ``"synthetic"`` generates the seeded universe in process (seconds); anything else is a
        store path.
    seed : int, optional
        Synthetic only; defaults to ``$WORKBENCH_SEED`` or the project default.
    **synth_params
        Synthetic only: overrides of :class:`~workbench.data.truth.SynthParams`.
    """
    if str(source) == "synthetic":
        from workbench.config import default_seed
        from workbench.data.synthetic import generate_universe

        return generate_universe(default_seed() if seed is None else int(seed), **synth_params)
    from workbench.data.store import load_universe_from_store

    return load_universe_from_store(Path(source))
