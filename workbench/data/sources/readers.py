"""The reader of each ingest kind: how the store reaches the sources (it imports nothing else).

:data:`READERS` maps a kind to ``reader(path, source) -> (table, ParseResult)``; register another
format with :func:`register_reader`. Trade files go through the disclosure-parser registry
(:mod:`workbench.data.sources.disclosures`), whose ``source`` names the parser.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from workbench.data.schema import ParseResult, empty_rejects
from workbench.data.sources.committees import read_committee_membership, read_committees
from workbench.data.sources.disclosures import read_disclosures
from workbench.data.sources.french import read_french_factors
from workbench.data.sources.legislator_terms import read_legislator_terms
from workbench.data.sources.legislators import read_legislators
from workbench.data.sources.option_chains import read_option_chain
from workbench.data.sources.prices import read_prices, read_securities
from workbench.exceptions import DataError

__all__ = ["READERS", "register_reader", "read_kind"]


def _frame_result(kind: str, path: Path, df) -> ParseResult:
    """A reader that returns a plain frame (no rejects) wrapped as a ParseResult."""
    return ParseResult(source=kind, file=str(path), rows_read=len(df), accepted=df,
                       rejects=empty_rejects())


READERS: dict[str, Callable[[Path, str | None], tuple[str, ParseResult]]] = {
    "trades": lambda path, source: ("trades", read_disclosures(path, source=source)),
    "prices": lambda path, source: ("prices", read_prices(path)),
    "options": lambda path, source: ("options", read_option_chain(path)),
    "factors": lambda path, source: ("factors", _frame_result(
        "factors", path, read_french_factors(path).rename_axis("date").reset_index())),
    "legislators": lambda path, source: ("legislators", _frame_result(
        "legislators", path, read_legislators([path]))),
    "securities": lambda path, source: ("securities", _frame_result(
        "securities", path, read_securities(path))),
    "legislator_terms": lambda path, source: ("legislator_terms", read_legislator_terms(path)),
    "committees": lambda path, source: ("committees", _frame_result(
        "committees", path, read_committees(path))),
    "committee_members": lambda path, source: ("committee_members", _frame_result(
        "committee_members", path, read_committee_membership(path))),
}


def register_reader(kind: str, func: Callable[[Path, str | None], tuple[str, ParseResult]]) -> None:
    """Register ``func(path, source) -> (table, ParseResult)`` for ``kind`` (replaces an entry)."""
    if not callable(func):
        raise TypeError(f"reader {kind!r} must be callable")
    READERS[kind] = func


def read_kind(path: str | Path, kind: str, source: str | None = None) -> tuple[str, ParseResult]:
    """Read ``path`` with the reader registered for ``kind``."""
    path = Path(path)
    if kind not in READERS:
        raise DataError(f"unknown kind {kind!r}; expected one of {sorted(READERS)}",
                        file=str(path))
    return READERS[kind](path, source)
