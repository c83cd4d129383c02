"""The DuckDB store: table schema, connections and reads (``db``), transactional ingest with
provenance and supersession (``ingestion``), a whole universe in and out (``universe_io``).

The store knows the input formats only through :mod:`workbench.data.sources.readers`.
"""

from __future__ import annotations

from workbench.data.store.db import *  # noqa: F403
from workbench.data.store.db import __all__ as _db_all
from workbench.data.store.ingestion import *  # noqa: F403
from workbench.data.store.ingestion import (  # noqa: F401  (names the old module re-exported)
    SENATE_AGGREGATE,
    SENATE_DAILY,
    STATUS_DUPLICATE,
    STATUS_INGESTED,
    STATUS_UNRECOGNIZED,
    expand_paths,
    ingest_one,
    parse_file,
    read_head,
    resolve_store_trades,
    sha256_file,
)
from workbench.data.store.ingestion import __all__ as _ingest_all
from workbench.data.store.universe_io import *  # noqa: F403
from workbench.data.store.universe_io import __all__ as _io_all

__all__ = sorted(set(_db_all) | set(_ingest_all) | set(_io_all))
