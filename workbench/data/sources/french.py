"""Fama-French factor files from the Kenneth R. French Data Library, as published.

The raw layout: a few lines of free text, then a header line whose first field is empty
(``,Mkt-RF,SMB,HML,RMW,CMA,RF``), then one row per period (``YYYYMMDD`` daily, ``YYYYMM``
monthly), values in **percent**. Monthly files continue after a blank line with an annual
section; some builds end with a copyright line. Only the first section is read.
Ken French distributes the files as zips holding one CSV; both are accepted.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.data.schema import FACTOR_COLUMNS
from workbench.exceptions import DataError

__all__ = ["read_french_factors"]

FREQUENCIES = {"daily": 8, "monthly": 6}
# Ken French marks missing values with -99.99 or -999.
MISSING_MARKERS = (-99.99, -999.0)
_PERIOD = re.compile(r"^\s*(\d{6}|\d{8})\s*$")
_YEAR = re.compile(r"^\s*\d{4}\s*$")


def _read_text(path: Path) -> tuple[str, str]:
    """(text, display name) of a CSV or of the single CSV inside a zip."""
    if not path.exists():
        raise DataError("no such file", file=str(path))
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            members = [n for n in zf.namelist()
                       if n.lower().endswith((".csv", ".txt")) and not n.endswith("/")]
            if len(members) != 1:
                raise DataError(f"zip must hold exactly one .csv/.txt file, found {members}",
                                file=str(path))
            data = zf.read(members[0])
            name = f"{path}!{members[0]}"
    else:
        data = path.read_bytes()
        name = str(path)
    # The published files are ASCII, but the copyright line is sometimes cp1252 (the (c) sign).
    try:
        return data.decode("utf-8-sig"), name
    except UnicodeDecodeError:
        return data.decode("cp1252"), name


def read_french_factors(path: str | Path, *, frequency: str | None = None) -> pd.DataFrame:
    """Read a Ken French factor CSV (or zip) into decimals indexed by period.

    Parameters
    ----------
    path : path
        ``F-F_Research_Data_5_Factors_2x3_daily.CSV``, the 3-factor
        ``F-F_Research_Data_Factors[_daily].CSV``, or the ``.zip`` they are distributed in.
    frequency : {"daily", "monthly"}, optional
        Expected frequency; inferred from the date width (8 digits daily, 6 monthly) when
        omitted, and checked against it when given.

    Returns
    -------
    DataFrame
        Index ``date`` (DatetimeIndex; the trading day for daily files, the calendar month end
        for monthly files), sorted and unique. Columns: the canonical factors present in the
        file, in the order ``Mkt-RF, SMB, HML, RMW, CMA, RF`` (a 3-factor file has
        ``Mkt-RF, SMB, HML, RF``), then any other columns of the file (e.g. ``Mom``).
        Values are simple returns per period in **decimals** (file percent / 100); RF is the
        one-month T-bill return over the period. Missing markers (-99.99, -999) become NaN.

    Raises
    ------
    DataError
        Naming the file, the 1-based **line number** in the file and the reason: no header
        line, no data rows, a non-numeric value, a wrong field count, a date that is not a
        date, mixed date widths, or dates out of order or repeated.

    Notes
    -----
    Reading stops at the first section break after at least one data row: a line without the
    header's field count (blank line, the annual section title, a copyright line) or a
    four-digit annual row. A line with the full field count but no valid period is garbage
    and raises.
    """
    if frequency is not None and frequency not in FREQUENCIES:
        raise DataError(f"frequency must be one of {sorted(FREQUENCIES)}, not {frequency!r}")
    text, name = _read_text(Path(path))
    lines = text.splitlines()
    header_at = next((i for i, ln in enumerate(lines)
                      if ln.strip().startswith(",") and len(ln.split(",")) > 1), None)
    if header_at is None:
        raise DataError("no header line (first field empty, then factor names)", file=name,
                        row=len(lines) or 1)
    header = [h.strip() for h in lines[header_at].split(",")[1:]]
    if not any(h in FACTOR_COLUMNS for h in header) or any(not h for h in header):
        raise DataError(f"header has no Fama-French factor columns: {header}", file=name,
                        row=header_at + 1)
    dates: list[str] = []
    values: list[list[str]] = []
    line_no: list[int] = []
    for i in range(header_at + 1, len(lines)):
        fields = lines[i].split(",")
        if not _PERIOD.match(fields[0]):
            if not lines[i].strip() and not dates:
                continue  # blank lines between header and data
            section_end = (len(fields) != len(header) + 1  # blank, title or copyright line
                           or _YEAR.match(fields[0]))     # annual rows right after
            if dates and section_end:
                break
            raise DataError(f"expected a YYYYMMDD or YYYYMM date, got {fields[0].strip()!r}",
                            file=name, row=i + 1)
        if len(fields) != len(header) + 1:
            raise DataError(f"expected {len(header) + 1} fields, got {len(fields)}", file=name,
                            row=i + 1)
        dates.append(fields[0].strip())
        values.append(fields[1:])
        line_no.append(i + 1)
    if not dates:
        raise DataError("no data rows after the header", file=name, row=header_at + 1)

    widths = {len(d) for d in dates}
    if len(widths) > 1:
        i = next(k for k, d in enumerate(dates) if len(d) != len(dates[0]))
        raise DataError("mixed date widths (daily and monthly rows)", file=name, row=line_no[i])
    width = widths.pop()
    inferred = "daily" if width == 8 else "monthly"
    if frequency is not None and frequency != inferred:
        raise DataError(f"expected {frequency} rows, file has {inferred} dates ({dates[0]!r})",
                        file=name, row=line_no[0])
    fmt = "%Y%m%d" if inferred == "daily" else "%Y%m"
    index = pd.to_datetime(pd.Series(dates), format=fmt, errors="coerce")
    if index.isna().any():
        i = int(np.flatnonzero(index.isna().to_numpy())[0])
        raise DataError(f"not a valid date: {dates[i]!r}", file=name, row=line_no[i])
    if inferred == "monthly":
        index = index + pd.offsets.MonthEnd(0)
    index = pd.DatetimeIndex(index.astype("datetime64[ns]"), name="date")
    step = np.diff(index.asi8)
    if (step <= 0).any():
        i = int(np.flatnonzero(step <= 0)[0]) + 1
        raise DataError(f"date {dates[i]} repeats or goes back in time", file=name,
                        row=line_no[i])

    raw = pd.DataFrame(values, columns=header)
    out = raw.apply(lambda s: pd.to_numeric(s.str.strip(), errors="coerce"))
    bad = out.isna() & raw.apply(lambda s: s.str.strip() != "")
    bad |= raw.apply(lambda s: s.str.strip() == "")
    if bad.to_numpy().any():
        r, c = np.argwhere(bad.to_numpy())[0]
        raise DataError(f"non-numeric value {raw.iat[r, c].strip()!r}", file=name,
                        row=line_no[r], column=header[c])
    out = out.mask(out.isin(MISSING_MARKERS)) / 100.0
    out.index = index
    order = [c for c in FACTOR_COLUMNS if c in header] + [c for c in header
                                                           if c not in FACTOR_COLUMNS]
    return out[order].astype("float64")
