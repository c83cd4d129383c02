"""Power curves: intervals, MDE interpolation, the closed-form t-test power, the null, monotone
curves, the cache and Dask, on tiny studies (market-only change points on the default span,
informed traders on the one-year smoke universe)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from workbench.validation import binomial_interval, power_curve, seed_list, t_test_power
from workbench.validation.power import SMOKE_UNIVERSE, crossing


def test_binomial_interval_is_clopper_pearson():
    k, n = np.array([0, 1, 3, 8, 8]), np.array([8, 2, 10, 8, 20])
    lo, hi = binomial_interval(k, n)
    for i in range(len(k)):   # the textbook beta-quantile form
        ref_lo = 0.0 if k[i] == 0 else stats.beta.ppf(0.025, k[i], n[i] - k[i] + 1)
        ref_hi = 1.0 if k[i] == n[i] else stats.beta.ppf(0.975, k[i] + 1, n[i] - k[i])
        assert lo[i] == pytest.approx(ref_lo, abs=1e-12)
        assert hi[i] == pytest.approx(ref_hi, abs=1e-12)


def test_crossing():
    assert crossing([0, 1, 2], [0.1, 0.5, 0.9], 0.8) == pytest.approx(1.75)
    assert crossing([0, 1, 2], [0.9, 0.95, 1.0], 0.8) == 0.0          # at most the first size
    assert math.isnan(crossing([0, 1, 2], [0.1, 0.2, 0.3], 0.8))
    # noise dials run from an infinite null downwards
    assert crossing([math.inf, 8, 4, 0], [0.0, 0.5, 1.0, 1.0], 0.8) == pytest.approx(5.6)
    assert crossing([math.inf, 8], [0.9, 1.0], 0.8) == math.inf


def test_t_test_power_against_simulation(seed):
    rng = np.random.default_rng(seed)
    df, level, n = 40, 0.05, 200_000
    crit = stats.t.ppf(1 - level / 2, df)
    assert t_test_power(0.0, 1.0, df, level) == pytest.approx(level, abs=1e-12)
    # large noncentrality (scipy's nct.cdf gives NaN at some): finite, 1, symmetric in sign
    big = t_test_power([10.0, 30.0, -30.0], 1.0, 500, level)
    np.testing.assert_allclose(big, 1.0, atol=1e-12)
    for delta in (1.0, 2.5):
        t = (rng.standard_normal(n) + delta) / np.sqrt(rng.chisquare(df, n) / df)
        sim = np.mean(np.abs(t) > crit)
        assert t_test_power(delta * 0.02, 0.02, df, level) == pytest.approx(
            sim, abs=4 * np.sqrt(sim * (1 - sim) / n))


def test_seed_list(seed):
    assert seed_list(3) == (seed, seed + 1, seed + 2)     # the default seed first
    assert seed_list([5, 9]) == (5, 9)


@pytest.fixture(scope="module")
def change_point_curve(tmp_path_factory):
    """Market-only universes on the default 2012-2020 span: cheap, so 8 seeds per size."""
    cache = tmp_path_factory.mktemp("cache")
    return power_curve("change_points", sizes=(0.0, 0.75, 1.5), seeds=8, cache_dir=cache), cache


def test_change_points_null_monotone_and_recovered(change_point_curve):
    res, _ = change_point_curve
    c = res.curve.set_index("size")
    assert list(c.index) == [0.0, 0.75, 1.5]
    assert (c["seeds"] == 8).all() and (c["trials"] == 8).all()
    fp = res.false_positive()
    # power at the null is the false-positive rate: the level sits in its interval
    assert fp["ci_low"] <= res.detector.level <= fp["ci_high"]
    assert fp["holds_level"]
    assert res.is_monotone()
    # twice the default's log-volatility spread: the test's criterion passes at every seed
    assert c.loc[1.5, "power"] >= 0.75
    assert res.mde < 1.5 and (math.isnan(res.mde_low) or res.mde_low <= res.mde)
    s = res.summary()
    assert s["detector"] == "change_points" and s["monotone"]


def test_cached_results_are_reused(change_point_curve, monkeypatch):
    res, cache = change_point_curve
    import workbench.validation.power as power

    def boom(*a, **k):
        raise AssertionError("recomputed a cached point")

    monkeypatch.setattr(power, "run_group", boom)
    again = power_curve("change_points", sizes=(0.0, 0.75, 1.5), seeds=8, cache_dir=cache)
    pd.testing.assert_frame_equal(again.curve, res.curve)
    files = list((cache / "change_points").glob("*.json"))
    assert len(files) == 24 and all(len(f.stem) == 32 for f in files)


def test_informed_alpha_curve_matches_the_closed_form():
    """The pooled informed portfolio's detection rate is the noncentral-t power of its alpha
    t-test, computed at each seed from the planted (stacked) alpha and the estimate's SE."""
    res = power_curve("informed_calendar", sizes=(0.0, 0.008, 0.02), seeds=5, cache_dir=False,
                      smoke=True)
    c = res.curve
    assert (c["trials"] == 5).all()
    for row in c.itertuples():
        assert row.ci_low <= row.closed_form_power <= row.ci_high, row
    runs = res.runs
    null = runs[runs["size"] == 0.0]
    assert (null["expected"] == 0).all()
    assert c["closed_form_power"].iloc[0] == pytest.approx(0.05, abs=1e-9)
    # the estimates scatter around the planted alpha: mean error within 4 SE of the mean
    err = (runs["estimate"] - runs["expected"]) / runs["se"]
    assert abs(err.mean()) < 4 / np.sqrt(len(err))
    assert res.is_monotone()


def test_dask_equals_serial():
    from distributed import Client

    from workbench.reports.distributed import local_cluster

    sizes, seeds = (0.0, 1.5), seed_list(2)
    serial = power_curve("change_points", sizes=sizes, seeds=seeds, cache_dir=False,
                         smoke=True)
    with local_cluster(2) as cluster, Client(cluster) as client:
        dask = power_curve("change_points", sizes=sizes, seeds=seeds, cache_dir=False,
                           smoke=True, client=client)
    pd.testing.assert_frame_equal(dask.curve, serial.curve)
    pd.testing.assert_frame_equal(dask.runs, serial.runs)


def test_smoke_universe_and_bad_dial():
    from workbench.validation import get_detector
    from workbench.validation.power import prepare

    det, sizes = prepare("communities", smoke=True)
    assert dict(det.base) == SMOKE_UNIVERSE and sizes == [1.0, 0.6, 0.0]   # from the null out
    assert get_detector("leaders").effect_order([0.0, math.inf, 4.0])[0] == math.inf
    with pytest.raises(ValueError, match="reads the dial"):
        power_curve("communities", param="informed_car")
    with pytest.raises(KeyError, match="unknown detector"):
        get_detector("nope")
