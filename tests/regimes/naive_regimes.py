"""Slow references for workbench.regimes."""

from __future__ import annotations

import numpy as np
from scipy.stats import norm


def forward_filter_1d(x, start, transmat, means, sds):
    """Filtered state probabilities of a 1-D Gaussian HMM, in probability space, by loops."""
    n = len(start)
    out = np.zeros((len(x), n))
    alpha = np.array([start[j] * norm.pdf(x[0], means[j], sds[j]) for j in range(n)])
    out[0] = alpha / alpha.sum()
    for t in range(1, len(x)):
        pred = [sum(out[t - 1][i] * transmat[i][j] for i in range(n)) for j in range(n)]
        alpha = np.array([pred[j] * norm.pdf(x[t], means[j], sds[j]) for j in range(n)])
        out[t] = alpha / alpha.sum()
    return out


def simulate_regimes(rng, n, transmat, mus, sigmas):
    s = np.zeros(n, dtype=int)
    s[0] = rng.integers(len(mus))
    for t in range(1, n):
        s[t] = rng.choice(len(mus), p=transmat[s[t - 1]])
    return s, rng.normal(np.asarray(mus)[s], np.asarray(sigmas)[s])
