"""Comparing two forecasts of the same samples: the Diebold-Mariano test.

The loss differential of panel samples is averaged over the tickers of each decision date
(tickers on one date share the market and are not independent), then tested with a Newey-West
(Bartlett) long-run variance with ``h - 1`` lags (forecasts over overlapping ``h``-session
horizons are autocorrelated up to ``h - 1``) and the Harvey-Leybourne-Newbold small-sample
correction, against Student t. Used by the forecasting models, the ensemble, the portfolio
comparison and the feature-importance model (every "beats its baseline" verdict).

References
----------
Diebold, F. X. and Mariano, R. S. (1995). Comparing predictive accuracy. JBES 13(3), 253-263.
doi:10.1080/07350015.1995.10524599
Harvey, D., Leybourne, S. and Newbold, P. (1997). Testing the equality of prediction mean
squared errors. IJF 13(2), 281-291. doi:10.1016/S0169-2070(96)00719-4
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["newey_west_variance", "DMResult", "diebold_mariano"]


def newey_west_variance(d, lags: int) -> float:
    """Long-run variance of ``d`` with Bartlett weights ``1 - j / (lags + 1)``."""
    d = np.asarray(d, float)
    e = d - d.mean()
    n = len(e)
    v = e @ e / n
    for j in range(1, min(lags, n - 1) + 1):
        v += 2.0 * (1.0 - j / (lags + 1.0)) * (e[j:] @ e[:-j]) / n
    return float(v)


@dataclass(frozen=True)
class DMResult:
    """Diebold-Mariano comparison of forecast A (the model) with B (a baseline).

    ``mean_diff`` is the mean over dates of the date-averaged loss differential A - B
    (negative: A has the lower loss); ``p_value`` is one-sided for "A is better";
    ``p_two_sided`` tests equality.
    """

    statistic: float
    p_value: float
    p_two_sided: float
    mean_diff: float
    n_dates: int
    lags: int

    def to_dict(self) -> dict:
        return {"dm_stat": self.statistic, "dm_p": self.p_value,
                "dm_p_two_sided": self.p_two_sided, "mean_loss_diff": self.mean_diff,
                "n_dates": self.n_dates}


def diebold_mariano(loss_a, loss_b, dates=None, horizon: int = 1) -> DMResult:
    """Diebold-Mariano test on per-sample losses of two forecasts of the same samples.

    Parameters
    ----------
    loss_a, loss_b : array-like (n,)
        Losses of the model and of the baseline on the same samples.
    dates : array-like (n,), optional
        Decision date of each sample; losses are averaged per date first (panel data).
    horizon : int
        Forecast horizon ``h`` in sessions; the long-run variance uses ``h - 1`` lags.
    """
    d = np.asarray(loss_a, float) - np.asarray(loss_b, float)
    if dates is not None:
        d = pd.Series(d).groupby(pd.DatetimeIndex(np.asarray(dates)).asi8).mean().to_numpy()
    n = len(d)
    lags = max(int(horizon) - 1, 0)
    if n < 3:
        return DMResult(np.nan, np.nan, np.nan, float(np.mean(d)) if n else np.nan, n, lags)
    var = newey_west_variance(d, lags)
    mean = float(d.mean())
    if not var > 0:
        stat = 0.0 if mean == 0 else -np.inf * np.sign(mean)
    else:
        stat = mean / np.sqrt(var / n)
        # Harvey, Leybourne and Newbold (1997) small-sample correction
        h = lags + 1
        stat *= np.sqrt((n + 1 - 2 * h + h * (h - 1) / n) / n)
    p_one = float(stats.t.cdf(stat, df=n - 1))
    p_two = float(2 * stats.t.sf(abs(stat), df=n - 1))
    return DMResult(float(stat), p_one, p_two, mean, n, lags)
