"""Daily price loaders (long parquet, AlphaVantage CSV, yfinance CSV) and return helpers.

Every reader returns a :class:`~workbench.data.schema.ParseResult` whose ``accepted`` frame has
the canonical :data:`~workbench.data.schema.PRICE_COLUMNS` (one row per session date and
ticker; ``adj_close`` is split- and dividend-adjusted) and whose ``rejects`` frame gives a
reason for every refused row. Dates are exchange session dates (daily bars, no time of day).

The per-format readers live in :mod:`workbench.data.sources.price_formats`, registered in
:data:`PRICE_FORMATS` (re-exported here); :func:`detect_price_format` picks one from the file
suffix and header. Rows outside the requested ``tickers``/``start``/``end`` are not read at
all (they are not rejects); for parquet the filters are pushed down to the file.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.data.schema import (
    PRICE_COLUMNS,
    REJECT_COLUMNS,
    SECURITY_COLUMNS,
    ParseResult,
    coerce_frame,
    empty_frame,
)
from workbench.data.sources.price_formats import (
    PRICE_FORMATS,
    _key,
    _parse_dates,  # noqa: F401  (re-exported for workbench.data.sources.option_chains)
    _raw_text,  # noqa: F401  (re-exported for workbench.data.sources.option_chains)
    _read_csv_text,
    detect_price_format,
    normalize_ticker,
)
from workbench.exceptions import DataError

__all__ = [
    "PRICE_FORMATS", "read_prices", "detect_price_format", "normalize_ticker", "read_securities",
    "to_wide", "compute_returns",
]

DATA_SUFFIXES = (".csv", ".parquet", ".pq")


def _day_or_none(value) -> pd.Timestamp | None:
    if value is None:
        return None
    ts = pd.Timestamp(value)
    return ts.tz_localize(None).normalize() if ts.tzinfo is not None else ts.normalize()


def read_prices(path: str | Path, *, tickers: Iterable[str] | None = None, start=None, end=None,
                format: str | None = None) -> ParseResult:
    """Read daily prices from a file or a directory of files into the canonical long table.

    Parameters
    ----------
    path : path
        A ``.parquet``/``.csv`` file, or a directory: every ``.csv``/``.parquet`` file in it
        (not recursive, sorted by name) is read and the results are concatenated.
    tickers : iterable of str, optional
        Keep only these tickers (normalized with :func:`normalize_ticker`).
    start, end : date-like, optional
        Keep session dates in ``[start, end]`` (inclusive).
    format : str, optional
        A :data:`PRICE_FORMATS` name; detected per file when omitted.

    Returns
    -------
    ParseResult
        ``source`` is the detected format (several joined with ``+`` for a mixed directory);
        ``accepted`` has :data:`PRICE_COLUMNS` sorted by ticker then date; ``rejects`` gives
        ``source_row`` (1-based data row of the file), reason and raw text. Rows are rejected
        for an unparseable date, missing ticker, missing/non-numeric/non-positive close or
        adj_close, negative open/high/low/volume, high < low, and duplicate (date, ticker)
        (the first occurrence, in file order then row order, is kept).

    Notes
    -----
    ``rows_read`` counts the rows inside the ticker/date window. In CSV files, rows with an
    unparseable date or ticker are counted (and rejected), since they cannot be placed outside
    the window; in parquet the filter is pushed down, so rows with a null date or ticker fall
    outside any filter on that column.
    """
    path = Path(path)
    if not path.exists():
        raise DataError("no such file or directory", file=str(path))
    if format is not None and format not in PRICE_FORMATS:
        raise DataError(f"unknown price format {format!r}; known: {sorted(PRICE_FORMATS)}",
                        file=str(path))
    tick = None if tickers is None else sorted({normalize_ticker(t) for t in tickers} - {None})
    a, b = _day_or_none(start), _day_or_none(end)
    if path.is_dir():
        files = sorted(p for p in path.iterdir()
                       if p.is_file() and p.suffix.lower() in DATA_SUFFIXES
                       and not p.name.startswith("."))
        if not files:
            raise DataError("directory holds no .csv or .parquet files", file=str(path))
    else:
        files = [path]
    results = [PRICE_FORMATS[format or detect_price_format(f)](f, tickers=tick, start=a, end=b)
               for f in files]
    if len(results) == 1 and not path.is_dir():
        res = results[0]
        acc = res.accepted.sort_values(["ticker", "date"], kind="stable").reset_index(drop=True)
        return ParseResult(res.source, res.file, res.rows_read, acc, res.rejects,
                           notes=res.notes)
    return _combine(results, str(path))


def _combine(results: list[ParseResult], file: str) -> ParseResult:
    """Concatenate per-file results, rejecting (date, ticker) pairs already seen in an
    earlier file."""
    sources = "+".join(sorted({r.source for r in results}))
    acc_parts, rej_parts = [], [r.rejects for r in results]
    seen = empty_frame({"date": "datetime64[ns]", "ticker": "string"})
    for r in results:
        key = r.accepted[["date", "ticker"]]
        dup = key.merge(seen.assign(__seen=True), on=["date", "ticker"], how="left")["__seen"]
        dup = dup.fillna(False).astype(bool).to_numpy()
        if dup.any():
            d = r.accepted[dup]
            rej_parts.append(pd.DataFrame({
                "source": r.source, "file": r.file, "source_row": -1,
                "reason": "duplicate (date, ticker) of an earlier file",
                "raw": d["ticker"].astype(str) + "," + d["date"].dt.strftime("%Y-%m-%d"),
            }))
        acc_parts.append(r.accepted[~dup])
        seen = pd.concat([seen, key[~dup]], ignore_index=True)
    accepted = pd.concat(acc_parts, ignore_index=True) if acc_parts else empty_frame(
        PRICE_COLUMNS)
    accepted = coerce_frame(accepted.sort_values(["ticker", "date"], kind="stable"),
                            PRICE_COLUMNS)
    rejects = coerce_frame(pd.concat(rej_parts, ignore_index=True),
                           REJECT_COLUMNS)
    notes = tuple(dict.fromkeys(n for r in results for n in r.notes))
    return ParseResult(sources, file, sum(r.rows_read for r in results), accepted, rejects,
                       notes=notes)


# --------------------------------------------------------------------------- securities


def read_securities(path: str | Path) -> pd.DataFrame:
    """Security master (``sp500_constituents.csv``: Symbol, Name, Sector) as ticker, name, sector.

    Tickers are normalized with :func:`normalize_ticker` so they match the price table
    (``BRK.B``; a Yahoo-style ``BRK-B`` becomes ``BRK.B``). Raises :class:`DataError` (file, row,
    reason) on a missing symbol or a duplicate ticker. ``GICS Sector``/``Security`` headers
    (Wikipedia layout) are accepted too.
    """
    path = Path(path)
    df = _read_csv_text(path) if path.exists() else None
    if df is None:
        raise DataError("no such file", file=str(path))
    by_key = {_key(c): c for c in df.columns}

    def pick(*names):
        return next((by_key[n] for n in names if n in by_key), None)

    cols = {"ticker": pick("symbol", "ticker"), "name": pick("name", "security"),
            "sector": pick("sector", "gicssector")}
    missing = [k for k, v in cols.items() if v is None]
    if missing:
        raise DataError(f"missing columns {missing} (header: {list(df.columns)})",
                        file=str(path), row=1)
    out = pd.DataFrame({k: df[v] for k, v in cols.items()})
    out["ticker"] = out["ticker"].map(normalize_ticker)
    for c in ("name", "sector"):
        out[c] = out[c].str.strip()
    if out["ticker"].isna().any():
        i = int(np.flatnonzero(out["ticker"].isna())[0])
        raise DataError("missing symbol", file=str(path), row=i + 1, column=cols["ticker"])
    dup = out["ticker"].duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        raise DataError(f"duplicate ticker {out['ticker'].iloc[i]!r}", file=str(path),
                        row=i + 1, column=cols["ticker"])
    return coerce_frame(out, SECURITY_COLUMNS)


# --------------------------------------------------------------------------- wide / returns


def to_wide(prices: pd.DataFrame, field: str = "adj_close") -> pd.DataFrame:
    """Date x ticker frame of one field of the long price table (NaN where no quote).

    Rows are the union of dates present in ``prices`` (sorted); nothing is filled.
    Raises :class:`DataError` on duplicate (date, ticker) rows.
    """
    for c in ("date", "ticker", field):
        if c not in prices.columns:
            raise DataError(f"price table has no column {c!r}")
    if prices.duplicated(["date", "ticker"]).any():
        i = int(np.flatnonzero(prices.duplicated(["date", "ticker"]).to_numpy())[0])
        raise DataError("duplicate (date, ticker) in price table", row=i + 1)
    wide = prices.pivot(index="date", columns="ticker", values=field).sort_index()
    wide.columns = pd.Index(wide.columns.astype(str), name="ticker")
    return wide.astype("float64")


def compute_returns(prices: pd.DataFrame, kind: str = "simple", *,
                    field: str = "adj_close") -> pd.DataFrame:
    """Daily returns (decimals, per session) from adjusted close, date x ticker.

    Parameters
    ----------
    prices : DataFrame
        The long price table (has ``date`` and ``ticker`` columns; ``field`` is pivoted with
        :func:`to_wide`) or an already wide date x ticker frame of prices.
    kind : {"simple", "log"}
        ``p_t / p_{t-1} - 1`` or ``log(p_t / p_{t-1})``.
    field : str
        Long input only: the price column (default the split/dividend adjusted close).

    Returns
    -------
    DataFrame
        Same shape as the wide prices. The return at row t uses the previous row only: the first
        quote of a ticker, and the row after any missing quote, are NaN (no filling across
        gaps, so a return never silently spans several sessions).
    """
    if kind not in ("simple", "log"):
        raise DataError(f"kind must be 'simple' or 'log', not {kind!r}")
    wide = to_wide(prices, field) if {"date", "ticker"} <= set(prices.columns) else prices
    wide = wide.sort_index().astype("float64")
    ratio = wide / wide.shift(1)
    return np.log(ratio) if kind == "log" else ratio - 1.0
