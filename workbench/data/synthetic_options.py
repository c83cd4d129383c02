"""Synthetic option chains with a volatility smile, and planted squeeze setups.

Dealer-positioning convention used to plant setups (the common one, SqueezeMetrics-style):
customers sell calls and buy puts, so dealers are long calls and short puts and their dollar
gamma is ``sum(call gamma * OI) - sum(put gamma * OI)`` (x 100 shares x spot^2 x 1%).
A squeeze chain has heavy put open interest at the money (negative dealer gamma) and a large
call-open-interest wall a few percent above spot.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

__all__ = ["build_chain", "monthly_expirations", "dealer_gamma"]


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


def bsm_price_gamma(spot, strike, t, r, vol, is_call):
    """Black-Scholes price and gamma (no dividends), vectorized; t in years."""
    sqrt_t = np.sqrt(t)
    d1 = (np.log(spot / strike) + (r + 0.5 * vol ** 2) * t) / (vol * sqrt_t)
    d2 = d1 - vol * sqrt_t
    disc = np.exp(-r * t)
    call = spot * norm.cdf(d1) - strike * disc * norm.cdf(d2)
    put = strike * disc * norm.cdf(-d2) - spot * norm.cdf(-d1)
    gamma = norm.pdf(d1) / (spot * vol * sqrt_t)
    return np.where(is_call, call, put), gamma


def dealer_gamma(chain: pd.DataFrame) -> float:
    """Dealer dollar gamma per 1% move under the convention in the module docstring."""
    t = (chain["expiration"] - chain["quote_date"]).dt.days.to_numpy() / 365.0
    spot = chain["underlying_price"].to_numpy()
    _, gamma = bsm_price_gamma(spot, chain["strike"].to_numpy(), t, 0.0,
                               chain["implied_volatility"].to_numpy(),
                               (chain["option_type"] == "call").to_numpy())
    sign = np.where(chain["option_type"] == "call", 1.0, -1.0)
    return float(np.sum(sign * gamma * chain["open_interest"].to_numpy() * 100 * spot ** 2 * 0.01))


def strike_grid(spot: float) -> np.ndarray:
    steps = np.array([0.5, 1.0, 2.5, 5.0, 10.0, 25.0])
    step = steps[np.argmin(np.abs(steps - spot * 0.025))]
    center = np.round(spot / step) * step
    grid = center + step * np.arange(-12, 13)
    return grid[grid > 0]


def build_chain(ticker: str, quote_date: pd.Timestamp, spot: float, rate: float, atm_vol: float,
                squeeze: bool, rng: np.random.Generator) -> tuple[pd.DataFrame, float]:
    """One quote date's chain for one ticker; returns (chain, call-wall strike or NaN)."""
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
    price, _ = bsm_price_gamma(spot, k, t, rate, vol, is_call)
    near = np.exp(-(m / 0.08) ** 2)
    base = 2000.0 * near + rng.uniform(20, 300, len(k))
    decay = np.exp(-t * 2.0)
    if squeeze:
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
    if squeeze:
        # Make sure the planted setup really is negative dealer gamma.
        for _ in range(10):
            if dealer_gamma(chain) < 0:
                break
            puts = chain["option_type"] == "put"
            chain.loc[puts, "open_interest"] = np.round(chain.loc[puts, "open_interest"] * 1.5)
    return chain, float(wall)
