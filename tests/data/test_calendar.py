"""NYSE calendar: known closures, session counts, an independent holiday list, and the
vectorized session rolling checked against day-by-day loops."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.data import calendar as cal
from workbench.exceptions import DataError


@pytest.fixture(scope="module")
def sessions_2000_2024() -> set[pd.Timestamp]:
    return set(cal.trading_days("2000-01-01", "2024-12-31"))


def test_known_closures_absent():
    days = cal.trading_days("2012-01-01", "2020-12-31")
    for closed in ["2020-11-26", "2012-10-29", "2012-10-30", "2018-12-05", "2012-12-25",
                   "2016-03-25"]:  # ..., Christmas, Good Friday
        assert pd.Timestamp(closed) not in days, closed
    for open_ in ["2020-11-27", "2012-10-31", "2018-12-06"]:
        assert pd.Timestamp(open_) in days
    assert days.name == "date" and days.dtype == "datetime64[ns]"
    assert days.is_monotonic_increasing and days.is_unique


def test_sessions_per_year():
    days = cal.trading_days("2012-01-01", "2020-12-31")
    counts = pd.Series(days.year).value_counts().sort_index()
    assert list(counts.index) == list(range(2012, 2021))
    assert ((counts - 252).abs() <= 2).all(), counts.to_dict()
    assert counts[2012] == 250  # Sandy took two sessions
    assert counts[2020] == 253


def test_matches_exchange_calendars_directly():
    xnys = cal.nyse_calendar()
    ref = xnys.sessions_in_range("2005-03-01", "2021-04-21")
    got = cal.trading_days("2005-03-01", "2021-04-21")
    assert got.equals(pd.DatetimeIndex(ref, name="date").astype("datetime64[ns]"))
    assert cal.nyse_calendar() is xnys  # cached
    assert len(cal.trading_days("1999-11-01", "1999-11-30")) == 21  # AlphaVantage starts here


def test_sessions_equal_fama_french_trading_days_since_1970(shared_path):
    """An independent record of which days traded: CRSP-based daily factor returns."""
    from workbench.data.sources.french import read_french_factors

    ff = read_french_factors(shared_path("factors/F-F_Research_Data_5_Factors_2x3_daily.CSV"))
    ff_days = ff.index[ff.index >= "1970-01-02"]
    assert ff_days.equals(cal.trading_days("1970-01-02", ff.index[-1]))


def test_holidays_agree_with_independent_holidays_package():
    import holidays

    ref = {pd.Timestamp(d) for d in holidays.NYSE(years=range(2000, 2025))
           if pd.Timestamp(d).day_of_week < 5}
    got = set(cal.nyse_holidays("2000-01-01", "2024-12-31"))
    assert got == ref, (sorted(got - ref), sorted(ref - got))
    assert pd.Timestamp("2018-12-05") in got and pd.Timestamp("2012-10-30") in got


def test_holidays_are_weekday_non_sessions(sessions_2000_2024):
    h = cal.nyse_holidays("2010-01-01", "2012-12-31")
    slow = [d for d in pd.date_range("2010-01-01", "2012-12-31")
            if d.day_of_week < 5 and d not in sessions_2000_2024]
    assert list(h) == slow
    assert len(cal.nyse_holidays("2021-01-02", "2021-01-01")) == 0


def test_election_days():
    got = cal.election_days("2010-01-01", "2024-12-31")
    slow = [d for d in pd.date_range("2010-01-01", "2024-12-31")
            if d.year % 2 == 0 and d.month == 11 and d.day_of_week == 1 and 2 <= d.day <= 8]
    assert list(got) == slow
    assert {pd.Timestamp("2012-11-06"), pd.Timestamp("2016-11-08"),
            pd.Timestamp("2020-11-03")} <= set(got)
    assert list(cal.election_days("2020-11-04", "2021-12-31")) == []


def _slow_roll(d, sessions, direction, strict):
    d = pd.Timestamp(d).normalize()
    step = pd.Timedelta(days=direction)
    if strict:
        d = d + step
    while d not in sessions:
        d = d + step
    return d


def test_rolling_matches_day_by_day_reference(seed, sessions_2000_2024):
    rng = np.random.default_rng(seed)
    base = pd.Timestamp("2001-01-01")
    dates = base + pd.to_timedelta(rng.integers(0, 8000, 400), unit="D")
    dates = dates.append(pd.DatetimeIndex(["2020-11-26", "2012-10-29", "2018-12-05",
                                           "2020-11-27 17:30"]))
    s = sessions_2000_2024
    cases = [(cal.roll_forward, +1, False), (cal.roll_backward, -1, False),
             (cal.next_session, +1, True), (cal.previous_session, -1, True)]
    for fn, direction, strict in cases:
        got = fn(dates)
        ref = pd.DatetimeIndex([_slow_roll(d, s, direction, strict) for d in dates])
        assert (got == ref).all(), fn.__name__
    ordered = sorted(s)
    pos = {d: i for i, d in enumerate(ordered)}
    for n in (-3, 0, 1, 5):
        got = cal.add_sessions(dates, n)
        ref = [ordered[pos[_slow_roll(d, s, 1, False)] + n] for d in dates]
        assert list(got) == ref


def test_next_session_input_shapes():
    assert cal.next_session("2020-11-25") == pd.Timestamp("2020-11-27")  # over Thanksgiving
    assert cal.next_session(pd.Timestamp("2020-11-28")) == pd.Timestamp("2020-11-30")
    assert cal.roll_forward("2020-11-27") == pd.Timestamp("2020-11-27")
    ser = pd.Series(pd.to_datetime(["2020-11-26", None, "2021-01-01"]), index=[5, 6, 7])
    out = cal.next_session(ser)
    assert list(out.index) == [5, 6, 7]
    assert out[5] == pd.Timestamp("2020-11-27") and pd.isna(out[6])
    assert out[7] == pd.Timestamp("2021-01-04")
    assert list(cal.is_session(["2020-11-26", "2020-11-27"])) == [False, True]
    assert cal.is_session("2018-12-05") is False
    tz = pd.DatetimeIndex(["2020-11-26 10:00"]).tz_localize("America/New_York")
    assert cal.next_session(tz)[0] == pd.Timestamp("2020-11-27")
    assert cal.count_sessions("2020-01-01", "2020-12-31") == 253


def test_out_of_calendar_range_raises():
    with pytest.raises(DataError, match="outside the XNYS calendar"):
        cal.trading_days("1965-01-01", "1965-12-31")  # XNYS holidays unreliable pre-1970
    with pytest.raises(DataError, match="no session"):
        cal.next_session("2100-01-01")
    with pytest.raises(DataError, match="no session"):
        cal.previous_session("1970-01-02")
    with pytest.raises(DataError, match="missing"):
        cal.trading_days(None, "2020-01-01")
