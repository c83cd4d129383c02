"""A whole :class:`~workbench.data.universe.Universe` in and out of a store (plus ``truth.json``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd

from workbench.data.store.db import connected, insert_ingest_row, read_table, upsert
from workbench.data.universe import Universe, read_truth
from workbench.exceptions import StoreError

__all__ = ["load_universe_from_store", "write_universe", "truth_path", "provenance_frame"]

# Tables of the Universe beyond the original six (empty frames when nothing was ingested).
SNAPSHOT_TABLES = ("legislator_terms", "committees", "committee_members")


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
    path = Path(path)
    with connected(path, read_only=True) as con:
        frames = {t: read_table(con, t) for t in
                  ("trades", "prices", "factors", "legislators", "securities", "options",
                   *SNAPSHOT_TABLES)}
        provenance = provenance_frame(con)
        seed = next(iter(con.execute("SELECT value FROM meta WHERE key = 'synthetic_seed'")
                         .fetchall()), None)
    truth = None
    tp = truth_path(path)
    if seed is not None and tp.exists():
        truth = read_truth(tp)
        if str(truth.seed) != seed[0]:
            raise StoreError(f"{tp}: truth seed {truth.seed} does not match store seed {seed[0]}")
    factors = frames["factors"].set_index("date")
    factors.index.name = "date"
    return Universe(trades=frames["trades"], prices=frames["prices"], factors=factors,
                    legislators=frames["legislators"], securities=frames["securities"],
                    options=frames["options"], truth=truth, source=str(path),
                    provenance=provenance, legislator_terms=frames["legislator_terms"],
                    committees=reviewed_sectors(frames["committees"]),
                    committee_members=frames["committee_members"])


def reviewed_sectors(committees: pd.DataFrame) -> pd.DataFrame:
    """Committees with ``sectors`` from the package's reviewed table where it covers them.

    The store keeps the sectors of ingest time; taking the reviewed table's at load time lets a
    corrected mapping apply without re-ingesting. Committees the table does not know (synthetic
    ones, or ids newer than the table) keep their stored sectors.
    """
    from workbench.data.sources.committee_sectors import COMMITTEE_SECTORS, committee_sectors

    if committees.empty:
        return committees
    known = (committees["committee_id"].isin(list(COMMITTEE_SECTORS))
             | committees["parent_id"].isin(list(COMMITTEE_SECTORS))).to_numpy(dtype=bool)
    fresh = committee_sectors(committees)
    out = committees.copy()
    out["sectors"] = [f if k else s for f, s, k in zip(fresh, out["sectors"], known, strict=True)]
    return out


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
            for table in ("trades", "prices", "legislators", "securities", "options",
                          *SNAPSHOT_TABLES):
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
