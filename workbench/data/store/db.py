"""The DuckDB store: one file holding every ingested table, its rejects and its provenance.

Tables
------
``trades``       ``schema.TRADE_COLUMNS + TRADE_EXTRA_COLUMNS``, primary key ``trade_id``.
``prices``       ``schema.PRICE_COLUMNS``, primary key ``(date, ticker)``.
``factors``      ``date`` + ``schema.FACTOR_COLUMNS`` (daily decimals), primary key ``date``.
``legislators``  ``schema.LEGISLATOR_COLUMNS`` (upserted by ``bioguide_id``).
``securities``   ``schema.SECURITY_COLUMNS``, primary key ``ticker``.
``options``      ``schema.OPTION_COLUMNS``, key ``(quote_date, contract_symbol)``.
``legislator_terms``   ``schema.LEGISLATOR_TERM_COLUMNS``; a file replaces the terms of the members
                 it lists.
``committees``   ``schema.COMMITTEE_COLUMNS`` (``sectors`` stored ``;``-joined), key
                 ``committee_id``.
``committee_members``  ``schema.COMMITTEE_MEMBER_COLUMNS`` (current Congress only); a file
                 replaces the seats of the committees it lists.
``rejects``      ``ingest_id, kind, source, file, source_row, reason, raw``.
``ingests``      one row per file offered: ``ingest_id, file, sha256, kind, source, status,
                 rows_read, accepted, rejected, empty_filings, new_rows, superseded,
                 started_at, finished_at, workbench_version``.
``meta``         ``key, value``: ``schema_version``; ``synthetic_seed`` for synthetic stores.

Dates are stored as DATE (transaction, disclosure, price and quote dates). Ingesting files
(:func:`ingest`, idempotent and transactional) lives in :mod:`workbench.data.store.ingestion`,
reading and writing a whole universe in :mod:`workbench.data.store.universe_io`; the package
``workbench.data.store`` re-exports the public names of all three.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import duckdb
import pandas as pd

from workbench.data.schema import (
    COMMITTEE_COLUMNS,
    COMMITTEE_MEMBER_COLUMNS,
    FACTOR_COLUMNS,
    LEGISLATOR_COLUMNS,
    LEGISLATOR_TERM_COLUMNS,
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

__all__ = [
    "SCHEMA_VERSION", "TABLE_COLUMNS", "TABLE_KEYS", "open_store", "connected", "read_table",
    "count_rows", "table_counts", "read_price_spans", "upsert", "insert_ingest_row",
    "create_schema",
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
    "legislator_terms": LEGISLATOR_TERM_COLUMNS,
    "committees": COMMITTEE_COLUMNS | {"sectors": "string"},
    "committee_members": COMMITTEE_MEMBER_COLUMNS,
    "rejects": {"ingest_id": "int64", "kind": "string"} | REJECT_COLUMNS,
    "ingests": INGEST_COLUMNS,
    "meta": {"key": "string", "value": "string"},
}

# Upsert keys; a primary key is declared where the key is unique by construction.
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "trades": ("trade_id",), "prices": ("date", "ticker"), "factors": ("date",),
    "legislators": ("bioguide_id",), "securities": ("ticker",),
    "options": ("quote_date", "contract_symbol"), "meta": ("key",),
    "legislator_terms": ("bioguide_id", "start"), "committees": ("committee_id",),
    "committee_members": ("committee_id", "bioguide_id"),
}
PRIMARY_KEYS = {"trades", "prices", "factors", "securities", "meta", "committees"}
# Snapshot tables: an incoming frame replaces every stored row of the groups it holds (a newer
# membership file drops the seats a member gave up; a newer YAML the terms it corrected).
REPLACE_GROUPS = {"legislator_terms": "bioguide_id", "committee_members": "committee_id"}
SECTOR_SEP = ";"

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
    # Stores made before a column was added gain it (NULL in old rows).
    have = set(con.execute("SELECT table_name, column_name FROM information_schema.columns")
               .fetchall())
    for table, cols in TABLE_COLUMNS.items():
        for c, t in cols.items():
            if (table, c) not in have:
                con.execute(f"ALTER TABLE {table} ADD COLUMN {q(c)} {SQL_TYPES[t]}")
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
        # no progress bar: in a notebook kernel DuckDB draws it as an ipywidget, which a static
        # report cannot show (it left a "(interactive widget ...)" placeholder in store reports)
        con = duckdb.connect(str(path), read_only=read_only)
        con.execute("SET enable_progress_bar = false")
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
    have = {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns "
                                      "WHERE table_name = ?", [table]).fetchall()}
    if not have:  # a read-only store older than the table
        df = pd.DataFrame(columns=list(cols))
    else:  # ... or than one of its columns
        sel = ", ".join(q(c) if c in have else f"NULL AS {q(c)}" for c in cols)
        df = con.execute(f"SELECT {sel} FROM {table} ORDER BY {order}").df()
    if df.empty:
        out = empty_frame({c: ("datetime64[ns]" if t == "timestamp" else t)
                           for c, t in cols.items()})
    elif table == "trades":
        return coerce_trades(df)
    else:
        out = coerce_frame(df, {c: ("datetime64[ns]" if t == "timestamp" else t)
                                for c, t in cols.items()})
    if table == "committees":
        out["sectors"] = pd.Series([tuple(s.split(SECTOR_SEP)) if isinstance(s, str) and s
                                    else () for s in out["sectors"]], index=out.index,
                                   dtype=object)
    return out


def count_rows(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row count of every store table."""
    return {t: int(count_rows(con, t))
            for t in TABLE_COLUMNS}


def read_price_spans(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """First and last quote date of each ticker, as a two-row-per-ticker ``date, ticker`` frame.

    Enough for :func:`workbench.overview.coverage.compute_coverage`, which only needs each
    ticker's first and last quote, without loading the whole price table.
    """
    return con.execute("SELECT ticker, min(date) AS date FROM prices GROUP BY ticker UNION ALL "
                       "SELECT ticker, max(date) AS date FROM prices GROUP BY ticker").df()


def upsert(con: duckdb.DuckDBPyConnection, table: str, df: pd.DataFrame) -> int:
    """Insert ``df`` into ``table``, replacing rows with the same key; return net new rows.

    The incoming frame is deduplicated on the key (last row wins) first. Columns of the table
    absent from ``df`` are stored as NULL. Tables of :data:`REPLACE_GROUPS` are snapshots: the
    stored rows of every group (member, committee) present in ``df`` are replaced by ``df``'s.
    """
    if df.empty:
        return 0
    cols = [c for c in TABLE_COLUMNS[table] if c in df.columns]
    keys = list(TABLE_KEYS[table])
    df = df.loc[:, cols].drop_duplicates(subset=keys, keep="last")
    if table == "committees" and "sectors" in df.columns:
        df = df.assign(sectors=[SECTOR_SEP.join(s) if isinstance(s, tuple | list) else s
                                for s in df["sectors"]])
    before = count_rows(con, table)
    con.register("_upsert_src", df)
    try:
        collist = ", ".join(q(c) for c in cols)
        if table in REPLACE_GROUPS:
            g = q(REPLACE_GROUPS[table])
            con.execute(f"DELETE FROM {table} WHERE {g} IN (SELECT {g} FROM _upsert_src)")
            con.execute(f"INSERT INTO {table} ({collist}) SELECT {collist} FROM _upsert_src")
        elif table in PRIMARY_KEYS:
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
