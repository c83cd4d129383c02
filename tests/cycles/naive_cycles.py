"""Slow, obviously-right references for workbench.cycles."""

from __future__ import annotations

import numpy as np


def dft_periodogram(x):
    """|sum_t x_t exp(-2 pi i k t / n)|^2 / n at k = 1 .. ceil(n/2) - 1, by a double loop."""
    n = len(x)
    ks = range(1, (n + 1) // 2)
    out = []
    for k in ks:
        re = sum(x[t] * np.cos(2 * np.pi * k * t / n) for t in range(n))
        im = sum(x[t] * np.sin(2 * np.pi * k * t / n) for t in range(n))
        out.append((re * re + im * im) / n)
    return np.array([k / n for k in ks]), np.array(out)


def sinusoid_ess(t, y, f):
    """Half the sum of squares explained by a + b cos + c sin at frequency f (least squares)."""
    X = np.column_stack([np.ones_like(t), np.cos(2 * np.pi * f * t), np.sin(2 * np.pi * f * t)])
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    fit = X @ beta
    return 0.5 * float(np.sum((fit - y.mean()) ** 2))


def bh_reject(p, alpha):
    """Benjamini-Hochberg step-up by hand."""
    p = np.asarray(p)
    m = len(p)
    order = np.argsort(p)
    ok = [p[order[i]] <= (i + 1) / m * alpha for i in range(m)]
    k = max([i + 1 for i in range(m) if ok[i]], default=0)
    rej = np.zeros(m, bool)
    rej[order[:k]] = True
    return rej
