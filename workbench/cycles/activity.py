"""Trade activity as a regular per-session count series (the input of the cycle analyses)."""

from __future__ import annotations

import pandas as pd

from workbench.exceptions import DataError

__all__ = ["cycles_by_group", "trade_activity"]


def trade_activity(trades: pd.DataFrame, *, by: str | None = None,
                   date: str = "transaction_date", start=None, end=None,
                   top: int | None = None) -> pd.DataFrame:
    """Count trades per NYSE session, optionally per group.

    Parameters
    ----------
    trades : DataFrame
        Canonical trades table.
    by : str, optional
        Column to split by (``politician``, ``chamber``, ``party``, ``ticker``...); one output
        column per value (``total`` when ``None``).
    date : {"transaction_date", "disclosure_date"}
        Which date counts. Cycles of *trading* behaviour use the transaction date; what the public
        could see uses the disclosure date. Dates on weekends or holidays roll forward to the next
        session.
    start, end : date-like, optional
        Session range; defaults to the span of the dates.
    top : int, optional
        Keep the ``top`` most active groups.

    Returns
    -------
    DataFrame indexed by every session in range (zeros where nothing happened), int counts.
    """
    from workbench.data.calendar import roll_forward, trading_days

    if date not in trades.columns:
        raise DataError(f"trades have no column {date!r}")
    d = pd.to_datetime(trades[date])
    ok = d.notna()
    if not ok.any():
        raise DataError(f"no trade has a {date}")
    sess = pd.DatetimeIndex(roll_forward(d[ok]))
    lo = pd.Timestamp(start) if start is not None else sess.min()
    hi = pd.Timestamp(end) if end is not None else sess.max()
    idx = trading_days(lo, hi)
    key = trades.loc[ok, by].astype("string").fillna("unknown").to_numpy() if by else "total"
    frame = pd.DataFrame({"date": sess, "key": key})
    frame = frame[(frame["date"] >= lo) & (frame["date"] <= hi)]
    out = frame.groupby(["date", "key"]).size().unstack("key", fill_value=0)
    out = out.reindex(idx, fill_value=0).astype(int)
    out.index.name = "date"
    out.columns.name = by or None
    if top is not None and out.shape[1] > top:
        out = out[out.sum().sort_values(ascending=False).index[:top]]
    return out


def cycles_by_group(activity: pd.DataFrame, **kwargs) -> pd.DataFrame:
    """Significant cycles of every column of a per-session count frame.

    Runs :func:`~workbench.cycles.detect_cycles` on each column (``kwargs`` are passed on);
    columns with too few observations are skipped. Returns ``group, period, calendar_label,
    amplitude, q_value`` rows, strongest first within a group.
    """
    from workbench.cycles.spectral import detect_cycles

    rows = []
    for col in activity.columns:
        try:
            res = detect_cycles(activity[col], **kwargs)
        except DataError:
            continue
        sig = res.significant
        for r in sig.itertuples():
            rows.append({"group": col, "period": r.period, "calendar_label": r.calendar_label,
                         "amplitude": r.amplitude, "q_value": r.q_value})
    return pd.DataFrame(rows, columns=["group", "period", "calendar_label", "amplitude",
                                       "q_value"])
