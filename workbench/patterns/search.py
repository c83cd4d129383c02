"""Exact top-k z-normalized DTW search over many price histories.

The search is exact: it returns the same non-overlapping top-k as computing the banded DTW
distance of every candidate window (the reference in ``tests/patterns/naive.py``), but prunes
with lower bounds first (LB_Kim first/last, then LB_Keogh against the query envelope) and
computes the surviving distances in batches with dtaidistance's C kernel, early-abandoning at the
current k-th best distance.

Notes
-----
Rakthanmanon, T. et al. (2012). Searching and mining trillions of time series subsequences under
dynamic time warping. KDD '12. doi:10.1145/2339530.2339576
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from dtaidistance import dtw

from workbench.exceptions import DataError

__all__ = ["znormalize", "band_radius", "dtw_distance", "stack_histories", "Stacked",
           "search_topk", "select_non_overlapping"]

_EPS = 1e-12
_FAR = 1e4  # sketch value of an invalid window: its cheap bound exceeds any DTW distance


def znormalize(w: np.ndarray) -> np.ndarray:
    """Z-normalize the last axis (mean 0, population std 1); constant windows become zeros."""
    w = np.asarray(w, dtype=float)
    mu = w.mean(axis=-1, keepdims=True)
    sd = w.std(axis=-1, keepdims=True)
    return (w - mu) / np.where(sd > _EPS, sd, np.inf)


def band_radius(window: int, band: float) -> int:
    """Sakoe-Chiba radius in samples: ``round(band * window)`` (band is a fraction of the window)."""
    if not 0 <= band <= 1:
        raise ValueError(f"band must be a fraction in [0, 1], got {band}")
    return int(round(band * window))


def dtw_distance(a: np.ndarray, b: np.ndarray, radius: int) -> float:
    """Banded DTW (sqrt of summed squared differences) with dtaidistance's C kernel.

    dtaidistance's ``window=w`` allows ``|i - j| <= w - 1``, hence ``window=radius + 1``.
    """
    return float(dtw.distance_fast(np.ascontiguousarray(a, dtype=float),
                                   np.ascontiguousarray(b, dtype=float), window=radius + 1,
                                   use_pruning=False))


@dataclass(frozen=True)
class Stacked:
    """All histories concatenated into one array; ``valid[s]`` says window ``s`` is searchable.

    ``values`` is the concatenation; ``series_id`` and ``pos`` give, for every element, its series
    number and position inside that series (row of the wide frame).
    """

    values: np.ndarray
    series_id: np.ndarray
    pos: np.ndarray
    names: tuple[str, ...]
    index: pd.DatetimeIndex
    cache: dict = field(default_factory=dict, compare=False, repr=False)


def stack_histories(history: pd.DataFrame, log: bool = True) -> Stacked:
    """Stack a wide date x series frame (e.g. adjusted closes) into one searchable array.

    Log prices are de-meaned per series so that running sums stay small (numerical safety).
    Non-positive prices with ``log=True`` raise :class:`DataError`.
    """
    if not isinstance(history, pd.DataFrame) or history.shape[1] == 0:
        raise DataError("history must be a non-empty wide DataFrame (date x series)")
    arr = history.to_numpy(dtype=float)
    if log:
        bad = np.isfinite(arr) & (arr <= 0)
        if bad.any():
            r, c = np.argwhere(bad)[0]
            raise DataError(f"non-positive price {arr[r, c]} in {history.columns[c]!r}",
                            row=int(r) + 1, column=str(history.columns[c]))
        with np.errstate(invalid="ignore", divide="ignore"):
            arr = np.log(arr)
    arr = arr - np.nanmean(arr, axis=0, keepdims=True)
    n, k = arr.shape
    values = arr.T.reshape(-1).copy()
    series_id = np.repeat(np.arange(k), n)
    pos = np.tile(np.arange(n), k)
    return Stacked(values, series_id, pos, tuple(map(str, history.columns)),
                   pd.DatetimeIndex(history.index))


def _window_stats(x: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rolling mean, std and validity (no NaN) of every length-m window (running sums)."""
    finite = np.isfinite(x)
    xf = np.where(finite, x, 0.0)
    c1 = np.concatenate([[0.0], np.cumsum(xf)])
    c2 = np.concatenate([[0.0], np.cumsum(xf * xf)])
    cn = np.concatenate([[0], np.cumsum(~finite)])
    s1 = c1[m:] - c1[:-m]
    s2 = c2[m:] - c2[:-m]
    mu = s1 / m
    var = np.maximum(s2 / m - mu * mu, 0.0)
    return mu, np.sqrt(var), (cn[m:] - cn[:-m]) == 0


def select_non_overlapping(starts: np.ndarray, series: np.ndarray, dist: np.ndarray, k: int,
                           exclusion: int) -> np.ndarray:
    """Greedy best-first selection: ascending distance, skipping windows of the same series whose
    start is within ``exclusion`` samples of an already selected one. Returns positions into the
    input arrays (ties broken by start, for reproducibility)."""
    finite = np.flatnonzero(np.isfinite(dist))
    order = finite[np.lexsort((starts[finite], dist[finite]))]
    chosen: list[int] = []
    taken: dict[int, list[int]] = {}
    for i in order:
        s, sid = int(starts[i]), int(series[i])
        if any(abs(s - t) < exclusion for t in taken.get(sid, ())):
            continue
        chosen.append(int(i))
        taken.setdefault(sid, []).append(s)
        if len(chosen) == k:
            break
    return np.asarray(chosen, dtype=int)


def _envelope(q: np.ndarray, r: int) -> tuple[np.ndarray, np.ndarray]:
    m = len(q)
    pad_hi = np.concatenate([np.full(r, -np.inf), q, np.full(r, -np.inf)])
    pad_lo = np.concatenate([np.full(r, np.inf), q, np.full(r, np.inf)])
    win_hi = np.lib.stride_tricks.sliding_window_view(pad_hi, 2 * r + 1)[:m]
    win_lo = np.lib.stride_tricks.sliding_window_view(pad_lo, 2 * r + 1)[:m]
    return win_hi.max(axis=1), win_lo.min(axis=1)


def _batch_dtw(q: np.ndarray, windows: np.ndarray, r: int, max_dist: float) -> np.ndarray:
    """DTW of q against each row, C kernel in parallel; abandoned pairs come back as inf."""
    if len(windows) == 0:
        return np.empty(0)
    if len(windows) < 8:
        return np.array([dtw_distance(q, w, r) for w in windows])
    kw = {"window": r + 1, "use_pruning": False}
    if np.isfinite(max_dist):
        kw["max_dist"] = float(max_dist)
    series = np.vstack([q[None, :], windows])
    d = dtw.distance_matrix_fast(series, block=((0, 1), (1, len(series))), compact=True, **kw)
    return np.asarray(d, dtype=float)


def _prepared(stacked: Stacked, m: int) -> dict:
    """Query-independent arrays for window length m (cached on the Stacked instance)."""
    key = ("prep", m)
    if key not in stacked.cache:
        x = stacked.values
        mu, sd, ok = _window_stats(x, m)
        ok &= stacked.series_id[: len(ok)] == stacked.series_id[m - 1:]
        inv = np.where(ok & (sd > _EPS), 1.0 / np.where(sd > _EPS, sd, 1.0), 0.0)
        xf = np.where(np.isfinite(x), x, 0.0)
        c1 = np.concatenate([[0.0], np.cumsum(xf)])
        # Envelope of the raw series (radius-free here: filled per query); NaN -> +-inf so that
        # windows near gaps only get looser (still valid) bounds.
        nw = len(mu)
        segs = _segments(m)
        # Query-independent sketch of every z-normalized window for the cheap bounds: first
        # value, segment means, last value (float32; invalid windows pushed far away).
        sketch = np.empty((len(segs) + 2, nw), dtype=np.float32)
        sketch[0] = (xf[:nw] - mu) * inv
        for j, (a, b) in enumerate(segs, start=1):
            sketch[j] = ((c1[b: b + nw] - c1[a: a + nw]) / (b - a) - mu) * inv
        sketch[-1] = (xf[m - 1: m - 1 + nw] - mu) * inv
        sketch[:, ~ok] = _FAR
        stacked.cache[key] = {"mu": mu, "inv": inv, "ok": ok, "xf": xf, "sketch": sketch,
                              "segments": segs}
    return stacked.cache[key]


def _raw_envelope(stacked: Stacked, r: int) -> tuple[np.ndarray, np.ndarray]:
    key = ("env", r)
    if key not in stacked.cache:
        from scipy.ndimage import maximum_filter1d, minimum_filter1d

        x = stacked.values
        fin = np.isfinite(x)
        hi = maximum_filter1d(np.where(fin, x, np.inf), 2 * r + 1, mode="nearest")
        lo = minimum_filter1d(np.where(fin, x, -np.inf), 2 * r + 1, mode="nearest")
        stacked.cache[key] = (hi, lo)
    return stacked.cache[key]


def _segments(m: int) -> list[tuple[int, int]]:
    n_seg = max(1, m // 3)
    edges = np.linspace(0, m, n_seg + 1).round().astype(int)
    return [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:], strict=True) if b > a]


def search_topk(query: np.ndarray, stacked: Stacked, k: int, radius: int,
                exclusion: int, candidate_mask: np.ndarray | None = None,
                batch: int = 8192) -> tuple[np.ndarray, np.ndarray, int]:
    """Exact non-overlapping top-k window starts (into ``stacked.values``) by banded DTW.

    Returns ``(starts, distances, n_candidates)``. ``candidate_mask`` (bool per start) restricts
    the search, e.g. to windows whose outcome is already known at the query date.

    Cascade: LB_Kim (first/last point) and LB_PAA (segment means against the segment-wise
    envelope extremes; Keogh 2002) on every window from running sums, then LB_Keogh both ways
    (query envelope vs window, window envelope vs query) on the survivors, then exact DTW in
    ascending bound order with early abandoning at the current bound on the k-th distance.
    """
    x = stacked.values
    m = len(query)
    q = znormalize(query)
    if len(x) < m or k < 1:
        return np.empty(0, int), np.empty(0), 0
    prep = _prepared(stacked, m)
    mu, inv, ok, sketch = prep["mu"], prep["inv"], prep["ok"], prep["sketch"]
    if candidate_mask is not None:
        ok = ok & candidate_mask[: len(ok)]
    n_cand = int(ok.sum())
    if n_cand == 0:
        return np.empty(0, int), np.empty(0), 0
    xf = prep["xf"]
    upper, lower = _envelope(q, radius)
    # Cheap bounds on the float32 sketch. LB_Kim: first and last cells lie on every warping
    # path. LB_PAA: per segment, Jensen gives sum_i (c_i - U_i)_+^2 >= w (mean c - max U)_+^2.
    q32 = q.astype(np.float32)
    lb2 = (sketch[0] - q32[0]) ** 2 + (sketch[-1] - q32[-1]) ** 2
    segs = prep["segments"]
    hi = np.array([upper[a:b].max() for a, b in segs], dtype=np.float32)[:, None]
    lo = np.array([lower[a:b].min() for a, b in segs], dtype=np.float32)[:, None]
    width = np.array([b - a for a, b in segs], dtype=np.float32)
    d = np.maximum(sketch[1:-1] - hi, lo - sketch[1:-1])
    np.maximum(d, 0.0, out=d)
    d *= d
    paa2 = width @ d
    # float32 rounding: shrink the cheap bound slightly so that it stays a lower bound.
    lb = np.sqrt(np.maximum(lb2, paa2)).astype(np.float64) * (1 - 1e-5) - 1e-3
    if candidate_mask is not None:
        lb[~ok] = np.inf
    env_hi, env_lo = _raw_envelope(stacked, radius)
    offs = np.arange(m)
    slack = 1 + 1e-9

    def bound(t: float) -> float:
        return t * slack + _EPS

    def kth(dist_all: np.ndarray, starts_all: np.ndarray) -> float:
        # Upper bound on the final k-th distance: k computed windows pairwise >= 2*exclusion
        # apart can each be blocked by at most one selection, so greedy over everything must
        # stop at or below the worst of them.
        sel = select_non_overlapping(starts_all, stacked.series_id[starts_all], dist_all, k,
                                     2 * exclusion)
        return float(dist_all[sel[-1]]) if len(sel) == k else np.inf

    def exact(idx: np.ndarray, thr: float) -> np.ndarray:
        w = znormalize(x[idx[:, None] + offs])
        return _batch_dtw(q, w, radius, thr)

    def lb_keogh(idx: np.ndarray) -> np.ndarray:
        """Query envelope against the z-normalized window."""
        w = (xf[idx[:, None] + offs] - mu[idx, None]) * inv[idx, None]
        d = np.maximum(w - upper, 0.0) ** 2 + np.maximum(lower - w, 0.0) ** 2
        return np.sqrt(d.sum(axis=1))

    def lb_keogh_rev(idx: np.ndarray) -> np.ndarray:
        """Window envelope (from the raw envelope, affine z-map) against the query."""
        sub_mu, sub_inv = mu[idx, None], inv[idx, None]
        with np.errstate(invalid="ignore"):
            hi = (env_hi[idx[:, None] + offs] - sub_mu) * sub_inv
            lo = (env_lo[idx[:, None] + offs] - sub_mu) * sub_inv
            d = np.maximum(q - hi, 0.0) ** 2 + np.maximum(lo - q, 0.0) ** 2
        return np.sqrt(np.nan_to_num(d, nan=0.0, posinf=0.0).sum(axis=1))

    # Seed the threshold with the windows of smallest cheap bound.
    n_seed = min(n_cand, max(64 * k, 2048))
    seed_idx = np.argpartition(lb, n_seed - 1)[:n_seed]
    d_seed = exact(seed_idx, np.inf)
    computed_s, computed_d = [seed_idx], [d_seed]
    thr = kth(d_seed, seed_idx)
    lb[seed_idx] = np.inf
    alive = np.flatnonzero((lb <= bound(thr)) & ok)
    alive = alive[np.argsort(lb[alive], kind="stable")]
    # Walk the survivors in ascending cheap-bound order so the k-th bound tightens early.
    i = 0
    while i < len(alive) and lb[alive[i]] <= bound(thr):
        j = min(len(alive), i + batch)
        idx = alive[i:j]
        idx = idx[lb[idx] <= bound(thr)]
        lbk = lb_keogh(idx)
        idx, lbk = idx[lbk <= bound(thr)], lbk[lbk <= bound(thr)]
        lbr = lb_keogh_rev(idx)
        lbk = np.maximum(lbk, lbr)
        idx, lbk = idx[lbk <= bound(thr)], lbk[lbk <= bound(thr)]
        idx = idx[np.argsort(lbk, kind="stable")]
        if len(idx):
            d = exact(idx, bound(thr) if np.isfinite(thr) else np.inf)
            all_s, all_d = np.concatenate(computed_s + [idx]), np.concatenate(computed_d + [d])
            thr = min(thr, kth(all_d, all_s))
            # Windows farther than the k-th bound can never be selected nor lower the bound.
            near = all_d <= bound(thr)
            computed_s, computed_d = [all_s[near]], [all_d[near]]
        i = j
    all_s = np.concatenate(computed_s)
    all_d = np.concatenate(computed_d)
    sel = select_non_overlapping(all_s, stacked.series_id[all_s], all_d, k, exclusion)
    return all_s[sel], all_d[sel], n_cand
