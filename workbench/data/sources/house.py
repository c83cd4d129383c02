"""House disclosures: the House Stock Watcher transactions JSON.

Conventions shared by every trade reader: :mod:`workbench.data.sources.disclosures`.
"""

from __future__ import annotations

from pathlib import Path

from workbench.data.schema import ParseResult
from workbench.data.sources import text as tx
from workbench.data.sources.trade_rows import (
    TXN_KEYS,
    Rows,
    build,
    fill_filing_ids,
)

__all__ = ['read_house_transactions']


_HOUSE_KEYS = TXN_KEYS | {"disclosure_date": "disclosure_date", "raw_name": "representative",
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
