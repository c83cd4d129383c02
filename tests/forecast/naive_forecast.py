"""Slow, obviously-correct references for workbench.forecast (loops, no vectorization)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def naive_folds(dates, n_splits, purge, embargo, test_fraction):
    """Walk-forward folds by plain loops over the sorted unique dates."""
    d = pd.to_datetime(pd.Series(dates))
    uniq = sorted(set(d))
    m = len(uniq)
    n_test = int(round(m * test_fraction))
    first = m - n_test
    out = []
    for k in range(n_splits):
        a = int(round(first + k * n_test / n_splits))
        b = int(round(first + (k + 1) * n_test / n_splits))
        test_dates = set(uniq[a:b])
        train_dates = set(uniq[: max(a - purge - embargo, 0)])
        train = [i for i, x in enumerate(d) if x in train_dates]
        test = [i for i, x in enumerate(d) if x in test_dates]
        out.append((np.array(train, dtype=int), np.array(test, dtype=int)))
    return out


def naive_targets(close: pd.Series, t: int, h: int, flat_band: float):
    """Targets of a sample at position t of one ticker's adjusted close series."""
    c = close.to_numpy(dtype=float)
    ret = np.log(c[t + h] / c[t])
    daily = [np.log(c[t + i] / c[t + i - 1]) for i in range(1, h + 1)]
    vol = np.sqrt(sum(x * x for x in daily) / h)
    direction = 2 if ret > flat_band else (0 if ret < -flat_band else 1)
    return ret, vol, direction


def naive_newey_west(d, lags):
    d = np.asarray(d, float)
    n = len(d)
    mu = sum(d) / n
    v = sum((x - mu) ** 2 for x in d) / n
    for j in range(1, lags + 1):
        w = 1 - j / (lags + 1)
        v += 2 * w * sum((d[t] - mu) * (d[t - j] - mu) for t in range(j, n)) / n
    return v


def naive_ece(y, proba, n_bins=10):
    y = list(y)
    total = 0.0
    n = len(y)
    for k in range(n_bins):
        lo, hi = k / n_bins, (k + 1) / n_bins
        members = []
        for i in range(n):
            c = max(proba[i])
            inside = (lo < c <= hi) or (k == 0 and c <= hi)
            if inside:
                members.append(i)
        if members:
            acc = np.mean([int(np.argmax(proba[i]) == y[i]) for i in members])
            conf = np.mean([max(proba[i]) for i in members])
            total += len(members) / n * abs(acc - conf)
    return total
