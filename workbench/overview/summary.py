"""Descriptive overview of a trades table: activity per month, top traders and tickers, asset
types and amount brackets. Complements :mod:`workbench.overview.coverage` (completeness, lag).

Pure pandas on the canonical trades table; nothing is read or written.

Dates used
----------
``date="transaction"`` (default here) counts trades when they happened; ``date="disclosure"``
when the public learned of them. The overview describes activity, so the notebook uses the
transaction date and says so; anything that *acts* on trades must use the disclosure date.
Amounts are the parsed range bounds in US dollars; "volume" is the sum of range mid-points
(``amount_mid``), an estimate, not a reported figure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.exceptions import DataError

__all__ = ["Overview", "compute_overview", "select_trades", "trades_per_month", "top_traders",
           "top_tickers", "asset_type_counts", "amount_distribution", "DATE_COLUMNS",
           "STANDARD_BRACKETS", "OTHER_AMOUNTS"]

DATE_COLUMNS = {"transaction": "transaction_date", "disclosure": "disclosure_date"}
CHAMBER_CHOICES = ("all", "senate", "house")


def _date_column(date: str) -> str:
    try:
        return DATE_COLUMNS[date]
    except KeyError:
        raise DataError(f"date must be one of {sorted(DATE_COLUMNS)}, got {date!r}") from None


def _ts(value, name: str) -> pd.Timestamp | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return pd.Timestamp(value)
    except (ValueError, TypeError):
        raise DataError(f"{name}={value!r} is not an ISO date (YYYY-MM-DD)") from None


def select_trades(trades: pd.DataFrame, *, chamber: str = "all", start: str | None = "",
                  end: str | None = "", date: str = "transaction") -> pd.DataFrame:
    """Trades of one chamber (or all) whose ``date`` lies in ``[start, end]`` (inclusive).

    Parameters
    ----------
    chamber : {"all", "senate", "house"}
    start, end : str, optional
        ISO dates; empty string or None leaves that side open.
    date : {"transaction", "disclosure"}
        Which date the range applies to. With a bound given, trades missing that date are
        dropped (they cannot be placed in the range).

    Raises
    ------
    DataError
        Unknown chamber or date basis, unparsable date, or ``start > end``.
    """
    if chamber not in CHAMBER_CHOICES:
        raise DataError(f"chamber must be one of {CHAMBER_CHOICES}, got {chamber!r}")
    col = _date_column(date)
    lo, hi = _ts(start, "start"), _ts(end, "end")
    if lo is not None and hi is not None and lo > hi:
        raise DataError(f"start {start} is after end {end}")
    keep = pd.Series(True, index=trades.index)
    if chamber != "all":
        keep &= (trades["chamber"] == chamber).fillna(False).astype(bool)
    d = pd.to_datetime(trades[col])
    if lo is not None:
        keep &= (d >= lo).fillna(False).astype(bool)
    if hi is not None:
        keep &= (d <= hi).fillna(False).astype(bool)
    return trades.loc[keep.to_numpy()].reset_index(drop=True)


def trades_per_month(trades: pd.DataFrame, *, date: str = "transaction") -> pd.DataFrame:
    """Trade counts per calendar month and chamber.

    Returns
    -------
    DataFrame
        Index ``month`` (Timestamp of the month's first day, every month between the first and
        the last trade, zeros filled), one int column per chamber. Trades without the date are
        left out.
    """
    d = pd.to_datetime(trades[_date_column(date)])
    ok = d.notna().to_numpy()
    if not ok.any():
        return pd.DataFrame(index=pd.DatetimeIndex([], name="month"))
    month = d[ok].dt.to_period("M").dt.to_timestamp()
    chamber = trades["chamber"].astype("object").fillna("unknown")[ok]
    table = (pd.DataFrame({"month": month.to_numpy(), "chamber": chamber.to_numpy()})
             .groupby(["month", "chamber"]).size().unstack("chamber", fill_value=0))
    full = pd.date_range(table.index.min(), table.index.max(), freq="MS", name="month")
    table = table.reindex(full, fill_value=0).astype(int)
    table.columns.name = None
    return table


def _volume(trades: pd.DataFrame) -> pd.Series:
    return pd.to_numeric(trades["amount_mid"], errors="coerce").astype("float64")


def top_traders(trades: pd.DataFrame, n: int = 15) -> pd.DataFrame:
    """The ``n`` politicians with most trades.

    Returns
    -------
    DataFrame
        ``politician, chamber, party, n_trades, n_tickers, volume_mid`` (dollars, sum of
        range mid-points; unknown amounts count as 0), most trades first, ties by name.
        ``chamber``/``party`` are the most frequent values of the politician's trades.
    """
    df = pd.DataFrame({
        "politician": trades["politician"].astype("object").fillna("(unknown)"),
        "chamber": trades["chamber"].astype("object").fillna("unknown"),
        "party": trades["party"].astype("object").fillna("unknown"),
        "ticker": trades["ticker"].astype("object"),
        "volume": _volume(trades).fillna(0.0),
    })
    if df.empty:
        return pd.DataFrame(columns=["politician", "chamber", "party", "n_trades", "n_tickers",
                                     "volume_mid"])
    g = df.groupby("politician", sort=True)
    out = pd.DataFrame({
        "chamber": g["chamber"].agg(lambda s: s.mode().iloc[0]),
        "party": g["party"].agg(lambda s: s.mode().iloc[0]),
        "n_trades": g.size(),
        "n_tickers": g["ticker"].nunique(),
        "volume_mid": g["volume"].sum(),
    }).reset_index()
    out = out.sort_values(["n_trades", "politician"], ascending=[False, True], ignore_index=True)
    return out.head(n)


def top_tickers(trades: pd.DataFrame, n: int = 15) -> pd.DataFrame:
    """The ``n`` most traded tickers (trades with unknown ticker left out).

    Returns
    -------
    DataFrame
        ``ticker, description, n_trades, n_buys, n_sells, n_politicians, volume_mid``;
        ``description`` is the most frequent ``asset_description`` of the ticker (raw text:
        escape it on display).
    """
    df = pd.DataFrame({
        "ticker": trades["ticker"].astype("object"),
        "description": trades["asset_description"].astype("object").fillna(""),
        "side": trades["side"].astype("object"),
        "politician": trades["politician"].astype("object"),
        "volume": _volume(trades).fillna(0.0),
    }).dropna(subset=["ticker"])
    cols = ["ticker", "description", "n_trades", "n_buys", "n_sells", "n_politicians",
            "volume_mid"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    g = df.groupby("ticker", sort=True)
    out = pd.DataFrame({
        "description": g["description"].agg(lambda s: s.mode().iloc[0]),
        "n_trades": g.size(),
        "n_buys": g["side"].agg(lambda s: int((s == "buy").sum())),
        "n_sells": g["side"].agg(lambda s: int((s == "sell").sum())),
        "n_politicians": g["politician"].nunique(),
        "volume_mid": g["volume"].sum(),
    }).reset_index()
    out = out.sort_values(["n_trades", "ticker"], ascending=[False, True], ignore_index=True)
    return out[cols].head(n)


def asset_type_counts(trades: pd.DataFrame) -> pd.DataFrame:
    """``asset_type, n_trades, share`` (share of all trades), most first; missing -> "unknown"."""
    at = trades["asset_type"].astype("object").fillna("unknown")
    out = at.value_counts().rename_axis("asset_type").rename("n_trades").reset_index()
    out = out.sort_values(["n_trades", "asset_type"], ascending=[False, True], ignore_index=True)
    out["n_trades"] = out["n_trades"].astype(int)
    out["share"] = out["n_trades"] / max(len(trades), 1)
    return out


# The disclosure form's value ranges (dollars). Filers may also write exact or other amounts.
STANDARD_BRACKETS = ((1_001.0, 15_000.0), (15_001.0, 50_000.0), (50_001.0, 100_000.0),
                     (100_001.0, 250_000.0), (250_001.0, 500_000.0), (500_001.0, 1_000_000.0),
                     (1_000_001.0, 5_000_000.0), (5_000_001.0, 25_000_000.0),
                     (25_000_001.0, 50_000_000.0))
OTHER_AMOUNTS = "Other (exact or non-standard amount)"


def _bracket_label(lo: float, hi: float) -> str:
    # One dollar sign per label: plotly.js reads text with two "$" as LaTeX.
    if pd.isna(lo) and pd.isna(hi):
        return "Unknown"
    if pd.isna(hi):
        return f"Over ${lo:,.0f}"
    return f"${lo:,.0f} - {hi:,.0f}"


def amount_distribution(trades: pd.DataFrame) -> pd.DataFrame:
    """Trades per disclosed amount bracket, standard brackets by lower bound.

    Returns
    -------
    DataFrame
        ``bracket, amount_low, amount_high, n_trades, share`` (dollars). Rows: the standard
        ranges of the disclosure form and open-ended "Over $X" ranges, by lower bound; then
        ``OTHER_AMOUNTS`` (exact or non-standard amounts, bounds NaN); then ``"Unknown"``.
        Rows with no trade are left out.
    """
    lo = pd.to_numeric(trades["amount_low"], errors="coerce").astype("float64").to_numpy()
    hi = pd.to_numeric(trades["amount_high"], errors="coerce").astype("float64").to_numpy()
    standard = set(STANDARD_BRACKETS)
    keys = []
    for a, b in zip(lo, hi, strict=True):
        if np.isnan(a) and np.isnan(b):
            keys.append((2, np.nan, np.nan, "Unknown"))
        elif (a, b) in standard or (np.isnan(b) and not np.isnan(a)):
            keys.append((0, a, b, _bracket_label(a, b)))
        else:
            keys.append((1, np.nan, np.nan, OTHER_AMOUNTS))
    cols = ["bracket", "amount_low", "amount_high", "n_trades", "share"]
    if not keys:
        return pd.DataFrame(columns=cols)
    df = pd.DataFrame(keys, columns=["group", "amount_low", "amount_high", "bracket"])
    out = (df.groupby(["group", "bracket"], sort=False)
           .agg(amount_low=("amount_low", "first"), amount_high=("amount_high", "first"),
                n_trades=("bracket", "size"))
           .reset_index()
           .sort_values(["group", "amount_low", "amount_high"], na_position="last",
                        ignore_index=True))
    out["n_trades"] = out["n_trades"].astype(int)
    out["share"] = out["n_trades"] / len(trades)
    return out[cols]


@dataclass(frozen=True)
class Overview:
    """Descriptive overview of a trades table (see :func:`compute_overview`).

    Attributes
    ----------
    n_trades, n_politicians, n_tickers : int
    first_date, last_date : Timestamp or NaT
        Range of the chosen ``date`` column.
    date : str
        ``"transaction"`` or ``"disclosure"``: the date counts per month use.
    per_month : DataFrame
        :func:`trades_per_month`.
    top_traders, top_tickers, asset_types, amounts : DataFrame
        :func:`top_traders`, :func:`top_tickers`, :func:`asset_type_counts`,
        :func:`amount_distribution`.
    """

    n_trades: int
    n_politicians: int
    n_tickers: int
    first_date: pd.Timestamp
    last_date: pd.Timestamp
    date: str
    per_month: pd.DataFrame
    top_traders: pd.DataFrame
    top_tickers: pd.DataFrame
    asset_types: pd.DataFrame
    amounts: pd.DataFrame

    def summary(self) -> pd.Series:
        """Headline figures (counts, date range, volume estimate in dollars)."""
        return pd.Series({
            "trades": self.n_trades, "politicians": self.n_politicians,
            "tickers": self.n_tickers,
            f"first {self.date} date": None if pd.isna(self.first_date)
            else self.first_date.date().isoformat(),
            f"last {self.date} date": None if pd.isna(self.last_date)
            else self.last_date.date().isoformat(),
            "months": len(self.per_month),
        }, name="value", dtype=object)

    def to_frame(self) -> pd.DataFrame:
        """Monthly counts in long form: ``month, chamber, n_trades``."""
        long = self.per_month.stack().rename("n_trades").reset_index()
        return long.rename(columns={"level_1": "chamber"})


def compute_overview(trades: pd.DataFrame, *, top_n: int = 15,
                     date: str = "transaction") -> Overview:
    """Overview of a canonical trades table.

    Parameters
    ----------
    trades : DataFrame
        Canonical trades (``politician, chamber, party, ticker, asset_description, asset_type,
        side, transaction_date, disclosure_date, amount_low, amount_high, amount_mid``).
    top_n : int
        Rows of the top-trader and top-ticker tables.
    date : {"transaction", "disclosure"}
        Date used for the monthly counts and the date range.
    """
    d = pd.to_datetime(trades[_date_column(date)])
    return Overview(
        n_trades=len(trades), n_politicians=int(trades["politician"].nunique()),
        n_tickers=int(trades["ticker"].nunique()), first_date=d.min(), last_date=d.max(),
        date=date, per_month=trades_per_month(trades, date=date),
        top_traders=top_traders(trades, top_n), top_tickers=top_tickers(trades, top_n),
        asset_types=asset_type_counts(trades), amounts=amount_distribution(trades))
