"""Per-format daily price readers and the helpers they share.

Holds the readers of each price format (``parquet_long``, ``alphavantage_csv``,
``yfinance_csv``), their registry :data:`PRICE_FORMATS` and :func:`detect_price_format`, plus
what the readers share: column-name aliases (:data:`COLUMN_ALIASES`), text-CSV reading, date
parsing, the canonical-column mapping and the row validation that turns a frame into accepted
rows and reasoned rejects. :func:`workbench.data.sources.prices.read_prices` dispatches to these
readers; :mod:`workbench.data.sources.prices` re-exports :data:`PRICE_FORMATS`,
:func:`detect_price_format` and the helpers :mod:`workbench.data.sources.option_chains` takes from it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.data.schema import PRICE_COLUMNS, REJECT_COLUMNS, ParseResult, coerce_frame
from workbench.exceptions import DataError

__all__ = ["PRICE_FORMATS", "detect_price_format", "COLUMN_ALIASES", "normalize_ticker"]

# Accepted spellings of each canonical column, compared after lower-casing and removing
# spaces, dashes and underscores ("Adj Close" -> "adjclose").
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "date": ("date", "timestamp", "datetime", "day"),
    "ticker": ("ticker", "symbol"),
    "open": ("open",),
    "high": ("high",),
    "low": ("low",),
    "close": ("close",),
    "adj_close": ("adjclose", "adjustedclose"),
    "volume": ("volume",),
}


def normalize_ticker(ticker) -> str | None:
    """Upper-case, trimmed ticker with share classes spelled with a dot (``BRK-B`` -> ``BRK.B``).

    The price parquet spells class shares ``BRK.B``; Yahoo uses ``BRK-B``, others ``BRK/B`` or
    ``BRK B``. Empty or missing input gives ``None``.
    """
    if ticker is None or (isinstance(ticker, float) and np.isnan(ticker)) or ticker is pd.NA:
        return None
    t = str(ticker).strip().upper()
    if not t:
        return None
    return re.sub(r"^([A-Z]+)[\-/ ]([A-Z])$", r"\1.\2", t)


def _key(name: str) -> str:
    return re.sub(r"[\s_\-]", "", str(name)).lower()


def _map_columns(columns: Iterable[str]) -> dict[str, str]:
    """Canonical name -> actual column name, for the columns present."""
    by_key = {_key(c): c for c in columns}
    out = {}
    for canon, aliases in COLUMN_ALIASES.items():
        for a in aliases:
            if a in by_key:
                out[canon] = by_key[a]
                break
    return out


# --------------------------------------------------------------------------- validation


def _parse_dates(raw: pd.Series) -> pd.Series:
    """Session dates from strings or timestamps; unparseable -> NaT. Time and zone are dropped
    (a yfinance ``2021-01-04 00:00:00-05:00`` is the 2021-01-04 session)."""
    if pd.api.types.is_datetime64_any_dtype(raw):
        out = raw.dt.tz_localize(None) if getattr(raw.dt, "tz", None) is not None else raw
        return out.dt.normalize().astype("datetime64[ns]")
    s = raw.astype("string").str.strip()
    iso = s.str.extract(r"^(\d{4}-\d{2}-\d{2})(?:[ T].*)?$", expand=False)
    out = pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce")
    rest = out.isna() & s.notna() & iso.isna()
    if rest.any():
        out[rest] = pd.to_datetime(s[rest], format="mixed", errors="coerce")
    return out.astype("datetime64[ns]").dt.normalize()


def _validate(df: pd.DataFrame, raw: pd.DataFrame, rows: np.ndarray, *, source: str,
              file: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a frame already in canonical columns into accepted rows and reasoned rejects.

    ``rows`` are the 1-based source row numbers, ``raw`` the source frame (same index); its
    rows are joined into text for the rejects only. The first
    failing check names the reason; a duplicate (date, ticker) keeps its first occurrence.
    """
    reason = pd.Series(pd.NA, index=df.index, dtype="string")

    def flag(mask, text):
        mask = np.asarray(mask, dtype=bool) & reason.isna().to_numpy()
        reason[mask] = text

    flag(df["date"].isna(), "unparseable date")
    flag(df["ticker"].isna(), "missing ticker")
    # a ticker-day left blank in a wide multi-ticker download: absence, not a bad quote
    flag(df[["open", "high", "low", "close", "adj_close", "volume"]].isna().all(axis=1),
         "no quote (all price fields empty)")
    flag(df["close"].isna(), "missing or non-numeric close")
    flag(df["close"] <= 0, "non-positive close")
    flag(df["adj_close"].isna(), "missing or non-numeric adj_close")
    flag(df["adj_close"] <= 0, "non-positive adj_close")
    flag((df[["open", "high", "low"]] < 0).any(axis=1), "negative open/high/low")
    flag(df["high"] < df["low"], "high < low")
    flag(df["volume"] < 0, "negative volume")
    ok = reason.isna()
    first_row = pd.Series(rows, index=df.index)
    dup = df[ok].duplicated(["date", "ticker"], keep="first")
    if dup.any():
        keys = df.loc[ok, ["date", "ticker"]]
        first = first_row[ok].groupby([keys["date"], keys["ticker"]]).transform("first")
        idx = dup[dup].index
        reason[idx] = "duplicate (date, ticker) of source row " + first[idx].astype(str)
    bad = reason.notna().to_numpy()
    rejects = pd.DataFrame({
        "source": source, "file": file, "source_row": rows[bad].astype("int64"),
        "reason": reason[bad].to_numpy(), "raw": _raw_text(raw[bad]).to_numpy(),
    })
    rejects = coerce_frame(rejects, REJECT_COLUMNS)
    accepted = coerce_frame(df[~bad], PRICE_COLUMNS)
    return accepted, rejects


def _to_canonical(df: pd.DataFrame, cols: dict[str, str], ticker: str | None) -> pd.DataFrame:

    out = pd.DataFrame(index=df.index)
    out["date"] = _parse_dates(df[cols["date"]])
    if "ticker" in cols:
        # normalize each distinct spelling once (1.4M rows, ~500 tickers)
        codes, uniques = pd.factorize(df[cols["ticker"]], use_na_sentinel=True)
        norm = pd.array([normalize_ticker(u) for u in uniques], dtype="string")
        out["ticker"] = pd.Series(norm.take(codes, allow_fill=True), index=df.index)
    else:
        out["ticker"] = pd.Series(normalize_ticker(ticker), index=df.index, dtype="string")
    for c in ("open", "high", "low", "close", "adj_close", "volume"):
        src = df[cols[c]] if c in cols else pd.Series(np.nan, index=df.index)
        out[c] = pd.to_numeric(src, errors="coerce").astype("float64")
    return out


def _window(df: pd.DataFrame, tickers, start, end) -> pd.Series:
    """Rows inside the requested window; rows with unparseable date/ticker stay (to be rejected)."""
    keep = pd.Series(True, index=df.index)
    if tickers is not None:
        keep &= df["ticker"].isin(tickers) | df["ticker"].isna()
    if start is not None:
        keep &= (df["date"] >= start) | df["date"].isna()
    if end is not None:
        keep &= (df["date"] <= end) | df["date"].isna()
    return keep


# --------------------------------------------------------------------------- formats


def _read_csv_text(path: Path) -> pd.DataFrame:
    """All fields as text (empty / ``null`` / ``NaN`` -> None); row i is data line i.

    Read headerless so that a line with more fields than the header raises instead of pandas
    silently turning the first column into the index and shifting every field.
    """
    try:
        df = pd.read_csv(path, dtype=str, header=None, keep_default_na=False,
                         skip_blank_lines=True, encoding="utf-8-sig")
    except pd.errors.EmptyDataError as e:
        raise DataError("empty file", file=str(path), row=1) from e
    except pd.errors.ParserError as e:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(e))
        if m:
            raise DataError(f"expected {m[1]} fields, saw {m[3]} (line {m[2]})", file=str(path),
                            row=int(m[2]) - 1) from e
        raise DataError(f"not a readable CSV: {e}", file=str(path)) from e
    except UnicodeDecodeError as e:
        raise DataError(f"not a readable CSV: {e}", file=str(path)) from e
    header = [str(h).strip() for h in df.iloc[0]]
    df = df.iloc[1:].reset_index(drop=True)
    df.columns = header
    return df.replace({"": None, "null": None, "NaN": None, "nan": None})


def _raw_text(df: pd.DataFrame) -> pd.Series:
    """The fields of each row joined with commas (for the rejects table)."""
    if not len(df):
        return pd.Series([], dtype=object, index=df.index)
    text = df.astype(object).where(df.notna(), "").astype(str)
    return pd.Series([",".join(r) for r in text.to_numpy().tolist()], index=df.index)


def _read_csv_format(path: Path, *, source: str, required: tuple[str, ...], tickers, start, end,
                     frame: pd.DataFrame | None = None, lines: np.ndarray | None = None
                     ) -> ParseResult:
    """Shared CSV path; ``frame``/``lines`` let a caller pass an already reshaped table and the
    1-based data line of each of its rows."""
    df = _read_csv_text(path) if frame is None else frame
    cols = _map_columns(df.columns)
    missing = [c for c in required if c not in cols]
    if missing:
        raise DataError(f"{source}: missing columns {missing} (header: {list(df.columns)})",
                        file=str(path), row=1)
    if "adj_close" not in cols:
        cols["adj_close"] = cols["close"]  # auto-adjusted yfinance download: Close is adjusted
    canon = _to_canonical(df, cols, ticker=None if "ticker" in cols else path.stem)
    keep = _window(canon, tickers, start, end).to_numpy()
    rows = (np.arange(1, len(df) + 1) if lines is None else np.asarray(lines))[keep]
    acc, rej = _validate(canon[keep], df[keep], rows, source=source, file=str(path))
    notes = ("adj_close taken from close (no adjusted column)",) if cols["adj_close"] == \
        cols["close"] else ()
    return ParseResult(source, str(path), int(keep.sum()), acc, rej, notes=notes)


def _read_alphavantage(path: Path, *, tickers=None, start=None, end=None) -> ParseResult:
    """AlphaVantage TIME_SERIES_DAILY_ADJUSTED CSV; one ticker per file named ``<TICKER>.csv``.

    ``dividend_amount`` and ``split_coefficient`` are dropped: ``adjusted_close`` carries them.
    """
    return _read_csv_format(path, source="alphavantage_csv",
                            required=("date", "open", "high", "low", "close", "adj_close",
                                      "volume"), tickers=tickers, start=start, end=end)


def _read_yfinance(path: Path, *, tickers=None, start=None, end=None) -> ParseResult:
    """yfinance ``download`` CSV: Date, Open, High, Low, Close[, Adj Close], Volume[, Ticker],
    or the three-line multi-header layout of yfinance >= 0.2.51 (one or many tickers).

    Without a Ticker column the file stem is the ticker. Without ``Adj Close`` (downloads with
    ``auto_adjust=True``) ``Close`` is already adjusted and is used for both fields.
    """
    frame = lines = None
    with open(path, newline="", encoding="utf-8-sig", errors="replace") as fh:
        first = next(csv.reader(fh), [])
    if first and _key(first[0]) == "price":
        frame, lines = _unstack_yfinance(path)
    return _read_csv_format(path, source="yfinance_csv",
                            required=("date", "open", "high", "low", "close", "volume"),
                            tickers=tickers, start=start, end=end, frame=frame, lines=lines)


def _unstack_yfinance(path: Path) -> tuple[pd.DataFrame, np.ndarray]:
    """yfinance >= 0.2.51 ``download().to_csv()`` layout, as long rows with a Ticker column.

    Three header lines: ``Price,Close,High,...`` (field per column), ``Ticker,AAPL,AAPL,...``
    (ticker per column) and ``Date,,,...``; then one line per date holding every ticker.
    Returns the long frame and, per row, its 1-based data line (shared by the tickers of a
    line).
    """
    head = pd.read_csv(path, header=None, nrows=3, dtype=str, keep_default_na=False)
    if len(head) < 3 or _key(head.iat[1, 0]) != "ticker" or _key(head.iat[2, 0]) != "date":
        raise DataError("yfinance multi-header CSV: expected 'Ticker' and 'Date' header lines",
                        file=str(path), row=2)
    try:
        body = pd.read_csv(path, header=None, skiprows=3, dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError as e:
        raise DataError("yfinance multi-header CSV without data rows", file=str(path),
                        row=4) from e
    if body.shape[1] != head.shape[1]:
        raise DataError(f"expected {head.shape[1]} fields per line, got {body.shape[1]}",
                        file=str(path), row=4)
    fields, names = head.iloc[0, 1:].tolist(), head.iloc[1, 1:].tolist()
    parts, lines = [], []
    for ticker in dict.fromkeys(names):
        idx = [i + 1 for i, t in enumerate(names) if t == ticker]
        part = body.iloc[:, [0] + idx].copy()
        part.columns = ["Date"] + [fields[i - 1] for i in idx]
        part.insert(1, "Ticker", ticker)
        parts.append(part)
        lines.append(np.arange(1, len(body) + 1))
    frame = pd.concat(parts, ignore_index=True).replace({"": None})
    return frame, np.concatenate(lines)


def _read_parquet_long(path: Path, *, tickers=None, start=None, end=None) -> ParseResult:
    """Long parquet (one row per date and ticker), e.g. ``sp500_daily_2010_2021.parquet``
    (columns date, ticker, open, high, low, close, adjusted_close, volume, dividend_amount,
    split_coefficient). Filters are pushed down (DuckDB) and source rows are the 1-based row
    numbers in the file."""
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
    except Exception as e:  # pyarrow raises several types for non-parquet input
        raise DataError(f"not a parquet file: {e}", file=str(path)) from e
    cols = _map_columns(schema.names)
    missing = [c for c in ("date", "ticker", "open", "high", "low", "close", "adj_close",
                           "volume") if c not in cols]
    if missing:
        raise DataError(f"parquet_long: missing columns {missing} (columns: {schema.names})",
                        file=str(path))
    wanted = list(dict.fromkeys(cols.values()))
    if tickers is None and start is None and end is None:
        # dictionary-encode tickers: ~500 distinct values over 1.4M rows
        table = pq.read_table(path, columns=wanted, read_dictionary=[cols["ticker"]])
        df = table.to_pandas()
        rows = np.arange(1, len(df) + 1)
    else:
        import duckdb

        quote = '"{}"'.format
        where, params = [], [str(path)]
        if tickers is not None:
            where.append(f"{quote(cols['ticker'])} IN (SELECT UNNEST(?))")
            params.append(list(tickers))
        if start is not None:
            where.append(f"{quote(cols['date'])} >= ?")
            params.append(start.to_pydatetime())
        if end is not None:
            where.append(f"{quote(cols['date'])} <= ?")
            params.append(end.to_pydatetime())
        sql = (f"SELECT {', '.join(quote(c) for c in wanted)}, file_row_number AS __row "
               f"FROM read_parquet(?, file_row_number=true) WHERE {' AND '.join(where)} "
               "ORDER BY __row")
        try:
            with duckdb.connect() as con:
                con.execute("SET enable_progress_bar = false")  # a widget inside a kernel
                df = con.execute(sql, params).df()
        except duckdb.Error as e:
            raise DataError(f"cannot filter parquet: {e}", file=str(path)) from e
        rows = df.pop("__row").to_numpy() + 1
    canon = _to_canonical(df, cols, ticker=None)
    acc, rej = _validate(canon, df, rows, source="parquet_long", file=str(path))
    return ParseResult("parquet_long", str(path), len(df), acc, rej)


PRICE_FORMATS: dict[str, Callable[..., ParseResult]] = {
    "parquet_long": _read_parquet_long,
    "alphavantage_csv": _read_alphavantage,
    "yfinance_csv": _read_yfinance,
}


def detect_price_format(path: str | Path) -> str:
    """Name of the :data:`PRICE_FORMATS` entry that reads ``path`` (suffix, then CSV header).

    AlphaVantage headers start with ``timestamp`` and have ``adjusted_close``; yfinance headers
    have ``Date`` and ``Close``. Raises :class:`DataError` when nothing matches.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        return "parquet_long"
    if suffix != ".csv":
        raise DataError(f"unknown price file type {suffix!r}", file=str(path))
    with open(path, newline="", encoding="utf-8-sig", errors="replace") as fh:
        header = next(csv.reader(fh), [])
    if not header:
        raise DataError("empty file", file=str(path), row=1)
    keys = {_key(c) for c in header}
    if "timestamp" in keys and "adjustedclose" in keys:
        return "alphavantage_csv"
    if ("date" in keys or _key(header[0]) == "price") and "close" in keys:
        return "yfinance_csv"
    raise DataError(f"unrecognized price CSV header {header}", file=str(path), row=1)
