"""Shared input handling: wide returns from prices, trade selection and entry sessions.

Entry convention (no look-ahead; :mod:`workbench.data.entries`, re-exported here): a trade
acted on at its *disclosure* enters at the close of the first NYSE session strictly after the
disclosure date (:func:`workbench.data.calendar.next_session`): filings arrive at unknown times
of day, so the disclosure date itself is never tradable. A trade acted on at its *transaction*
date (the politician's own timing, a counterfactual the public cannot replicate) enters at the
close of the transaction date, rolled forward to a session if it is not one. A position entered
at the close of session ``e`` earns the close-to-close returns of sessions ``e+1 ..
e+holding_days``.
"""

from __future__ import annotations

import pandas as pd

# The entry convention lives in the data layer (options and network use it too); re-exported.
from workbench.data.entries import ENTRIES, entry_sessions, locate_entries
from workbench.exceptions import DataError

__all__ = ["to_wide_prices", "to_returns", "select_trades", "entry_sessions", "locate_entries", "ENTRIES"]
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
