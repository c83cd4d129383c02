"""Parsers of STOCK Act disclosure files into the canonical trades table.

Each reader returns a :class:`~workbench.data.schema.ParseResult`: accepted trades in canonical
form (``TRADE_COLUMNS`` + ``TRADE_EXTRA_COLUMNS``) and one reject row, with its reason, for every
record that could not be used, so that ``accepted + rejected == rows_read``. A file that cannot
be read at all (not UTF-8, truncated or malformed JSON, wrong top-level type, 0 bytes) raises
:class:`~workbench.exceptions.DataError` naming the file, the record and the reason.

Sources (registry names, see :data:`PARSERS`):

``senate_daily``
    Senate Stock Watcher ``all_daily_summaries.json``: one object per filing with
    ``date_recieved`` (sic) = disclosure date. Filings with ``transactions: []`` (paper filings)
    are counted in ``ParseResult.empty_filings``.
``senate_aggregate``
    ``all_transactions.csv`` (or the same records as a JSON list): no disclosure date.
``house``
    House JSON list, one object per trade, with ``disclosure_date`` and ``district``.
``csv``
    Any CSV whose columns are mapped onto canonical names (:func:`read_trades_csv`).

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
* Amounts, owners, sides and asset types: see :mod:`workbench.data.text`.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable
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
class _Rows:
    """Column-wise accumulator of raw rows (str or None), one pre-reason per row."""

    def __init__(self) -> None:
        self.cols: dict[str, list] = {f: [] for f in FIELDS}
        self.source_row: list[int] = []
        self.raw: list[object] = []  # the raw record; dumped to text only for rejects
        self.pre: list[str | None] = []

    def add(self, values: dict, source_row: int, raw: object, reason: str | None = None) -> None:
        for f in FIELDS:
            self.cols[f].append(values.get(f))
        self.source_row.append(source_row)
        self.raw.append(raw)
        self.pre.append(reason)

    def add_record(self, rec: object, keys: dict[str, str], required: tuple[str, ...],
                   source_row: int, extra: dict | None = None, raw: object = None) -> None:
        """Add a JSON record, mapping ``field -> json key``; missing/non-text keys -> reason."""
        raw = rec if raw is None else raw
        if not isinstance(rec, dict):
            self.add({}, source_row, raw, f"record is a JSON {type(rec).__name__}, not an object")
            return
        values = dict(extra or {})
        problems = []
        for field, key in keys.items():
            if key not in rec:
                if field in required:
                    problems.append(f"missing field {key!r}")
                continue
            value, ok = tx.json_text(rec[key])
            if not ok:
                problems.append(f"field {key!r} is not text")
            values[field] = value
        self.add(values, source_row, raw, "; ".join(problems) or None)


# --------------------------------------------------------------------------- normalization
def _dates(values: list, formats: tuple[str, ...]) -> tuple[np.ndarray, list]:
    parsed = tx.map_unique(values, lambda v: tx.parse_date(v, formats))
    stamps = pd.to_datetime(pd.Series([p[0] for p in parsed], dtype=object)).to_numpy(
        dtype="datetime64[ns]")
    return stamps, [p[1] for p in parsed]


def _build(rows: _Rows, *, source: str, path: Path, chamber: str | None,
           date_formats: tuple[str, ...] = ("%m/%d/%Y",), require_disclosure: bool = False,
           empty_filings: int = 0) -> ParseResult:
    """Clean, validate and assemble collected raw rows into a ParseResult."""
    c = rows.cols
    n = len(rows.source_row)
    reasons: list[list[str]] = [[] for _ in range(n)]

    def flag(i: int, reason: str | None) -> None:
        if reason:
            reasons[i].append(reason)

    tdate, tbad = _dates(c["transaction_date"], date_formats)
    ddate, dbad = _dates(c["disclosure_date"], date_formats)
    today = np.datetime64(pd.Timestamp.now().normalize().to_datetime64())
    lo_limit = np.datetime64(MIN_TRADE_DATE.to_datetime64())
    sides = tx.map_unique(c["type"], tx.normalize_side)
    owners = tx.map_unique(c["owner"], tx.normalize_owner)
    amounts = tx.map_unique(c["amount"], tx.parse_amount)
    tickers = tx.map_unique(c["ticker"], tx.clean_ticker)
    chambers = tx.map_unique(c["chamber"], tx.normalize_chamber) if chamber is None \
        else [(chamber, None)] * n
    names = tx.map_unique(c["raw_name"], tx.display_name)
    for i in range(n):
        flag(i, tbad[i])
        flag(i, dbad[i])
        if np.isnat(tdate[i]) and not tbad[i]:
            flag(i, "missing transaction date")
        if require_disclosure and np.isnat(ddate[i]) and not dbad[i]:
            flag(i, "missing disclosure date")
        for label, d in (("transaction", tdate[i]), ("disclosure", ddate[i])):
            if not np.isnat(d):
                if d < lo_limit:
                    flag(i, f"{label} date {str(d)[:10]} before {str(lo_limit)[:10]} "
                            f"(predates the STOCK Act)")
                elif d > today:
                    flag(i, f"{label} date {str(d)[:10]} is in the future")
        if not np.isnat(tdate[i]) and not np.isnat(ddate[i]) and ddate[i] < tdate[i]:
            flag(i, "disclosure before transaction")
        if (c["asset_type"][i] or "").strip().lower() == "pdf disclosed filing":
            flag(i, "paper filing (scanned PDF): no transaction detail")
        else:
            flag(i, sides[i][2])
        flag(i, owners[i][1])
        flag(i, amounts[i][3])
        flag(i, tickers[i][2])
        flag(i, chambers[i][1])
        if names[i] is None:
            flag(i, "missing politician name")

    final = [rows.pre[i] or ("; ".join(reasons[i]) if reasons[i] else None) for i in range(n)]
    ok = np.array([r is None for r in final], dtype=bool)

    # Stable ids: position of each row among rows of its filing (or of identical raw rows).
    filing = c["filing_id"]
    keys = [filing[i] if filing[i] else "#" + make_trade_id(*(c[f][i] for f in FIELDS))
            for i in range(n)]
    seen: Counter = Counter()
    ids = []
    for k in keys:
        ids.append(make_trade_id(source, k, seen[k]))
        seen[k] += 1
    dup_seen: set = set()
    duplicates = 0
    for i in np.flatnonzero(ok):
        sig = (keys[i],) + tuple(c[f][i] for f in FIELDS)
        if sig in dup_seen:
            duplicates += 1
        dup_seen.add(sig)

    desc_raw = c["asset_description"]
    asset_types = [tx.classify_asset_type(c["asset_type"][i], desc_raw[i], tickers[i][0] is not None)
                   for i in range(n)]
    descriptions = tx.map_unique(desc_raw, tx.clean_text)
    comments = tx.map_unique(c["comment"], tx.clean_text)
    comments = [tx.join_comment(comments[i], tickers[i][1]) for i in range(n)]
    frame = pd.DataFrame({
        "trade_id": ids,
        "politician": names,
        "bioguide_id": None,
        "chamber": [ch[0] for ch in chambers],
        "party": None,
        "state": None,
        "owner": [o[0] for o in owners],
        "ticker": [t[0] for t in tickers],
        "asset_description": descriptions,
        "asset_type": asset_types,
        "side": [s[0] for s in sides],
        "is_partial": [s[1] for s in sides],
        "transaction_date": tdate,
        "disclosure_date": ddate,
        "amount_low": np.array([a[0] for a in amounts], dtype=float),
        "amount_high": np.array([a[1] for a in amounts], dtype=float),
        "amount_mid": np.array([a[2] for a in amounts], dtype=float),
        "source": source,
        "source_url": tx.map_unique(c["source_url"], tx.strip_or_none),
        "filing_id": filing,
        "raw_name": tx.map_unique(c["raw_name"], tx.clean_raw_name),
        "district": tx.map_unique(c["district"], lambda v: (tx.strip_or_none(v) or "").upper() or None),
        "source_bioguide_id": tx.map_unique(c["source_bioguide_id"], tx.strip_or_none),
        "comment": comments,
    })
    accepted = coerce_trades(frame.loc[ok])
    bad = np.flatnonzero(~ok)
    rejects = pd.DataFrame({
        "source": source, "file": str(path),
        "source_row": np.array([rows.source_row[i] for i in bad], dtype="int64"),
        "reason": [final[i] for i in bad],
        "raw": [tx.dump_raw(rows.raw[i]) for i in bad],
    }).astype(REJECT_COLUMNS)
    return ParseResult(source=source, file=str(path), rows_read=n, accepted=accepted,
                       rejects=rejects, empty_filings=empty_filings, duplicates=duplicates,
                       notes=_notes(c, asset_types, tickers, ok))










def _notes(c: dict, asset_types: list, tickers: list, ok: np.ndarray) -> tuple[str, ...]:
    """Counts of the cleaning decisions taken on accepted rows (for summaries and audits)."""
    changed: Counter = Counter()
    multi = truncated = 0
    for i in np.flatnonzero(ok):
        label = (c["asset_type"][i] or "").strip()
        direct = tx.classify_asset_type(label, "", tickers[i][0] is not None)
        if asset_types[i] != direct:
            changed[(label or "(blank)", asset_types[i])] += 1
        multi += bool(tickers[i][1])
        truncated += (c["amount"][i] or "").rstrip().endswith("-")
    notes = [f"asset_type {label!r} -> {new} by description: {k} rows"
             for (label, new), k in sorted(changed.items())]
    if multi:
        notes.append(f"multi-ticker cells (first kept, others in comment): {multi} rows")
    if truncated:
        notes.append(f"truncated amount ranges completed from STOCK Act brackets: {truncated} rows")
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
    for n, filing in enumerate(filings, start=1):
        if not isinstance(filing, dict):
            rows.add({}, n, filing, f"filing is a JSON {type(filing).__name__}, not an object")
            continue
        txns = filing.get("transactions")
        if not isinstance(txns, list):
            rows.add({}, n, {k: v for k, v in filing.items() if k != "transactions"},
                     "filing has no 'transactions' list")
            continue
        if not txns:
            empty += 1
            continue
        head, problems = {}, []
        for field, key in (("first_name", "first_name"), ("last_name", "last_name"),
                           ("office", "office"), ("source_url", "ptr_link"),
                           ("disclosure_date", "date_recieved"),
                           ("source_bioguide_id", "bioguide")):
            value, ok = tx.json_text(filing.get(key))
            if not ok:
                problems.append(f"filing field {key!r} is not text")
            head[field] = value
        if "date_recieved" not in filing:
            problems.append("filing lacks 'date_recieved' (disclosure date)")
        name = " ".join(p.strip() for p in (head.pop("first_name"), head.pop("last_name"))
                        if p and p.strip())
        office = head.pop("office")
        head["raw_name"] = name or tx.name_from_office(office)
        head["filing_id"] = tx.filing_id_from_url(head["source_url"])
        for j, txn in enumerate(txns):
            raw = {"filing": n, "transaction": j + 1, "record": txn}
            before = len(rows.pre)
            rows.add_record(txn, _TXN_KEYS, required, n, extra=head, raw=raw)
            if problems:
                rows.pre[before] = "; ".join(problems + ([rows.pre[before]]
                                                         if rows.pre[before] else []))
    return _build(rows, source="senate_daily", path=path, chamber="senate",
                  require_disclosure=True, empty_filings=empty)




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
        for n, rec in enumerate(tx.load_json_list(path, text), start=1):
            rows.add_record(rec, keys, ("transaction_date", "type", "amount"), n)
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
    for n, rec in enumerate(tx.load_json_list(path, tx.read_text(path)), start=1):
        rows.add_record(rec, _HOUSE_KEYS, required, n)
    _fill_filing_ids(rows)
    return _build(rows, source="house", path=path, chamber="house", require_disclosure=True)


def _fill_filing_ids(rows: _Rows) -> None:
    fid, url = rows.cols["filing_id"], rows.cols["source_url"]
    for i, f in enumerate(fid):
        fid[i] = (f.strip() or None) if f else tx.filing_id_from_url(url[i])


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
    rows = _Rows()
    width = len(header)
    n = 0
    try:
        for record in reader:
            if not record or (len(record) == 1 and not record[0].strip()):
                continue  # blank line: not a record
            n += 1
            if len(record) != width:
                rows.add({}, n, record, f"expected {width} fields, found {len(record)}")
                continue
            values = {f: record[j] for f, j in index.items()}
            if "amount" not in values and ("amount_low" in values or "amount_high" in values):
                lo = (values.pop("amount_low", "") or "").strip()
                hi = (values.pop("amount_high", "") or "").strip()
                values["amount"] = f"{lo} - {hi}" if lo and hi else (lo or hi or None)
            if chamber is not None:
                values.pop("chamber", None)
            reason = "; ".join(f"missing column {f!r}" for f in required) or None
            rows.add(values, n, record, reason)
    except csv.Error as exc:
        raise DataError(f"malformed CSV: {exc}", file=str(path), row=n + 1) from exc
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
