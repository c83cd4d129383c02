"""Slow, obviously-correct references for the options fast paths."""

from __future__ import annotations

import math


def norm_pdf(x: float) -> float:
    return math.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)


def gamma(S: float, K: float, t: float, r: float, sigma: float, q: float) -> float:
    d1 = (math.log(S / K) + (r - q + 0.5 * sigma * sigma) * t) / (sigma * math.sqrt(t))
    return math.exp(-q * t) * norm_pdf(d1) / (S * sigma * math.sqrt(t))


def chain_gex(rows, spot: float, call_sign: float = 1.0, put_sign: float = -1.0,
              r: float = 0.0, q: float = 0.0) -> dict:
    """rows: dicts with option_type, strike, years, iv, oi. Total and per-strike GEX."""
    total, per_strike = 0.0, {}
    for row in rows:
        if row["years"] <= 0:
            continue
        sign = call_sign if row["option_type"] == "call" else put_sign
        g = gamma(spot, row["strike"], row["years"], r, row["iv"], q)
        v = sign * g * row["oi"] * 100 * spot * spot * 0.01
        total += v
        per_strike[row["strike"]] = per_strike.get(row["strike"], 0.0) + v
    return {"total": total, "per_strike": per_strike}
