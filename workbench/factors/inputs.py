"""Shared input handling: wide returns from prices, trade selection and entry sessions.

Entry convention (no look-ahead): a trade acted on at its *disclosure* enters at the close of
the first NYSE session strictly after the disclosure date (:func:`workbench.data.calendar.
next_session`): filings arrive at unknown times of day, so the disclosure date itself is never
tradable. A trade acted on at its *transaction* date (the politician's own timing, a
counterfactual the public cannot replicate) enters at the close of the transaction date, rolled
forward to a session if it is not one. A position entered at the close of session ``e`` earns
the close-to-close returns of sessions ``e+1 .. e+holding_days``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.exceptions import DataError

__all__ = ["to_wide_prices", "to_returns", "select_trades", "entry_sessions", "locate_entries", "ENTRIES"]

ENTRIES = ("disclosure", "transaction")
KEEP_COLUMNS = ("trade_id", "politician", "party", "chamber", "ticker", "side", "asset_type",
                "transaction_date", "disclosure_date", "amount_low", "amount_mid",
                "amount_high")


def to_wide_prices(prices: pd.DataFrame, field: str = "adj_close") -> pd.DataFrame:
    """Date x ticker price levels from a long price table or a wide price frame.

    A long table has ``date`` and ``ticker`` columns (PRICE_COLUMNS); anything else is taken as
    a wide date-indexed frame of prices (adjusted closes).
    """
    if {"date", "ticker"}.issubset(prices.columns):
        if field not in prices.columns:
            raise DataError(f"price table has no column {field!r}")
        wide = prices.pivot_table(index="date", columns="ticker", values=field, aggfunc="last")
    else:
        wide = prices
    wide = wide.sort_index()
    wide.index = pd.DatetimeIndex(wide.index).astype("datetime64[ns]")
    wide.columns = wide.columns.astype(str)
    return wide


def to_returns(prices: pd.DataFrame, field: str = "adj_close") -> pd.DataFrame:
    """Daily simple close-to-close returns, date x ticker (see :func:`to_wide_prices`).

    Gaps are not filled: the return after a missing price is NaN.
    """
    return to_wide_prices(prices, field).pct_change(fill_method=None)


def select_trades(trades: pd.DataFrame, side: str, asset_types=("stock",)) -> pd.DataFrame:
    """Trades of one side (``buy``/``sell``) and asset types, with a clean positional index."""
    for col in ("side", "asset_type", "ticker", "transaction_date", "disclosure_date"):
        if col not in trades.columns:
            raise DataError(f"trades table has no column {col!r}")
    if side not in ("buy", "sell"):
        raise ValueError(f"side must be 'buy' or 'sell', not {side!r}")
    keep = ((trades["side"] == side) & trades["asset_type"].isin(list(asset_types)))
    cols = [c for c in KEEP_COLUMNS if c in trades.columns]   # filter only what is used
    return trades.loc[keep.fillna(False).to_numpy(), cols].reset_index(drop=True)


def entry_sessions(trades: pd.DataFrame, entry: str = "disclosure") -> pd.Series:
    """Session at whose close each trade can be entered (NaT when the date is missing).

    ``entry="disclosure"``: first session strictly after ``disclosure_date``.
    ``entry="transaction"``: ``transaction_date`` rolled forward to a session.
    Dates the NYSE calendar does not cover map to NaT rather than raising.
    """
    from workbench.data import calendar

    if entry not in ENTRIES:
        raise ValueError(f"entry must be one of {ENTRIES}, not {entry!r}")
    col = "disclosure_date" if entry == "disclosure" else "transaction_date"
    dates = pd.to_datetime(trades[col]).astype("datetime64[ns]").reset_index(drop=True)
    # Dates the exchange calendar does not cover (typos such as year 2202) have no session.
    cal = calendar.nyse_calendar()
    lo = pd.Timestamp(cal.first_session).tz_localize(None)
    hi = pd.Timestamp(cal.last_session).tz_localize(None) - pd.Timedelta(days=7)
    dates = dates.where((dates >= lo) & (dates <= hi))
    fn = calendar.next_session if entry == "disclosure" else calendar.roll_forward
    out = fn(dates)
    return pd.Series(pd.DatetimeIndex(out), index=trades.index, name="entry_date")


def locate_entries(trades: pd.DataFrame, levels: pd.DataFrame, entry: str,
                   weight_values: np.ndarray | None = None) -> pd.DataFrame:
    """Per-trade entry row/column in the wide price frame and the reason a trade is not covered.

    Returns a frame on the trades' index with ``entry_date``, ``row`` (position of the entry
    session in ``levels.index``, -1 if none), ``col`` (ticker column, -1 if none) and
    ``reason`` (``""`` when covered; otherwise ``missing ticker``, ``no price series``,
    ``missing date``, ``outside price history``, ``no price at entry``, ``missing amount``).
    Nothing is filled in: an uncovered trade is counted, not approximated.
    """
    idx = levels.index
    ent = entry_sessions(trades, entry)
    ticker = trades["ticker"].astype("string")
    col = pd.Index(levels.columns).get_indexer(ticker.fillna("\x00").to_numpy())
    valid_date = ent.notna().to_numpy()
    row = np.full(len(trades), -1, dtype=np.int64)
    pos = np.searchsorted(idx.asi8, ent.to_numpy(dtype="datetime64[ns]").astype(np.int64), "left")
    ent_ns = ent.to_numpy(dtype="datetime64[ns]").astype(np.int64)
    inside = valid_date & (pos < len(idx)) & (ent_ns >= idx.asi8[0] if len(idx) else False)
    row[inside] = pos[inside]
    reason = np.full(len(trades), "", dtype=object)
    price_ok = np.zeros(len(trades), dtype=bool)
    ok = (row >= 0) & (col >= 0)
    # The entry needs a price at the entry close (the session may be a gap in that series).
    price_ok[ok] = levels.notna().to_numpy()[row[ok], col[ok]]
    reason[~price_ok] = "no price at entry"
    reason[(row < 0) & valid_date] = "outside price history"
    reason[~valid_date] = "missing date"
    reason[col < 0] = "no price series"
    reason[ticker.isna().to_numpy()] = "missing ticker"
    if weight_values is not None:
        bad_w = ~(np.asarray(weight_values, dtype=float) > 0)
        reason[bad_w & (reason == "")] = "missing amount"
    return pd.DataFrame({"entry_date": ent.to_numpy(), "row": row, "col": col,
                         "reason": reason}, index=trades.index)
