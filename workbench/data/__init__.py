"""Data handling: input formats, legislator resolution, the DuckDB store, the Universe.

==========================  =================================================================
``sources``                 one module per input format, shared field/text normalisation, the
                            parser and reader registries
``resolution``              filer names -> members of Congress
``store``                   DuckDB tables, transactional ingest, universes in and out
``universe``                :class:`Universe`, :func:`load_universe` and the source registry
``calendar``, ``schema``    NYSE sessions; the canonical column contract
``fetch``, ``atomic``       downloads from the public sources; atomic file writes
==========================  =================================================================

The synthetic generator is :mod:`workbench.synthetic` (above this package); overview and
coverage statistics are :mod:`workbench.overview`. Modules moved by the split stay importable at
their old paths (:mod:`workbench.data._moved`, listed in the README). Public names are
imported lazily so that ``import workbench.data`` stays cheap.
"""

from __future__ import annotations

from workbench._lazy import lazy_getattr
from workbench.data import _moved

_moved.install()

_EXPORTS = {
    "load_universe": "workbench.data.universe",
    "Universe": "workbench.data.universe",
    "register_universe_source": "workbench.data.universe",
    "ParseResult": "workbench.data.schema",
    "read_senate_daily_summaries": "workbench.data.sources.disclosures",
    "read_senate_transactions": "workbench.data.sources.disclosures",
    "read_house_transactions": "workbench.data.sources.disclosures",
    "read_trades_csv": "workbench.data.sources.disclosures",
    "read_disclosures": "workbench.data.sources.disclosures",
    "detect_source": "workbench.data.sources.disclosures",
    "register_parser": "workbench.data.sources.disclosures",
    "PARSERS": "workbench.data.sources.disclosures",
    "read_legislators": "workbench.data.sources.legislators",
    "read_legislator_terms": "workbench.data.sources.legislator_terms",
    "read_committees": "workbench.data.sources.committees",
    "read_committee_membership": "workbench.data.sources.committees",
    "member_sectors": "workbench.data.committees",
    "committee_relevance": "workbench.data.committees",
    "date_trades_by_term": "workbench.data.terms",
    "resolve_legislators": "workbench.data.resolution",
    "ResolutionResult": "workbench.data.resolution",
    "read_prices": "workbench.data.sources.prices",
    "read_securities": "workbench.data.sources.prices",
    "read_french_factors": "workbench.data.sources.french",
    "read_option_chain": "workbench.data.sources.option_chains",
    "trading_days": "workbench.data.calendar",
    # kept for compatibility; they live in workbench.synthetic (resolved lazily by name)
    "SyntheticTruth": "workbench.synthetic.truth",
    "SynthParams": "workbench.synthetic.truth",
    "generate_universe": "workbench.synthetic.generator",
}

__all__ = sorted(_EXPORTS)

__getattr__ = lazy_getattr(__name__, _EXPORTS)
