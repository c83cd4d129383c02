"""Metrics against plain-Python reference values (data/*.csv), empyrical, and invariances."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from workbench import metrics as m

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def reference():
    rets = pd.read_csv(DATA / "reference_returns.csv")
    exp = pd.read_csv(DATA / "reference_metrics.csv")
    return rets, exp


def _compute(name, r, b):
    return {
        "cagr": m.cagr(r), "annual_volatility": m.annual_volatility(r),
        "sharpe_ratio": m.sharpe_ratio(r), "sortino_ratio": m.sortino_ratio(r),
        "max_drawdown": m.max_drawdown(r), "calmar_ratio": m.calmar_ratio(r),
        "win_rate": m.win_rate(r), "hit_rate": m.hit_rate(r, b), "beta": m.beta(r, b),
    }[name]


def test_against_reference_csv(reference):
    rets, exp = reference
    checked = 0
    for series, grp in rets.groupby("series"):
        r = pd.Series(grp["ret"].to_numpy())
        b = pd.Series(grp["bench"].to_numpy())
        for _, row in exp[exp["series"] == series].iterrows():
            got = _compute(row["metric"], r, b)
            if np.isnan(row["value"]):
                assert np.isnan(got), (series, row["metric"])
            else:
                assert got == pytest.approx(row["value"], rel=1e-10, abs=1e-12), \
                    (series, row["metric"])
            checked += 1
    assert checked == 27


def test_frame_input_gives_one_value_per_column(reference):
    rets, exp = reference
    wide = rets.pivot(index="period", columns="series", values="ret")
    got = m.sharpe_ratio(wide)
    want = exp[exp["metric"] == "sharpe_ratio"].set_index("series")["value"]
    assert isinstance(got, pd.Series)
    np.testing.assert_allclose(got[want.index].to_numpy(), want.to_numpy(), rtol=1e-10)


def test_against_empyrical(seed):
    empyrical = pytest.importorskip("empyrical")
    rng = np.random.default_rng(seed)
    r = pd.Series(rng.standard_t(4, 800) * 0.01 + 0.0004)
    f = pd.Series(0.7 * r.to_numpy() + rng.normal(0, 0.008, 800))
    assert m.sharpe_ratio(r) == pytest.approx(empyrical.sharpe_ratio(r), rel=1e-9)
    assert m.sortino_ratio(r) == pytest.approx(empyrical.sortino_ratio(r), rel=1e-9)
    assert m.annual_volatility(r) == pytest.approx(empyrical.annual_volatility(r), rel=1e-9)
    assert m.cagr(r) == pytest.approx(empyrical.cagr(r), rel=1e-9)
    assert m.beta(r, f) == pytest.approx(empyrical.beta(r, f), rel=1e-9)
    # empyrical's drawdown ignores the starting wealth: prepend a zero return to include it.
    padded = pd.concat([pd.Series([0.0]), r], ignore_index=True)
    assert m.max_drawdown(r) == pytest.approx(empyrical.max_drawdown(padded), rel=1e-9)
    assert m.calmar_ratio(r) == pytest.approx(
        m.cagr(r) / abs(empyrical.max_drawdown(padded)), rel=1e-9)


def test_invariances(seed):
    rng = np.random.default_rng(seed + 1)
    r = pd.Series(rng.normal(0.0005, 0.01, 500))
    c = 0.0003
    # Shifting returns and hurdle by the same constant leaves Sharpe unchanged.
    assert m.sharpe_ratio(r + c, risk_free=c) == pytest.approx(m.sharpe_ratio(r), rel=1e-10)
    # Scaling returns leaves Sharpe unchanged and scales volatility.
    assert m.sharpe_ratio(2 * r) == pytest.approx(m.sharpe_ratio(r), rel=1e-10)
    assert m.annual_volatility(2 * r) == pytest.approx(2 * m.annual_volatility(r), rel=1e-10)
    # NaN periods are ignored.
    rn = r.copy()
    rn.iloc[[3, 50]] = np.nan
    assert m.sharpe_ratio(rn) == pytest.approx(m.sharpe_ratio(r.drop([3, 50])), rel=1e-12)
    assert m.max_drawdown(pd.Series([0.01, 0.02])) == 0.0
    assert m.max_drawdown(pd.Series([-0.1, 0.05])) == pytest.approx(-0.1)


def test_ff5_alpha_recovers_constructed_intercept(seed):
    rng = np.random.default_rng(seed + 2)
    idx = pd.bdate_range("2015-01-01", periods=400)
    f = pd.DataFrame(rng.normal(0, 0.01, (400, 5)), index=idx,
                     columns=["Mkt-RF", "SMB", "HML", "RMW", "CMA"])
    f["RF"] = 0.0001
    b = np.array([1.1, 0.3, -0.2, 0.15, 0.05])
    r = pd.Series(0.0002 + f["RF"] + f.iloc[:, :5].to_numpy() @ b, index=idx)
    assert m.ff5_alpha(r, f) == pytest.approx(0.0002 * 252, rel=1e-8)
    assert m.ff5_alpha(r - f["RF"], f, subtract_rf=False) == pytest.approx(0.0002 * 252, rel=1e-8)


def test_deflated_sharpe_paper_example():
    # Bailey & Lopez de Prado (2014), numerical example: annual SR 2.5, T=1250 daily obs,
    # skew -3, kurtosis 10, N=100 trials with annualized variance of SR 1/2 -> SR0 = 0.1132
    # per day and DSR = 0.9004.
    sr0 = m.expected_max_sharpe(100, 0.5 / 250)
    assert sr0 == pytest.approx(0.1132, abs=5e-5)
    dsr = m.psr_from_stats(2.5 / np.sqrt(250), 1250, -3.0, 10.0, sr0)
    assert dsr == pytest.approx(0.9004, abs=5e-5)


def test_psr_and_dsr_behaviour(seed):
    rng = np.random.default_rng(seed + 3)
    r = pd.Series(rng.normal(0.001, 0.01, 1000))
    psr = m.probabilistic_sharpe_ratio(r)
    # Gaussian returns: PSR ~ Phi(SR * sqrt(n - 1)) up to the small moment correction.
    from scipy import stats
    sr = r.mean() / r.std(ddof=1)
    assert psr == pytest.approx(stats.norm.cdf(sr * np.sqrt(999)), abs=0.02)
    # More trials -> higher hurdle -> lower DSR; one trial = PSR(0).
    d1 = m.deflated_sharpe_ratio(r, 1)
    d10 = m.deflated_sharpe_ratio(r, 10, sr_variance=sr**2 / 4)
    d100 = m.deflated_sharpe_ratio(r, 100, sr_variance=sr**2 / 4)
    assert d1 == pytest.approx(psr, rel=1e-12)
    assert d1 > d10 > d100
    with pytest.raises(ValueError):
        m.deflated_sharpe_ratio(r, 5)
