"""Generic trades CSV with a column mapping onto canonical names (also used for the Senate aggregate CSV).

Conventions shared by every trade reader: :mod:`workbench.data.sources.disclosures`.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from workbench.data.schema import ParseResult
from workbench.data.sources import text as tx
from workbench.data.sources.trade_rows import (
    FIELDS,
    Rows,
    build,
    fill_filing_ids,
)
from workbench.exceptions import DataError

__all__ = ['read_trades_csv']


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
