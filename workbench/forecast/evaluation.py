"""Forecast losses, calibration and the tests that compare a model with a baseline.

Losses are per sample so that the same arrays feed the metrics and the tests:

- squared error of the return; RMSE is the square root of its mean;
- volatility: squared error and QLIKE on variances (Patton 2011),
  ``QLIKE = y2 / f2 - log(y2 / f2) - 1`` with ``y2`` the realized and ``f2`` the forecast
  variance (zero for a perfect forecast; robust to noise in the realized proxy);
- direction: log loss ``-log p[y]``, accuracy, balanced accuracy, the top-label reliability
  curve and its expected calibration error (ECE, equal-width confidence bins).

:func:`diebold_mariano` (from :mod:`workbench.metrics.comparison`, re-exported here) compares two
forecasts' losses on panel samples, averaged per decision date, with a Newey-West long-run
variance and the Harvey-Leybourne-Newbold correction.

References
----------
Diebold, F. X. and Mariano, R. S. (1995). Comparing predictive accuracy. JBES 13(3), 253-263.
doi:10.1080/07350015.1995.10524599
Harvey, D., Leybourne, S. and Newbold, P. (1997). Testing the equality of prediction mean
squared errors. IJF 13(2), 281-291. doi:10.1016/S0169-2070(96)00719-4
Patton, A. J. (2011). Volatility forecast comparison using imperfect volatility proxies.
J. Econometrics 160(1), 246-256. doi:10.1016/j.jeconom.2010.03.034
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from workbench.metrics.comparison import DMResult, diebold_mariano, newey_west_variance

__all__ = ["squared_error", "qlike", "log_loss", "accuracy", "balanced_accuracy",
           "reliability_curve", "expected_calibration_error", "newey_west_variance",
           "DMResult", "diebold_mariano", "binomial_vs_majority"]


def squared_error(y, f) -> np.ndarray:
    return (np.asarray(y, float) - np.asarray(f, float)) ** 2


def qlike(vol, forecast_vol, floor: float = 1e-6) -> np.ndarray:
    """Per-sample QLIKE of volatility forecasts, computed on variances (floored)."""
    y2 = np.maximum(np.asarray(vol, float), floor) ** 2
    f2 = np.maximum(np.asarray(forecast_vol, float), floor) ** 2
    q = y2 / f2
    return q - np.log(q) - 1.0


def log_loss(y, proba, eps: float = 1e-12) -> np.ndarray:
    """Per-sample ``-log p[y]`` of class probabilities ``proba`` (n, k)."""
    p = np.asarray(proba, float)
    y = np.asarray(y, int)
    return -np.log(np.clip(p[np.arange(len(y)), y], eps, 1.0))


def accuracy(y, proba) -> float:
    return float(np.mean(np.argmax(proba, axis=1) == np.asarray(y))) if len(y) else np.nan


def balanced_accuracy(y, proba) -> float:
    """Mean recall over the classes present in ``y``."""
    y = np.asarray(y)
    pred = np.argmax(proba, axis=1)
    recalls = [np.mean(pred[y == c] == c) for c in np.unique(y)]
    return float(np.mean(recalls)) if recalls else np.nan


def reliability_curve(y, proba, n_bins: int = 10) -> pd.DataFrame:
    """Top-label reliability: per confidence bin, mean confidence, accuracy and count."""
    p = np.asarray(proba, float)
    conf = p.max(axis=1)
    hit = (np.argmax(p, axis=1) == np.asarray(y)).astype(float)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    b = np.clip(np.digitize(conf, edges[1:-1], right=True), 0, n_bins - 1)
    rows = []
    for k in range(n_bins):
        m = b == k
        rows.append({"bin": k, "lower": edges[k], "upper": edges[k + 1], "count": int(m.sum()),
                     "confidence": float(conf[m].mean()) if m.any() else np.nan,
                     "accuracy": float(hit[m].mean()) if m.any() else np.nan})
    return pd.DataFrame(rows)


def expected_calibration_error(y, proba, n_bins: int = 10) -> float:
    """``sum_k n_k / n * |accuracy_k - confidence_k|`` over the reliability bins."""
    curve = reliability_curve(y, proba, n_bins)
    c = curve[curve["count"] > 0]
    n = c["count"].sum()
    return float((c["count"] / n * (c["accuracy"] - c["confidence"]).abs()).sum()) if n else np.nan


def binomial_vs_majority(y, proba, majority_class: int, dates=None,
                         horizon: int = 1) -> tuple[float, float, float]:
    """One-sided binomial test that accuracy exceeds the majority class's hit rate.

    Samples are thinned to every ``horizon``-th decision date (non-overlapping targets) so
    that the successes are closer to independent; tickers on one date still share the market,
    which is why the Diebold-Mariano test on date-averaged hits is reported beside it.

    Returns ``(accuracy, majority_rate, p_value)`` on the thinned samples.
    """
    y = np.asarray(y)
    keep = np.ones(len(y), dtype=bool)
    if dates is not None and horizon > 1:
        d = pd.DatetimeIndex(np.asarray(dates))
        uniq = d.unique().sort_values()
        keep = np.isin(d, uniq[::horizon])
    y, p = y[keep], np.asarray(proba)[keep]
    hits = int(np.sum(np.argmax(p, axis=1) == y))
    base = float(np.mean(y == majority_class)) if len(y) else np.nan
    if not len(y) or not 0 < base < 1:
        return (hits / len(y) if len(y) else np.nan), base, np.nan
    pv = stats.binomtest(hits, len(y), base, alternative="greater").pvalue
    return hits / len(y), base, float(pv)
