"""Ingest: files into the store, idempotently and in one transaction.

Holds :func:`ingest` and its report (:class:`IngestReport`), kind detection
(:func:`detect_kind`), per-kind parsing, Senate aggregate supersession
(:func:`supersede_senate_aggregate`) and the resolution of stored trades against the stored
legislators after an ingest. Opening the store, its schema and table reads/writes live in
:mod:`workbench.data.store`, which re-exports the public names here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from workbench.data.schema import REJECT_COLUMNS, ParseResult
from workbench.data.sources.readers import read_kind
from workbench.data.store.db import (
    connected,
    count_rows,
    insert_ingest_row,
    read_table,
    table_counts,
    upsert,
)
from workbench.data.store.detection import detect_kind, read_head  # noqa: F401  (re-exported)
from workbench.exceptions import DataError, WorkbenchError

__all__ = [
    "IngestReport", "ingest", "detect_kind", "KINDS", "TRADE_SOURCES", "PAUSE_ENV",
    "supersede_senate_aggregate",
]

KINDS = ("trades", "prices", "factors", "legislators", "securities", "options",
         "legislator_terms", "committees", "committee_members")
TRADE_SOURCES = ("senate_daily", "senate_aggregate", "house", "csv")
SENATE_DAILY, SENATE_AGGREGATE = "senate_daily", "senate_aggregate"
STATUS_INGESTED, STATUS_DUPLICATE = "ingested", "skipped-duplicate-file"
STATUS_UNRECOGNIZED = "skipped-unrecognized"
# Test-only hook: when set to a path, ingest touches that file after writing the first file's
# rows (inside the open transaction) and sleeps, so a test can kill the process mid-ingest.
PAUSE_ENV = "WORKBENCH_TEST_INGEST_PAUSE"


@dataclass(frozen=True)
class IngestReport:
    """What one :func:`ingest` call did.

    Attributes
    ----------
    store : str
        Store path.
    files : DataFrame
        One row per file offered: ``file, kind, source, sha256, status, read, accepted,
        rejected, empty_filings, new_rows, superseded``. ``new_rows`` is the net number of rows
        added to the kind's table; ``superseded`` the Senate aggregate rows removed because the
        same filing is present from the daily summaries.
    counts_before, counts_after : dict
        Row count of every table before and after the call.
    """

    store: str
    files: pd.DataFrame
    counts_before: dict
    counts_after: dict

    def to_frame(self) -> pd.DataFrame:
        return self.files.copy()

    def summary(self) -> pd.Series:
        f = self.files
        return pd.Series({"files": len(f), "ingested": int((f["status"] == STATUS_INGESTED).sum()),
                          "skipped": int((f["status"] != STATUS_INGESTED).sum()),
                          "read": int(f["read"].sum()), "accepted": int(f["accepted"].sum()),
                          "rejected": int(f["rejected"].sum()),
                          "new_rows": int(f["new_rows"].sum())})

    def to_text(self) -> str:
        cols = ["file", "kind", "source", "status", "read", "accepted", "rejected", "new_rows",
                "superseded"]
        tab = self.files[cols].copy()
        tab["file"] = tab["file"].map(lambda p: Path(p).name)
        counts = ", ".join(f"{t}={n:,}" for t, n in self.counts_after.items()
                           if t not in ("meta", "ingests"))
        return f"{tab.to_string(index=False)}\n\nstore {self.store}: {counts}"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def parse_file(path: Path, kind: str, source: str | None) -> tuple[str, ParseResult]:
    """Run the kind's registered reader (:mod:`workbench.data.sources.readers`)."""
    if kind not in KINDS:
        raise DataError(f"unknown kind {kind!r}; expected one of {KINDS}", file=str(path))
    return read_kind(path, kind, source)


def supersede_senate_aggregate(con: duckdb.DuckDBPyConnection) -> int:
    """Drop Senate aggregate rows of filings that the daily summaries also carry; return count.

    Both Senate Stock Watcher files list the same trades; the daily summaries also carry the
    disclosure date, so for a filing (``source_url`` = the ``ptr_link``) present in both, the
    daily rows win. Aggregate rows of filings absent from the daily file are kept.
    """
    before = count_rows(con, "trades")
    con.execute("DELETE FROM trades WHERE source = ? AND source_url IN (SELECT source_url FROM "
                "trades WHERE source = ? AND source_url IS NOT NULL)",
                [SENATE_AGGREGATE, SENATE_DAILY])
    return int(before - count_rows(con, "trades"))


def resolve_store_trades(con: duckdb.DuckDBPyConnection) -> None:
    """Resolve every stored trade against the stored legislators; update identity columns."""
    from workbench.data.resolution import resolve_legislators

    legs = read_table(con, "legislators")
    trades = read_table(con, "trades")
    if legs.empty or trades.empty:
        return
    res = resolve_legislators(trades, legs).trades
    cols = ["bioguide_id", "party", "state", "politician"]
    upd = res.loc[:, ["trade_id", *cols]]
    con.register("_resolved", upd)
    try:
        sets = ", ".join(f"{c} = r.{c}" for c in cols)
        con.execute(f"UPDATE trades SET {sets} FROM _resolved r "
                    "WHERE trades.trade_id = r.trade_id")
    finally:
        con.unregister("_resolved")


def date_store_trades(con: duckdb.DuckDBPyConnection) -> None:
    """Date party, state and chamber of stored trades by the stored legislator terms.

    See :func:`workbench.data.terms.date_trades_by_term`: the term covering the transaction
    date where the member is in ``legislator_terms``, else the last-term values resolution set;
    ``party_source`` records which.
    """
    from workbench.data.terms import date_trades_by_term

    trades = read_table(con, "trades")
    if trades.empty:
        return
    cols = ["party", "state", "chamber", "party_source"]
    upd = date_trades_by_term(trades, read_table(con, "legislator_terms"))
    con.register("_dated", upd.loc[:, ["trade_id", *cols]])
    try:
        sets = ", ".join(f"{c} = d.{c}" for c in cols)
        con.execute(f"UPDATE trades SET {sets} FROM _dated d WHERE trades.trade_id = d.trade_id")
    finally:
        con.unregister("_dated")


def expand_paths(paths) -> list[tuple[Path, bool]]:
    """Files to ingest; directories expand to their files (sorted), flagged as implicit."""
    if isinstance(paths, str | Path):
        paths = [paths]
    out: list[tuple[Path, bool]] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += [(f, True) for f in sorted(p.rglob("*"))
                    if f.is_file() and not f.name.startswith(".")]
        elif p.is_file():
            out.append((p, False))
        else:
            raise DataError("no such file", file=str(p))
    return out


def ingest(paths, store=None, *, kind: str | None = None) -> IngestReport:
    """Parse files and load them into the store in one transaction.

    Parameters
    ----------
    paths : path or list of paths
        Files (directories expand to every file below them; files found that way whose kind
        cannot be detected are listed with status ``skipped-unrecognized``).
    store : path or connection, optional
        Default :func:`workbench.config.store_path`.
    kind : str, optional
        Force the kind (one of :data:`KINDS`) or a trade source (``senate_daily``,
        ``senate_aggregate``, ``house``, ``csv``) instead of detecting it per file.

    Returns
    -------
    IngestReport

    Notes
    -----
    - Idempotent: a file whose sha256 is already in ``ingests`` (or earlier in the same call) is
      skipped (status ``skipped-duplicate-file``, recorded in ``ingests``); rows upsert by key
      (trades by ``trade_id``, prices by ``(date, ticker)``, ...).
    - Senate: rows of a filing present in the daily summaries supersede the aggregate CSV rows
      of that filing (see :func:`supersede_senate_aggregate`), whatever the ingest order.
    - After trades or legislators change, all trades are resolved against the legislators table
      (``bioguide_id, party, state, politician`` updated); then, and after legislator terms
      change, party, state and chamber are dated by the term covering each trade's transaction
      date (:func:`date_store_trades`; ``party_source`` says ``term`` or ``last_term``).
    - YAML files of congress-legislators (``legislators-current.yaml``, ``committees-current.yaml``,
      ``committee-membership-current.yaml``) feed ``legislator_terms``, ``committees`` and
      ``committee_members``; a file replaces the terms of the members and the seats of the
      committees it lists (current-Congress snapshots).
    - Transactional: everything commits at the end or nothing does. A parse failure raises
      :class:`DataError` naming the file and leaves the store as it was.
    """
    from workbench import __version__

    if kind is not None and kind not in KINDS + TRADE_SOURCES:
        raise DataError(f"unknown kind {kind!r}; expected one of {KINDS + TRADE_SOURCES}")
    files = expand_paths(paths)
    rows: list[dict] = []
    with connected(store) as con:
        store_name = str(con.execute("PRAGMA database_list").fetchall()[0][2])
        before = table_counts(con)
        con.begin()
        try:
            seen = {r[0]: (r[1], r[2]) for r in con.execute(
                "SELECT sha256, kind, source FROM ingests WHERE status = ? AND sha256 IS NOT NULL",
                [STATUS_INGESTED]).fetchall()}
            next_id = int(con.execute("SELECT coalesce(max(ingest_id), 0) FROM ingests")
                          .fetchall()[0][0]) + 1
            resolve = date = False
            for path, implicit in files:
                row = ingest_one(con, path, implicit, kind, seen, next_id, __version__)
                rows.append(row)
                next_id += 1
                ingested = row["status"] == STATUS_INGESTED
                resolve |= ingested and row["kind"] in ("trades", "legislators")
                date |= ingested and row["kind"] in ("trades", "legislators",
                                                     "legislator_terms")
                if os.environ.get(PAUSE_ENV) and len(rows) == 1:
                    Path(os.environ[PAUSE_ENV]).write_text(str(os.getpid()))
                    time.sleep(600)
            if resolve:
                resolve_store_trades(con)
            if date:
                date_store_trades(con)
            con.commit()
        except BaseException:
            con.rollback()
            raise
        after = table_counts(con)
    report_cols = ["file", "kind", "source", "sha256", "status", "read", "accepted", "rejected",
                   "empty_filings", "new_rows", "superseded"]
    frame = pd.DataFrame(rows).rename(columns={"rows_read": "read"})
    frame = frame.reindex(columns=report_cols)
    return IngestReport(store=store_name, files=frame, counts_before=before, counts_after=after)


def ingest_one(con, path: Path, implicit: bool, kind: str | None, seen: dict, ingest_id: int,
               version: str) -> dict:
    """Ingest one file inside the caller's transaction; return its ``ingests`` row."""
    started = dt.datetime.now()
    sha = sha256_file(path)
    row = {"ingest_id": ingest_id, "file": str(path.resolve()), "sha256": sha, "kind": None,
           "source": None, "status": STATUS_DUPLICATE, "rows_read": 0, "accepted": 0,
           "rejected": 0, "empty_filings": 0, "new_rows": 0, "superseded": 0,
           "started_at": started, "workbench_version": version}
    source = kind if kind in TRADE_SOURCES else None
    if sha not in seen:
        try:
            k = "trades" if source else (kind or detect_kind(path))
        except DataError:
            if not implicit:
                raise
            row["status"] = STATUS_UNRECOGNIZED
            k = None
        row["kind"] = k
        if k is not None:
            try:
                table, res = parse_file(path, k, source)
            except DataError as exc:
                if exc.file is None:
                    raise DataError(exc.reason, file=str(path), row=exc.row,
                                    column=exc.column) from exc
                raise
            except WorkbenchError:
                raise
            except (ValueError, KeyError, IndexError, TypeError, OSError,
                    zipfile.BadZipFile) as exc:  # unreadable input, not a bug of ours
                raise DataError(f"cannot read as {k}: {type(exc).__name__}: {exc}",
                                file=str(path)) from exc
            row.update(status=STATUS_INGESTED, source=res.source, rows_read=res.rows_read,
                       accepted=len(res.accepted), rejected=len(res.rejects),
                       empty_filings=res.empty_filings)
            row["new_rows"] = upsert(con, table, res.accepted)
            if table == "trades":
                row["superseded"] = supersede_senate_aggregate(con)
            if len(res.rejects):
                rej = res.rejects.reindex(columns=list(REJECT_COLUMNS)).copy()
                rej.insert(0, "kind", k)
                rej.insert(0, "ingest_id", ingest_id)
                rej["file"] = rej["file"].fillna(str(path))
                con.register("_rejects", rej)
                try:
                    con.execute("INSERT INTO rejects SELECT * FROM _rejects")
                finally:
                    con.unregister("_rejects")
            seen[sha] = (row["kind"], row["source"])
    else:
        row["kind"], row["source"] = seen[sha]
    row["finished_at"] = dt.datetime.now()
    insert_ingest_row(con, row)
    row["file"] = str(path)
    return row
