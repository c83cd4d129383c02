"""Members of Congress: read the unitedstates/congress-legislators CSVs.

:func:`read_legislators` reads ``legislators-current.csv`` / ``legislators-historical.csv`` into
``schema.LEGISLATOR_COLUMNS``. Matching filer names to members is
:mod:`workbench.data.resolution`.

The CSVs carry one row per person with the *last* term's chamber, state, district and party,
and no term or death dates: resolution cannot check that someone sat in the filing chamber at
the trade date (see :func:`resolve_legislators` for what it checks instead), and ``party`` and
``state`` are those of the last term, not of the trade date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.data.schema import LEGISLATOR_COLUMNS, empty_frame
from workbench.exceptions import DataError

__all__ = ["read_legislators", "LEGISLATOR_FILES", "CHAMBER_OF_TYPE"]

LEGISLATOR_FILES = ("legislators-current.csv", "legislators-historical.csv")
REQUIRED_COLUMNS = ("bioguide_id", "last_name", "first_name", "type", "state")
CHAMBER_OF_TYPE = {"sen": "senate", "rep": "house"}
MIN_AGE_YEARS, MAX_AGE_YEARS = 25, 100



# ---------------------------------------------------------------------------------- reading

def _legislator_files(paths) -> list[Path]:
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = [p / name for name in LEGISLATOR_FILES if (p / name).exists()]
            if not found:
                raise DataError(f"directory holds none of {LEGISLATOR_FILES}", file=str(p))
            files.extend(found)
        elif p.exists():
            files.append(p)
        else:
            raise DataError("file not found", file=str(p))
    if not files:
        raise DataError("no legislator files given")
    return files


def _read_one(path: Path) -> pd.DataFrame:
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, on_bad_lines="error")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        row = None
        m = re.search(r"line (\d+)", str(exc))
        if m:  # the parser counts lines with the header as line 1; rows count data records
            row = int(m.group(1)) - 1
        raise DataError(f"unreadable CSV: {exc}", file=str(path), row=row) from exc
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        raise DataError(f"missing columns {missing}", file=str(path))
    raw = raw.apply(lambda s: s.str.strip())
    checks = [
        ("bioguide_id", ~raw["bioguide_id"].str.fullmatch(r"[A-Z]\d{6}"),
         "bioguide_id must be a letter and six digits"),
        ("last_name", raw["last_name"] == "", "empty last_name"),
        ("type", ~raw["type"].isin(list(CHAMBER_OF_TYPE)), "type must be 'sen' or 'rep'"),
        ("state", ~raw["state"].str.fullmatch(r"[A-Z]{2}"), "state must be two capital letters"),
    ]
    if "birthday" in raw.columns:
        bday = pd.to_datetime(raw["birthday"], format="%Y-%m-%d", errors="coerce")
        checks.append(("birthday", (raw["birthday"] != "") & bday.isna(),
                       "birthday is not a YYYY-MM-DD date"))
    if "district" in raw.columns:
        checks.append(("district", ~raw["district"].str.fullmatch(r"-?\d*"),
                       "district is not a number"))
    for column, bad, reason in checks:
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(f"{reason} (got {raw[column].iloc[i]!r}; {int(bad.sum())} such rows)",
                            file=str(path), row=i + 1, column=column)
    out = pd.DataFrame({c: raw[c] if c in raw.columns else "" for c in LEGISLATOR_COLUMNS})
    out["chamber"] = raw["type"].map(CHAMBER_OF_TYPE)
    out["is_current"] = "current" in path.name.lower()
    out["district"] = out["district"].map(lambda d: str(int(d)) if d not in ("", "-1") else "")
    out = out.replace("", pd.NA)
    out["birthday"] = pd.to_datetime(out["birthday"], format="%Y-%m-%d")
    out["_file"], out["_row"] = str(path), np.arange(1, len(out) + 1)
    return out


def read_legislators(paths: str | Path | Iterable[str | Path]) -> pd.DataFrame:
    """Read congress-legislators CSVs into the canonical legislators table.

    Parameters
    ----------
    paths : path, list of paths, or directory
        CSV files in the unitedstates/congress-legislators layout, or a directory holding
        ``legislators-current.csv`` and/or ``legislators-historical.csv``.

    Returns
    -------
    DataFrame
        ``LEGISLATOR_COLUMNS`` in file order: ``chamber`` is ``"senate"`` for type ``sen`` and
        ``"house"`` for ``rep`` (chamber of the last term); ``is_current`` is True for rows
        of a file whose name contains ``current``; ``district`` is a string (``"0"`` at
        large, null for senators and unknown); ``party`` as given (last term);
        ``birthday`` a Timestamp or NaT.

    Raises
    ------
    DataError
        Missing file or required column, unreadable CSV, or an invalid row (bad bioguide id,
        empty last name, unknown type, bad state, birthday or district), naming file and row
        (1-based data record). Also a bioguide id that occurs twice.
    """
    frames = [_read_one(p) for p in _legislator_files(paths)]
    out = pd.concat(frames, ignore_index=True)
    dup = out["bioguide_id"].duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise DataError(f"duplicate bioguide_id {out['bioguide_id'].iloc[i]}",
                        file=out["_file"].iloc[i], row=int(out["_row"].iloc[i]),
                        column="bioguide_id")
    if out.empty:
        return empty_frame(LEGISLATOR_COLUMNS)
    out = out.drop(columns=["_file", "_row"])
    return out.astype({c: t for c, t in LEGISLATOR_COLUMNS.items()}).loc[:, list(LEGISLATOR_COLUMNS)]
