"""Losses, calibration and the Diebold-Mariano test against references (loops, statsmodels)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from naive_forecast import naive_ece, naive_newey_west

from workbench.forecast import evaluation as ev


@pytest.mark.parametrize("lags", [0, 1, 4])
def test_newey_west_matches_loop_and_statsmodels(seed, lags):
    import statsmodels.api as sm

    d = np.random.default_rng(seed).normal(size=200).cumsum() * 0.01 + 0.1
    v = ev.newey_west_variance(d, lags)
    assert v == pytest.approx(naive_newey_west(d, lags), rel=1e-10)
    ols = sm.OLS(d, np.ones(len(d))).fit(cov_type="HAC", cov_kwds={"maxlags": lags,
                                                                    "use_correction": False})
    assert v / len(d) == pytest.approx(float(ols.bse[0]) ** 2, rel=1e-8)


def test_dm_panel_averages_dates_then_tests(seed):
    rng = np.random.default_rng(seed)
    dates = np.repeat(pd.bdate_range("2020-01-01", periods=300), 4)
    a = rng.normal(1.0, 1.0, len(dates))
    b = a + 0.2 + rng.normal(0, 0.5, len(dates))        # B has the higher loss
    r = ev.diebold_mariano(a, b, dates, horizon=5)
    d = pd.Series(a - b).groupby(dates).mean().to_numpy()
    n, h = len(d), 5
    stat = d.mean() / np.sqrt(naive_newey_west(d, h - 1) / n)
    stat *= np.sqrt((n + 1 - 2 * h + h * (h - 1) / n) / n)
    assert r.statistic == pytest.approx(stat, rel=1e-10)
    assert r.n_dates == 300 and r.p_value < 1e-6
    assert ev.diebold_mariano(b, a, dates, 5).p_value > 1 - 1e-6


def test_dm_size_under_the_null(seed):
    """Equal forecasts: one-sided rejections at 5% happen about 5% of the time."""
    rng = np.random.default_rng(seed)
    rejections = 0
    n_rep = 300
    for _ in range(n_rep):
        e = rng.normal(size=(250, 2))
        rejections += ev.diebold_mariano(e[:, 0] ** 2, e[:, 1] ** 2).p_value < 0.05
    # binomial(300, 0.05): mean 15, sd 3.8
    assert 3 <= rejections <= 30


def test_qlike_and_losses():
    v = np.array([0.01, 0.02, 0.03])
    np.testing.assert_allclose(ev.qlike(v, v), 0.0, atol=1e-12)
    assert (ev.qlike(v, v * 1.5) > 0).all() and (ev.qlike(v, v / 1.5) > 0).all()
    p = np.array([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]])
    np.testing.assert_allclose(ev.log_loss([2, 1], p), -np.log([0.5, 0.3]))
    assert ev.accuracy([2, 1], p) == 0.5
    assert ev.balanced_accuracy([2, 1, 1], np.vstack([p, p[1]])) == pytest.approx(0.5)


def test_ece_matches_loop(seed):
    rng = np.random.default_rng(seed)
    p = rng.dirichlet([1, 1, 1], size=500)
    y = rng.integers(0, 3, 500)
    assert ev.expected_calibration_error(y, p) == pytest.approx(naive_ece(y, p), abs=1e-12)
    # perfectly calibrated by construction: labels drawn from the stated probabilities
    y_cal = np.array([rng.choice(3, p=row) for row in p])
    assert ev.expected_calibration_error(y_cal, p) < 0.08
    curve = ev.reliability_curve(y, p)
    assert curve["count"].sum() == 500


def test_binomial_vs_majority():
    y = np.array([1] * 60 + [0] * 20 + [2] * 20)
    p_major = np.tile([0.1, 0.8, 0.1], (100, 1))
    acc, base, pv = ev.binomial_vs_majority(y, p_major, 1)
    assert acc == base == 0.6 and pv > 0.4
    perfect = np.eye(3)[y]
    assert ev.binomial_vs_majority(y, perfect, 1)[2] < 1e-10
