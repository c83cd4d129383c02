"""Static allocation rules over a set of selected tickers: equal, mean-variance, risk parity.

Inputs are trailing daily simple returns (sessions x tickers) known at the rebalancing close;
every rule returns long-only weights summing to 1 over the given columns.

- :func:`mean_variance_weights`: PyPortfolioOpt's quadratic-utility problem
  ``max w'mu - (delta / 2) w'Sigma w`` with Ledoit-Wolf shrunk covariance, the sample mean
  shrunk towards zero (``mu_shrink``), an L2 penalty against corner solutions and a cap per
  name; annualized inputs (252 sessions per year).
- :func:`risk_parity_weights`: equal risk contributions ``w_i (Sigma w)_i = w'Sigma w / n``,
  solved as Spinu's convex problem ``min 0.5 w'Sigma w - (1/n) sum log w`` (scipy), then
  normalized.

References
----------
Spinu, F. (2013). An algorithm for computing risk parity weights. SSRN 2297383.
doi:10.2139/ssrn.2297383
Ledoit, O. and Wolf, M. (2004). Honey, I shrunk the sample covariance matrix. JPM 30(4).
doi:10.3905/jpm.2004.110
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import optimize

__all__ = ["equal_weights", "shrunk_covariance", "mean_variance_weights", "risk_parity_weights",
           "risk_contributions"]

PERIODS = 252


def equal_weights(columns) -> pd.Series:
    cols = list(columns)
    return pd.Series(1.0 / len(cols) if cols else [], index=cols, dtype=float)


def shrunk_covariance(returns: pd.DataFrame) -> pd.DataFrame:
    """Ledoit-Wolf covariance of daily returns, annualized (PyPortfolioOpt)."""
    from pypfopt import risk_models

    r = returns.dropna(how="all").fillna(0.0)
    return risk_models.CovarianceShrinkage(r, returns_data=True,
                                           frequency=PERIODS).ledoit_wolf()


def mean_variance_weights(returns: pd.DataFrame, risk_aversion: float = 5.0,
                          mu_shrink: float = 0.5, l2_gamma: float = 0.1,
                          max_weight: float = 0.35) -> pd.Series:
    """Long-only quadratic-utility weights (see module notes); equal weights on solver failure."""
    from pypfopt import EfficientFrontier, objective_functions

    cols = list(returns.columns)
    n = len(cols)
    if n == 0:
        return pd.Series(dtype=float)
    if n == 1:
        return pd.Series([1.0], index=cols)
    cap = max(max_weight, 1.0 / n)
    mu = returns.mean().fillna(0.0) * PERIODS * (1.0 - mu_shrink)
    cov = shrunk_covariance(returns)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ef = EfficientFrontier(mu, cov, weight_bounds=(0.0, cap))
            ef.add_objective(objective_functions.L2_reg, gamma=l2_gamma)
            w = ef.max_quadratic_utility(risk_aversion=risk_aversion)
        out = pd.Series(w, dtype=float).reindex(cols).fillna(0.0).clip(lower=0.0)
    except Exception:                   # solver failure: fall back, do not crash a backtest
        return equal_weights(cols)
    s = out.sum()
    return out / s if s > 0 else equal_weights(cols)


def risk_parity_weights(cov: pd.DataFrame | np.ndarray) -> pd.Series | np.ndarray:
    """Equal-risk-contribution weights of a covariance matrix (Spinu's convex program)."""
    S = np.asarray(cov, dtype=float)
    n = len(S)
    if n == 0:
        out = np.zeros(0)
    elif n == 1:
        out = np.ones(1)
    else:
        x0 = 1.0 / np.sqrt(np.diag(S).clip(min=1e-12))
        x0 /= x0.sum()

        def f(x):
            return 0.5 * x @ S @ x - np.log(x).sum() / n

        def g(x):
            return S @ x - 1.0 / (n * x)

        res = optimize.minimize(f, x0, jac=g, method="L-BFGS-B",
                                bounds=[(1e-10, None)] * n,
                                options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 2000})
        out = res.x / res.x.sum()
    if isinstance(cov, pd.DataFrame):
        return pd.Series(out, index=cov.index)
    return out


def risk_contributions(weights, cov) -> np.ndarray:
    """Share of portfolio variance from each name: ``w_i (Sigma w)_i / w'Sigma w``."""
    w = np.asarray(weights, dtype=float)
    S = np.asarray(cov, dtype=float)
    total = w @ S @ w
    return w * (S @ w) / total
