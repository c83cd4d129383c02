"""Shared row collection and cleaning of the disclosure readers.

The readers of :mod:`workbench.data.sources.disclosures` collect raw records into a column-wise
:class:`Rows` accumulator (text or ``None`` per internal field of :data:`FIELDS`, plus the
problems found while reading them); :func:`build` then cleans and validates every column
(dates, side, owner, amount, ticker, chamber, name, asset type), assigns stable trade ids and
assembles the :class:`~workbench.data.schema.ParseResult`: canonical accepted trades and one
reject row with its reason for every record that could not be used. The conventions (ids,
duplicates, date limits) are documented in :mod:`workbench.data.sources.disclosures`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from itertools import compress
from operator import itemgetter
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.data.schema import REJECT_COLUMNS, ParseResult, coerce_trades, make_trade_id
from workbench.data.sources import fields as fl
from workbench.data.sources import text as tx

__all__ = ["FIELDS", "MIN_TRADE_DATE", "Rows", "build", "fill_filing_ids", "trade_ids"]

MIN_TRADE_DATE = pd.Timestamp("2008-01-01")

# Internal raw fields every reader fills (str or None), in this order.
FIELDS = ("transaction_date", "disclosure_date", "owner", "ticker", "asset_description",
          "asset_type", "type", "amount", "comment", "raw_name", "district",
          "source_bioguide_id", "filing_id", "source_url", "chamber")


# --------------------------------------------------------------------------- row collection
_MISSING = object()


class Rows:
    """Column-wise accumulator of raw rows (str or None) with sparse pre-validation reasons."""

    def __init__(self) -> None:
        self.cols: dict[str, list] = {f: [] for f in FIELDS}
        self.source_row: list[int] = []
        self.raw: list[object] = []  # the raw record; dumped to text only for rejects
        self.pre: dict[int, str] = {}
        self.detail: dict[int, int] | None = None  # transaction number within its filing
        self.header: list[str] | None = None  # CSV header, to label a rejected record

    def describe(self, i: int) -> str:
        """Raw text of row ``i`` for the rejects table (with its place in the filing)."""
        j = None if self.detail is None else self.detail.get(i)
        raw = self.raw[i] if j is None else {"filing": self.source_row[i], "transaction": j,
                                             "record": self.raw[i]}
        if self.header is not None and len(raw) == len(self.header):
            raw = dict(zip(self.header, raw, strict=True))
        return tx.dump_raw(raw)

    def __len__(self) -> int:
        return len(self.source_row)

    def add(self, values: dict, source_row: int, raw: object, reason: str | None = None) -> None:
        """Append one row (``values``: field -> text)."""
        if reason:
            self.pre[len(self)] = reason
        for f in FIELDS:
            self.cols[f].append(values.get(f))
        self.source_row.append(source_row)
        self.raw.append(raw)

    def extend_records(self, records: list, keys: dict[str, str], required: tuple[str, ...],
                       source_rows: list[int], extra: dict[str, list] | None = None) -> None:
        """Append JSON records column by column (``keys``: field -> JSON key).

        Missing required keys, non-object records and non-text values become pre-reasons.
        """
        start, m = len(self), len(records)
        problems: dict[int, list[str]] = {}
        objects = records
        broken = {i for i, r in enumerate(records) if r.__class__ is not dict}
        if broken:
            objects = list(records)
            for i in broken:
                problems[i] = [f"record is a JSON {tx.json_type(records[i])}, not an object"]
                objects[i] = {}
        for field in FIELDS:
            if field in keys:
                key = keys[field]
                try:
                    col = list(map(itemgetter(key), objects))
                except KeyError:
                    col = [r.get(key, _MISSING) for r in objects]
                if set(map(type, col)) <= {str, type(None)}:
                    pass  # the common case: every value is text or null
                else:
                    for i in [i for i, v in enumerate(col) if v.__class__ is not str]:
                        v = col[i]
                        if v is _MISSING:
                            col[i] = None
                            if field in required and i not in broken:
                                problems.setdefault(i, []).append(f"missing field {key!r}")
                            continue
                        col[i], ok = tx.json_text(v)
                        if not ok:
                            problems.setdefault(i, []).append(f"field {key!r} is not text")
            elif extra is not None and field in extra:
                col = extra[field]
            else:
                col = [None] * m
            self.cols[field].extend(col)
        self.source_row.extend(source_rows)
        self.raw.extend(records)
        for i, p in problems.items():
            self.pre[start + i] = "; ".join(p)


# --------------------------------------------------------------------------- normalization
def _given(values: np.ndarray) -> np.ndarray:
    """True where an object array holds something other than None."""
    return np.not_equal(values, None)


def _dates(values: list, formats: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    stamp, why = tx.map_unique(values, lambda v: fl.parse_date(v, formats), parts=2)
    return pd.to_datetime(pd.Series(stamp, dtype=object)).to_numpy(dtype="datetime64[ns]"), why


def trade_ids(source: str, keys: list, position: np.ndarray) -> list[str]:
    """``make_trade_id(source, key, position)`` for every row, inlined for speed (the tests
    check equality with :func:`~workbench.data.schema.make_trade_id`)."""
    sha = hashlib.sha256
    return [sha(f"{source}\x1f{k}\x1f{p}".encode()).hexdigest()[:16]
            for k, p in zip(keys, position.tolist(), strict=True)]


def build(rows: Rows, *, source: str, path: Path, chamber: str | None,
          date_formats: tuple[str, ...] = ("%m/%d/%Y",), require_disclosure: bool = False,
          empty_filings: int = 0) -> ParseResult:
    """Clean, validate and assemble collected raw rows into a ParseResult (vectorized)."""
    c, n = rows.cols, len(rows)
    reasons: dict[int, list[str]] = {}

    def flag(mask: np.ndarray, reason: Callable[[int], str] | np.ndarray) -> None:
        for i in np.flatnonzero(mask).tolist():
            reasons.setdefault(i, []).append(reason(i) if callable(reason) else reason[i])

    tdate, tbad = _dates(c["transaction_date"], date_formats)
    ddate, dbad = _dates(c["disclosure_date"], date_formats)
    flag(_given(tbad), tbad)
    flag(_given(dbad), dbad)
    flag(np.isnat(tdate) & ~_given(tbad), lambda i: "missing transaction date")
    if require_disclosure:
        flag(np.isnat(ddate) & ~_given(dbad), lambda i: "missing disclosure date")
    today = np.datetime64(pd.Timestamp.now().normalize().to_datetime64())
    lo_limit = np.datetime64(MIN_TRADE_DATE.to_datetime64())
    for label, d in (("transaction", tdate), ("disclosure", ddate)):
        flag(d < lo_limit, lambda i, d=d, label=label: (
            f"{label} date {str(d[i])[:10]} before {str(lo_limit)[:10]} (predates the STOCK Act)"))
        flag(d > today, lambda i, d=d, label=label: f"{label} date {str(d[i])[:10]} is in the future")
    flag(ddate < tdate, lambda i: "disclosure before transaction")

    paper = tx.map_unique(
        c["asset_type"], lambda v: (v or "").strip().lower() == "pdf disclosed filing").astype(bool)
    flag(paper, lambda i: "paper filing (scanned PDF): no transaction detail")
    side, partial, why = tx.map_unique(c["type"], fl.normalize_side, parts=3)
    flag(_given(why) & ~paper, why)
    owner, why = tx.map_unique(c["owner"], fl.normalize_owner, parts=2)
    flag(_given(why), why)
    low, high, mid, why = tx.map_unique(c["amount"], fl.parse_amount, parts=4)
    flag(_given(why), why)
    ticker, extra, why = tx.map_unique(c["ticker"], tx.clean_ticker, parts=3)
    flag(_given(why), why)
    if chamber is None:
        chambers, why = tx.map_unique(c["chamber"], fl.normalize_chamber, parts=2)
        flag(_given(why), why)
    else:
        chambers = chamber
    names = tx.map_unique(c["raw_name"], tx.display_name)
    flag(~_given(names), lambda i: "missing politician name")

    final: dict[int, str] = {i: "; ".join(r) for i, r in reasons.items()}
    final.update(rows.pre)  # a record that could not be read: its own problem says why
    ok = np.ones(n, dtype=bool)
    ok[list(final)] = False

    # Stable ids: position of each row among rows of its filing (or of identical raw rows).
    filing = c["filing_id"]
    keys = list(filing)
    for i in [i for i, f in enumerate(filing) if not f]:
        keys[i] = "#" + make_trade_id(*(c[f][i] for f in FIELDS))
    position = pd.Series(keys, dtype=object).groupby(keys, sort=False).cumcount().to_numpy()
    seen: set = set()
    duplicates = 0
    for sig in compress(zip(keys, *(c[f] for f in FIELDS), strict=True), ok.tolist()):
        duplicates += sig in seen
        seen.add(sig)

    has_ticker = _given(ticker)
    asset_type = _classify(c["asset_type"], c["asset_description"], has_ticker)
    comment = tx.map_unique(c["comment"], tx.clean_text)
    has_extra = _given(extra)
    for i in np.flatnonzero(has_extra).tolist():
        comment[i] = tx.join_comment(comment[i], extra[i])
    frame = pd.DataFrame({
        "trade_id": trade_ids(source, keys, position), "politician": names,
        "bioguide_id": None, "chamber": chambers, "party": None, "state": None,
        "owner": owner, "ticker": ticker,
        "asset_description": tx.map_unique(c["asset_description"], tx.clean_text),
        "asset_type": asset_type, "side": side, "is_partial": partial.astype(bool),
        "transaction_date": tdate, "disclosure_date": ddate,
        "amount_low": low.astype(float), "amount_high": high.astype(float),
        "amount_mid": mid.astype(float),
        "source": source, "source_url": tx.map_unique(c["source_url"], tx.strip_or_none),
        "filing_id": tx.map_unique(filing, tx.strip_or_none),
        "raw_name": tx.map_unique(c["raw_name"], tx.clean_raw_name),
        "district": tx.map_unique(c["district"], lambda v: (v or "").strip().upper() or None),
        "source_bioguide_id": tx.map_unique(c["source_bioguide_id"], tx.strip_or_none),
        "comment": comment,
    })
    accepted = coerce_trades(frame.loc[ok])
    bad = np.flatnonzero(~ok)
    bad = bad[np.argsort(np.asarray(rows.source_row)[bad], kind="stable")].tolist()  # file order
    rejects = pd.DataFrame({
        "source": source, "file": str(path),
        "source_row": np.array([rows.source_row[i] for i in bad], dtype="int64"),
        "reason": [final[i] for i in bad],
        "raw": [rows.describe(i) for i in bad],
    }).astype(REJECT_COLUMNS)
    notes = _notes(c["asset_type"], c["amount"], asset_type, has_ticker, has_extra, ok)
    return ParseResult(source=source, file=str(path), rows_read=n, accepted=accepted,
                       rejects=rejects, empty_filings=empty_filings, duplicates=duplicates,
                       notes=notes)


def _classify(labels: list, descriptions: list, has_ticker: np.ndarray) -> np.ndarray:
    """:func:`~workbench.data.sources.fields.classify_asset_type` once per distinct input triple."""
    return tx.map_unique(zip(labels, descriptions, has_ticker.tolist(), strict=True),
                         lambda a: fl.classify_asset_type(*a))


def _notes(labels: list, amounts: list, asset_type: np.ndarray, has_ticker: np.ndarray,
           has_extra: np.ndarray, ok: np.ndarray) -> tuple[str, ...]:
    """Counts of the cleaning decisions taken on accepted rows (for summaries and audits)."""
    direct = _classify(labels, [""] * len(labels), has_ticker)
    label = tx.map_unique(labels, lambda v: (v or "").strip() or "(blank)")
    frame = pd.DataFrame({"label": label, "new": asset_type, "direct": direct}).loc[ok]
    changed = frame[frame["new"] != frame["direct"]].value_counts(["label", "new"]).sort_index()
    notes = [f"asset_type {lab!r} -> {new} by description: {k} rows"
             for (lab, new), k in changed.items()]
    multi = int((has_extra & ok).sum())
    if multi:
        notes.append(f"multi-ticker cells (first kept, others in comment): {multi} rows")
    cut = tx.map_unique(amounts, lambda v: (v or "").rstrip().endswith("-")).astype(bool) & ok
    if cut.any():
        notes.append(f"truncated amount ranges completed from STOCK Act brackets: "
                     f"{int(cut.sum())} rows")
    return tuple(notes)


def fill_filing_ids(rows: Rows) -> None:
    """Strip filing ids in place; a missing one is taken from the id in ``source_url``."""
    fid, url = rows.cols["filing_id"], rows.cols["source_url"]
    for i in [i for i, f in enumerate(fid) if not f or f != f.strip()]:
        fid[i] = (fid[i].strip() or None) if fid[i] else tx.filing_id_from_url(url[i])


# transaction keys shared by the JSON readers: raw key -> internal field
TXN_KEYS = {f: f for f in ("transaction_date", "owner", "ticker", "asset_description",
                            "asset_type", "amount", "comment")} | {"type": "type"}
