"""The one entry point of every notebook: :func:`load_universe`, and the :class:`Universe` it returns.

Universes come from registered *sources* (:func:`register_universe_source`): ``"synthetic"``
(the seeded generator of :mod:`workbench.synthetic`) and ``"store"`` (a DuckDB store of
:mod:`workbench.data.store`); any other argument is taken as a store path. The defaults are
registered by name (``"module:function"``) and imported on first use, so that the data layer
imports neither the generator above it nor the store beside it (no import circle).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.data.schema import (
    COMMITTEE_COLUMNS,
    COMMITTEE_MEMBER_COLUMNS,
    LEGISLATOR_TERM_COLUMNS,
    empty_frame,
)

__all__ = ["Universe", "load_universe", "register_universe_source", "register_truth_reader",
           "read_truth", "universe_sources"]

# name -> loader or "module:function"; the loader takes (source, seed=None, **params).
_SOURCES: dict[str, Callable[..., Any] | str] = {
    "synthetic": "workbench.synthetic:load_synthetic",
    "store": "workbench.data.store.universe_io:load_universe_from_store",
}
# Reader of ``truth.json`` (the planted truth of a synthetic store).
_TRUTH_READER: list[Callable[[Path], Any] | str] = ["workbench.synthetic.truth:read_truth"]


def _resolve(ref):
    if callable(ref):
        return ref
    module, _, attr = ref.partition(":")
    return getattr(importlib.import_module(module), attr)


def register_universe_source(name: str, loader: Callable[..., Any] | str) -> None:
    """Register ``loader`` (or ``"module:function"``) as the universe source ``name``."""
    if not (callable(loader) or (isinstance(loader, str) and ":" in loader)):
        raise TypeError(f"universe source {name!r} must be callable or 'module:function'")
    _SOURCES[name] = loader


def universe_sources() -> list[str]:
    """Names of the registered universe sources."""
    return sorted(_SOURCES)


def register_truth_reader(reader: Callable[[Path], Any] | str) -> None:
    """Register the reader of a store's ``truth.json`` (the synthetic package registers its own)."""
    _TRUTH_READER[0] = reader


def read_truth(path: str | Path):
    """Read a ``truth.json`` with the registered truth reader."""
    return _resolve(_TRUTH_READER[0])(Path(path))


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
    truth : workbench.synthetic.truth.SyntheticTruth or None
        What was planted (synthetic only).
    source : str
        ``"synthetic"`` or the store path.
    provenance : DataFrame
        ``item, value`` rows: seed and parameters hash (synthetic) or ingested files and sha256.
    legislator_terms : DataFrame
        ``LEGISLATOR_TERM_COLUMNS``: every term period of current members (``end`` exclusive;
        split at party switches); empty when none were ingested.
    committees : DataFrame
        ``COMMITTEE_COLUMNS``, with ``sectors`` a tuple of GICS sector names per committee.
    committee_members : DataFrame
        ``COMMITTEE_MEMBER_COLUMNS``: seats of the **current Congress only** (no history).
        See :func:`workbench.data.committees.member_sectors`.
    """

    trades: pd.DataFrame
    prices: pd.DataFrame
    factors: pd.DataFrame
    legislators: pd.DataFrame
    securities: pd.DataFrame
    options: pd.DataFrame
    truth: Any  # SyntheticTruth | None (workbench.synthetic.truth)
    source: str
    provenance: pd.DataFrame
    legislator_terms: pd.DataFrame = field(
        default_factory=lambda: empty_frame(LEGISLATOR_TERM_COLUMNS))
    committees: pd.DataFrame = field(default_factory=lambda: empty_frame(COMMITTEE_COLUMNS))
    committee_members: pd.DataFrame = field(
        default_factory=lambda: empty_frame(COMMITTEE_MEMBER_COLUMNS))

    def prices_wide(self, field: str = "adj_close") -> pd.DataFrame:
        """Date x ticker frame of one price field (NaN where a ticker has no quote)."""
        from workbench.data.sources.prices import to_wide

        return to_wide(self.prices, field)

    def returns(self, field: str = "adj_close", log: bool = False) -> pd.DataFrame:
        """Daily simple (or log) returns, date x ticker, from the adjusted close.

        The first session of each ticker is NaN; gaps are not filled.
        """
        from workbench.data.sources.prices import compute_returns

        return compute_returns(self.prices, "log" if log else "simple", field=field)

    def sessions(self) -> pd.DatetimeIndex:
        """Trading days covered by the price table."""
        return pd.DatetimeIndex(np.sort(self.prices["date"].unique()))


def load_universe(source: str | Path = "synthetic", *, seed: int | None = None,
                  **synth_params) -> Universe:
    """Load the synthetic default or a DuckDB store built by ``workbench data ingest``.

    Parameters
    ----------
    source : "synthetic", a registered source name, or a path
        ``"synthetic"`` generates the seeded universe in process (seconds); a name registered
        with :func:`register_universe_source` calls its loader; anything else is a store path.
    seed : int, optional
        Synthetic only; defaults to ``$WORKBENCH_SEED`` or the project default.
    **synth_params
        Synthetic only: overrides of :class:`~workbench.synthetic.truth.SynthParams`.
    """
    name = str(source)
    if name in _SOURCES and name != "store":
        return _resolve(_SOURCES[name])(seed=seed, **synth_params)
    return _resolve(_SOURCES["store"])(Path(source))
