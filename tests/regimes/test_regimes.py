"""RegimeDetector and change points: references, no look-ahead, recovery of planted regimes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from naive_regimes import forward_filter_1d, simulate_regimes

from workbench.exceptions import DataError, NotFittedError
from workbench.regimes import (
    RegimeDetector,
    detect_change_points,
    expected_durations,
    fit_regimes,
    label_states,
    regime_features,
    regime_history,
)

NAMES = np.array(["bull", "bear", "high_vol", "low_vol"])
P = np.full((4, 4), 0.005) + np.eye(4) * 0.98


def small_market(seed, n=3000):
    rng = np.random.default_rng(seed)
    s, r = simulate_regimes(rng, n, P, [0.0007, -0.0009, -0.0002, 0.0005],
                            [0.009, 0.016, 0.03, 0.005])
    idx = pd.bdate_range("2010-01-01", periods=n)
    return pd.Series(NAMES[s], index=idx), pd.Series(r, index=idx)


@pytest.fixture(scope="module")
def fitted(seed):
    truth, r = small_market(seed)
    X = regime_features(r)
    return truth, X, RegimeDetector(4, n_restarts=2, random_state=seed).fit(X)


def test_labels_from_statistics():
    assert label_states(np.array([0.001, -0.001, 0.0, 0.0005]),
                        np.array([0.01, 0.015, 0.03, 0.005])) == ["bull", "bear", "high_vol",
                                                                  "low_vol"]
    assert label_states(np.array([-0.001, 0.001]), np.array([0.02, 0.01])) == ["bear", "bull"]
    np.testing.assert_allclose(expected_durations(np.array([[0.9, 0.1], [0.5, 0.5]])), [10, 2])


def test_accuracy_and_stable_label_order(fitted):
    truth, X, det = fitted
    assert det.labels_ == list(NAMES)
    acc = (det.predict(X) == truth.reindex(X.index)).mean()
    assert acc >= 0.85
    np.testing.assert_allclose(det.transmat_.sum(axis=1), 1, atol=1e-9)
    assert (det.durations_ > 10).all()


def test_filtered_matches_loop_reference_and_has_no_lookahead(fitted):
    _, X, det = fitted
    m = det.model_
    mus = m.means_[:, 0] * det.scale_[0] + det.center_[0]
    sds = np.sqrt(m.covars_[:, 0, 0]) * det.scale_[0]
    head = X.iloc[:300]
    ref = forward_filter_1d(head["ret"].to_numpy(), m.startprob_, m.transmat_, mus, sds)
    np.testing.assert_allclose(det.filter_proba(head).to_numpy(), ref, atol=1e-8)
    full = det.filter_proba(X).iloc[:300].to_numpy()
    np.testing.assert_allclose(full, det.filter_proba(head).to_numpy(), atol=1e-12)
    smooth = det.predict_proba(X)
    np.testing.assert_allclose(smooth.iloc[-1].to_numpy(), det.filter_proba(X).iloc[-1],
                               atol=1e-6)


def test_bic_selects_true_count(seed):
    rng = np.random.default_rng(seed)
    p2 = np.array([[0.99, 0.01], [0.01, 0.99]])
    _, r = simulate_regimes(rng, 1500, p2, [0.0, 0.0], [0.005, 0.02])
    det = RegimeDetector(None, candidates=(1, 2, 3), n_restarts=1, random_state=seed).fit(
        pd.DataFrame({"ret": r}))
    assert det.n_states_ == 2
    assert det.bic_.idxmin() == 2


def test_fit_regimes_history(fitted):
    truth, X, _ = fitted
    res = fit_regimes(X, 4, n_restarts=1, random_state=0)
    h = res.history
    assert h["length"].sum() == len(X)
    assert (h["regime"].to_numpy()[1:] != h["regime"].to_numpy()[:-1]).all()
    s = res.summary().set_index("regime")
    assert s.loc["high_vol", "vol"] > s.loc["low_vol", "vol"]
    assert set(res.transition.index) == set(NAMES)
    hist = regime_history(pd.Series(list("aabbba"), index=range(6)))
    assert hist["length"].tolist() == [2, 3, 1]


def test_errors(fitted):
    _, X, _ = fitted
    with pytest.raises(NotFittedError):
        RegimeDetector().predict(X)
    bad = X.copy()
    bad.iloc[5, 0] = np.nan
    with pytest.raises(DataError, match="row 6"):
        RegimeDetector(2).fit(bad)


def test_change_points_on_planted_variance_breaks(seed):
    rng = np.random.default_rng(seed)
    sig = np.r_[np.full(200, 0.005), np.full(150, 0.02), np.full(250, 0.005), np.full(200, 0.02)]
    r = pd.Series(rng.normal(0, sig), index=pd.bdate_range("2015-01-01", periods=len(sig)))
    res = detect_change_points(r)
    got = r.index.get_indexer(res.change_points)
    err = np.array([np.abs(got - b).min() for b in (200, 350, 600)])
    # variance breaks are located less sharply than mean shifts: over 40 seeds the worst error
    # was 10 sessions and 95% of breaks were within 5
    assert (err <= 12).all()
    assert (err <= 5).sum() >= 2
    assert len(got) <= 6
    assert res.segments["length"].sum() == len(r)
    bs = detect_change_points(r, method="binseg", n_bkps=3)
    assert len(bs.change_points) == 3


def test_change_points_level_shift_in_counts(seed):
    rng = np.random.default_rng(seed)
    lam = np.r_[np.full(300, 5.0), np.full(300, 9.0)]
    y = pd.Series(rng.poisson(lam).astype(float))
    # Anscombe transform: Poisson counts -> unit variance, as the l2 BIC penalty assumes
    res = detect_change_points(y, model="l2", min_size=21, transform="anscombe")
    # a 1.5-sd shift in noisy counts: location known to a few sessions (measured 0-7 off)
    assert np.abs(np.asarray(res.change_points) - 300).min() <= 10


def test_universe_regimes_and_change_points(universe):
    truth = universe.truth.regimes.set_index("date")["name"]
    mkt = universe.factors["Mkt-RF"]
    res = fit_regimes(regime_features(mkt), 4, n_restarts=2, random_state=0)
    acc = (res.regimes["regime"] == truth.reindex(res.regimes.index)).mean()
    assert acc >= 0.85
    cps = detect_change_points(mkt)
    idx = mkt.index
    planted = idx.get_indexer(universe.truth.change_points)
    got = idx.get_indexer(cps.change_points)
    # tolerance 5 sessions: a variance break of ratio 1.8 (bull <-> low-vol, bear <-> high-vol,
    # 3/4 of the planted switches) is located to a few sessions at best; knowing the true
    # neighbouring breaks and sigmas, the likelihood-ratio argmax lands within 5 for 82%.
    precision = np.mean([np.abs(planted - g).min() <= 5 for g in got])
    recall = np.mean([np.abs(got - p).min() <= 5 for p in planted])
    # 6 seeds (20120101, 0-4): precision 0.67-0.95 (mean 0.85), recall 0.40-0.61 (mean 0.53);
    # before (normal cost, BIC, jump 5) 0.69-0.94 / 0.33-0.56. Recall is bounded by what is
    # detectable: Viterbi with the true HMM parameters recovers 0.45-0.74 (mean 0.62), many
    # spells being a few sessions long or between regimes of similar volatility.
    assert precision >= 0.65
    assert recall >= 0.38


def test_change_points_false_alarm_rate_without_break(seed):
    # calibrated penalty: 5% chance of any break on a Gaussian series with no break
    rng = np.random.default_rng(seed)
    scales = np.exp(rng.uniform(-6, 0, 40))  # the variance cost is scale-free
    n_any = sum(len(detect_change_points(pd.Series(s * rng.standard_normal(1000)))
                    .change_points) > 0 for s in scales)
    assert n_any <= 7  # Binomial(40, 0.05): P(> 7) < 1%
