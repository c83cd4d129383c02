"""Real-data MDE: the vectorized HAC test against statsmodels, the block bootstrap against a
loop, planting alpha against refitting each replicate, calibration, and the real Senate sample."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.data.calendar import trading_days
from workbench.factors import fit_factor_model
from workbench.factors.model import MODELS, default_hac_lags
from workbench.validation.realdata import (
    alpha_mde,
    circular_block_indices,
    hac_intercept,
    mde_findings,
    store_alpha_mde,
)


def make_returns(seed, n=1200, alpha_daily=0.0, ar=0.0):
    """Factor returns, and a portfolio on them with iid (or AR(1)) residuals."""
    rng = np.random.default_rng(seed)
    idx = trading_days("2014-01-02", "2020-12-31")[:n]
    f = pd.DataFrame(rng.normal(0, [0.01, 0.005, 0.005, 0.003, 0.003], (n, 5)),
                     columns=list(MODELS["ff5"]), index=idx)
    f["RF"] = 0.0001
    e = rng.normal(0, 0.008, n)
    for t in range(1, n):
        e[t] += ar * e[t - 1]
    y = f["RF"] + alpha_daily + f[list(MODELS["ff5"])] @ [1.1, 0.3, -0.2, 0.1, 0.0] + e
    return pd.Series(y, index=idx), f


def test_hac_intercept_matches_statsmodels(seed):
    y, f = make_returns(seed, n=700, ar=0.3)
    X = np.column_stack([np.ones(len(y)), f[list(MODELS["ff5"])].to_numpy()])
    for lags in (0, 3, default_hac_lags(len(y))):
        ref = fit_factor_model(y, f, "ff5", hac_lags=lags, periods_per_year=1)
        a, se = hac_intercept(X, (y - f["RF"]).to_numpy()[:, None], lags)
        assert a[0] == pytest.approx(ref.alpha, rel=1e-10, abs=1e-14)
        assert se[0] == pytest.approx(ref.alpha_se, rel=1e-10)


def test_circular_block_indices_match_a_loop(seed):
    rng1, rng2 = np.random.default_rng(seed), np.random.default_rng(seed)
    n, L, B = 53, 7, 4
    got = circular_block_indices(n, L, B, rng1)
    starts = rng2.integers(0, n, size=(-(-n // L), B))
    for b in range(B):
        ref = [(s + k) % n for s in starts[:, b] for k in range(L)][:n]
        assert got[:, b].tolist() == ref


def test_planted_alpha_equals_refitting_each_replicate(seed):
    """The shortcut (intercept + a, same SE) against building y* and refitting with
    fit_factor_model, replicate by replicate."""
    y, f = make_returns(seed, n=600)
    fit = fit_factor_model(y, f, "ff5")
    cols = list(MODELS["ff5"])
    X = np.column_stack([np.ones(len(y)), f[cols].to_numpy()])
    idx = circular_block_indices(len(y), 21, 5, np.random.default_rng(seed))
    E = fit.residuals.to_numpy()[idx]
    eps, se = hac_intercept(X, E, fit.hac_lags)
    factor_part = f[cols].to_numpy() @ fit.betas[cols].to_numpy() + f["RF"].to_numpy()
    a = 0.05                                            # annualized planted alpha
    for b in range(5):
        ystar = pd.Series(factor_part + a / 252 + E[:, b], index=y.index)
        ref = fit_factor_model(ystar, f, "ff5")
        assert ref.alpha == pytest.approx(a + 252 * eps[b], rel=1e-9, abs=1e-12)
        assert ref.alpha_se == pytest.approx(252 * se[b], rel=1e-9)


def test_mde_calibrated_and_matches_closed_form(seed):
    y, f = make_returns(seed, n=1500)
    res = alpha_mde(y, f, n_boot=2000, block_length=21, random_state=seed)
    # no planted alpha: the rejection rate is the level (iid residuals; 2000 replicates)
    assert abs(res.null_rate - 0.05) < 3 * np.sqrt(0.05 * 0.95 / 2000) + 0.01
    # with iid residuals the bootstrap MDE is the textbook (1.96 + 0.84) x SE
    assert res.mde == pytest.approx(res.closed_form_mde, rel=0.08)
    assert res.mde_low <= res.mde <= res.mde_high
    c = res.curve
    assert c["power"].is_monotonic_increasing and c["alpha"].iloc[0] == 0.0
    text = res.statement()
    assert f"{100 * res.mde:.1f}%/yr" in text
    if res.significant():  # a null sample is significant 5% of the time
        assert "which the test detects" in text and "no edge" not in text, f"seed {seed}"
    else:
        assert "no edge larger than about" in text, f"seed {seed}"
    assert mde_findings(None) == [] and len(mde_findings(res)) == 1
    assert store_alpha_mde("") is None
    # a real alpha of the MDE's size is detected about 80% of the time in fresh samples
    hits = 0
    for k in range(40):
        yk, fk = make_returns(seed + 1000 + k, n=1500, alpha_daily=res.mde / 252)
        hits += fit_factor_model(yk, fk, "ff5").alpha_p < 0.05
    assert 0.8 - 0.2 <= hits / 40 <= 0.8 + 0.17          # binomial(40, 0.8): 99% range


def test_statement_of_a_significant_alpha_claims_no_bound(seed):
    y, f = make_returns(seed, n=1500, alpha_daily=0.30 / 252)     # 30%/yr: far beyond the MDE
    res = alpha_mde(y, f, n_boot=200, random_state=seed)
    assert res.significant(), f"seed {seed}"
    text = res.statement()
    assert "which the test detects" in text and "no edge larger" not in text, text
    assert res.findings(real=False)[0].headline.startswith("For this portfolio")
    assert res.findings()[0].headline.startswith("Real data, not simulated: ")


@pytest.mark.shared
def test_real_senate_buys_mde(shared_path):
    from workbench.data import read_french_factors, read_prices, read_senate_daily_summaries
    from workbench.validation.realdata import portfolio_alpha_mde

    trades = read_senate_daily_summaries(shared_path("senate/all_daily_summaries.json")).accepted
    tickers = sorted(set(trades["ticker"].dropna()))
    px = read_prices(shared_path("prices/sp500_daily_2010_2021.parquet"), tickers=tickers,
                     start="2011-06-01", end="2021-04-21").accepted
    factors = read_french_factors(
        shared_path("factors/F-F_Research_Data_5_Factors_2x3_daily.CSV"))
    res = portfolio_alpha_mde(trades, px, factors, holding_days=63, start="2012-01-01",
                              end="2020-12-31", n_boot=1000)
    # benchmarks/RESULTS.md (real_senate_alphas.py): H = 63 buys, FF5 alpha -3.1% (t -1.29)
    assert res.observed_alpha == pytest.approx(-0.031, abs=0.002)
    assert res.n_obs == 1741
    assert 0.05 < res.mde < 0.08
    assert res.mde == pytest.approx(res.closed_form_mde, rel=0.1)
    assert abs(res.null_rate - 0.05) < 0.025
    assert "Senate stock buys held 63 sessions after disclosure" in res.statement()
