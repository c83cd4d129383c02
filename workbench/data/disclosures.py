"""Parsers of STOCK Act disclosure files into the canonical trades table.

Each reader returns a :class:`~workbench.data.schema.ParseResult`: accepted trades in canonical
form (``TRADE_COLUMNS`` + ``TRADE_EXTRA_COLUMNS``) and one reject row, with its reason, for every
record that could not be used, so that ``accepted + rejected == rows_read``. A file that cannot
be read at all (not UTF-8, truncated or malformed JSON, wrong top-level type, 0 bytes) raises
:class:`~workbench.exceptions.DataError` naming the file, the record and the reason.

Registry names (:data:`PARSERS`): ``senate_daily`` (:func:`read_senate_daily_summaries`),
``senate_aggregate`` (:func:`read_senate_transactions`), ``house``
(:func:`read_house_transactions`), ``csv`` (:func:`read_trades_csv`).

Conventions (documented decisions)
----------------------------------
* Rows are *transactions*; ``source_row`` in rejects and ``row`` in errors are 1-based record
  numbers: the filing object for ``senate_daily`` (the transaction index is in ``raw``), the JSON
  list element for ``house``, the data record (header excluded) for CSV. Blank CSV lines are not
  records.
* ``trade_id = make_trade_id(source, filing_id, k)`` where ``k`` is the 0-based position of the
  row among all rows read with that filing id, in file order (rejected rows included, so ids
  do not move when validation rules change). Rows without a filing id are keyed by a hash of
  their raw fields instead. Reading the same file twice gives the same ids.
* Exact duplicate rows inside one filing are kept (PTRs list lots separately) and counted in
  ``ParseResult.duplicates``.
* ``raw_name`` is the name as filed (Senate: ``first_name + " " + last_name``; the ``office``
  text is only used when both are blank, since it is usually just ``"Senator"``);
  ``politician`` is its display form (:func:`workbench.data.text.display_name`).
  ``bioguide_id`` stays null (legislator resolution fills it); a bioguide id found in the file
  goes to ``source_bioguide_id``.
* A ticker cell with several tickers keeps the first; the others are appended to ``comment``
  as ``"also: IFF"``.
* Dates: transaction and disclosure dates before 2008-01-01 (the STOCK Act is of 2012; the
  margin admits late-filed older trades) or after today are refused, as is a disclosure date
  before the transaction date ("disclosure before transaction").
* Units: amounts are US dollars (the disclosed bracket, not a position size); dates are
  calendar days without time zone. ``transaction_date`` is the trade date as filed,
  ``disclosure_date`` the day the filing was received (the first day the public could act on
  it: use it for anything that trades on a disclosure).
* Amounts, owners, sides and asset types: see :mod:`workbench.data.text`. ``ParseResult.notes``
  counts the description-driven asset-type changes, multi-ticker cells and completed ranges.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from itertools import compress
from operator import itemgetter
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.data import text as tx
from workbench.data.schema import REJECT_COLUMNS, ParseResult, coerce_trades, make_trade_id
from workbench.exceptions import DataError

__all__ = [
    "PARSERS", "register_parser", "detect_source", "read_disclosures",
    "read_senate_daily_summaries", "read_senate_transactions", "read_house_transactions",
    "read_trades_csv", "MIN_TRADE_DATE",
]

MIN_TRADE_DATE = pd.Timestamp("2008-01-01")

# Internal raw fields every reader fills (str or None), in this order.
FIELDS = ("transaction_date", "disclosure_date", "owner", "ticker", "asset_description",
          "asset_type", "type", "amount", "comment", "raw_name", "district",
          "source_bioguide_id", "filing_id", "source_url", "chamber")


# --------------------------------------------------------------------------- row collection
_MISSING = object()


class _Rows:
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
    stamp, why = tx.map_unique(values, lambda v: tx.parse_date(v, formats), parts=2)
    return pd.to_datetime(pd.Series(stamp, dtype=object)).to_numpy(dtype="datetime64[ns]"), why


def _trade_ids(source: str, keys: list, position: np.ndarray) -> list[str]:
    """``make_trade_id(source, key, position)`` for every row, inlined for speed (the tests
    check equality with :func:`~workbench.data.schema.make_trade_id`)."""
    sha = hashlib.sha256
    return [sha(f"{source}\x1f{k}\x1f{p}".encode()).hexdigest()[:16]
            for k, p in zip(keys, position.tolist(), strict=True)]


def _build(rows: _Rows, *, source: str, path: Path, chamber: str | None,
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
    side, partial, why = tx.map_unique(c["type"], tx.normalize_side, parts=3)
    flag(_given(why) & ~paper, why)
    owner, why = tx.map_unique(c["owner"], tx.normalize_owner, parts=2)
    flag(_given(why), why)
    low, high, mid, why = tx.map_unique(c["amount"], tx.parse_amount, parts=4)
    flag(_given(why), why)
    ticker, extra, why = tx.map_unique(c["ticker"], tx.clean_ticker, parts=3)
    flag(_given(why), why)
    if chamber is None:
        chambers, why = tx.map_unique(c["chamber"], tx.normalize_chamber, parts=2)
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
        "trade_id": _trade_ids(source, keys, position), "politician": names,
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
    """:func:`~workbench.data.text.classify_asset_type` once per distinct input triple."""
    return tx.map_unique(zip(labels, descriptions, has_ticker.tolist(), strict=True),
                         lambda a: tx.classify_asset_type(*a))


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


# --------------------------------------------------------------------------- readers
_TXN_KEYS = {f: f for f in ("transaction_date", "owner", "ticker", "asset_description",
                            "asset_type", "amount", "comment")} | {"type": "type"}


def read_senate_daily_summaries(path: str | Path) -> ParseResult:
    """Read Senate Stock Watcher ``all_daily_summaries.json`` (one object per filing).

    Parameters
    ----------
    path : str or Path
        JSON list of filings with ``first_name``, ``last_name``, ``office``, ``ptr_link``,
        ``date_recieved`` (sic; the disclosure date, ``MM/DD/YYYY``), ``bioguide`` and
        ``transactions`` (list of trades with ``transaction_date``, ``owner``, ``ticker``,
        ``asset_description``, ``asset_type``, ``type``, ``amount``, ``comment``).

    Returns
    -------
    ParseResult
        ``source="senate_daily"``, ``chamber="senate"``; rows are transactions. Filings with an
        empty transaction list are counted in ``empty_filings``; a filing that is not an object
        or lacks a transaction list is one reject row. ``source_row`` is the 1-based filing
        number. ``filing_id`` is the uuid of ``ptr_link``; ``disclosure_date`` is
        ``date_recieved``; ``source_bioguide_id`` is the file's ``bioguide``.
    """
    path = Path(path)
    filings = tx.load_json_list(path, tx.read_text(path))
    rows = _Rows()
    empty = 0
    required = ("transaction_date", "type", "amount")
    txns_all: list = []
    owner: list[int] = []  # index into heads of each transaction
    heads: list[dict] = []
    broken: list[tuple[int, object, str]] = []
    for n, filing in enumerate(filings, start=1):
        if filing.__class__ is not dict:
            broken.append((n, filing, f"filing is a JSON {tx.json_type(filing)}, not an object"))
            continue
        txns = filing.get("transactions")
        if txns.__class__ is not list:
            broken.append((n, {k: v for k, v in filing.items() if k != "transactions"},
                           "filing has no 'transactions' list"))
            continue
        if not txns:
            empty += 1
            continue
        heads.append(_filing_head(n, filing))
        owner.extend([len(heads) - 1] * len(txns))
        txns_all.extend(txns)
    position = _positions(owner)
    extra = {f: [heads[k][f] for k in owner]
             for f in ("raw_name", "source_url", "disclosure_date", "source_bioguide_id",
                       "filing_id")}
    numbers = [heads[k]["n"] for k in owner]
    rows.extend_records(txns_all, _TXN_KEYS, required, numbers, extra=extra)
    rows.detail = dict(enumerate(position))
    for i, k in enumerate(owner):
        if heads[k]["problems"]:
            rows.pre[i] = "; ".join([heads[k]["problems"]] + ([rows.pre[i]] if i in rows.pre
                                                               else []))
    for n, raw, reason in broken:
        rows.add({}, n, raw, reason)
    return _build(rows, source="senate_daily", path=path, chamber="senate",
                  require_disclosure=True, empty_filings=empty)


def _positions(owner: list[int]) -> list[int]:
    """1-based position of each element within its run of equal owners."""
    out, prev, k = [], None, 0
    for o in owner:
        k = k + 1 if o == prev else 1
        prev = o
        out.append(k)
    return out


def _filing_head(n: int, filing: dict) -> dict:
    """Filing-level fields shared by its transactions, with the problems found in them."""
    head, problems = {"n": n}, []
    for field, key in (("first_name", "first_name"), ("last_name", "last_name"),
                       ("office", "office"), ("source_url", "ptr_link"),
                       ("disclosure_date", "date_recieved"), ("source_bioguide_id", "bioguide")):
        value, ok = tx.json_text(filing.get(key))
        if not ok:
            problems.append(f"filing field {key!r} is not text")
        head[field] = value
    if "date_recieved" not in filing:
        problems.append("filing lacks 'date_recieved' (disclosure date)")
    name = " ".join(p.strip() for p in (head.pop("first_name"), head.pop("last_name"))
                    if p and p.strip())
    head["raw_name"] = name or tx.name_from_office(head.pop("office"))
    head["filing_id"] = tx.filing_id_from_url(head["source_url"])
    head["problems"] = "; ".join(problems)
    return head


_AGGREGATE_MAPPING = {
    "transaction_date": "transaction_date", "owner": "owner", "ticker": "ticker",
    "asset_description": "asset_description", "asset_type": "asset_type", "type": "type",
    "amount": "amount", "comment": "comment", "politician": "senator", "source_url": "ptr_link",
}


def read_senate_transactions(path: str | Path) -> ParseResult:
    """Read the Senate aggregate ``all_transactions.csv`` (or the same records as a JSON list).

    The format is detected from the content (a leading ``[`` means JSON). The file has no
    disclosure date, so ``disclosure_date`` is null and look-ahead-free analyses cannot use
    these rows without joining the daily summaries. ``senator`` is a full name
    (``"Ron L Wyden"``) -> ``raw_name``; ``filing_id`` is the uuid of ``ptr_link``; rows of
    paper filings (``asset_type == "PDF Disclosed Filing"``) are rejected with that reason.
    ``source="senate_aggregate"``, ``chamber="senate"``.
    """
    path = Path(path)
    text = tx.read_text(path)
    if text.lstrip().startswith(("[", "{")):
        rows = _Rows()
        keys = {f: k for f, k in _AGGREGATE_MAPPING.items() if f != "politician"}
        keys["raw_name"] = "senator"
        records = tx.load_json_list(path, text)
        rows.extend_records(records, keys, ("transaction_date", "type", "amount"),
                            list(range(1, len(records) + 1)))
        _fill_filing_ids(rows)
        return _build(rows, source="senate_aggregate", path=path, chamber="senate")
    return _read_csv_text(path, text, _AGGREGATE_MAPPING, source="senate_aggregate",
                          chamber="senate", date_formats=("%m/%d/%Y",))


_HOUSE_KEYS = _TXN_KEYS | {"disclosure_date": "disclosure_date", "raw_name": "representative",
                           "district": "district", "filing_id": "filing_id",
                           "source_url": "source_url", "source_bioguide_id": "bioguide_id"}


def read_house_transactions(path: str | Path) -> ParseResult:
    """Read a House JSON list (one object per trade).

    Keys: ``transaction_date``, ``disclosure_date`` (``MM/DD/YYYY``), ``ticker``,
    ``asset_description``, ``asset_type``, ``type`` (Purchase/Sale/Exchange), ``amount``,
    ``representative`` -> ``raw_name``, ``district`` (``"NJ07"``), ``owner``
    (Self/Spouse/Joint/Dependent Child), ``filing_id``, ``source_url``; optional ``comment``
    and ``bioguide_id`` (-> ``source_bioguide_id``). Amount quirks handled: line breaks inside
    ranges, truncated ranges (upper bound from the STOCK Act bracket), exact amounts.
    ``source="house"``, ``chamber="house"``; ``source_row`` is the 1-based list index.
    """
    path = Path(path)
    rows = _Rows()
    required = ("transaction_date", "disclosure_date", "type", "amount", "raw_name")
    records = tx.load_json_list(path, tx.read_text(path))
    rows.extend_records(records, _HOUSE_KEYS, required, list(range(1, len(records) + 1)))
    _fill_filing_ids(rows)
    return _build(rows, source="house", path=path, chamber="house", require_disclosure=True)


def _fill_filing_ids(rows: _Rows) -> None:
    fid, url = rows.cols["filing_id"], rows.cols["source_url"]
    for i in [i for i, f in enumerate(fid) if not f or f != f.strip()]:
        fid[i] = (fid[i].strip() or None) if fid[i] else tx.filing_id_from_url(url[i])


# canonical name accepted in a mapping -> internal raw field
_CSV_TARGETS = {
    "transaction_date": "transaction_date", "disclosure_date": "disclosure_date",
    "owner": "owner", "ticker": "ticker", "asset_description": "asset_description",
    "asset_type": "asset_type", "side": "type", "type": "type", "amount": "amount",
    "amount_low": "amount_low", "amount_high": "amount_high", "comment": "comment",
    "politician": "raw_name", "raw_name": "raw_name", "district": "district",
    "bioguide_id": "source_bioguide_id", "source_bioguide_id": "source_bioguide_id",
    "filing_id": "filing_id", "source_url": "source_url", "chamber": "chamber",
}
# columns recognised without a mapping (lower-cased header -> canonical name)
_CSV_ALIASES = {name: name for name in _CSV_TARGETS} | {
    "senator": "politician", "representative": "politician", "name": "politician",
    "ptr_link": "source_url", "bioguide": "bioguide_id", "date_recieved": "disclosure_date",
    "date_received": "disclosure_date",
}


def read_trades_csv(path: str | Path, mapping: dict[str, str] | None = None, *,
                    source: str = "csv", chamber: str | None = None,
                    date_format: str | None = None) -> ParseResult:
    """Read a generic trades CSV whose columns are mapped onto canonical names.

    Parameters
    ----------
    path : str or Path
        UTF-8 CSV with a header line.
    mapping : dict, optional
        ``canonical_name -> csv_column``. Canonical names: ``transaction_date``,
        ``disclosure_date``, ``owner``, ``ticker``, ``asset_description``, ``asset_type``,
        ``side`` (the transaction type text, also accepted as ``type``), ``amount`` (range text)
        or ``amount_low``/``amount_high`` (numbers), ``comment``, ``politician``, ``district``,
        ``bioguide_id`` (stored as ``source_bioguide_id``), ``filing_id``, ``source_url``,
        ``chamber``. Without a mapping, columns whose (case-insensitive) header is a canonical
        name or a known alias (``senator``, ``representative``, ``ptr_link``, ``type`` ...) are
        used.
    source : str
        Provenance label written to ``source`` and hashed into ``trade_id``.
    chamber : {"senate", "house"}, optional
        Chamber of every row; if omitted a ``chamber`` column is required.
    date_format : str, optional
        ``strptime`` format of both dates; default tries ``MM/DD/YYYY`` then ``YYYY-MM-DD``.

    Returns
    -------
    ParseResult
        Same cleaning rules as the other readers; a row whose field count differs from the
        header, or lacking a required value, is rejected. ``filing_id`` falls back to the id in
        ``source_url`` (Senate uuid, House PDF number).
    """
    path = Path(path)
    formats = (date_format,) if date_format else ("%m/%d/%Y", "%Y-%m-%d")
    return _read_csv_text(path, tx.read_text(path), mapping, source=source, chamber=chamber,
                          date_formats=formats)


def _read_csv_text(path: Path, text: str, mapping: dict[str, str] | None, *, source: str,
                   chamber: str | None, date_formats: tuple[str, ...]) -> ParseResult:
    if chamber is not None and chamber not in ("senate", "house"):
        raise DataError(f"chamber must be 'senate' or 'house', not {chamber!r}", file=str(path))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise DataError(f"no CSV header line ({exc or 'file holds only blank space'})",
                        file=str(path), row=1) from exc
    if mapping is None:
        lower = {h.lower(): h for h in header}
        mapping = {_CSV_ALIASES[k]: h for k, h in lower.items() if k in _CSV_ALIASES}
    unknown = sorted(set(mapping) - set(_CSV_TARGETS))
    if unknown:
        raise DataError(f"mapping names unknown canonical fields {unknown}; known: "
                        f"{sorted(_CSV_TARGETS)}", file=str(path))
    absent = sorted(col for col in mapping.values() if col not in header)
    if absent:
        raise DataError(f"mapped columns {absent} are not in the header {header}",
                        file=str(path), row=1)
    if chamber is None and "chamber" not in mapping:
        raise DataError("chamber not given and no 'chamber' column mapped", file=str(path))
    index = {_CSV_TARGETS[k]: header.index(col) for k, col in mapping.items()}
    required = [f for f in ("transaction_date", "type", "raw_name") if f not in index]
    if "amount" not in index and "amount_low" not in index:
        required.append("amount")
    records: list[list[str]] = []
    try:
        for record in reader:
            if record and (len(record) > 1 or record[0].strip()):  # blank line: not a record
                records.append(record)
    except csv.Error as exc:
        raise DataError(f"malformed CSV: {exc}", file=str(path), row=len(records) + 1) from exc
    width, m = len(header), len(records)
    pre = {i: f"expected {width} fields, found {len(r)}"
           for i, r in enumerate(records) if len(r) != width}
    missing = "; ".join(f"missing column {f!r}" for f in required)
    if missing:
        pre = {i: pre.get(i, missing) for i in range(m)}
    cells = [[""] * width if i in pre else r for i, r in enumerate(records)] if pre else records
    cols = {f: [r[j] for r in cells] for f, j in index.items()}
    if "amount" not in cols and ("amount_low" in cols or "amount_high" in cols):
        lows, highs = cols.pop("amount_low", [""] * m), cols.pop("amount_high", [""] * m)
        cols["amount"] = [f"{lo.strip()} - {hi.strip()}" if lo.strip() and hi.strip()
                          else (lo.strip() or hi.strip() or None)
                          for lo, hi in zip(lows, highs, strict=True)]
    if chamber is not None:
        cols.pop("chamber", None)
    rows = _Rows()
    for f in FIELDS:
        rows.cols[f] = cols.get(f, [None] * m)
    rows.source_row = list(range(1, m + 1))
    rows.raw = records
    rows.header = header
    rows.pre = pre
    _fill_filing_ids(rows)
    return _build(rows, source=source, path=path, chamber=chamber, date_formats=date_formats)


# --------------------------------------------------------------------------- registry
PARSERS: dict[str, Callable[..., ParseResult]] = {
    "senate_daily": read_senate_daily_summaries,
    "senate_aggregate": read_senate_transactions,
    "house": read_house_transactions,
    "csv": read_trades_csv,
}


def register_parser(name: str, func: Callable[..., ParseResult]) -> None:
    """Register ``func(path, **kwargs) -> ParseResult`` under ``name`` (replaces an entry)."""
    if not callable(func):
        raise TypeError(f"parser {name!r} must be callable")
    PARSERS[name] = func


def detect_source(path: str | Path) -> str:
    """Guess the parser of a file from its first 64 KiB.

    JSON with ``date_recieved``/``transactions`` -> ``senate_daily``; JSON with
    ``representative`` or ``district`` -> ``house``; JSON or CSV with a ``senator`` field ->
    ``senate_aggregate``; any other CSV -> ``csv``. Unrecognised JSON raises DataError.
    """
    path = Path(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(65536)
    except OSError as exc:
        raise DataError(f"cannot read file: {exc.strerror or exc}", file=str(path)) from exc
    if not head:
        raise DataError("empty file (0 bytes)", file=str(path))
    for bom, enc in ((b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if head.startswith(bom):
            head = head.decode(enc, errors="ignore").encode("utf-8")
    sample = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if sample.startswith(("[", "{")):
        if '"date_recieved"' in sample or '"transactions"' in sample:
            return "senate_daily"
        if '"representative"' in sample or '"district"' in sample:
            return "house"
        if '"senator"' in sample:
            return "senate_aggregate"
        raise DataError("JSON file of unknown layout (no senate or house fields in the first "
                        "records)", file=str(path))
    first = sample.split("\n", 1)[0].lower()
    cols = {c.strip().strip('"') for c in first.split(",")}
    return "senate_aggregate" if {"senator", "ptr_link"} <= cols else "csv"


def read_disclosures(path: str | Path, source: str | None = None, **kwargs) -> ParseResult:
    """Read a disclosure file with the parser registered as ``source`` (detected if None)."""
    name = source or detect_source(path)
    if name not in PARSERS:
        raise DataError(f"no parser registered as {name!r}; known: {sorted(PARSERS)}",
                        file=str(path))
    return PARSERS[name](path, **kwargs)
