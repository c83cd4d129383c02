"""Purged walk-forward folds against a plain-loop reference, and their invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from naive_forecast import naive_folds

from workbench.forecast.folds import PurgedWalkForward, validation_split


def panel_dates(seed, n_dates=120, n_tickers=5):
    rng = np.random.default_rng(seed)
    days = pd.bdate_range("2020-01-01", periods=n_dates)
    d = np.repeat(days, n_tickers)
    keep = rng.random(len(d)) > 0.2           # ragged panel: missing samples
    return d[keep]


@pytest.mark.parametrize("n_splits,purge,embargo,frac", [(1, 0, 0, 0.2), (3, 5, 0, 0.4),
                                                         (4, 7, 2, 0.5), (5, 1, 1, 0.3)])
def test_matches_naive(seed, n_splits, purge, embargo, frac):
    dates = panel_dates(seed)
    folds = PurgedWalkForward(n_splits, purge=purge, embargo=embargo, test_fraction=frac)
    got = list(folds.split(dates))
    ref = naive_folds(dates, n_splits, purge, embargo, frac)
    assert len(got) == len(ref) == n_splits
    for (tr, te), (rtr, rte) in zip(got, ref, strict=True):
        np.testing.assert_array_equal(tr, rtr)
        np.testing.assert_array_equal(te, rte)


def test_gap_and_order(seed):
    dates = panel_dates(seed)
    uniq = pd.DatetimeIndex(sorted(set(dates)))
    folds = PurgedWalkForward(4, purge=5, embargo=1)
    seen_test = set()
    prev_train = -1
    for tr, te in folds.split(dates):
        last_train = uniq.get_loc(dates[tr].max())
        first_test = uniq.get_loc(dates[te].min())
        assert first_test - last_train > 6           # purge 5 + embargo 1 sessions between
        assert not seen_test & set(te)               # test blocks do not overlap
        seen_test |= set(te)
        assert len(tr) > prev_train                  # expanding window
        prev_train = len(tr)
    # the development set is the first fold's training set: never tested
    dev = folds.development(dates)
    assert not set(dev) & seen_test


def test_layout_counts(seed):
    dates = panel_dates(seed)
    lay = PurgedWalkForward(3, purge=4).layout(dates)
    assert set(lay["set"]) == {"train", "gap", "test"}
    assert (lay.loc[lay["set"] == "gap", "n_dates"] == 4).all()


def test_validation_split_is_purged(seed):
    dates = panel_dates(seed)
    idx = np.arange(len(dates))
    fit, val = validation_split(dates, idx, fraction=0.25, gap=3)
    uniq = pd.DatetimeIndex(sorted(set(dates)))
    assert uniq.get_loc(dates[val].min()) - uniq.get_loc(dates[fit].max()) == 4
    assert dates[fit].max() < dates[val].min()


def test_too_few_dates():
    with pytest.raises(ValueError, match="too few"):
        list(PurgedWalkForward(5, purge=30).split(panel_dates(0, n_dates=20)))
