"""Factor model: recovery of planted loadings, hand-written Newey-West, attribution, groups."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.factors import compare_groups, fit_factor_model

FF5 = ["Mkt-RF", "SMB", "HML", "RMW", "CMA"]


def _factors(rng, n):
    idx = pd.bdate_range("2014-01-01", periods=n)
    f = pd.DataFrame(rng.normal(0, 0.01, (n, 5)), index=idx, columns=FF5)
    f["RF"] = 0.00008
    return f


def newey_west_se(X, e, lags):
    """Textbook Newey-West: (X'X)^-1 [sum_l w_l (G_l + G_l')] (X'X)^-1, Bartlett weights."""
    n, k = X.shape
    u = X * e[:, None]
    S = u.T @ u
    for lag in range(1, lags + 1):
        w = 1 - lag / (lags + 1)
        G = sum(np.outer(u[t], u[t - lag]) for t in range(lag, n))
        S += w * (G + G.T)
    inv = np.linalg.inv(X.T @ X)
    return np.sqrt(np.diag(inv @ S @ inv))


def test_newey_west_matches_hand_formula(seed):
    rng = np.random.default_rng(seed)
    f = _factors(rng, 300)
    noise = np.convolve(rng.normal(0, 0.01, 305), np.ones(6) / 3, "valid")[:300]  # MA -> autocorr.
    r = f["RF"] + 0.0002 + f[FF5].to_numpy() @ [1.0, 0.2, 0.1, 0.0, -0.1] + noise
    res = fit_factor_model(r, f, "ff5", hac_lags=5)
    X = np.column_stack([np.ones(300), f[FF5].to_numpy()])
    y = (r - f["RF"]).to_numpy()
    coef = np.linalg.lstsq(X, y, rcond=None)[0]
    se = newey_west_se(X, y - X @ coef, 5)
    assert res.alpha == pytest.approx(coef[0] * 252, rel=1e-9)
    np.testing.assert_allclose(res.betas.to_numpy(), coef[1:], rtol=1e-9)
    assert res.alpha_se == pytest.approx(se[0] * 252, rel=1e-9)
    np.testing.assert_allclose(res.beta_se.to_numpy(), se[1:], rtol=1e-9)


@pytest.mark.parametrize("model,k", [("capm", 1), ("ff3", 3), ("ff5", 5)])
def test_recovers_alpha_and_attribution_sums(seed, model, k):
    rng = np.random.default_rng(seed + k)
    f = _factors(rng, 2000)
    b = np.array([1.2, 0.4, -0.3, 0.2, 0.1])[:k]
    a = 0.0006  # ~5 standard errors over 2,000 sessions: significant at any seed
    r = f["RF"] + a + f[FF5[:k]].to_numpy() @ b + rng.normal(0, 0.005, 2000)
    res = fit_factor_model(r, f, model)
    assert abs(res.alpha - a * 252) < 2.5 * res.alpha_se
    assert res.alpha_p < 0.01
    np.testing.assert_allclose(res.betas.to_numpy(), b, atol=4 * res.beta_se.max())
    att = res.attribution
    assert att.drop("total").sum() == pytest.approx(att["total"], rel=1e-12)
    assert att["total"] == pytest.approx(r.mean() * 252, rel=1e-9)
    assert list(res.to_frame().index) == ["alpha"] + FF5[:k]
    lo, hi = res.alpha_ci()
    assert lo < res.alpha < hi


def test_nan_sessions_dropped_and_too_short_rejected(seed):
    from workbench.exceptions import DataError

    rng = np.random.default_rng(seed)
    f = _factors(rng, 200)
    r = pd.Series(rng.normal(0, 0.01, 200), index=f.index)
    r.iloc[:50] = np.nan
    assert fit_factor_model(r, f, "capm").n_obs == 150
    with pytest.raises(DataError):
        fit_factor_model(r.iloc[:55], f, "ff5")


def test_compare_groups_difference_alpha(seed):
    rng = np.random.default_rng(seed + 9)
    f = _factors(rng, 1500)
    common = f[FF5].to_numpy() @ [1.0, 0.2, 0.0, 0.0, 0.0]
    d = f["RF"] + 0.0012 + common + rng.normal(0, 0.006, 1500)  # ~5 SE from Republican
    r = f["RF"] + 0.0000 + common + rng.normal(0, 0.006, 1500)
    rets = pd.DataFrame({"Democrat": d, "Republican": r})
    cmp = compare_groups(rets, f, "ff3", base="Republican")
    diff = cmp.differences.set_index("term").loc["alpha"]
    assert diff["group"] == "Democrat"
    assert diff["ci_low"] < diff["coef"] < diff["ci_high"]
    assert abs(diff["coef"] - 0.0012 * 252) < 3 * diff["se"]
    assert diff["p"] < 0.001
    assert set(cmp.table["group"]) == {"Democrat", "Republican"}
    assert cmp.summary().shape[0] == 2
