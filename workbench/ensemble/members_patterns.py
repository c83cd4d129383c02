"""The patterns member: what happened after the price paths most like this one (DTW analogs).

The query is the ticker's last ``window`` log closes up to the decision session, z-normalized
(the shape, as in :mod:`workbench.patterns`). Candidates are windows of every ticker whose
outcome (the log return over the next ``h`` sessions after the window's last close) was known
at the decision close, i.e. windows ending at least ``h`` sessions before it, and not
overlapping the query's own window. The search is filter-and-refine:

1. **filter**: the ``n_candidates`` windows nearest to the query by Euclidean distance between
   piecewise aggregate approximations (PAA: segment means of the z-normalized windows, weighted
   by segment length; Keogh et al. 2001, doi:10.1007/PL00011669), one matrix product per date;
2. **refine**: banded DTW (Sakoe-Chiba radius ``round(band * window)``, the distance of
   :func:`workbench.patterns.search.dtw_distance`) on those, vectorized over all pairs
   (:func:`banded_dtw`, checked against dtaidistance in the tests), then the best ``top_k``
   non-overlapping matches (:func:`workbench.patterns.search.select_non_overlapping`).

Unlike :func:`workbench.patterns.find_similar_patterns` (exact top-k, about a second per query
on the full universe) this is approximate: an exact DTW neighbour outside the PAA short list is
missed: with the default 512 candidates and stride 1, 86% of the exact top-10 (worst query
30%) were returned on 12 random queries of the CI universe
(``benchmarks/bench_ensemble.py --smoke --analog-queries 12``, beside the exact search). Windows end on sessions that are
multiples of ``stride`` (anchored at the first session), which divides the work by
``stride``; the DTW band absorbs part of the shift (a planted 30-session motif is still found,
see the tests).

Forecast: the similarity-weighted (``1 / distance``) mean of the matches' outcomes; uncertainty
their weighted standard deviation. Needs ``min_matches`` matches.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from workbench.ensemble.base import MemberState, signed_pct
from workbench.ensemble.context import Member

__all__ = ["PatternsMember", "banded_dtw", "paa_segments"]


def paa_segments(m: int, seg: int = 3) -> list[tuple[int, int]]:
    n = max(1, m // seg)
    edges = np.linspace(0, m, n + 1).round().astype(int)
    return [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:], strict=True) if b > a]


def banded_dtw(a: np.ndarray, b: np.ndarray, radius: int) -> np.ndarray:
    """DTW distance (sqrt of the summed squared differences on the best path) of each row pair.

    ``a``, ``b``: (pairs, m). Cells with ``|i - j| > radius`` are not allowed (Sakoe-Chiba).
    """
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    P, m = a.shape
    r = int(radius)
    inf = np.inf
    prev = np.full((P, m + 1), inf)     # D[i-1, j] at column j+1; column 0 is the border
    prev[:, 0] = 0.0
    for i in range(m):
        cur = np.full((P, m + 1), inf)
        lo, hi = max(0, i - r), min(m - 1, i + r)
        for j in range(lo, hi + 1):
            best = np.minimum(np.minimum(prev[:, j + 1], cur[:, j]), prev[:, j])
            cur[:, j + 1] = (a[:, i] - b[:, j]) ** 2 + best
        if i == 0:
            cur[:, 0] = inf
        prev = cur
        prev[:, 0] = inf
    return np.sqrt(prev[:, m])


class _PatternsState(MemberState):
    def __init__(self, ctx, member: PatternsMember, horizon: int):
        self.ctx, self.mb, self.h = ctx, member, int(horizon)
        m = member.window
        L = np.log(np.where(ctx.close > 0, ctx.close, np.nan))
        self.L = L
        T, K = L.shape
        fin = np.isfinite(L)
        Lf = np.where(fin, L, 0.0)
        c1 = np.concatenate([np.zeros((1, K)), np.cumsum(Lf, axis=0)])
        c2 = np.concatenate([np.zeros((1, K)), np.cumsum(Lf ** 2, axis=0)])
        cn = np.concatenate([np.zeros((1, K)), np.cumsum(fin, axis=0)])
        ends = np.arange(T)
        st = np.maximum(ends - m + 1, 0)
        n = cn[ends + 1] - cn[st]
        mu = (c1[ends + 1] - c1[st]) / m
        sd = np.sqrt(np.maximum((c2[ends + 1] - c2[st]) / m - mu ** 2, 0.0))
        self.valid = (ends[:, None] >= m - 1) & (n == m)
        inv = np.where(self.valid & (sd > 1e-12), 1.0 / np.where(sd > 1e-12, sd, 1.0), 0.0)
        segs = paa_segments(m)
        paa = np.zeros((T, K, len(segs)), dtype=np.float32)
        for j, (a, b) in enumerate(segs):
            s0 = np.maximum(ends - m + 1 + a, 0)
            s1 = np.maximum(ends - m + 1 + b, 0)
            seg_mean = (c1[s1] - c1[s0]) / (b - a)
            paa[:, :, j] = (seg_mean - mu) * inv * np.sqrt(b - a)
        self.paa = paa
        self.norm2 = (paa ** 2).sum(axis=2, dtype=np.float32)
        self.outcome = np.full((T, K), np.nan)
        self.outcome[: T - self.h] = L[self.h:] - L[: T - self.h] if self.h < T else np.nan
        self.radius = int(round(member.band * m))
        self._cache: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    # -- search ----------------------------------------------------------------------------
    def _zwin(self, p: np.ndarray, k: np.ndarray) -> np.ndarray:
        m = self.mb.window
        idx = p[:, None] + np.arange(-m + 1, 1)[None, :]
        w = self.L[idx, k[:, None]]
        mu = w.mean(axis=1, keepdims=True)
        sd = w.std(axis=1, keepdims=True)
        return (w - mu) / np.where(sd > 1e-12, sd, np.inf)

    def _candidates(self):
        """Every searchable window on the stride grid, date-major: ends, columns, PAA, norms."""
        if not hasattr(self, "_cand"):
            m, stride = self.mb.window, self.mb.stride
            T, K = self.valid.shape
            rows = np.arange(m - 1 + (-(m - 1)) % stride, T, stride)
            ok = self.valid[rows]
            cp = np.repeat(rows, K)[ok.ravel()]
            ck = np.tile(np.arange(K), len(rows))[ok.ravel()]
            self._cand = (cp, ck, np.ascontiguousarray(self.paa[cp, ck]), self.norm2[cp, ck])
        return self._cand

    def _search(self, ks: np.ndarray, t: int) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Matches ``(end_pos, ticker_col, distance)`` of each query ticker at session ``t``."""
        import torch

        from workbench.patterns.search import select_non_overlapping

        mb, m, h = self.mb, self.mb.window, self.h
        ks = np.asarray(ks)
        out = [(np.empty(0, int), np.empty(0, int), np.empty(0)) for _ in ks]
        if t < 0:
            return out
        ok_q = self.valid[t, ks]
        cp_all, ck_all, C_all, n2_all = self._candidates()
        n = int(np.searchsorted(cp_all, t - h, side="right"))   # outcome known at t
        if n == 0 or not ok_q.any():
            return out
        cp, ck, C, cn2 = cp_all[:n], ck_all[:n], C_all[:n], n2_all[:n]
        n_c = min(mb.n_candidates, n)
        chunk = max(1, int(4_000_000 // n))
        for q0 in range(0, len(ks), chunk):
            qi = np.flatnonzero(ok_q[q0:q0 + chunk]) + q0
            if not len(qi):
                continue
            qk = ks[qi]
            d2 = self.paa[t, qk] @ C.T                                   # float32
            d2 *= -2.0
            d2 += cn2[None, :]
            d2 += self.norm2[t, qk][:, None]
            # windows of the query's own ticker overlapping the query window are not analogs
            own = np.flatnonzero(cp > t - m)
            for r, k in enumerate(qk):
                d2[r, own[ck[own] == k]] = np.inf
            # torch.topk: ten times faster than numpy's argpartition on these rows
            top = torch.topk(torch.from_numpy(d2), n_c, dim=1, largest=False,
                             sorted=False).indices.numpy()
            fin = np.isfinite(np.take_along_axis(d2, top, axis=1))
            qz = self._zwin(np.full(len(qk), t), qk)
            pair_q = np.repeat(np.arange(len(qk)), n_c)[fin.ravel()]
            pair_c = top.ravel()[fin.ravel()]
            dist = banded_dtw(qz[pair_q], self._zwin(cp[pair_c], ck[pair_c]), self.radius)
            for r, i in enumerate(qi):
                sel = np.flatnonzero(pair_q == r)
                c = pair_c[sel]
                pick = select_non_overlapping(cp[c] - m + 1, ck[c], dist[sel], mb.top_k, m)
                out[i] = (cp[c][pick], ck[c][pick], dist[sel][pick])
        return out

    def _forecast(self, ends, cols, dist) -> tuple[float, float]:
        if len(ends) < self.mb.min_matches:
            return np.nan, np.nan
        o = self.outcome[ends, cols]
        w = 1.0 / (dist + 1e-9)
        w = w / w.sum()
        v = float(np.sum(w * o))
        return v, float(np.sqrt(np.sum(w * (o - v) ** 2)))

    def at(self, pos: int):
        return self.at_cols(pos, np.arange(self.ctx.n_tickers))

    def at_cols(self, pos: int, cols: np.ndarray):
        v, u = np.full(len(cols), np.nan), np.full(len(cols), np.nan)
        for i, (e, c, d) in enumerate(self._search(np.asarray(cols), pos)):
            v[i], u[i] = self._forecast(e, c, d)
        return v, u

    def matches(self, k: int, pos: int):
        key = (k, pos)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        res = self._search(np.array([k]), pos)[0]
        with self._lock:
            self._cache[key] = res
            while len(self._cache) > 4096:
                self._cache.popitem(last=False)
        return res

    def one(self, k: int, pos: int):
        return self._forecast(*self.matches(k, pos))

    def explain(self, k, pos, value, unc):
        e, c, d = self.matches(k, pos)
        m, h = self.mb.window, self.h
        if not self.valid[pos, k]:
            return f"no complete {m}-session price window ending here", {}
        if len(e) < self.mb.min_matches:
            return (f"{len(e)} analogs with a known outcome, fewer than "
                    f"{self.mb.min_matches}", {"n_matches": int(len(e))})
        o = self.outcome[e, c]
        sessions, tickers = self.ctx.sessions, self.ctx.tickers
        rows = [{"rank": i + 1, "ticker": tickers[c[i]], "start": sessions[e[i] - m + 1],
                 "end": sessions[e[i]], "distance": float(d[i]), "outcome": float(o[i])}
                for i in range(len(e))]
        med = float(np.median(o))
        ups = int(np.sum(o > 0))
        return (f"{len(e)} DTW analogs of the last {m} sessions, median {signed_pct(med, 1)} "
                f"after {h} sessions ({ups} of {len(e)} rose)",
                {"n_matches": int(len(e)), "median_outcome_pct": med * 100, "n_rose": ups,
                 "window": m, "horizon": h, "value_pct": value * 100, "matches": rows})


class PatternsMember(Member):
    """DTW analog outcomes (module notes).

    Parameters
    ----------
    window : int
        Query length in sessions.
    top_k : int
        Analogs kept (non-overlapping, best first).
    n_candidates : int
        Short list of the PAA filter refined by DTW.
    band : float
        Sakoe-Chiba band as a fraction of the window.
    stride : int
        Candidate windows end on sessions that are multiples of ``stride``.
    min_matches : int
        Fewer matches with a known outcome: unavailable.
    """

    name = "patterns"
    label = "DTW analogs"

    def __init__(self, window: int = 30, top_k: int = 10, n_candidates: int = 512,
                 band: float = 0.1, stride: int = 5, min_matches: int = 3):
        self.window = window
        self.top_k = top_k
        self.n_candidates = n_candidates
        self.band = band
        self.stride = stride
        self.min_matches = min_matches

    def build(self, ctx, horizon):
        return _PatternsState(ctx, self, horizon)
