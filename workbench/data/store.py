"""The DuckDB store: one file holding every ingested table, its rejects and its provenance.

Tables
------
``trades``       ``schema.TRADE_COLUMNS + TRADE_EXTRA_COLUMNS``, primary key ``trade_id``.
``prices``       ``schema.PRICE_COLUMNS``, primary key ``(date, ticker)``.
``factors``      ``date`` + ``schema.FACTOR_COLUMNS`` (daily decimals), primary key ``date``.
``legislators``  ``schema.LEGISLATOR_COLUMNS`` (upserted by ``bioguide_id``).
``securities``   ``schema.SECURITY_COLUMNS``, primary key ``ticker``.
``options``      ``schema.OPTION_COLUMNS``, key ``(quote_date, contract_symbol)``.
``rejects``      ``ingest_id, kind, source, file, source_row, reason, raw``.
``ingests``      one row per file offered: ``ingest_id, file, sha256, kind, source, status,
                 rows_read, accepted, rejected, empty_filings, new_rows, superseded,
                 started_at, finished_at, workbench_version``.
``meta``         ``key, value``: ``schema_version``; ``synthetic_seed`` for synthetic stores.

Dates are stored as DATE (transaction, disclosure, price and quote dates). Ingesting files
(:func:`ingest`, idempotent and transactional) lives in :mod:`workbench.data.ingest`; its
public names are re-exported here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
from pathlib import Path

import duckdb
import pandas as pd

from workbench.data.schema import (
    FACTOR_COLUMNS,
    LEGISLATOR_COLUMNS,
    OPTION_COLUMNS,
    PRICE_COLUMNS,
    REJECT_COLUMNS,
    SECURITY_COLUMNS,
    TRADE_COLUMNS,
    TRADE_EXTRA_COLUMNS,
    coerce_frame,
    coerce_trades,
    empty_frame,
)
from workbench.exceptions import StoreError

# Ingest names, re-exported from workbench.data.ingest through the module __getattr__ at the
# end (imported lazily: that module imports this one).
INGEST_EXPORTS = (
    "IngestReport", "ingest", "detect_kind", "KINDS", "TRADE_SOURCES", "SENATE_DAILY",
    "SENATE_AGGREGATE", "STATUS_INGESTED", "STATUS_DUPLICATE", "STATUS_UNRECOGNIZED",
    "PAUSE_ENV", "sha256_file", "read_head", "parse_file", "supersede_senate_aggregate",
    "resolve_store_trades", "expand_paths", "ingest_one",
)

__all__ = [
    "SCHEMA_VERSION", "TABLE_COLUMNS", "TABLE_KEYS", "open_store", "load_universe_from_store",
    "write_universe", "read_table", "truth_path", "table_counts", "read_price_spans",
    "upsert", "insert_ingest_row",
    # ruff's F822 does not see the lazy __getattr__ re-export
    "IngestReport", "ingest", "detect_kind", "KINDS", "supersede_senate_aggregate",  # noqa: F822
]

SCHEMA_VERSION = "1"

INGEST_COLUMNS: dict[str, str] = {
    "ingest_id": "int64", "file": "string", "sha256": "string", "kind": "string",
    "source": "string", "status": "string", "rows_read": "int64", "accepted": "int64",
    "rejected": "int64", "empty_filings": "int64", "new_rows": "int64", "superseded": "int64",
    "started_at": "timestamp", "finished_at": "timestamp", "workbench_version": "string",
}

TABLE_COLUMNS: dict[str, dict[str, str]] = {
    "trades": TRADE_COLUMNS | TRADE_EXTRA_COLUMNS,
    "prices": PRICE_COLUMNS,
    "factors": {"date": "datetime64[ns]"} | {c: "float64" for c in FACTOR_COLUMNS},
    "legislators": LEGISLATOR_COLUMNS,
    "securities": SECURITY_COLUMNS,
    "options": OPTION_COLUMNS,
    "rejects": {"ingest_id": "int64", "kind": "string"} | REJECT_COLUMNS,
    "ingests": INGEST_COLUMNS,
    "meta": {"key": "string", "value": "string"},
}

# Upsert keys; a primary key is declared where the key is unique by construction.
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "trades": ("trade_id",), "prices": ("date", "ticker"), "factors": ("date",),
    "legislators": ("bioguide_id",), "securities": ("ticker",),
    "options": ("quote_date", "contract_symbol"), "meta": ("key",),
}
PRIMARY_KEYS = {"trades", "prices", "factors", "securities", "meta"}

SQL_TYPES = {"string": "VARCHAR", "bool": "BOOLEAN", "datetime64[ns]": "DATE",
             "float64": "DOUBLE", "int64": "BIGINT", "timestamp": "TIMESTAMP"}


def q(name: str) -> str:
    """Quote an identifier (factor columns such as ``Mkt-RF`` need it)."""
    return '"' + name.replace('"', '""') + '"'


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    for table, cols in TABLE_COLUMNS.items():
        defs = [f"{q(c)} {SQL_TYPES[t]}" for c, t in cols.items()]
        if table in PRIMARY_KEYS:
            defs.append(f"PRIMARY KEY ({', '.join(q(k) for k in TABLE_KEYS[table])})")
        con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(defs)})")
    con.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])


def open_store(path: str | Path | None = None, *, read_only: bool = False,
               create: bool = True) -> duckdb.DuckDBPyConnection:
    """Open (and, when writable, create) a workbench store.

    Parameters
    ----------
    path : path, optional
        DuckDB file; default :func:`workbench.config.store_path` (``$WORKBENCH_STORE``).
    read_only : bool
        Open without write access (several readers may share the file).
    create : bool
        Create the file and its tables when missing (ignored when ``read_only``).

    Returns
    -------
    duckdb.DuckDBPyConnection
        Close it (or use it as a context manager) when done: DuckDB allows one writer process.

    Raises
    ------
    StoreError
        Missing file (read-only or ``create=False``), locked by another process, or not a
        workbench store.
    """
    if path is None:
        from workbench.config import store_path
        path = store_path()
    path = Path(path)
    if not path.exists() and (read_only or not create):
        raise StoreError(f"{path}: no store here (build one with `workbench data ingest` "
                         "or `workbench data synth`)")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise StoreError(f"{path}: cannot open store: {exc}") from exc
    try:
        if read_only:
            tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables")
                      .fetchall()}
            if "meta" not in tables:
                raise StoreError(f"{path}: not a workbench store (no meta table)")
        else:
            create_schema(con)
    except BaseException:
        con.close()
        raise
    return con


@contextlib.contextmanager
def connected(store, *, read_only: bool = False):
    """Yield a connection for a path, default or already-open connection (left open)."""
    if isinstance(store, duckdb.DuckDBPyConnection):
        yield store
        return
    con = open_store(store, read_only=read_only)
    try:
        yield con
    finally:
        con.close()


def read_table(con: duckdb.DuckDBPyConnection, table: str) -> pd.DataFrame:
    """A store table as a frame with canonical dtypes, in key order."""
    cols = TABLE_COLUMNS[table]
    order = ", ".join(q(k) for k in TABLE_KEYS.get(table, ())) or "1"
    df = con.execute(f"SELECT {', '.join(q(c) for c in cols)} FROM {table} "
                     f"ORDER BY {order}").df()
    if df.empty:
        return empty_frame({c: ("datetime64[ns]" if t == "timestamp" else t)
                            for c, t in cols.items()})
    if table == "trades":
        return coerce_trades(df)
    casts = {c: ("datetime64[ns]" if t == "timestamp" else t) for c, t in cols.items()}
    return coerce_frame(df, casts)


def count_rows(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row count of every store table."""
    return {t: int(count_rows(con, t))
            for t in TABLE_COLUMNS}


def read_price_spans(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """First and last quote date of each ticker, as a two-row-per-ticker ``date, ticker`` frame.

    Enough for :func:`workbench.data.coverage.compute_coverage`, which only needs each
    ticker's first and last quote, without loading the whole price table.
    """
    return con.execute("SELECT ticker, min(date) AS date FROM prices GROUP BY ticker UNION ALL "
                       "SELECT ticker, max(date) AS date FROM prices GROUP BY ticker").df()


def upsert(con: duckdb.DuckDBPyConnection, table: str, df: pd.DataFrame) -> int:
    """Insert ``df`` into ``table``, replacing rows with the same key; return net new rows.

    The incoming frame is deduplicated on the key (last row wins) first. Columns of the table
    absent from ``df`` are stored as NULL.
    """
    if df.empty:
        return 0
    cols = [c for c in TABLE_COLUMNS[table] if c in df.columns]
    keys = list(TABLE_KEYS[table])
    df = df.loc[:, cols].drop_duplicates(subset=keys, keep="last")
    before = count_rows(con, table)
    con.register("_upsert_src", df)
    try:
        collist = ", ".join(q(c) for c in cols)
        if table in PRIMARY_KEYS:
            con.execute(f"INSERT OR REPLACE INTO {table} ({collist}) "
                        f"SELECT {collist} FROM _upsert_src")
        else:
            match = " AND ".join(f"t.{q(k)} IS NOT DISTINCT FROM s.{q(k)}" for k in keys)
            con.execute(f"DELETE FROM {table} t USING _upsert_src s WHERE {match}")
            con.execute(f"INSERT INTO {table} ({collist}) SELECT {collist} FROM _upsert_src")
    finally:
        con.unregister("_upsert_src")
    return int(count_rows(con, table) - before)


def insert_ingest_row(con: duckdb.DuckDBPyConnection, row: dict) -> None:
    cols = [c for c in INGEST_COLUMNS if c in row]
    con.execute(f"INSERT INTO ingests ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [row[c] for c in cols])


def truth_path(store: str | Path) -> Path:
    """``truth.json`` beside the store file (written by ``workbench data synth``)."""
    return Path(store).parent / "truth.json"


def provenance_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The meta and ingests tables as ``item, value`` rows."""
    rows = [(f"meta.{k}", v) for k, v in con.execute("SELECT key, value FROM meta ORDER BY key")
            .fetchall()]
    ing = con.execute("SELECT ingest_id, file, sha256, kind, source, status, rows_read, accepted, "
                      "rejected, finished_at FROM ingests ORDER BY ingest_id").fetchall()
    for iid, file, sha, kind, source, status, read, acc, rej, fin in ing:
        rows.append((f"ingest {iid}: {file}",
                     f"{status} kind={kind} source={source} sha256={sha} read={read} "
                     f"accepted={acc} rejected={rej} at={fin}"))
    return pd.DataFrame(rows, columns=["item", "value"])


def load_universe_from_store(path: str | Path):
    """Read a store into a :class:`~workbench.data.universe.Universe`.

    ``provenance`` holds the meta and ingests tables as ``item, value`` rows. ``truth`` is read
    from ``truth.json`` beside the store when the store was built by ``workbench data synth``
    (its ``meta.synthetic_seed`` must match the truth's seed), else None.
    """
    from workbench.data.truth import SyntheticTruth
    from workbench.data.universe import Universe

    path = Path(path)
    with connected(path, read_only=True) as con:
        frames = {t: read_table(con, t) for t in
                  ("trades", "prices", "factors", "legislators", "securities", "options")}
        provenance = provenance_frame(con)
        seed = next(iter(con.execute("SELECT value FROM meta WHERE key = 'synthetic_seed'")
                         .fetchall()), None)
    truth = None
    tp = truth_path(path)
    if seed is not None and tp.exists():
        truth = SyntheticTruth.read(tp)
        if str(truth.seed) != seed[0]:
            raise StoreError(f"{tp}: truth seed {truth.seed} does not match store seed {seed[0]}")
    factors = frames["factors"].set_index("date")
    factors.index.name = "date"
    return Universe(trades=frames["trades"], prices=frames["prices"], factors=factors,
                    legislators=frames["legislators"], securities=frames["securities"],
                    options=frames["options"], truth=truth, source=str(path),
                    provenance=provenance)


def write_universe(universe, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write a Universe (typically synthetic) into a new store, plus ``truth.json`` beside it.

    Parameters
    ----------
    universe : Universe
    path : path
        Store file to create.
    overwrite : bool
        Replace an existing store file (and its WAL) instead of raising StoreError.

    Returns
    -------
    Path
        The store path. The write is one transaction; ``meta.synthetic_seed`` is set when the
        universe carries a truth.
    """
    from workbench import __version__

    path = Path(path)
    if path.exists():
        if not overwrite:
            raise StoreError(f"{path}: store exists (pass overwrite / choose another --out)")
        path.unlink()
        Path(str(path) + ".wal").unlink(missing_ok=True)
    now = dt.datetime.now()
    with connected(path) as con:
        con.begin()
        try:
            counts = {}
            for table in ("trades", "prices", "legislators", "securities", "options"):
                counts[table] = upsert(con, table, getattr(universe, table))
            fac = universe.factors.rename_axis("date").reset_index()
            counts["factors"] = upsert(con, "factors", fac)
            seed = None if universe.truth is None else universe.truth.seed
            if seed is not None:
                con.execute("INSERT OR REPLACE INTO meta VALUES ('synthetic_seed', ?)", [str(seed)])
            insert_ingest_row(con, {
                "ingest_id": 1, "file": str(universe.source), "sha256": None, "kind": "universe",
                "source": "synthetic" if seed is not None else str(universe.source),
                "status": "ingested", "rows_read": sum(counts.values()),
                "accepted": sum(counts.values()), "rejected": 0, "empty_filings": 0,
                "new_rows": sum(counts.values()), "superseded": 0, "started_at": now,
                "finished_at": dt.datetime.now(), "workbench_version": __version__})
            con.commit()
        except BaseException:
            con.rollback()
            raise
    if universe.truth is not None:
        universe.truth.write(truth_path(path))
    return path


def __getattr__(name: str):
    """Resolve the ingest names re-exported from :mod:`workbench.data.ingest` on first use."""
    if name in INGEST_EXPORTS:
        return getattr(importlib.import_module("workbench.data.ingest"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
