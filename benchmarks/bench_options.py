"""Greeks and implied volatility for 1M options: workbench.options vs py_vollib.

Run: .venv/bin/python benchmarks/bench_options.py [--n 1000000] [--loop 20000]

Baselines, in the same run:
- py_vollib per-option Python loop (price + delta, gamma, vega, theta, rho; implied vol by
  Jaeckel's "Let's be rational"), timed on ``--loop`` options and extrapolated linearly to N
  (a full 1M loop takes minutes); parity checked on those options.
- py_vollib_vectorized (numba), when it runs in this environment; with numba >= 0.59 it
  fails to compile (recursive ``black``), and the script records that.
Parity: price 1e-8 relative, greeks 1e-8 (after py_vollib's scaling: vega, rho per 1 %, theta
per day), implied vol 1e-8 absolute where the problem is well posed (vega * 1e-8 above the
premium's rounding).
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np

from workbench.options import bsm_greeks, implied_volatility


def make_inputs(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    S = rng.uniform(5, 500, n)
    K = S * np.exp(rng.uniform(-0.5, 0.5, n))
    t = rng.uniform(2 / 365, 3.0, n)
    r = rng.uniform(0.0, 0.08, n)
    q = rng.uniform(0.0, 0.05, n)
    sigma = rng.uniform(0.05, 1.5, n)
    flag = np.where(rng.random(n) < 0.5, "c", "p")
    return flag, S, K, t, r, sigma, q


def best_of(fn, repeat: int):
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--loop", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    flag, S, K, t, r, sigma, q = make_inputs(args.n)
    print(f"{args.n:,} European options (BSM with dividend yield)")

    tg, g = best_of(lambda: bsm_greeks(flag, S, K, t, r, sigma, q), args.repeat)
    price = g.price
    ti, iv = best_of(lambda: implied_volatility(price, S, K, t, r, flag, q), args.repeat)
    print(f"workbench greeks (price + 7 greeks): {tg:.3f} s")
    print(f"workbench implied vol: {ti:.3f} s  reasons: {iv.summary().to_dict()}")
    posed = g.vega * 1e-8 > 1e-13 * np.maximum(price, 1.0)
    err_all = np.abs(iv.iv - sigma)[posed]
    print(f"  round trip |iv - sigma| max over well-posed ({posed.mean():.1%}): {err_all.max():.2e}")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from py_vollib.black_scholes_merton import black_scholes_merton as pv_price
        from py_vollib.black_scholes_merton.greeks import analytical as pv
        from py_vollib.black_scholes_merton.implied_volatility import implied_volatility as pv_iv

    m = args.loop
    t0 = time.perf_counter()
    ref = np.empty((m, 6))
    for i in range(m):
        a = (flag[i], S[i], K[i], t[i], r[i], sigma[i], q[i])
        ref[i] = (pv_price(*a), pv.delta(*a), pv.gamma(*a), pv.vega(*a), pv.theta(*a), pv.rho(*a))
    loop_g = (time.perf_counter() - t0) * args.n / m
    t0 = time.perf_counter()
    ref_iv = np.full(m, np.nan)
    for i in range(m):
        try:
            ref_iv[i] = pv_iv(price[i], S[i], K[i], t[i], r[i], q[i], flag[i])
        except Exception:  # noqa: BLE001 - py_vollib raises below/above-intrinsic errors
            pass
    loop_iv = (time.perf_counter() - t0) * args.n / m
    mine = np.column_stack([g.price[:m], g.delta[:m], g.gamma[:m], g.vega[:m] * 0.01,
                            g.theta[:m] / 365, g.rho[:m] * 0.01])
    rel = np.abs(mine - ref) / np.maximum(np.abs(ref), 1e-8)
    iv_err = np.abs(iv.iv[:m] - ref_iv)[posed[:m] & np.isfinite(ref_iv)]
    print(f"py_vollib loop greeks (price + 5), extrapolated from {m:,}: {loop_g:.1f} s "
          f"-> ratio {loop_g / tg:.0f}x")
    print(f"py_vollib loop implied vol, extrapolated from {m:,}: {loop_iv:.1f} s "
          f"-> ratio {loop_iv / ti:.0f}x")
    print(f"  parity greeks: max relative diff {rel.max():.2e} (<= 1e-8: {rel.max() <= 1e-8})")
    print(f"  py_vollib raised on {np.isnan(ref_iv).sum()} of {m:,} (well-posed among them: "
          f"{(np.isnan(ref_iv) & posed[:m]).sum()})")
    print(f"  parity iv (well-posed {posed[:m].mean():.1%}): max abs diff {iv_err.max():.2e} "
          f"(<= 1e-8: {iv_err.max() <= 1e-8})")

    try:
        import py_vollib_vectorized as pvv

        t0 = time.perf_counter()
        pvv_price = pvv.vectorized_black_scholes_merton(flag, S, K, t, r, sigma, q,
                                                        return_as="numpy")
        tp = time.perf_counter() - t0
        t0 = time.perf_counter()
        pvv_iv = pvv.vectorized_implied_volatility(price, S, K, t, r, flag, q=q,
                                                   model="black_scholes_merton",
                                                   return_as="numpy")
        tv = time.perf_counter() - t0
        print(f"py_vollib_vectorized price: {tp:.3f} s; iv: {tv:.3f} s (ratio {tv / ti:.1f}x); "
              f"price parity {np.max(np.abs(pvv_price - price)):.2e}; iv parity "
              f"{np.nanmax(np.abs(pvv_iv - iv.iv)[posed]):.2e}")
    except Exception as exc:  # noqa: BLE001 - report why the baseline could not run
        print(f"py_vollib_vectorized: not runnable here ({type(exc).__name__}: "
              f"{str(exc).splitlines()[0][:120]})")


if __name__ == "__main__":
    main()
