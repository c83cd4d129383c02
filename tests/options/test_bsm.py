"""Black-Scholes-Merton prices, greeks and implied volatility against py_vollib and references."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from workbench.options import bsm_gamma, bsm_greeks, bsm_price, implied_volatility
from workbench.options.bsm import parse_flag

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    pv = pytest.importorskip("py_vollib.black_scholes_merton")
    from py_vollib.black_scholes_merton.greeks import analytical as pv_greeks
    from py_vollib.black_scholes_merton.implied_volatility import (
        implied_volatility as pv_iv,
    )


def random_options(seed: int, n: int, *, wide: bool = False):
    rng = np.random.default_rng(seed)
    S = rng.uniform(5, 500, n)
    span = 1.2 if wide else 0.5
    K = S * np.exp(rng.uniform(-span, span, n))
    t = rng.uniform(2 / 365, 3.0, n)
    r = rng.uniform(0.0, 0.08, n)
    q = rng.uniform(0.0, 0.05, n)
    sigma = rng.uniform(0.05, 1.5, n)
    flag = np.where(rng.random(n) < 0.5, "c", "p")
    return flag, S, K, t, r, sigma, q


def test_price_and_greeks_match_py_vollib(seed):
    flag, S, K, t, r, sigma, q = random_options(seed, 400)
    g = bsm_greeks(flag, S, K, t, r, sigma, q)
    ref = {k: np.empty(len(S)) for k in ("price", "delta", "gamma", "vega", "theta", "rho")}
    for i in range(len(S)):
        args = (flag[i], S[i], K[i], t[i], r[i], sigma[i], q[i])
        ref["price"][i] = pv.black_scholes_merton(*args)
        ref["delta"][i] = pv_greeks.delta(*args)
        ref["gamma"][i] = pv_greeks.gamma(*args)
        ref["vega"][i] = pv_greeks.vega(*args)
        ref["theta"][i] = pv_greeks.theta(*args)
        ref["rho"][i] = pv_greeks.rho(*args)
    # py_vollib scales: vega and rho per 1 %, theta per day (365).
    np.testing.assert_allclose(g.price, ref["price"], rtol=1e-8, atol=1e-8)
    np.testing.assert_allclose(g.delta, ref["delta"], rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(g.gamma, ref["gamma"], rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(g.vega * 0.01, ref["vega"], rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(g.theta / 365.0, ref["theta"], rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(g.rho * 0.01, ref["rho"], rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(bsm_price(flag, S, K, t, r, sigma, q), ref["price"], rtol=1e-8,
                               atol=1e-8)
    np.testing.assert_allclose(bsm_gamma(S, K, t, r, sigma, q), g.gamma, rtol=1e-12)


def test_vanna_charm_by_finite_differences(seed):
    flag, S, K, t, r, sigma, q = random_options(seed + 1, 300)
    g = bsm_greeks(flag, S, K, t, r, sigma, q)
    hs, hv, ht = 1e-4 * S, 1e-4, 1e-5

    def delta(s, v, tt):
        return bsm_greeks(flag, s, K, tt, r, v, q).delta

    vanna = (delta(S, sigma + hv, t) - delta(S, sigma - hv, t)) / (2 * hv)
    # charm is d(delta)/d(calendar time) = -d(delta)/d(time to expiry)
    charm = -(delta(S, sigma, t + ht) - delta(S, sigma, t - ht)) / (2 * ht)
    np.testing.assert_allclose(g.vanna, vanna, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(g.charm, charm, rtol=1e-4, atol=1e-5)
    # delta and gamma are consistent with the price
    p = lambda s: bsm_price(flag, s, K, t, r, sigma, q)  # noqa: E731
    np.testing.assert_allclose(g.delta, (p(S + hs) - p(S - hs)) / (2 * hs), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(g.gamma, (p(S + hs) - 2 * p(S) + p(S - hs)) / hs**2, rtol=1e-3,
                               atol=1e-6)


def test_put_call_parity_and_scalar_reference():
    S, K, t, r, sig, q = 100.0, 110.0, 0.75, 0.03, 0.25, 0.01
    c, p = bsm_price("call", S, K, t, r, sig, q), bsm_price("P", S, K, t, r, sig, q)
    assert c - p == pytest.approx(S * math.exp(-q * t) - K * math.exp(-r * t), abs=1e-12)
    # textbook closed form written out with math.erf
    N = lambda x: 0.5 * (1 + math.erf(x / math.sqrt(2)))  # noqa: E731
    d1 = (math.log(S / K) + (r - q + sig**2 / 2) * t) / (sig * math.sqrt(t))
    d2 = d1 - sig * math.sqrt(t)
    ref = S * math.exp(-q * t) * N(d1) - K * math.exp(-r * t) * N(d2)
    assert float(c) == pytest.approx(ref, rel=1e-12)
    assert float(bsm_price("c", S, K, 0.0, r, sig, q)) == 0.0
    assert float(bsm_price("p", S, K, 0.0, r, sig, q)) == pytest.approx(10.0)


def test_parse_flag_rejects_garbage():
    np.testing.assert_array_equal(parse_flag(["c", "Put", "CALL", "p"]), [1, -1, 1, -1])
    with pytest.raises(ValueError, match="flag"):
        parse_flag(["x"])


def test_implied_vol_matches_py_vollib(seed):
    flag, S, K, t, r, sigma, q = random_options(seed + 2, 400)
    price = bsm_price(flag, S, K, t, r, sigma, q)
    res = implied_volatility(price, S, K, t, r, flag, q)
    vega = bsm_greeks(flag, S, K, t, r, sigma, q).vega
    # the well-posed part: a 1e-8 vol error moves the price by more than its rounding
    posed = vega * 1e-8 > 1e-13 * np.maximum(price, 1.0)
    assert posed.mean() > 0.9
    # py_vollib raises on the ill-posed rest (price numerically at intrinsic): compare where
    # the problem is well posed
    idx = np.flatnonzero(posed)
    ref = np.array([pv_iv(price[i], S[i], K[i], t[i], r[i], q[i], flag[i]) for i in idx])
    np.testing.assert_allclose(res.iv[idx], ref, rtol=0, atol=1e-8)
    np.testing.assert_allclose(res.iv[posed], sigma[posed], rtol=0, atol=1e-8)
    assert (res.reason[posed] == "ok").all()


def test_implied_vol_round_trip_wings_and_near_expiry(seed):
    rng = np.random.default_rng(seed + 3)
    n = 20000
    S = rng.uniform(10, 300, n)
    K = S * np.exp(rng.uniform(-2.0, 2.0, n))
    t = np.where(rng.random(n) < 0.3, rng.uniform(0.5 / 365, 5 / 365, n), rng.uniform(0.01, 5, n))
    r, q = rng.uniform(-0.01, 0.06, n), rng.uniform(0, 0.04, n)
    sigma = rng.uniform(0.02, 3.0, n)
    flag = np.where(rng.random(n) < 0.5, "c", "p")
    price = bsm_price(flag, S, K, t, r, sigma, q)
    res = implied_volatility(price, S, K, t, r, flag, q)
    assert set(np.unique(res.reason)) <= {"ok", "no_time_value"}
    ok = res.reason == "ok"
    # wherever a volatility is returned it reprices the option
    back = bsm_price(flag, S, K, t, r, res.iv, q)
    assert (np.abs(back - price)[ok] <= 1e-9 * price[ok] + 1e-10 * S[ok]).all()
    vega = bsm_greeks(flag, S, K, t, r, sigma, q).vega
    posed = vega * 1e-8 > 1e-12 * np.maximum(price, 1.0)
    np.testing.assert_allclose(res.iv[posed], sigma[posed], atol=1e-8)
    # 'no_time_value' only where the time value is lost in the premium's rounding
    assert (~posed[res.reason == "no_time_value"]).all()


def test_implied_vol_reasons():
    S, K, t, r, q = 100.0, 100.0, 0.5, 0.02, 0.0
    cases = {
        "ok": ("c", bsm_price("c", S, K, t, r, 0.3, q), t, S),
        "below_intrinsic": ("c", 1.0, t, 150.0),
        "above_upper_bound": ("c", 120.0, t, S),
        "expired": ("p", 5.0, 0.0, S),
        "invalid_input": ("c", -1.0, t, S),
        "no_time_value": ("c", 1000.0 - K * math.exp(-r * t), t, 1000.0),
    }
    for reason, (flag, price, tt, spot) in cases.items():
        res = implied_volatility(price, spot, K, tt, r, flag, q)
        assert str(res.reason.ravel()[0]) == reason, reason
        assert np.isnan(res.iv).item() == (reason != "ok")
    assert implied_volatility(np.nan, S, K, t, r, "c").reason.item() == "invalid_input"
    frame = implied_volatility([5.0, 200.0], S, K, t, r, "c").to_frame()
    assert frame["reason"].tolist() == ["ok", "above_upper_bound"]
