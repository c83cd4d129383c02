"""The NYSE trading calendar: sessions, closures, US federal election days, session rolling.

Every function works on calendar dates (tz-naive midnight Timestamps); intraday times are
dropped. Sessions come from ``exchange_calendars``' ``XNYS`` calendar, which knows regular
holidays and ad hoc closures (Hurricane Sandy 2012-10-29/30, state funerals such as
2018-12-05 and 2025-01-09). Building that calendar takes a fraction of a second, so it is
built once per process (:func:`nyse_calendar` is cached).

Backtests act on the first session *after* a trade's disclosure date (see
:func:`next_session`); use :func:`roll_forward` when a date that already is a session should
map to itself.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pandas as pd

from workbench.exceptions import DataError

__all__ = [
    "nyse_calendar", "trading_days", "nyse_holidays", "election_days", "is_session",
    "roll_forward", "roll_backward", "next_session", "previous_session", "add_sessions",
    "count_sessions",
]

# exchange_calendars' default window (20 years back) would not cover the 1999 AlphaVantage
# files. Before 1970 its XNYS calendar misses the regular holidays (56 weekday closures of
# 1963-1969 that the Fama-French daily file skips show up as sessions), so dates before 1970
# raise rather than return wrong sessions. From 1970 to 2024-03 the XNYS sessions equal the
# trading days of the Fama-French daily file exactly (tested).
CALENDAR_START = "1970-01-02"


@functools.lru_cache(maxsize=1)
def nyse_calendar():
    """The cached ``exchange_calendars`` XNYS calendar (1970-01-02 to about a year ahead)."""
    import exchange_calendars as xc

    with warnings.catch_warnings():
        # exchange_calendars 4.13 trips pandas 3.1 deprecations while building; not ours to fix
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", FutureWarning)
        return xc.get_calendar("XNYS", start=CALENDAR_START)


@functools.lru_cache(maxsize=1)
def _sessions_ns() -> np.ndarray:
    """All XNYS sessions as sorted int64 nanoseconds (for vectorized searchsorted)."""
    s = pd.DatetimeIndex(nyse_calendar().sessions).tz_localize(None).astype("datetime64[ns]")
    return s.asi8.copy()


def _bounds() -> tuple[pd.Timestamp, pd.Timestamp]:
    s = _sessions_ns()
    return pd.Timestamp(s[0]), pd.Timestamp(s[-1])


def _day(value, name: str) -> pd.Timestamp:
    ts = pd.Timestamp(value)
    if ts is pd.NaT:
        raise DataError(f"{name} is missing (NaT)")
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return ts.normalize()


def _check_range(start: pd.Timestamp, end: pd.Timestamp) -> None:
    first, last = _bounds()
    if start < first or end > last:
        raise DataError(f"range {start.date()}..{end.date()} outside the XNYS calendar "
                        f"{first.date()}..{last.date()}")


def trading_days(start, end) -> pd.DatetimeIndex:
    """NYSE sessions between ``start`` and ``end``, both inclusive.

    Parameters
    ----------
    start, end : date-like
        Calendar dates (times are dropped).

    Returns
    -------
    DatetimeIndex
        Tz-naive midnight timestamps named ``date``; empty when ``end < start``.

    Examples
    --------
    >>> len(trading_days("2020-01-01", "2020-12-31"))
    253
    """
    a, b = _day(start, "start"), _day(end, "end")
    if b < a:
        return pd.DatetimeIndex([], dtype="datetime64[ns]", name="date")
    _check_range(a, b)
    s = _sessions_ns()
    lo, hi = np.searchsorted(s, a.value, "left"), np.searchsorted(s, b.value, "right")
    return pd.DatetimeIndex(s[lo:hi].view("datetime64[ns]"), name="date")


def nyse_holidays(start, end) -> pd.DatetimeIndex:
    """Weekdays between ``start`` and ``end`` (inclusive) on which the NYSE was closed.

    Includes regular holidays (Thanksgiving, Good Friday, ...) and ad hoc closures
    (2012-10-29/30 Hurricane Sandy, 2018-12-05 funeral of G. H. W. Bush). Holidays falling on
    a weekend are not listed (the observed weekday is).
    """
    a, b = _day(start, "start"), _day(end, "end")
    if b < a:
        return pd.DatetimeIndex([], dtype="datetime64[ns]", name="date")
    weekdays = pd.bdate_range(a, b)
    days = weekdays.difference(trading_days(a, b))
    return pd.DatetimeIndex(days.astype("datetime64[ns]"), name="date")


def election_days(start, end) -> pd.DatetimeIndex:
    """US federal general election days between ``start`` and ``end`` (inclusive).

    The Tuesday after the first Monday of November of every even year (2 U.S.C. 7), i.e. the
    first Tuesday in November that is not November 1. Presidential elections are the years
    divisible by 4.
    """
    a, b = _day(start, "start"), _day(end, "end")
    out = []
    for year in range(a.year + (a.year % 2), b.year + 1, 2):
        nov1 = pd.Timestamp(year=year, month=11, day=1)
        first_monday = nov1 + pd.Timedelta(days=(0 - nov1.weekday()) % 7)
        day = first_monday + pd.Timedelta(days=1)
        if a <= day <= b:
            out.append(day)
    return pd.DatetimeIndex(out, dtype="datetime64[ns]", name="date")


def _as_days(dates) -> tuple[np.ndarray, np.ndarray, object]:
    """int64 ns of the normalized dates, a NaT mask, and a function restoring the input shape."""
    scalar = np.ndim(dates) == 0 and not isinstance(dates, pd.Series | pd.Index)
    if scalar:
        idx = pd.DatetimeIndex([pd.Timestamp(dates)])
    elif isinstance(dates, pd.Series):
        idx = pd.DatetimeIndex(pd.to_datetime(dates))
    else:
        idx = pd.DatetimeIndex(pd.to_datetime(dates))
    if idx.tz is not None:
        idx = idx.tz_localize(None)
    idx = idx.normalize().astype("datetime64[ns]")
    nat = np.asarray(idx.isna())
    values = idx.asi8.copy()

    def wrap(out_ns: np.ndarray, out_nat: np.ndarray):
        res = pd.DatetimeIndex(np.where(out_nat, np.iinfo(np.int64).min, out_ns)
                               .view("datetime64[ns]"))
        if scalar:
            return res[0]
        if isinstance(dates, pd.Series):
            return pd.Series(res, index=dates.index, name=dates.name)
        return res.rename(getattr(dates, "name", None))

    return values, nat, wrap


def _shift(dates, side: str, step: int):
    values, nat, wrap = _as_days(dates)
    s = _sessions_ns()
    pos = np.searchsorted(s, values, side) + step
    ok = ~nat
    if np.any(ok & ((pos < 0) | (pos >= len(s)) | (values < s[0]) | (values > s[-1]))):
        first, last = _bounds()
        bad = pd.Timestamp(values[ok & ((pos < 0) | (pos >= len(s)) | (values < s[0])
                                        | (values > s[-1]))][0])
        raise DataError(f"date {bad.date()} has no session within the XNYS calendar "
                        f"{first.date()}..{last.date()}")
    out = s[np.clip(pos, 0, len(s) - 1)]
    return wrap(out, nat)


def is_session(dates):
    """Whether each date is an NYSE session (bool scalar, ndarray, or Series like the input)."""
    values, nat, _ = _as_days(dates)
    s = _sessions_ns()
    pos = np.clip(np.searchsorted(s, values, "left"), 0, len(s) - 1)
    out = (s[pos] == values) & ~nat
    if np.ndim(dates) == 0 and not isinstance(dates, pd.Series | pd.Index):
        return bool(out[0])
    if isinstance(dates, pd.Series):
        return pd.Series(out, index=dates.index, name=dates.name)
    return out


def roll_forward(dates):
    """The session on or after each date (a session maps to itself). NaT stays NaT.

    Accepts a scalar (returns a Timestamp), a Series (returns a Series on the same index) or
    any array-like (returns a DatetimeIndex).
    """
    return _shift(dates, "left", 0)


def roll_backward(dates):
    """The session on or before each date (a session maps to itself). NaT stays NaT."""
    return _shift(dates, "right", -1)


def next_session(dates):
    """The first session strictly after each date.

    This is when a backtest can act on a disclosure: a filing dated Friday (or on Thanksgiving)
    is traded at the next session, never on the disclosure date itself, since filings arrive
    at unknown times of day.
    """
    return _shift(dates, "right", 0)


def previous_session(dates):
    """The last session strictly before each date."""
    return _shift(dates, "left", -1)


def add_sessions(dates, n: int):
    """Move each date by ``n`` sessions (``n=0``: :func:`roll_forward`).

    A non-session date is first rolled forward, so ``add_sessions(saturday, 1)`` is the
    Tuesday after (Monday being session 0). Negative ``n`` moves back.
    """
    return _shift(dates, "left", int(n))


def count_sessions(start, end) -> int:
    """Number of sessions in ``[start, end]`` (0 when ``end < start``)."""
    return len(trading_days(start, end))
