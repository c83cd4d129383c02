"""Vectorized Black-Scholes-Merton prices, greeks and implied volatility.

Conventions (all functions in this module)
------------------------------------------
- ``flag``: ``"c"``/``"call"`` or ``"p"``/``"put"`` (scalar or array, case-insensitive).
- ``S`` spot, ``K`` strike: same currency unit.
- ``t``: time to expiry in years (the workbench uses calendar days / 365).
- ``r``, ``q``: continuously compounded annual risk-free rate and dividend yield, decimals.
- ``sigma``: annualized volatility, decimal (0.2 = 20 %).
- Greeks are per unit of their variable, not rescaled: vega per 1.00 of volatility, rho per
  1.00 of rate, theta and charm per year of calendar time (``theta / 365`` is the one-day
  decay; py_vollib reports ``vega * 0.01``, ``rho * 0.01`` and ``theta / 365``).

Every input broadcasts with numpy rules; outputs are float arrays of the broadcast shape.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import ndtr

__all__ = [
    "Greeks", "ImpliedVolResult", "IV_REASONS", "bsm_price", "bsm_greeks", "bsm_gamma", "implied_volatility",
    "parse_flag",
]

_INV_SQRT_2PI = 1.0 / np.sqrt(2.0 * np.pi)

# Reasons attached to every implied-volatility answer ("ok" where a volatility was found).
IV_REASONS = ("ok", "invalid_input", "expired", "below_intrinsic", "above_upper_bound",
              "no_time_value", "no_convergence")


def parse_flag(flag) -> np.ndarray:
    """Map ``c/call/p/put`` (any case, scalar or array) to +1.0 (call) / -1.0 (put).

    Raises
    ------
    ValueError
        On any other value.
    """
    arr = np.asarray(flag)
    if arr.dtype.kind in "iuf":
        return np.where(arr > 0, 1.0, -1.0)
    if arr.dtype.kind == "U" and arr.dtype.itemsize == 4:
        # one-character codes: compare code points without building Python strings
        code = np.ascontiguousarray(arr.reshape(-1)).view(np.uint32).reshape(arr.shape)
        is_call = (code == ord("c")) | (code == ord("C"))
        is_put = (code == ord("p")) | (code == ord("P"))
    else:
        codes, uniques = pd.factorize(arr.ravel())
        low = np.array([str(u).lower() for u in uniques], dtype=object)
        is_call = np.isin(low, ("c", "call"))[codes].reshape(arr.shape) if len(low) else \
            np.zeros(arr.shape, dtype=bool)
        is_put = np.isin(low, ("p", "put"))[codes].reshape(arr.shape) if len(low) else \
            np.zeros(arr.shape, dtype=bool)
    if not np.all(is_call | is_put):
        bad = np.unique(arr[~(is_call | is_put)].astype(str))[:5]
        raise ValueError(f"option flag must be 'c'/'call' or 'p'/'put', got {bad.tolist()}")
    return np.where(is_call, 1.0, -1.0)


def _pdf(x):
    return _INV_SQRT_2PI * np.exp(-0.5 * x * x)


def _d1d2(S, K, t, r, sigma, q):
    sq = sigma * np.sqrt(t)
    d1 = (np.log(S / K) + (r - q + 0.5 * sigma * sigma) * t) / sq
    return d1, d1 - sq, sq


def _broadcast(flag, S, K, t, r, sigma, q):
    theta = parse_flag(flag)
    return np.broadcast_arrays(theta, *(np.asarray(v, dtype=float) for v in (S, K, t, r, sigma, q)))


def bsm_price(flag, S, K, t, r, sigma, q=0.0) -> np.ndarray:
    """Black-Scholes-Merton price of European options with a continuous dividend yield.

    Parameters
    ----------
    flag : str or array of str
        ``"c"``/``"call"`` or ``"p"``/``"put"``.
    S, K : float or array
        Spot and strike.
    t : float or array
        Years to expiry (> 0; ``t == 0`` returns the intrinsic value).
    r, q : float or array
        Continuously compounded rate and dividend yield, annual decimals.
    sigma : float or array
        Annualized volatility (decimal).

    Returns
    -------
    ndarray
        Option prices, the broadcast shape of the inputs.

    Examples
    --------
    >>> round(float(bsm_price("c", 100, 100, 1.0, 0.0, 0.2)), 6)
    7.965567
    """
    th, S, K, t, r, sigma, q = _broadcast(flag, S, K, t, r, sigma, q)
    with np.errstate(divide="ignore", invalid="ignore"):
        d1, d2, _ = _d1d2(S, K, t, r, sigma, q)
        price = th * (S * np.exp(-q * t) * ndtr(th * d1) - K * np.exp(-r * t) * ndtr(th * d2))
    intrinsic = np.maximum(th * (S - K), 0.0)
    return np.where(t > 0, price, intrinsic)


@dataclass(frozen=True)
class Greeks:
    """Price and first/second-order sensitivities, arrays of one shape (units: module doc)."""

    price: np.ndarray
    delta: np.ndarray
    gamma: np.ndarray
    vega: np.ndarray
    theta: np.ndarray
    rho: np.ndarray
    vanna: np.ndarray
    charm: np.ndarray

    def to_frame(self) -> pd.DataFrame:
        """One row per option (flattened), one column per greek."""
        return pd.DataFrame({k: np.ravel(getattr(self, k)) for k in self.__dataclass_fields__})

    def summary(self) -> pd.DataFrame:
        return self.to_frame().describe().T


def bsm_greeks(flag, S, K, t, r, sigma, q=0.0) -> Greeks:
    """Price, delta, gamma, vega, theta, rho, vanna and charm, vectorized.

    Parameters
    ----------
    flag, S, K, t, r, sigma, q
        As in :func:`bsm_price`; ``t`` must be > 0 (NaN greeks otherwise).

    Returns
    -------
    Greeks
        ``delta = dV/dS``, ``gamma = d2V/dS2``, ``vega = dV/dsigma`` (per 1.00 vol),
        ``theta = dV/dcalendar-time`` (per year, usually negative), ``rho = dV/dr`` (per 1.00),
        ``vanna = d2V/dS dsigma``, ``charm = d(delta)/dcalendar-time`` (per year).

    Notes
    -----
    Closed forms of Merton (1973), doi:10.2307/3003143; charm as in Haug, *The Complete Guide
    to Option Pricing Formulas* (2007), with the sign of calendar time (not time to expiry).
    """
    th, S, K, t, r, sigma, q = _broadcast(flag, S, K, t, r, sigma, q)
    with np.errstate(divide="ignore", invalid="ignore"):
        bad = ~(t > 0)
        t = np.where(bad, np.nan, t)
        d1, d2, sq = _d1d2(S, K, t, r, sigma, q)
        dq, dr = np.exp(-q * t), np.exp(-r * t)
        pdf1 = _pdf(d1)
        n1, n2 = ndtr(th * d1), ndtr(th * d2)
        price = th * (S * dq * n1 - K * dr * n2)
        delta = th * dq * n1
        gamma = dq * pdf1 / (S * sq)
        vega = S * dq * pdf1 * np.sqrt(t)
        theta = (-S * dq * pdf1 * sigma / (2.0 * np.sqrt(t))
                 - th * r * K * dr * n2 + th * q * S * dq * n1)
        rho = th * K * t * dr * n2
        vanna = -dq * pdf1 * d2 / sigma
        charm = th * q * dq * n1 - dq * pdf1 * (2.0 * (r - q) * t - d2 * sq) / (2.0 * t * sq)
    return Greeks(price=price, delta=delta, gamma=gamma, vega=vega, theta=theta, rho=rho,
                  vanna=vanna, charm=charm)


def bsm_gamma(S, K, t, r, sigma, q=0.0) -> np.ndarray:
    """Gamma alone (identical for calls and puts), ``d2V/dS2``; NaN where ``t <= 0``.

    The cheap path used by gamma-exposure profiles; same formula as :func:`bsm_greeks`.
    """
    S, K, t, r, sigma, q = np.broadcast_arrays(*(np.asarray(v, dtype=float)
                                                 for v in (S, K, t, r, sigma, q)))
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(t > 0, t, np.nan)
        d1, _, sq = _d1d2(S, K, t, r, sigma, q)
        return np.exp(-q * t) * _pdf(d1) / (S * sq)


@dataclass(frozen=True)
class ImpliedVolResult:
    """Implied volatilities with a reason for every NaN.

    Attributes
    ----------
    iv : ndarray
        Annualized implied volatility (decimal); NaN where ``reason != "ok"``.
    reason : ndarray of str
        One of :data:`IV_REASONS`.
    iterations : int
        Solver iterations used (the maximum over all options).
    """

    iv: np.ndarray
    reason: np.ndarray
    iterations: int

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"iv": np.ravel(self.iv), "reason": np.ravel(self.reason)})

    def summary(self) -> pd.Series:
        """Count of answers per reason."""
        return pd.Series(np.ravel(self.reason)).value_counts().rename("count")


def _otm_black(x, s, theta):
    """Undiscounted Black price divided by sqrt(F K), for an OTM option (theta * x <= 0).

    ``x = ln(F/K)``, ``s = sigma sqrt(t)``; written in the symmetric form of Jaeckel so that
    deep OTM values keep their relative precision longer than ``F N(d1) - K N(d2)``.
    """
    h = x / s
    half = 0.5 * s
    return theta * (np.exp(0.5 * x) * ndtr(theta * (h + half))
                    - np.exp(-0.5 * x) * ndtr(theta * (h - half)))


def implied_volatility(price, S, K, t, r, flag, q=0.0, *, max_iter: int = 100,
                       tol: float = 1e-14, sigma_max: float = 50.0) -> ImpliedVolResult:
    """Black-Scholes-Merton implied volatility, vectorized and robust in the wings.

    Parameters
    ----------
    price : float or array
        Option premium (same currency unit as ``S`` and ``K``).
    S, K, t, r, flag, q
        As in :func:`bsm_price` (the argument order follows py_vollib).
    max_iter : int
        Iteration cap of the safeguarded Newton solver.
    tol : float
        Relative tolerance on total volatility ``sigma sqrt(t)``.
    sigma_max : float
        Largest volatility searched (annualized); prices needing more are ``no_convergence``.

    Returns
    -------
    ImpliedVolResult
        ``iv`` and a ``reason`` per option: ``invalid_input`` (non-finite or non-positive
        S/K, negative price), ``expired`` (t <= 0), ``below_intrinsic`` (price under the
        discounted intrinsic value), ``above_upper_bound`` (call >= S e^{-qt}, put >= K e^{-rt}),
        ``no_time_value`` (price equals intrinsic to within rounding: volatility not
        identifiable), ``no_convergence``.

    Notes
    -----
    In-the-money prices are mapped to the out-of-the-money option of the same strike by
    put-call parity, so only time value is solved for. The solver runs Newton's method on
    ``log(price)`` in total volatility ``s = sigma sqrt(t)``, which stays well conditioned deep
    out of the money, started at the inflection point ``sqrt(2|ln(F/K)|)`` (Manaster and
    Koehler 1982, doi:10.2307/2327463) and kept inside a bisection bracket. Only unconverged
    options are iterated.
    """
    th, S, K, t, r, q, price = np.broadcast_arrays(
        parse_flag(flag), *(np.asarray(v, dtype=float) for v in (S, K, t, r, q, price)))
    shape = th.shape
    th, S, K, t, r, q, price = (np.ravel(a).astype(float) for a in (th, S, K, t, r, q, price))
    n = th.size
    reason = np.zeros(n, dtype=np.int8)              # index into IV_REASONS
    iv = np.full(n, np.nan)

    finite = np.isfinite(S) & np.isfinite(K) & np.isfinite(t) & np.isfinite(r) & np.isfinite(q) \
        & np.isfinite(price)
    invalid = ~finite | ~(S > 0) | ~(K > 0) | ~(price >= 0)
    reason[invalid] = IV_REASONS.index("invalid_input")
    expired = ~invalid & ~(t > 0)
    reason[expired] = IV_REASONS.index("expired")
    live = ~invalid & ~expired

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        F = S * np.exp((r - q) * t)
        disc = np.exp(-r * t)
        fwd_price = price / disc                      # undiscounted premium
        intrinsic = np.maximum(th * (F - K), 0.0)
        time_value = fwd_price - intrinsic            # = OTM option of the same strike
        upper = np.where(th > 0, F, K)
        scale = np.sqrt(F * K)
        # Rounding of the premium itself: below this the time value carries no information.
        noise = 8.0 * np.finfo(float).eps * np.maximum(fwd_price, scale)
        below = live & (time_value < -noise)
        reason[below] = IV_REASONS.index("below_intrinsic")
        above = live & ~below & (fwd_price >= upper * (1.0 - 1e-15))
        reason[above] = IV_REASONS.index("above_upper_bound")
        flat = live & ~below & ~above & (time_value <= noise)
        reason[flat] = IV_REASONS.index("no_time_value")
        todo = live & ~below & ~above & ~flat

    idx = np.flatnonzero(todo)
    x = np.log(F[idx] / K[idx])
    otm = np.where(x > 0, -1.0, 1.0)                 # call OTM when F < K, put OTM when F > K
    target = time_value[idx] / scale[idx]
    log_target = np.log(target)
    s_hi_all = np.full(idx.size, sigma_max) * np.sqrt(t[idx])
    lo = np.zeros(idx.size)
    hi = s_hi_all.copy()
    # Above the largest searched volatility: no solution inside the bracket.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        top = _otm_black(x, hi, otm)
    too_high = target > top
    s = np.sqrt(2.0 * np.abs(x))                      # inflection point of b(s)
    # Corrado-Miller (1996) approximation on the normalized call, where it is defined.
    with np.errstate(invalid="ignore", over="ignore"):
        ex = np.exp(0.5 * x)
        call = target + np.maximum(ex - 1.0 / ex, 0.0)   # normalized call of the same strike
        half = call - 0.5 * (ex - 1.0 / ex)
        disc_cm = half * half - (ex - 1.0 / ex) ** 2 / np.pi
        cm = np.sqrt(2.0 * np.pi) / (ex + 1.0 / ex) * (half + np.sqrt(disc_cm))
    use_cm = np.isfinite(cm) & (cm > 0) & (disc_cm > 0)
    s = np.where(use_cm, cm, np.where(s < 1e-3, target * np.sqrt(2.0 * np.pi), s))
    s = np.clip(s, 1e-8, hi * 0.5)
    active = ~too_high
    it = 0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        while it < max_iter and active.any():
            it += 1
            a = np.flatnonzero(active)
            xa, sa, oa = x[a], s[a], otm[a]
            b = _otm_black(xa, sa, oa)
            # Vega of the normalized price with respect to s: phi(d1) e^{x/2}.
            db = _pdf(xa / sa + 0.5 * sa) * np.exp(0.5 * xa)
            f = np.log(b) - log_target[a]
            # Keep the bracket: b increases with s.
            lo[a] = np.where(f < 0, np.maximum(lo[a], sa), lo[a])
            hi[a] = np.where(f > 0, np.minimum(hi[a], sa), hi[a])
            step = f * b / db
            s_new = sa - step
            bad = ~np.isfinite(s_new) | (s_new <= lo[a]) | (s_new >= hi[a]) | (b <= 0)
            bisect = np.where(lo[a] > 0, np.sqrt(lo[a] * hi[a]), 0.5 * hi[a])
            s_new = np.where(bad, bisect, s_new)
            done = (np.abs(s_new - sa) <= tol * sa) | (f == 0)
            s[a] = s_new
            active[a[done]] = False
        b = _otm_black(x, s, otm)
        ok = np.abs(b - target) <= 1e-9 * target + 1e-13
    ok &= ~too_high
    iv_idx = s / np.sqrt(t[idx])
    iv[idx[ok]] = iv_idx[ok]
    reason[idx[~ok]] = IV_REASONS.index("no_convergence")
    return ImpliedVolResult(iv=iv.reshape(shape),
                            reason=np.asarray(IV_REASONS)[reason].reshape(shape),
                            iterations=it)
