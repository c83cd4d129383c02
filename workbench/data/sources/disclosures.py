"""The trade-parser registry, and the conventions every STOCK Act disclosure reader follows.

Readers: :mod:`~workbench.data.sources.senate`, :mod:`~workbench.data.sources.house`,
:mod:`~workbench.data.sources.csv_trades`.

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
  ``politician`` is its display form (:func:`workbench.data.sources.text.display_name`).
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
* Amounts, owners, sides and asset types: see :mod:`workbench.data.sources.fields`. ``ParseResult.notes``
  counts the description-driven asset-type changes, multi-ticker cells and completed ranges.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from workbench.data.schema import ParseResult
from workbench.data.sources.csv_trades import read_trades_csv
from workbench.data.sources.house import read_house_transactions
from workbench.data.sources.senate import read_senate_daily_summaries, read_senate_transactions
from workbench.data.sources.trade_rows import MIN_TRADE_DATE
from workbench.data.sources.trade_rows import trade_ids as _trade_ids  # noqa: F401  (tests import it)
from workbench.exceptions import DataError

__all__ = [
    "PARSERS", "register_parser", "detect_source", "read_disclosures",
    "read_senate_daily_summaries", "read_senate_transactions", "read_house_transactions",
    "read_trades_csv", "MIN_TRADE_DATE",
]


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
