"""Every term of current members: read ``legislators-current.yaml`` (unitedstates/congress-legislators).

:func:`read_legislator_terms` returns one row per *term period*
(:data:`~workbench.data.schema.LEGISLATOR_TERM_COLUMNS`): a term, split at the dates of its
``party_affiliations`` where a member switched party inside it (Jeff Van Drew, V000133: Democrat
from 2019-01-03, Republican from 2019-12-19). Periods are half-open, ``start <= day < end``:
consecutive terms share their boundary day in the YAML (one ends on Jan 3 as the next starts),
so the later one wins it; a switch segment ends where the next one starts.

The CSVs read by :func:`~workbench.data.sources.legislators.read_legislators` carry only the last
term; dating trades by the term covering them is :func:`workbench.data.terms.date_trades_by_term`.
Only members serving when the snapshot was taken are in the YAML; members who left earlier keep
the CSV's last-term values.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd

from workbench.data.schema import (
    LEGISLATOR_TERM_COLUMNS,
    REJECT_COLUMNS,
    ParseResult,
    coerce_frame,
    empty_frame,
)
from workbench.exceptions import DataError

__all__ = ["read_legislator_terms", "load_yaml", "TERMS_FILE"]

TERMS_FILE = "legislators-current.yaml"
SOURCE = "legislator_terms"
CHAMBER_OF_TYPE = {"sen": "senate", "rep": "house"}
_BIOGUIDE = re.compile(r"[A-Z]\d{6}")
_STATE = re.compile(r"[A-Z]{2}")


def load_yaml(path: str | Path):
    """Parse a YAML file (libyaml when available); unreadable YAML raises :class:`DataError`."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    path = Path(path)
    if not path.is_file():
        raise DataError("file not found", file=str(path))
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.load(fh, Loader=loader)  # noqa: S506  (a safe loader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        row = None if mark is None else mark.line + 1
        raise DataError(f"unreadable YAML: {exc}", file=str(path), row=row) from exc


def _day(value) -> pd.Timestamp | None:
    """A ``YYYY-MM-DD`` date (string or YAML date) as a Timestamp, else None."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:  # pandas' parser costs ~1 ms a call; the file holds ~11k dates
        return pd.Timestamp(dt.date.fromisoformat(text))
    except ValueError:
        return None


def _district(value) -> str | None:
    if value is None or str(value).strip() in ("", "-1"):
        return None
    text = str(value).strip()
    if not re.fullmatch(r"\d{1,2}", text):
        raise ValueError(f"district {value!r} is not a number")
    return str(int(text))


def _periods(term: dict) -> list[tuple[pd.Timestamp, pd.Timestamp, str | None, str | None]]:
    """(start, end, party, reason) of each period of a checked term; reason set when rejected."""
    start, end = _day(term.get("start")), _day(term.get("end"))
    affiliations = term.get("party_affiliations") or []
    if not affiliations:
        party = term.get("party")
        return [(start, end, str(party).strip() if party else None,
                 None if party else "term has no party")]
    out = []
    segs = [(_day(a.get("start")), _day(a.get("end")), a.get("party")) if isinstance(a, dict)
            else (None, None, None) for a in affiliations]
    for i, (s, e, party) in enumerate(segs):
        # Segment ends in the YAML are inclusive days; make them exclusive like term ends.
        nxt = segs[i + 1][0] if i + 1 < len(segs) else None
        stop = end if i + 1 == len(segs) else nxt
        if s is None or e is None:
            out.append((s, stop, None, "party affiliation without a YYYY-MM-DD start and end"))
        elif not party:
            out.append((s, stop, None, "party affiliation without a party"))
        elif s < start or e > end or stop is None or stop <= s:
            out.append((s, stop, None, "party affiliation outside its term or out of order"))
        else:
            out.append((s, stop, str(party).strip(), None))
    return out


def read_legislator_terms(path: str | Path) -> ParseResult:
    """Read every term of every member in a congress-legislators YAML file.

    Parameters
    ----------
    path : path
        ``legislators-current.yaml`` (or ``legislators-historical.yaml``): a list of members,
        each with ``id.bioguide`` and ``terms`` (``type`` sen/rep, ``start``, ``end``,
        ``state``, ``district`` for representatives, ``party``, and ``party_affiliations``
        where the member switched party during the term).

    Returns
    -------
    ParseResult
        ``accepted`` has :data:`~workbench.data.schema.LEGISLATOR_TERM_COLUMNS`, one row per
        term period, in file order: ``start`` inclusive, ``end`` exclusive (Timestamps);
        ``chamber`` ``"senate"``/``"house"``; ``district`` a string (``"0"`` at large, null for
        senators); ``party`` of that period. A *row* is a term period: a term without party
        affiliations is one row, a term with *k* affiliations is *k* rows, so
        ``accepted + rejects == rows_read``. ``source_row`` of a reject is the 1-based index
        of the member in the file; ``raw`` the term as JSON.

    Raises
    ------
    DataError
        Unreadable YAML, a file that is not a list of members, or a member without a valid
        ``id.bioguide`` or ``terms`` list (naming file and member row). Terms with bad dates,
        type, state, district or party are rejected with a reason instead.

    Notes
    -----
    Dates are the members' term dates, not trade dates: which term covers a trade is decided by
    :func:`workbench.data.terms.date_trades_by_term` (transaction date).
    """
    path = Path(path)
    data = load_yaml(path)
    if not isinstance(data, list):
        raise DataError("expected a list of members (congress-legislators YAML)", file=str(path))
    rows, rejects = [], []
    for i, member in enumerate(data, start=1):
        ident = member.get("id") if isinstance(member, dict) else None
        bioguide = ident.get("bioguide") if isinstance(ident, dict) else None
        if not isinstance(bioguide, str) or not _BIOGUIDE.fullmatch(bioguide):
            raise DataError(f"member without a valid id.bioguide (got {bioguide!r})",
                            file=str(path), row=i, column="id.bioguide")
        terms = member.get("terms")
        if not isinstance(terms, list) or not terms:
            raise DataError(f"member {bioguide} has no terms list", file=str(path), row=i,
                            column="terms")
        for j, term in enumerate(terms):
            term = term if isinstance(term, dict) else {}
            raw = json.dumps({"bioguide": bioguide, "term": j + 1, **term}, default=str)
            reason = _check_term(term)
            n_periods = max(1, len(term.get("party_affiliations") or []))
            if reason is None:
                try:
                    district = _district(term.get("district")) if term["type"] == "rep" else None
                except ValueError as exc:
                    reason = str(exc)
            if reason is not None:
                rejects += [(SOURCE, str(path), i, reason, raw)] * n_periods
                continue
            for start, end, party, why in _periods(term):
                if why is not None:
                    rejects.append((SOURCE, str(path), i, why, raw))
                    continue
                rows.append((bioguide, start, end, CHAMBER_OF_TYPE[term["type"]],
                             str(term["state"]).strip(), district, party))
    accepted = (coerce_frame(pd.DataFrame(rows, columns=list(LEGISLATOR_TERM_COLUMNS)),
                             LEGISLATOR_TERM_COLUMNS) if rows
                else empty_frame(LEGISLATOR_TERM_COLUMNS))
    rej = (pd.DataFrame(rejects, columns=list(REJECT_COLUMNS)).astype(REJECT_COLUMNS)
           if rejects else empty_frame(REJECT_COLUMNS))
    n_split = int(sum(1 for m in data for t in (m.get("terms") or [])
                      if isinstance(t, dict) and t.get("party_affiliations")))
    return ParseResult(source=SOURCE, file=str(path), rows_read=len(accepted) + len(rej),
                       accepted=accepted, rejects=rej,
                       notes=(f"{len(data)} members; {n_split} terms split at party switches",))


def _check_term(term: dict) -> str | None:
    """Why a term cannot be used, or None."""
    if term.get("type") not in CHAMBER_OF_TYPE:
        return f"type {term.get('type')!r} is not 'sen' or 'rep'"
    start, end = _day(term.get("start")), _day(term.get("end"))
    if start is None or end is None:
        return "term without a YYYY-MM-DD start and end"
    if end <= start:
        return "term ends before it starts"
    if not _STATE.fullmatch(str(term.get("state", ""))):
        return f"state {term.get('state')!r} is not two capital letters"
    return None
