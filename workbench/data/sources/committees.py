"""Congressional committees and their members: the congress-legislators committee YAML files.

:func:`read_committees` reads ``committees-current.yaml`` (House, Senate and joint committees
with their subcommittees and jurisdiction text); :func:`read_committee_membership` reads
``committee-membership-current.yaml`` (seats by bioguide id). Both files describe the **current
Congress only** (the snapshot's date; no history): a member's committees on a trade made years
earlier may have been different, so committee-relevance of older trades is an approximation.

Committee ids are the ``thomas_id`` of the files: ``SSAF`` for a full committee, the parent id
plus the two-digit subcommittee id (``SSAF13``) for a subcommittee. Which GICS sectors each
committee oversees is :mod:`workbench.data.sources.committee_sectors`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from workbench.data.schema import (
    COMMITTEE_COLUMNS,
    COMMITTEE_MEMBER_COLUMNS,
    coerce_frame,
    empty_frame,
)
from workbench.data.sources.committee_sectors import committee_sectors
from workbench.data.sources.legislator_terms import load_yaml
from workbench.exceptions import DataError

__all__ = ["read_committees", "read_committee_membership", "COMMITTEES_FILE", "MEMBERSHIP_FILE",
           "COMMITTEE_CHAMBERS", "SIDES"]

COMMITTEES_FILE = "committees-current.yaml"
MEMBERSHIP_FILE = "committee-membership-current.yaml"
COMMITTEE_CHAMBERS = ("senate", "house", "joint")
SIDES = ("majority", "minority")
_FULL_ID = re.compile(r"[A-Z]{4}")
_SUB_ID = re.compile(r"\d{2}")
_ANY_ID = re.compile(r"[A-Z]{4}(\d{2})?")
_BIOGUIDE = re.compile(r"[A-Z]\d{6}")


def _text(value) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def read_committees(path: str | Path) -> pd.DataFrame:
    """Read committees and subcommittees.

    Parameters
    ----------
    path : path
        ``committees-current.yaml``: a list of committees (``type`` house/senate/joint,
        ``name``, ``thomas_id``, ``jurisdiction``, ``url``, ``subcommittees``).

    Returns
    -------
    DataFrame
        :data:`~workbench.data.schema.COMMITTEE_COLUMNS` in file order, each full committee
        followed by its subcommittees: ``committee_id`` (``SSAF``, ``SSAF13``), ``parent_id``
        (null for full committees), ``name`` (the subcommittee's own name), ``chamber``
        (``senate``/``house``/``joint``; subcommittees take their parent's), ``jurisdiction``
        (whitespace-normalized text; null where the file has none, as for every
        subcommittee), ``url``, and ``sectors``: the tuple of GICS sectors the committee
        oversees, from the reviewed table of
        :mod:`workbench.data.sources.committee_sectors` (subcommittees not listed there take
        their parent's; committees not reviewed get ``()``).

    Raises
    ------
    DataError
        Unreadable YAML, not a list, or a committee with a missing/invalid ``thomas_id``,
        ``type`` or ``name``, or a duplicate id, naming the file and the 1-based committee row
        (subcommittees are numbered after their parent, in file order).

    Notes
    -----
    Current Congress only: the file says which committees exist now, not in the years of the
    trades.
    """
    path = Path(path)
    data = load_yaml(path)
    if not isinstance(data, list):
        raise DataError("expected a list of committees (congress-legislators YAML)",
                        file=str(path))
    rows: list[tuple] = []
    for top in data:
        row = len(rows) + 1
        if not isinstance(top, dict):
            raise DataError("committee is not a mapping", file=str(path), row=row)
        cid, kind, name = top.get("thomas_id"), top.get("type"), _text(top.get("name"))
        if not isinstance(cid, str) or not _FULL_ID.fullmatch(cid):
            raise DataError(f"thomas_id must be four capital letters (got {cid!r})",
                            file=str(path), row=row, column="thomas_id")
        if kind not in COMMITTEE_CHAMBERS:
            raise DataError(f"type must be one of {COMMITTEE_CHAMBERS} (got {kind!r})",
                            file=str(path), row=row, column="type")
        if not name:
            raise DataError(f"committee {cid} has no name", file=str(path), row=row,
                            column="name")
        rows.append((cid, None, name, kind, _text(top.get("jurisdiction")),
                     _text(top.get("url"))))
        for sub in top.get("subcommittees") or []:
            row = len(rows) + 1
            sid = sub.get("thomas_id") if isinstance(sub, dict) else None
            sid = f"{int(sid):02d}" if isinstance(sid, int) else sid  # YAML may drop the quotes
            if not isinstance(sid, str) or not _SUB_ID.fullmatch(sid):
                raise DataError(f"subcommittee of {cid}: thomas_id must be two digits "
                                f"(got {sid!r})", file=str(path), row=row, column="thomas_id")
            sname = _text(sub.get("name"))
            if not sname:
                raise DataError(f"subcommittee {cid}{sid} has no name", file=str(path),
                                row=row, column="name")
            rows.append((cid + sid, cid, sname, kind, _text(sub.get("jurisdiction")),
                         _text(sub.get("url"))))
    out = pd.DataFrame(rows, columns=[c for c in COMMITTEE_COLUMNS if c != "sectors"])
    dup = out["committee_id"].duplicated()
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        raise DataError(f"duplicate committee id {out['committee_id'].iat[i]}", file=str(path),
                        row=i + 1, column="thomas_id")
    if out.empty:
        return empty_frame(COMMITTEE_COLUMNS)
    out["sectors"] = committee_sectors(out)
    return coerce_frame(out, COMMITTEE_COLUMNS)


def read_committee_membership(path: str | Path) -> pd.DataFrame:
    """Read committee seats.

    Parameters
    ----------
    path : path
        ``committee-membership-current.yaml``: a mapping from committee id (``SSAF``,
        ``SSAF13``) to a list of seats (``name``, ``party`` majority/minority, ``rank``,
        ``title``, ``bioguide``).

    Returns
    -------
    DataFrame
        :data:`~workbench.data.schema.COMMITTEE_MEMBER_COLUMNS`, one row per seat in file
        order: ``committee_id``, ``bioguide_id``, ``rank`` (int, 1 = most senior on its side),
        ``title`` (Chairman, Ranking Member, ...; null for most seats), ``side``
        (``majority``/``minority``, the file's ``party`` field).

    Raises
    ------
    DataError
        Unreadable YAML, not a mapping, a bad committee id, or a seat with a missing/invalid
        bioguide id, side or rank, naming the file and the 1-based seat row (seats numbered
        in file order across committees). A member seated twice on one committee too.

    Notes
    -----
    Current Congress only: these are today's seats; every use on past trades says so.
    """
    path = Path(path)
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise DataError("expected a mapping of committee id to seats (congress-legislators "
                        "YAML)", file=str(path))
    rows: list[tuple] = []
    for cid, seats in data.items():
        if not isinstance(cid, str) or not _ANY_ID.fullmatch(cid):
            raise DataError(f"committee id {cid!r} is not like SSAF or SSAF13", file=str(path),
                            row=len(rows) + 1)
        for seat in seats or []:
            row = len(rows) + 1
            seat = seat if isinstance(seat, dict) else {}
            bio, side, rank = seat.get("bioguide"), seat.get("party"), seat.get("rank")
            if not isinstance(bio, str) or not _BIOGUIDE.fullmatch(bio):
                raise DataError(f"seat on {cid} without a valid bioguide id (got {bio!r})",
                                file=str(path), row=row, column="bioguide")
            if side not in SIDES:
                raise DataError(f"seat on {cid}: party must be majority or minority "
                                f"(got {side!r})", file=str(path), row=row, column="party")
            if isinstance(rank, bool) or not isinstance(rank, int) or rank < 1:
                raise DataError(f"seat on {cid}: rank must be a positive integer "
                                f"(got {rank!r})", file=str(path), row=row, column="rank")
            rows.append((cid, bio, rank, _text(seat.get("title")), side))
    if not rows:
        return empty_frame(COMMITTEE_MEMBER_COLUMNS)
    out = pd.DataFrame(rows, columns=list(COMMITTEE_MEMBER_COLUMNS))
    dup = out.duplicated(["committee_id", "bioguide_id"])
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        raise DataError(f"{out['bioguide_id'].iat[i]} seated twice on "
                        f"{out['committee_id'].iat[i]}", file=str(path), row=i + 1)
    return coerce_frame(out, COMMITTEE_MEMBER_COLUMNS)
