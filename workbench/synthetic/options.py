"""Synthetic option chains with a volatility smile, and planted squeeze setups.

Dealer-positioning convention used to plant setups (the common one, SqueezeMetrics-style):
customers sell calls and buy puts, so dealers are long calls and short puts
(``convention="standard"`` of :func:`workbench.options.gex.compute_gex`, used to check setups).
A squeeze chain has heavy put open interest at the money (negative dealer gamma) and a large
call-open-interest wall a few percent above spot.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.options.bsm import bsm_price
from workbench.options.gex import compute_gex

__all__ = ["build_chain", "monthly_expirations"]


def monthly_expirations(quote_date: pd.Timestamp, count: int = 4, min_days: int = 7) -> list[pd.Timestamp]:
    """Third Fridays of the coming months that are at least ``min_days`` after the quote date."""
    out: list[pd.Timestamp] = []
    month = pd.Timestamp(quote_date.year, quote_date.month, 1)
    while len(out) < count:
        first_friday = month + pd.Timedelta(days=(4 - month.day_of_week) % 7)
        third = first_friday + pd.Timedelta(days=14)
        if (third - quote_date).days >= min_days:
            out.append(third)
        month = month + pd.offsets.MonthBegin(1)
    return out


def strike_grid(spot: float) -> np.ndarray:
    steps = np.array([0.5, 1.0, 2.5, 5.0, 10.0, 25.0])
    step = steps[np.argmin(np.abs(steps - spot * 0.025))]
    center = np.round(spot / step) * step
    grid = center + step * np.arange(-12, 13)
    return grid[grid > 0]


def build_chain(ticker: str, quote_date: pd.Timestamp, spot: float, rate: float, atm_vol: float,
                squeeze: bool, rng: np.random.Generator,
                strength: float = 1.0) -> tuple[pd.DataFrame, float]:
    """One quote date's chain for one ticker; returns (chain, call-wall strike or NaN).

    ``strength`` (``SynthParams.squeeze_strength``) blends a squeeze chain's open interest
    between an ordinary chain's (0) and the planted setup's (1); above 1 it extrapolates.
    """
    strikes = strike_grid(spot)
    expirations = monthly_expirations(quote_date)
    k, exp = np.meshgrid(strikes, np.array(expirations, dtype="datetime64[ns]"))
    k, exp = k.ravel(), exp.ravel()
    k = np.concatenate([k, k])
    exp = np.concatenate([exp, exp])
    is_call = np.repeat([True, False], len(k) // 2)
    t = (pd.DatetimeIndex(exp) - quote_date).days.to_numpy() / 365.0
    m = np.log(k / spot)
    vol = np.clip(atm_vol * (1.0 - 0.6 * m + 2.0 * m ** 2) * (1.0 + 0.05 * np.log(t * 12.0)),
                  0.05, 3.0)
    price = bsm_price(np.where(is_call, "c", "p"), spot, k, t, rate, vol)
    near = np.exp(-(m / 0.08) ** 2)
    base = 2000.0 * near + rng.uniform(20, 300, len(k))
    decay = np.exp(-t * 2.0)
    if squeeze and strength != 1.0:
        call_mult = max(1.6 + strength * (0.5 - 1.6), 0.05)
        put_mult = 0.7 + strength * (3.0 - 0.7)
        oi = np.where(is_call, call_mult * base, put_mult * base) * decay
        wall = strikes[strikes >= spot * 1.03][0] if (strikes >= spot * 1.03).any() else strikes[-1]
        oi = oi + np.where(is_call & (k == wall), 12000.0 * strength * decay, 0.0)
    elif squeeze:
        oi = np.where(is_call, 0.5 * base, 3.0 * base) * decay
        wall = strikes[strikes >= spot * 1.03][0] if (strikes >= spot * 1.03).any() else strikes[-1]
        oi = oi + np.where(is_call & (k == wall), 12000.0 * decay, 0.0)
    else:
        oi = np.where(is_call, 1.6 * base, 0.7 * base) * decay
        wall = np.nan
    spread = np.maximum(0.01, price * rng.uniform(0.02, 0.08, len(k)))
    bid = np.maximum(price - spread / 2, 0.0)
    ask = price + spread / 2
    expiry = pd.DatetimeIndex(exp)
    chain = pd.DataFrame({
        "quote_date": quote_date, "ticker": ticker,
        "contract_symbol": [f"{ticker}{e:%y%m%d}{'C' if c else 'P'}{int(round(s * 1000)):08d}"
                            for e, c, s in zip(expiry, is_call, k, strict=True)],
        "option_type": np.where(is_call, "call", "put"), "expiration": expiry,
        "strike": k, "last_price": np.round(price, 2), "bid": np.round(bid, 2),
        "ask": np.round(ask, 2), "volume": np.round(oi * rng.uniform(0.05, 0.3, len(k))),
        "open_interest": np.round(oi), "implied_volatility": vol, "underlying_price": spot,
    })
    if squeeze and strength >= 1.0:
        # Make sure the planted setup really is negative dealer gamma.
        for _ in range(10):
            if compute_gex(chain).total_gex < 0:
                break
            puts = chain["option_type"] == "put"
            chain.loc[puts, "open_interest"] = np.round(chain.loc[puts, "open_interest"] * 1.5)
    return chain, float(wall)
