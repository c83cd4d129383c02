"""Sharpe-ratio inference: probabilistic and deflated Sharpe ratios.

Sharpe ratios here are *per period* (not annualized) unless a name says otherwise, because the
test statistics of Bailey and Lopez de Prado are stated in the sampling frequency.

References
----------
Bailey, D. H. and Lopez de Prado, M. (2012). The Sharpe ratio efficient frontier. Journal of
Risk 15(2). doi:10.21314/JOR.2012.255
Bailey, D. H. and Lopez de Prado, M. (2014). The deflated Sharpe ratio: correcting for selection
bias, backtest overfitting and non-normality. Journal of Portfolio Management 40(5).
doi:10.3905/jpm.2014.40.5.094
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

__all__ = [
    "probabilistic_sharpe_ratio", "psr_from_stats", "expected_max_sharpe",
    "deflated_sharpe_ratio",
]

EULER_GAMMA = 0.5772156649015329


def psr_from_stats(sr: float, n_obs: int, skew: float, kurtosis: float,
                   sr_benchmark: float = 0.0) -> float:
    """Probability that the true per-period Sharpe exceeds ``sr_benchmark``.

    ``PSR = Phi((sr - sr*) * sqrt(n - 1) / sqrt(1 - skew * sr + (kurtosis - 1) / 4 * sr**2))``
    with ``kurtosis`` the plain (non-excess, normal = 3) fourth standardized moment.
    """
    denom = 1.0 - skew * sr + (kurtosis - 1.0) / 4.0 * sr ** 2
    if n_obs < 2 or denom <= 0:
        return np.nan
    z = (sr - sr_benchmark) * np.sqrt(n_obs - 1.0) / np.sqrt(denom)
    return float(stats.norm.cdf(z))


def _moments(r: pd.Series) -> tuple[float, int, float, float]:
    x = r.dropna().to_numpy(dtype=float)
    sd = x.std(ddof=1) if len(x) > 1 else np.nan
    sr = x.mean() / sd if sd and not np.isnan(sd) else np.nan
    return (sr, len(x), float(stats.skew(x, bias=True)),
            float(stats.kurtosis(x, fisher=False, bias=True)))


def probabilistic_sharpe_ratio(returns, sr_benchmark: float = 0.0) -> float:
    """PSR of periodic returns against a per-period benchmark Sharpe (default 0).

    Skewness and (non-excess) kurtosis are the sample moments of ``returns``; NaN dropped.
    """
    sr, n, sk, ku = _moments(pd.Series(returns, dtype=float))
    return psr_from_stats(sr, n, sk, ku, sr_benchmark)


def expected_max_sharpe(n_trials: int, sr_variance: float, sr_mean: float = 0.0) -> float:
    """Expected maximum of ``n_trials`` Sharpe estimates under the null (false-strategy theorem).

    ``E[max] ~ mean + sqrt(V) * ((1 - g) * Phi^-1(1 - 1/N) + g * Phi^-1(1 - 1/(N e)))`` with
    ``g`` the Euler-Mascheroni constant; ``sr_variance`` is the variance of the trials' Sharpe
    ratios in the same (per-period) units.
    """
    if n_trials < 1:
        raise ValueError("n_trials must be >= 1")
    if n_trials == 1:
        return float(sr_mean)
    z1 = stats.norm.ppf(1.0 - 1.0 / n_trials)
    z2 = stats.norm.ppf(1.0 - 1.0 / (n_trials * np.e))
    return float(sr_mean + np.sqrt(sr_variance) * ((1 - EULER_GAMMA) * z1 + EULER_GAMMA * z2))


def deflated_sharpe_ratio(returns, n_trials: int, sr_variance: float | None = None,
                          trial_sharpes=None) -> float:
    """Deflated Sharpe ratio: PSR against the expected best Sharpe of ``n_trials`` null trials.

    Parameters
    ----------
    returns : Series
        Periodic returns of the selected strategy.
    n_trials : int
        Number of (effectively independent) variants tried before selecting this one.
    sr_variance : float, optional
        Variance of the per-period Sharpe ratios across trials.
    trial_sharpes : array-like, optional
        Per-period Sharpe ratios of all trials; their sample variance is used when
        ``sr_variance`` is not given. One of the two is required when ``n_trials > 1``.
    """
    if sr_variance is None:
        if trial_sharpes is None:
            if n_trials > 1:
                raise ValueError("give sr_variance or trial_sharpes")
            sr_variance = 0.0
        else:
            sr_variance = float(np.var(np.asarray(trial_sharpes, dtype=float), ddof=1))
    sr_star = expected_max_sharpe(n_trials, sr_variance)
    return probabilistic_sharpe_ratio(returns, sr_benchmark=sr_star)
