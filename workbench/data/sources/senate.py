"""Senate disclosures: Senate Stock Watcher daily summaries and the aggregate transactions file.

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

__all__ = ['read_senate_daily_summaries', 'read_senate_transactions']


from workbench.data.sources.csv_trades import _read_csv_text


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
    rows.extend_records(txns_all, TXN_KEYS, required, numbers, extra=extra)
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
