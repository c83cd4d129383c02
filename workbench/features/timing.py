"""Time features: calendar position, elections, recess, holidays, quarter ends, disclosure lag.

Public features are read at the **disclosure date**; ``*_tx`` at the transaction date. Day
counts are calendar days. The 45-day deadline is the STOCK Act's limit between transaction and
disclosure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.features.context import Spec, TradeContext

__all__ = ["time_features", "time_specs", "DEADLINE_DAYS"]

DEADLINE_DAYS = 45
_LO, _HI = pd.Timestamp("1990-01-01"), pd.Timestamp("2026-12-31")


def _days(dates: pd.Series) -> np.ndarray:
    d = pd.to_datetime(dates).astype("datetime64[ns]")
    d = d.where((d >= _LO) & (d <= _HI))
    out = d.to_numpy().astype("datetime64[D]").astype("int64").astype(float)
    out[d.isna().to_numpy()] = np.nan
    return out


def _next_gap(days: np.ndarray, marks: np.ndarray, forward: bool) -> np.ndarray:
    """Days to the next mark on or after each day (forward) or since the last one (back)."""
    out = np.full(len(days), np.nan)
    ok = np.isfinite(days)
    d = days[ok].astype(np.int64)
    if forward:
        i = np.searchsorted(marks, d, side="left")
        good = i < len(marks)
        v = np.full(len(d), np.nan)
        v[good] = marks[i[good]] - d[good]
    else:
        i = np.searchsorted(marks, d, side="right") - 1
        good = i >= 0
        v = np.full(len(d), np.nan)
        v[good] = d[good] - marks[i[good]]
    out[ok] = v
    return out


def _calendar(dates: pd.Series, suffix: str) -> dict[str, np.ndarray]:
    from workbench.data.calendar import election_days, nyse_holidays

    d = pd.to_datetime(dates).astype("datetime64[ns]")
    d = d.where((d >= _LO) & (d <= _HI))
    days = _days(d)
    elections = election_days(_LO, _HI).asi8 // 86_400_000_000_000
    holidays = nyse_holidays(_LO, _HI).asi8 // 86_400_000_000_000
    nan = d.isna().to_numpy()

    def num(x) -> np.ndarray:
        a = np.array(x, dtype=float)
        a[nan] = np.nan
        return a

    year = num(d.dt.year)
    q_end = (d + pd.offsets.QuarterEnd(0)).dt.normalize()
    q_start = d.dt.to_period("Q").dt.start_time
    y_end = d + pd.offsets.YearEnd(0)
    to_holiday = _next_gap(days + 1, holidays, True) + 1
    out = {
        "day_of_week": num(d.dt.day_of_week), "month": num(d.dt.month),
        "quarter": num(d.dt.quarter), "day_of_month": num(d.dt.day),
        "week_of_year": num(d.dt.isocalendar().week.astype(float)),
        "days_to_election": _next_gap(days, elections, True),
        "days_after_election": _next_gap(days, elections, False),
        "election_year": num(year % 2 == 0), "presidential_year": num(year % 4 == 0),
        # a Congress runs from January 3 of an odd year; its first session is the odd year
        "congress_session": num(np.where(year % 2 == 1, 1.0, 2.0)),
        "august_recess": num(d.dt.month == 8),
        "days_to_holiday": to_holiday,
        "pre_holiday": num(to_holiday <= 1),
        "days_to_quarter_end": num((q_end - d).dt.days),
        "days_since_quarter_start": num((d - q_start).dt.days),
        "days_to_year_end": num((y_end.dt.normalize() - d).dt.days),
    }
    return {f"{k}{suffix}": v for k, v in out.items()}


def time_features(ctx: TradeContext) -> pd.DataFrame:
    """Calendar features at disclosure and transaction dates, and disclosure lag/lateness."""
    t = ctx.trades
    cols = {**_calendar(t["disclosure_date"], ""), **_calendar(t["transaction_date"], "_tx")}
    lag = _days(t["disclosure_date"]) - _days(t["transaction_date"])
    cols["disclosure_lag_days"] = lag
    cols["log_lag"] = np.log1p(np.clip(lag, 0, None))
    cols["lag_sessions"] = np.where((ctx.dpos >= 0) & (ctx.tpos >= 0),
                                    (ctx.dpos - ctx.tpos).astype(float), np.nan)
    cols["is_late"] = np.where(np.isfinite(lag), (lag > DEADLINE_DAYS).astype(float), np.nan)
    cols["days_late"] = np.clip(lag - DEADLINE_DAYS, 0, None)
    cols["days_to_deadline"] = DEADLINE_DAYS - lag
    cols["filed_before_trade"] = np.where(np.isfinite(lag), (lag < 0).astype(float), np.nan)
    return pd.DataFrame(cols, index=pd.RangeIndex(len(t), name="row"))


_CAL = [("day_of_week", "day of week (Mon=0)", "0-6"), ("month", "calendar month", "1-12"),
        ("quarter", "calendar quarter", "1-4"), ("day_of_month", "day of month", "1-31"),
        ("week_of_year", "ISO week", "1-53"),
        ("days_to_election", "days to the next federal general election", "days"),
        ("days_after_election", "days since the last federal general election", "days"),
        ("election_year", "even (election) year", "0/1"),
        ("presidential_year", "presidential election year", "0/1"),
        ("congress_session", "first (odd year) or second (even year) session of a Congress", "1/2"),
        ("august_recess", "in August (congressional recess)", "0/1"),
        ("days_to_holiday", "days to the next NYSE weekday holiday", "days"),
        ("pre_holiday", "the next day is an NYSE holiday", "0/1"),
        ("days_to_quarter_end", "days to the calendar quarter end", "days"),
        ("days_since_quarter_start", "days since the quarter start", "days"),
        ("days_to_year_end", "days to December 31", "days")]


def time_specs() -> list[Spec]:
    s = []
    for suffix, col in (("", "trades.disclosure_date"), ("_tx", "trades.transaction_date")):
        s += [Spec(f"{n}{suffix}", "time", d, u, "none", col) for n, d, u in _CAL]
    both = "trades.transaction_date, trades.disclosure_date"
    s += [Spec("disclosure_lag_days", "time", "disclosure date - transaction date", "days", "none", both),
          Spec("log_lag", "time", "log(1 + lag), negative lags as 0", "log days", "none", both),
          Spec("lag_sessions", "time", "price sessions between transaction and decision session", "sessions", "none", both),
          Spec("is_late", "time", f"disclosed after the {DEADLINE_DAYS}-day deadline", "0/1", "none", both),
          Spec("days_late", "time", f"days beyond the {DEADLINE_DAYS}-day deadline (0 if on time)", "days", "none", both),
          Spec("days_to_deadline", "time", f"{DEADLINE_DAYS} - lag: negative when late", "days", "none", both),
          Spec("filed_before_trade", "time", "disclosure dated before the transaction (data error)", "0/1", "none", both)]
    return s
