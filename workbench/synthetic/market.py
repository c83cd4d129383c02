"""Synthetic market: regime-switching market factor, FF5-like factors, securities, prices.

Used by :mod:`workbench.synthetic.generator`; everything here is driven by an explicit
``numpy.random.Generator`` so that the same seed gives identical data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench.synthetic.truth import REGIME_NAMES, SynthParams

__all__ = ["MarketSim", "simulate_market", "make_securities", "build_prices", "SECTORS"]

SECTORS = (
    "Information Technology", "Health Care", "Financials", "Consumer Discretionary",
    "Communication Services", "Industrials", "Consumer Staples", "Energy", "Utilities",
    "Real Estate", "Materials",
)

# Daily mean and volatility of Mkt-RF in each regime (order of REGIME_NAMES). The volatilities
# are far apart on purpose: a regime detector must be able to tell them apart from data.
REGIME_MU = np.array([0.0007, -0.0009, -0.0002, 0.0005])
REGIME_SIGMA = np.array([0.009, 0.016, 0.030, 0.005])
# Relative odds of moving between regimes (zero diagonal); bull <-> low-vol and
# bear <-> high-vol transitions are the common ones, as in real markets.
REGIME_MOVES = np.array([
    [0.0, 0.25, 0.15, 0.60],
    [0.30, 0.0, 0.55, 0.15],
    [0.25, 0.55, 0.0, 0.20],
    [0.65, 0.15, 0.20, 0.0],
])

NAME_WORDS = (
    "Apex", "Beacon", "Cobalt", "Delta", "Ember", "Falcon", "Granite", "Harbor", "Iris", "Juniper",
    "Keystone", "Lumen", "Meridian", "Nimbus", "Orion", "Pioneer", "Quartz", "Redwood", "Summit",
    "Titan", "Umbra", "Vertex", "Willow", "Xenon", "Yarrow", "Zephyr", "Atlas", "Boreal", "Cedar",
    "Dynamo",
)
NAME_SUFFIXES = ("Corp", "Inc.", "Holdings", "Group", "Systems", "Industries", "Partners", "Labs")


@dataclass(frozen=True)
class MarketSim:
    """The simulated market: regime path, factor returns and the regime chain's parameters."""

    sessions: pd.DatetimeIndex
    states: np.ndarray            # int regime per session
    transition_matrix: np.ndarray
    factors: pd.DataFrame         # Mkt-RF, SMB, HML, RMW, CMA, RF (decimals), index = sessions
    regime_sigma: np.ndarray = field(default_factory=lambda: REGIME_SIGMA.copy())


def regime_sigmas(spread: float) -> np.ndarray:
    """Daily Mkt-RF volatility per state for ``SynthParams.regime_vol_spread``.

    Each state's log volatility is moved away from (``spread > 1``) or towards (``< 1``) the
    states' mean log volatility; 1 returns :data:`REGIME_SIGMA` itself (the default universe).
    """
    if spread == 1.0:
        return REGIME_SIGMA.copy()
    log_sigma = np.log(REGIME_SIGMA)
    return np.exp(log_sigma.mean() + spread * (log_sigma - log_sigma.mean()))


def regime_transition_matrix(mean_days: float) -> np.ndarray:
    stay = 1.0 - 1.0 / mean_days
    moves = REGIME_MOVES / REGIME_MOVES.sum(axis=1, keepdims=True)
    return np.eye(4) * stay + moves * (1.0 - stay)


def simulate_markov(transmat: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    evals, evecs = np.linalg.eig(transmat.T)
    stationary = np.real(evecs[:, np.argmin(np.abs(evals - 1.0))])
    stationary = stationary / stationary.sum()
    states = np.empty(n, dtype=np.int64)
    states[0] = rng.choice(4, p=stationary)
    u = rng.random(n)
    cum = np.cumsum(transmat, axis=1)
    for t in range(1, n):
        states[t] = min(int(np.searchsorted(cum[states[t - 1]], u[t])), 3)
    return states


def risk_free_path(sessions: pd.DatetimeIndex) -> np.ndarray:
    """A daily risk-free rate shaped like 2012-2020 T-bill yields (near zero, a 2016-19 hike)."""
    knots = pd.to_datetime(["2012-01-01", "2015-12-01", "2019-03-01", "2020-03-15", "2021-01-01"])
    annual = np.array([0.0005, 0.002, 0.024, 0.001, 0.0008])
    x = sessions.asi8.astype(float)
    return np.interp(x, knots.asi8.astype(float), annual) / 252.0


def simulate_market(sessions: pd.DatetimeIndex, params: SynthParams,
                    rng: np.random.Generator) -> MarketSim:
    n = len(sessions)
    transmat = regime_transition_matrix(params.mean_regime_days)
    states = simulate_markov(transmat, n, rng)
    sigma = regime_sigmas(params.regime_vol_spread)
    mkt = REGIME_MU[states] + sigma[states] * rng.standard_normal(n)
    other = rng.standard_normal((n, 4)) * np.array([0.005, 0.005, 0.003, 0.003])
    other += np.array([0.0001, 0.0, 0.0001, 0.0])
    factors = pd.DataFrame(
        {"Mkt-RF": mkt, "SMB": other[:, 0], "HML": other[:, 1], "RMW": other[:, 2],
         "CMA": other[:, 3], "RF": risk_free_path(sessions)},
        index=pd.DatetimeIndex(sessions, name="date"))
    return MarketSim(sessions, states, transmat, factors, sigma)


def make_tickers(n: int, rng: np.random.Generator) -> list[str]:
    letters = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        length = 3 if rng.random() < 0.6 else 4
        sym = "".join(rng.choice(letters, size=length))
        if sym not in seen:
            seen.add(sym)
            out.append(sym)
    return out


def make_securities(params: SynthParams, n_unpriced: int,
                    rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Securities (ticker, name, sector, priced) and the true factor loadings of priced ones."""
    n = params.n_tickers + n_unpriced
    tickers = make_tickers(n, rng)
    sectors = np.array(SECTORS[: params.n_sectors])
    sector = sectors[np.arange(n) % len(sectors)]
    rng.shuffle(sector)
    names = [f"{NAME_WORDS[i % len(NAME_WORDS)]} {tickers[i].title()} "
             f"{NAME_SUFFIXES[i % len(NAME_SUFFIXES)]}" for i in range(n)]
    securities = pd.DataFrame({"ticker": tickers, "name": names, "sector": sector,
                               "priced": np.arange(n) < params.n_tickers})
    k = params.n_tickers
    betas = pd.DataFrame({
        "ticker": tickers[:k],
        "sector": sector[:k],
        "b_mkt": np.clip(rng.normal(1.0, 0.25, k), 0.3, 2.0),
        "b_smb": rng.normal(0.2, 0.4, k),
        "b_hml": rng.normal(0.0, 0.4, k),
        "b_rmw": rng.normal(0.0, 0.3, k),
        "b_cma": rng.normal(0.0, 0.3, k),
        "idio_vol": rng.uniform(0.010, 0.020, k),
    })
    return securities, betas


def factor_returns(market: MarketSim, betas: pd.DataFrame,
                   rng: np.random.Generator) -> np.ndarray:
    """Sessions x tickers simple returns before planted events: RF + B.F + sector + idio."""
    f = market.factors
    load = betas[["b_mkt", "b_smb", "b_hml", "b_rmw", "b_cma"]].to_numpy()
    systematic = f[["Mkt-RF", "SMB", "HML", "RMW", "CMA"]].to_numpy() @ load.T
    n = len(market.sessions)
    sector_codes, sector_idx = np.unique(betas["sector"].to_numpy(), return_inverse=True)
    sector_shock = rng.standard_normal((n, len(sector_codes))) * 0.006
    idio = rng.standard_normal((n, len(betas))) * betas["idio_vol"].to_numpy()
    return f["RF"].to_numpy()[:, None] + systematic + sector_shock[:, sector_idx] + idio


def build_prices(sessions: pd.DatetimeIndex, tickers: list[str], returns: np.ndarray,
                 market_abs: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """Long OHLCV table from simple returns (no splits: close equals adjusted close)."""
    n, k = returns.shape
    start = rng.uniform(20.0, 200.0, k)
    close = start * np.cumprod(1.0 + returns, axis=0)
    prev = np.vstack([start, close[:-1]])
    open_ = prev * (1.0 + rng.normal(0.0, 0.003, (n, k)))
    wiggle = np.abs(rng.normal(0.0, 0.006, (n, k)))
    high = np.maximum(open_, close) * (1.0 + wiggle)
    low = np.minimum(open_, close) * (1.0 - np.abs(rng.normal(0.0, 0.006, (n, k))))
    base_volume = rng.lognormal(14.0, 0.6, k)
    volume = base_volume * np.exp(rng.normal(0.0, 0.25, (n, k))) * (
        1.0 + 20.0 * np.abs(returns) + 10.0 * market_abs[:, None])
    frame = pd.DataFrame({
        "date": np.repeat(sessions.to_numpy(), k),
        "ticker": np.tile(np.array(tickers, dtype=object), n),
        "open": open_.ravel(), "high": high.ravel(), "low": low.ravel(),
        "close": close.ravel(), "adj_close": close.ravel(), "volume": np.round(volume.ravel()),
    })
    frame["ticker"] = frame["ticker"].astype("string")
    return frame.sort_values(["ticker", "date"], kind="stable").reset_index(drop=True)


def regime_frames(market: MarketSim) -> tuple[pd.DataFrame, pd.DataFrame, pd.DatetimeIndex]:
    """Truth tables of the regime chain: per-session states, per-state stats, change points."""
    names = np.array(REGIME_NAMES)
    regimes = pd.DataFrame({"date": market.sessions, "state": market.states,
                            "name": names[market.states]})
    stats = pd.DataFrame({"state": np.arange(4), "name": names, "mu": REGIME_MU,
                          "sigma": market.regime_sigma})
    switch = np.flatnonzero(np.diff(market.states) != 0) + 1
    return regimes, stats, pd.DatetimeIndex(market.sessions[switch])
