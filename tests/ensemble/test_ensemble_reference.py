"""Fast paths of the ensemble against slow, obviously-right references.

- rolling OLS (cumulative sums) vs a fresh ``numpy.linalg.lstsq`` per (session, ticker);
- the cycles member vs :func:`workbench.cycles.forecast_cycles` on the same window;
- the factors member's betas vs :func:`workbench.factors.fit_factor_model` (statsmodels OLS);
- grouped prior means vs a plain loop;
- the vectorized banded DTW vs dtaidistance (:func:`workbench.patterns.search.dtw_distance`);
- the meta-learner's numpy prediction vs scikit-learn's own.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.ensemble.rolling import prior_group_mean, rolling_ols


def test_rolling_ols_matches_lstsq(seed):
    rng = np.random.default_rng(seed)
    T, K, D = 120, 3, 4
    X = np.column_stack([np.ones(T), rng.normal(size=(T, D - 1))])
    Y = X @ rng.normal(size=(D, K)) + rng.normal(scale=0.5, size=(T, K))
    Y[rng.random((T, K)) < 0.1] = np.nan              # gaps, per ticker
    X[7] = np.nan                                     # a session without a design row
    window, min_obs = 40, 20
    beta, rvar, nobs = rolling_ols(X, Y, window, min_obs, ridge=0.0)
    for p in (25, 60, 119):
        for k in range(K):
            rows = np.arange(max(0, p - window + 1), p + 1)
            ok = np.isfinite(X[rows]).all(axis=1) & np.isfinite(Y[rows, k])
            assert nobs[p, k] == ok.sum()
            b, *_ = np.linalg.lstsq(X[rows][ok], Y[rows, k][ok], rcond=None)
            np.testing.assert_allclose(beta[p, k], b, rtol=1e-7, atol=1e-9)
            resid = Y[rows, k][ok] - X[rows][ok] @ b
            np.testing.assert_allclose(rvar[p, k], resid @ resid / (ok.sum() - D), rtol=1e-6)
    assert np.isnan(beta[10]).all()                   # fewer than min_obs rows


def test_prior_group_mean_matches_loop(seed):
    rng = np.random.default_rng(seed)
    n = 300
    g, t = rng.integers(0, 5, n), rng.integers(0, 50, n)
    v = rng.normal(size=n)
    v[rng.random(n) < 0.1] = np.nan
    qg, qt = rng.integers(0, 6, 80), rng.integers(-1, 55, 80)
    s, c = prior_group_mean(g, t, v, qg, np.maximum(qt, 0))
    for i in range(80):
        m = (g == qg[i]) & (t <= max(qt[i], 0)) & np.isfinite(v)
        assert c[i] == m.sum()
        assert s[i] == pytest.approx(v[m].sum(), abs=1e-12)


def test_cycles_member_matches_forecast_cycles(small):
    from workbench.cycles import forecast_cycles
    from workbench.ensemble import CyclesMember
    from workbench.ensemble.context import context_for

    ctx = context_for(small)
    member = CyclesMember()
    h = 7
    st = ctx.state(member, h)
    for p, k in ((300, 0), (420, 11), (ctx.n_sessions - 1, 40)):
        rows = slice(p - member.window + 1, p + 1)
        series = pd.Series(ctx.logret[rows, k], index=ctx.sessions[rows])
        ref = forecast_cycles(series, member.periods, horizon=h).forecast["mean"].sum()
        v, _ = st.one(k, p)
        assert v == pytest.approx(ref, rel=1e-6, abs=1e-9)


def test_factor_betas_match_fit_factor_model(small):
    from workbench.ensemble import FactorsMember
    from workbench.ensemble.context import context_for
    from workbench.ensemble.members_factors import FF5
    from workbench.factors import fit_factor_model

    ctx = context_for(small)
    member = FactorsMember()
    st = ctx.state(member, 7)
    p, k = 400, 5
    rows = slice(p - member.window + 1, p + 1)
    r = pd.Series(ctx.logret[rows, k], index=ctx.sessions[rows])
    ref = fit_factor_model(r, ctx.factors.iloc[rows], model="ff5")
    np.testing.assert_allclose(st.beta[p, k, 1:], ref.betas[list(FF5)].to_numpy(),
                               rtol=1e-6, atol=1e-9)


def test_banded_dtw_matches_dtaidistance(seed):
    from workbench.ensemble.members_patterns import banded_dtw
    from workbench.patterns.search import dtw_distance, znormalize

    rng = np.random.default_rng(seed)
    for m, r in ((30, 3), (12, 0), (20, 5)):
        a = znormalize(rng.normal(size=(40, m)).cumsum(axis=1))
        b = znormalize(rng.normal(size=(40, m)).cumsum(axis=1))
        ref = np.array([dtw_distance(x, y, r) for x, y in zip(a, b, strict=True)])
        np.testing.assert_allclose(banded_dtw(a, b, r), ref, rtol=1e-10, atol=1e-12)


def test_meta_learner_prediction_matches_sklearn(seed):
    from sklearn.linear_model import LogisticRegression, Ridge

    from workbench.ensemble.meta import MetaLearner

    rng = np.random.default_rng(seed)
    n, m = 600, 3
    X = rng.normal(scale=0.02, size=(n, m))
    X[rng.random((n, m)) < 0.2] = np.nan
    y = 0.8 * np.nan_to_num(X[:, 0]) + rng.normal(scale=0.02, size=n)
    direction = np.where(y > 0.005, 2, np.where(y < -0.005, 0, 1))
    bv = np.full(n, 0.03) * np.exp(rng.normal(scale=0.2, size=n))
    U = np.abs(rng.normal(scale=0.03, size=(n, m)))
    dates = pd.bdate_range("2019-01-01", periods=n // 6).repeat(6)[:n]
    ml = MetaLearner(alphas=(10.0,), Cs=(0.1,)).fit(X, U, y, direction, bv, dates)
    Z = np.nan_to_num(X) / ml.scale_
    ref = Ridge(alpha=10.0, fit_intercept=False, positive=True).fit(Z, y)
    out = ml.predict(X, U, bv)
    np.testing.assert_allclose(out["ret"], ref.predict(Z), rtol=1e-6, atol=1e-10)
    assert ml.weights_[0] > 0 and (ml.weights_ >= 0).all()
    lv = np.log(bv)
    F = np.column_stack([Z, (lv - lv.mean()) / lv.std()])
    clf = LogisticRegression(C=0.1, max_iter=1000).fit(F, direction)
    np.testing.assert_allclose(out["proba"], clf.predict_proba(F), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(out["attribution"].sum(axis=1), out["ret"], atol=1e-12)
