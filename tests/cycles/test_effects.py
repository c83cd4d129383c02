"""Calendar effects, decomposition, forecasts and recovery on the synthetic universe."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.cycles import (
    calendar_features,
    decompose_seasonal,
    detect_cycles,
    estimate_calendar_effects,
    estimate_deadline_effect,
    forecast_cycles,
    trade_activity,
)
from workbench.data.calendar import trading_days
from workbench.exceptions import DataError


@pytest.fixture(scope="module")
def activity(universe):
    return trade_activity(universe.trades)["total"]


def test_trade_activity_counts_every_trade_once(universe):
    act = trade_activity(universe.trades)
    n_dated = universe.trades["transaction_date"].notna().sum()
    assert act["total"].sum() == n_dated
    by = trade_activity(universe.trades, by="party")
    assert (by.sum(axis=1) == act["total"]).all()
    assert act.index.equals(trading_days(act.index[0], act.index[-1]))


def test_planted_cycles_recovered_on_universe(universe, activity):
    res = detect_cycles(activity)
    sig = res.significant
    planted = universe.truth.cycles
    for _, row in planted[planted["name"] != "august_recess"].iterrows():
        # weekly: 5 weekdays ~ 4.83 sessions once holidays are skipped (261 vs 252 a year)
        err = np.abs(sig["period"] - row["period_days"]) / row["period_days"]
        assert (err <= 0.05).any(), f"{row['name']} missing: {sig['period'].round(1).tolist()}"


def test_calendar_effects_recover_weekday_and_august(activity):
    eff = estimate_calendar_effects(activity).effects.set_index("term")
    # planted: Monday high -> Friday low; August multiplier 0.6 (plus the annual cosine)
    assert eff.loc["dow_Fri", "ci_high"] < 1.0
    assert eff.loc["dow_Fri", "estimate"] < eff.loc["dow_Tue", "estimate"]
    assert eff.loc["month_Aug", "ci_high"] < eff.loc["month_Jul", "ci_low"]


def test_count_model_recovers_known_rate_ratio(seed):
    rng = np.random.default_rng(seed)
    idx = trading_days("2014-01-01", "2019-12-31")
    feat = calendar_features(idx)
    lam = 5.0 * np.where(feat["dow"] == "Fri", 0.5, 1.0) * np.where(feat["recess"], 2.0, 1.0)
    y = pd.Series(rng.poisson(lam), index=idx)
    res = estimate_calendar_effects(y)
    eff = res.effects.set_index("term")
    assert res.model == "poisson"
    for term, true in (("dow_Fri", 0.5), ("recess", 2.0)):
        est, lo, hi = eff.loc[term, ["estimate", "ci_low", "ci_high"]]
        se = (np.log(hi) - np.log(lo)) / (2 * 1.959964)
        assert abs(np.log(est) - np.log(true)) <= 5 * se  # 5 standard errors: no flaky seeds
        assert se < 0.06


def test_return_effects_ols(seed):
    rng = np.random.default_rng(seed)
    idx = trading_days("2012-01-01", "2019-12-31")
    feat = calendar_features(idx)
    r = pd.Series(rng.normal(0, 0.01, len(idx)) + np.where(feat["pre_holiday"], 0.01, 0.0),
                  index=idx)
    eff = estimate_calendar_effects(r, kind="return", level=0.999).effects.set_index("term")
    assert eff.loc["pre_holiday", "ci_low"] < 0.01 < eff.loc["pre_holiday", "ci_high"]
    assert eff.loc["pre_holiday", "p_value"] < 0.01


def test_features_by_hand():
    f = calendar_features(pd.to_datetime(["2016-11-07", "2016-07-01", "2019-08-15",
                                          "2015-12-24"]))
    assert f["days_to_election"].tolist()[0] == 1  # election 2016-11-08
    assert bool(f["pre_holiday"].iloc[1])  # July 4 2016 was a Monday
    assert bool(f["recess"].iloc[2]) and not bool(f["election_year"].iloc[2])
    assert bool(f["pre_holiday"].iloc[3])  # Christmas


def test_deadline_effect_by_hand():
    tx = pd.Timestamp("2020-01-01")
    lags = [44] * 30 + [38] * 10 + [50] * 5
    trades = pd.DataFrame({"transaction_date": [tx] * len(lags),
                           "disclosure_date": [tx + pd.Timedelta(days=d) for d in lags]})
    res = estimate_deadline_effect(trades)
    assert res.rate_ratio == pytest.approx(3.0)
    assert res.late_share == pytest.approx(5 / 45)
    assert res.lags.set_index("lag_days").loc[44, "count"] == 30


def test_decomposition_adds_up(activity):
    dec = decompose_seasonal(activity.iloc[:800], periods=(5, 21, 63))
    c = dec.components
    total = c["trend"] + c[[f"seasonal_{p}" for p in dec.periods]].sum(axis=1) + c["resid"]
    np.testing.assert_allclose(total, c["observed"], atol=1e-8)
    assert set(dec.strength.index) == {5, 21, 63}


def test_harmonic_forecast_interval_covers(seed):
    rng = np.random.default_rng(seed)
    idx = trading_days("2015-01-01", "2019-12-31")
    t = np.arange(len(idx) + 63)
    y = 10 + 3 * np.cos(2 * np.pi * t / 63) + rng.normal(0, 1, len(t))
    s = pd.Series(y[: len(idx)], index=idx)
    fc = forecast_cycles(s, [63.0], horizon=63, level=0.9).forecast
    inside = (y[len(idx):] >= fc["low"].to_numpy()) & (y[len(idx):] <= fc["high"].to_numpy())
    assert 0.75 <= inside.mean() <= 1.0
    assert fc.index[0] == pd.Timestamp("2020-01-02")  # next NYSE session, no weekend
    assert (fc.index.day_of_week < 5).all()


def test_missing_values_are_refused(activity):
    s = activity.astype(float).copy()
    s.iloc[3] = np.nan
    with pytest.raises(DataError, match="missing"):
        decompose_seasonal(s)
