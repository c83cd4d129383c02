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
* Amounts, owners, sides and asset types: see :mod:`workbench.data.fields`. ``ParseResult.notes``
  counts the description-driven asset-type changes, multi-ticker cells and completed ranges.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from workbench.data import text as tx
from workbench.data.schema import ParseResult
from workbench.data.trade_rows import (
    FIELDS,
    MIN_TRADE_DATE,
    Rows,
    build,
    fill_filing_ids,
)
from workbench.data.trade_rows import trade_ids as _trade_ids  # noqa: F401  (tests import it)
from workbench.exceptions import DataError

__all__ = [
    "PARSERS", "register_parser", "detect_source", "read_disclosures",
    "read_senate_daily_summaries", "read_senate_transactions", "read_house_transactions",
    "read_trades_csv", "MIN_TRADE_DATE",
]


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
    rows = Rows()
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
    return build(rows, source="senate_daily", path=path, chamber="senate",
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
        rows = Rows()
        keys = {f: k for f, k in _AGGREGATE_MAPPING.items() if f != "politician"}
        keys["raw_name"] = "senator"
        records = tx.load_json_list(path, text)
        rows.extend_records(records, keys, ("transaction_date", "type", "amount"),
                            list(range(1, len(records) + 1)))
        fill_filing_ids(rows)
        return build(rows, source="senate_aggregate", path=path, chamber="senate")
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
    rows = Rows()
    required = ("transaction_date", "disclosure_date", "type", "amount", "raw_name")
    records = tx.load_json_list(path, tx.read_text(path))
    rows.extend_records(records, _HOUSE_KEYS, required, list(range(1, len(records) + 1)))
    fill_filing_ids(rows)
    return build(rows, source="house", path=path, chamber="house", require_disclosure=True)



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
    rows = Rows()
    for f in FIELDS:
        rows.cols[f] = cols.get(f, [None] * m)
    rows.source_row = list(range(1, m + 1))
    rows.raw = records
    rows.header = header
    rows.pre = pre
    fill_filing_ids(rows)
    return build(rows, source=source, path=path, chamber=chamber, date_formats=date_formats)


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
