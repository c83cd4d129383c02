"""Two-way fixed-effects DiD against plain dummy OLS; event-study pre-trends; planted effect."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from naive_causal import did_dummies

from workbench.causal.did import difference_in_differences, panel_from_wide
from workbench.causal.series import activity_panel


def _panel(seed, effect=0.5, pretrend=0.0, units=40, periods=30, t0=15):
    rng = np.random.default_rng(seed)
    idx = pd.bdate_range("2018-01-01", periods=periods)
    treated = [f"u{i}" for i in range(units // 4)]
    cols = [f"u{i}" for i in range(units)]
    base = rng.normal(0, 1, units)[None, :] + rng.normal(0, 1, periods)[:, None]
    y = base + rng.normal(0, 1, (periods, units))
    is_t = np.isin(cols, treated)
    rel = np.arange(periods) - t0
    y[:, is_t] += (effect * (rel >= 0) + pretrend * np.minimum(rel, 0))[:, None]
    return panel_from_wide(pd.DataFrame(y, idx, cols)), treated, idx[t0]


def test_twfe_equals_dummy_regression(seed):
    panel, treated, d0 = _panel(seed)
    res = difference_in_differences(panel, treated, d0, leads=5, lags=4)
    b, se = did_dummies(panel, treated, d0, (-5, 5))
    assert res.estimate["coef"] == pytest.approx(b, abs=1e-10)
    # Clustered errors: same sandwich, small-sample corrections differ by a few percent.
    assert res.estimate["se"] == pytest.approx(se, rel=0.1)


def test_effect_and_parallel_trends(seed):
    panel, treated, d0 = _panel(seed, effect=0.8, units=80)
    res = difference_in_differences(panel, treated, d0, leads=6, lags=5)
    e = res.estimate
    assert e["low"] <= 0.8 <= e["high"] and e["p_value"] < 0.05
    es = res.event_study
    assert es.loc[-1, "coef"] == 0 and list(es.index) == list(range(-6, 6))
    lags = es.loc[0:]
    assert ((lags["low"] <= 0.8) & (0.8 <= lags["high"])).mean() >= 0.8
    assert res.pretrend["p_value"] > 0.001


def test_pretrend_is_flagged(seed):
    panel, treated, d0 = _panel(seed, effect=0.0, pretrend=0.3, units=80)
    res = difference_in_differences(panel, treated, d0, leads=6, lags=3)
    assert res.pretrend["p_value"] < 0.01


def test_planted_selling_within_interval(small):
    ev = small.truth.events.set_index("kind").loc["intensity"]
    group = ev["group"].split(",")
    weekly = activity_panel(small.trades, side="sell", sessions=small.sessions(), freq="week")
    res = difference_in_differences(panel_from_wide(weekly), group, ev["date"], leads=8, lags=11,
                                    alpha=0.01)
    truth = ev["n_changed"] / len(group) / 12
    assert res.estimate["low"] <= truth <= res.estimate["high"]
    assert res.estimate["n_treated"] == len(set(group) & set(weekly.columns))
