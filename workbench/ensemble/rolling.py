"""Vectorized point-in-time estimators the members share.

- :func:`rolling_ols`: per ticker, OLS of a return panel on a common design over the trailing
  ``window`` sessions ending at each session (rows up to and including it), from cumulative
  sums of ``x x'`` and ``x y`` (one pass, then one small solve per session and ticker). The
  obviously-right reference is a fresh ``numpy.linalg.lstsq`` per (session, ticker)
  (``tests/ensemble/test_rolling.py``).
- :func:`prior_group_mean`: for each query (group, time), the mean of the values of the
  same group that were known by that time (cumulative sums in time order per group).
"""

from __future__ import annotations

import numpy as np

__all__ = ["rolling_ols", "prior_group_mean"]


def _window_diff(c: np.ndarray, window: int) -> np.ndarray:
    """Trailing-window sums from cumulative sums over axis 0 (rows ``p-window+1 .. p``)."""
    out = c.copy()
    out[window:] -= c[:-window]
    return out


def rolling_ols(X: np.ndarray, Y: np.ndarray, window: int, min_obs: int,
                ridge: float = 1e-10) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Trailing-window OLS of every column of ``Y`` on ``X``, known at each row.

    Parameters
    ----------
    X : ndarray (T, D)
        Common design (one row per session); rows with NaN are skipped for every ticker.
    Y : ndarray (T, K)
        Responses; NaN rows are skipped for that ticker only.
    window : int
        Sessions in the trailing window (row ``p`` uses rows ``p - window + 1 .. p``).
    min_obs : int
        Fewer valid rows in the window give NaN.
    ridge : float
        Each diagonal element of ``X'X`` is multiplied by ``1 + ridge`` (scale-free), for
        numerical safety only.

    Returns
    -------
    beta : ndarray (T, K, D)
    resid_var : ndarray (T, K)
        Residual variance ``RSS / (n - D)``.
    n_obs : ndarray (T, K)
    """
    X = np.asarray(X, float)
    Y = np.asarray(Y, float)
    T, D = X.shape
    K = Y.shape[1]
    beta = np.full((T, K, D), np.nan)
    rvar = np.full((T, K), np.nan)
    nobs = np.zeros((T, K))
    xok = np.isfinite(X).all(axis=1)
    X0 = np.where(xok[:, None], X, 0.0)
    outer = X0[:, :, None] * X0[:, None, :]                  # (T, D, D)
    for k in range(K):
        ok = xok & np.isfinite(Y[:, k])
        if ok.sum() < min_obs:
            continue
        w = ok.astype(float)
        y = np.where(ok, Y[:, k], 0.0)
        S = _window_diff(np.cumsum(outer * w[:, None, None], axis=0), window)
        b = _window_diff(np.cumsum(X0 * (w * y)[:, None], axis=0), window)
        yy = _window_diff(np.cumsum(w * y * y), window)
        n = _window_diff(np.cumsum(w), window)
        nobs[:, k] = n
        use = np.flatnonzero(n >= max(min_obs, D + 1))
        if not len(use):
            continue
        Su = S[use]
        diag = np.einsum("ndd->nd", Su)
        Su = Su + ridge * diag[:, :, None] * np.eye(D)[None]
        bu = np.linalg.solve(Su, b[use][:, :, None])[:, :, 0]
        beta[use, k] = bu
        rss = yy[use] - 2 * np.einsum("nd,nd->n", bu, b[use]) + np.einsum(
            "nd,nde,ne->n", bu, S[use], bu)
        rvar[use, k] = np.maximum(rss, 0.0) / np.maximum(n[use] - D, 1.0)
    return beta, rvar, nobs


def prior_group_mean(group: np.ndarray, known_at: np.ndarray, value: np.ndarray,
                     q_group: np.ndarray, q_time: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sum and count of ``value`` over items of ``q_group`` with ``known_at <= q_time``.

    Items with a NaN value are left out. Groups are non-negative integers.

    Returns
    -------
    (sums, counts) : ndarray, ndarray, one entry per query.
    """
    group = np.asarray(group, np.int64)
    known_at = np.asarray(known_at, np.int64)
    value = np.asarray(value, float)
    ok = np.isfinite(value)
    g, t, v = group[ok], known_at[ok], value[ok]
    span = int(max(t.max(initial=0), np.max(q_time, initial=0))) + 2
    key = g * span + t
    order = np.argsort(key, kind="stable")
    key, v = key[order], v[order]
    cs = np.concatenate([[0.0], np.cumsum(v)])
    qg = np.asarray(q_group, np.int64)
    qt = np.asarray(q_time, np.int64)
    hi = np.searchsorted(key, qg * span + qt, side="right")
    lo = np.searchsorted(key, qg * span - 1, side="right")
    return cs[hi] - cs[lo], (hi - lo).astype(float)
