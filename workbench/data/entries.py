"""When a trade can be acted on: the project's one entry convention.

A trade acted on at its *disclosure* enters at the close of the first NYSE session strictly after
the disclosure date (:func:`workbench.data.calendar.next_session`): filings arrive at unknown
times of day, so the disclosure date itself is never tradable. A trade acted on at its
*transaction* date (the politician's own timing, a counterfactual the public cannot replicate)
enters at the close of the transaction date, rolled forward to a session if it is not one. A
position entered at the close of session ``e`` earns the close-to-close returns of sessions
``e+1 .. e+h``.

Every analysis that measures what acting on a trade earns (factor portfolios, event studies,
backtests, the network's copier returns, the option trades' move after disclosure) enters
through :func:`entry_sessions` / :func:`locate_entries`; :mod:`workbench.factors.inputs`
re-exports both. They live in the data layer so that lower layers (options) can use them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["ENTRIES", "entry_sessions", "locate_entries"]

ENTRIES = ("disclosure", "transaction")


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
    # compare in nanoseconds whatever the unit of the price index (pandas may give us/ms)
    idx = pd.DatetimeIndex(levels.index).as_unit("ns")
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
