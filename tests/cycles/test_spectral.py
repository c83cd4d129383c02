"""detect_cycles: references, planted-cycle recovery, false-positive rate on noise."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from naive_cycles import bh_reject, dft_periodogram, sinusoid_ess

from workbench.cycles import calendar_label, detect_cycles
from workbench.cycles.spectral import _lomb_scargle, fft_periodogram
from workbench.exceptions import DataError


def planted_counts(rng, n=2265, base=6.0):
    t = np.arange(n)
    logl = (np.log(base) + 0.25 * (1 - (t % 5) / 2) + 0.30 * np.cos(2 * np.pi * t / 21)
            + 0.35 * np.cos(2 * np.pi * t / 63) + 0.30 * np.cos(2 * np.pi * t / 252)
            + 0.30 * np.cos(2 * np.pi * (t - 100) / 504))
    return rng.poisson(np.exp(logl)).astype(float)


def test_fft_periodogram_matches_dft_loop(seed):
    x = np.random.default_rng(seed).normal(size=64)
    f, p = fft_periodogram(x)
    fr, pr = dft_periodogram(x)
    np.testing.assert_allclose(f, fr, rtol=1e-12)
    np.testing.assert_allclose(p, pr, rtol=1e-9, atol=1e-12)


def test_lomb_scargle_matches_least_squares_and_fft(seed):
    rng = np.random.default_rng(seed)
    t = np.sort(rng.uniform(0, 300, 120))
    y = np.sin(2 * np.pi * t / 17) + rng.normal(size=120)
    freqs = np.array([1 / 17, 1 / 40, 0.2])
    got = _lomb_scargle(t, y, freqs)
    want = [sinusoid_ess(t, y, f) for f in freqs]
    np.testing.assert_allclose(got, want, rtol=1e-8)
    x = rng.normal(size=128)
    f, p = fft_periodogram(x - x.mean())
    np.testing.assert_allclose(_lomb_scargle(np.arange(128.0), x, f), p, rtol=1e-8, atol=1e-10)


def test_bh_matches_hand_rule(seed):
    rng = np.random.default_rng(seed)
    x = planted_counts(rng, n=600)
    res = detect_cycles(x, max_period=200)
    pg = res.periodogram
    rej = bh_reject(pg["p_value"].to_numpy(), res.alpha)
    # a local maximum is significant iff its ordinate is BH-rejected
    for _, row in res.cycles.iterrows():
        i = int(np.argmin(np.abs(pg["frequency"] - row["frequency"])))
        assert row["significant"] == rej[np.argmin(np.abs(pg["p_value"] - row["p_value"]))]
        assert i >= 0


@pytest.mark.parametrize("method", ["fft", "lomb-scargle"])
def test_planted_periods_recovered_within_5pct(seed, method):
    rng = np.random.default_rng(seed)
    x = planted_counts(rng)
    if method == "lomb-scargle":
        x[rng.random(len(x)) < 0.15] = np.nan  # irregular sampling
    res = detect_cycles(pd.Series(x), method=method, random_state=seed, n_permutations=100)
    sig = res.significant
    for period in (5, 21, 63, 252, 504):
        err = np.abs(sig["period"] - period) / period
        assert (err <= 0.05).any(), f"period {period} not found: {sig['period'].round(1).tolist()}"


def test_no_significant_peak_on_noise_in_95pct_of_seeds(seed):
    """200 white and 200 red (AR(1) 0.5) noise series of 256 sessions."""
    rng = np.random.default_rng(seed)
    hits = 0
    for kind in ("white", "red"):
        e = rng.normal(size=(200, 256))
        if kind == "red":
            for t in range(1, 256):
                e[:, t] += 0.5 * e[:, t - 1]
        hits += sum(len(detect_cycles(row).significant) > 0 for row in e)
    assert hits / 400 <= 0.05


def test_noise_permutation_null_false_positive_rate(seed):
    rng = np.random.default_rng(seed)
    e = rng.normal(size=(100, 200))
    hits = sum(len(detect_cycles(row, null="permutation", n_permutations=50,
                                 random_state=i).significant) > 0 for i, row in enumerate(e))
    assert hits / 100 <= 0.08


def test_calendar_labels():
    assert calendar_label(4.85) == "weekly"
    assert calendar_label(21.4) == "monthly"
    assert calendar_label(497.8) == "election"
    assert calendar_label(2.45) == "weekly_harmonic"
    assert calendar_label(37.0) == "other"


def test_amplitude_of_pure_sinusoid(seed):
    t = np.arange(1000)
    x = 2.0 * np.cos(2 * np.pi * t / 50 + 0.3) + np.random.default_rng(seed).normal(0, 0.1, 1000)
    res = detect_cycles(x)
    top = res.cycles.iloc[0]
    assert top["period"] == pytest.approx(50, rel=0.01)
    assert top["amplitude"] == pytest.approx(2.0, rel=0.02)
    assert top["significant"]


def test_bad_input():
    with pytest.raises(DataError):
        detect_cycles(np.arange(5.0))
    with pytest.raises(DataError):
        detect_cycles(np.r_[np.arange(50.0), np.nan], method="fft")
