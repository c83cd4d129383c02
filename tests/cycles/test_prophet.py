"""Prophet wrapper: session-only future, holidays, reproducibility."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.cycles import forecast_prophet, market_holidays
from workbench.data.calendar import trading_days


def test_prophet_forecasts_sessions_only(seed):
    idx = trading_days("2018-01-01", "2020-06-30")
    rng = np.random.default_rng(seed)
    y = pd.Series(rng.poisson(5 + 2 * (idx.day_of_week == 0)), index=idx)
    a = forecast_prophet(y, horizon=20, log1p=True, random_state=seed, uncertainty_samples=50)
    b = forecast_prophet(y, horizon=20, log1p=True, random_state=seed, uncertainty_samples=50)
    fut = a.forecast[a.forecast["observed"].isna()]
    assert len(fut) == 20
    assert fut.index.equals(trading_days(fut.index[0], fut.index[-1]))
    assert fut.index[0] == pd.Timestamp("2020-07-01")
    assert (fut["yhat_lower"] <= fut["yhat"]).all() and (fut["yhat"] <= fut["yhat_upper"]).all()
    pd.testing.assert_frame_equal(a.forecast, b.forecast)
    assert fut["yhat"].mean() == pytest.approx(5.4, rel=0.25)


def test_market_holidays_frame():
    h = market_holidays("2016-01-01", "2016-12-31")
    assert pd.Timestamp("2016-11-08") in set(h.loc[h["holiday"] == "election_day", "ds"])
    assert pd.Timestamp("2016-07-04") in set(h.loc[h["holiday"] == "market_holiday", "ds"])
