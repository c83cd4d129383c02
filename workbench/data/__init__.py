"""Data handling: parsers, legislator resolution, market data, store, synthetic universe.

Public names are imported lazily so that ``import workbench.data`` stays cheap.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "load_universe": "workbench.data.universe",
    "Universe": "workbench.data.universe",
    "SyntheticTruth": "workbench.data.truth",
    "SynthParams": "workbench.data.truth",
    "ParseResult": "workbench.data.schema",
    "read_senate_daily_summaries": "workbench.data.disclosures",
    "read_senate_transactions": "workbench.data.disclosures",
    "read_house_transactions": "workbench.data.disclosures",
    "read_trades_csv": "workbench.data.disclosures",
    "read_disclosures": "workbench.data.disclosures",
    "detect_source": "workbench.data.disclosures",
    "register_parser": "workbench.data.disclosures",
    "PARSERS": "workbench.data.disclosures",
    "read_legislators": "workbench.data.legislators",
    "resolve_legislators": "workbench.data.legislators",
    "ResolutionResult": "workbench.data.legislators",
    "read_prices": "workbench.data.prices",
    "read_securities": "workbench.data.prices",
    "read_french_factors": "workbench.data.factors",
    "read_option_chain": "workbench.data.options",
    "trading_days": "workbench.data.calendar",
    "generate_universe": "workbench.data.synthetic",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'workbench.data' has no attribute {name!r}")
