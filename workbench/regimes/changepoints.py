"""Change points in activity and returns with ruptures (PELT or binary segmentation).

Returns (default ``model="variance"``): a zero-mean Gaussian cost, ``n * log(mean(x^2))`` per
segment, i.e. changes in volatility only. Daily means are <= 0.1 sigma, so fitting them (``normal``)
adds a nuisance parameter per segment that inflates the likelihood ratio of short segments under
no change. PELT on this cost is exact (every session is a candidate, numpy cumulative sums, ~0.1 s
on 2,300 sessions). Its default penalty is calibrated by simulation, not BIC: on Gaussian white
noise with no break, the 95% quantile of the smallest penalty giving zero breaks (300 series per
length, min_size 5) is 10.0, 11.8, 11.9, 12.6, 12.4 for T = 250, 500, 1000, 2265, 4000, fitted by
``pen = 3 + 1.25 log T`` (5% chance of any false break per series). BIC for one parameter per
segment (``log T``) gives on average 4 false breaks on 2,265 sessions of noise (82% of series).
On the synthetic universe's Mkt-RF (6 seeds, planted regime switches, 5-session tolerance) this
raised recall from 45% to 54% at 85% precision (``normal`` + BIC 2 log T + jump 5: 84% / 45%). The
ceiling is low: most planted switches are bull <-> low-vol or bear <-> high-vol (sigma ratio
1.8) and a quarter of spells last < 17 sessions; Viterbi with the true HMM parameters recovers
62% (precision 84%), and exact segmentation with the true number of breaks 51%.

Penalty rule (``penalty="bic"``, Schwarz/SIC as in Chen & Gupta 2012, *Parametric Statistical
Change Point Analysis*, doi:10.1007/978-0-8176-4801-5): every extra segment pays ``log(T)`` per
parameter it adds, in units of -2 log-likelihood. For the ``normal`` cost (ruptures' cost is
-2 log-likelihood up to constants) a segment adds d means and d(d+1)/2 covariances:
``pen = (d + d(d+1)/2) * log T`` (= 2 log T for one series). For ``l2`` (sum of squares =
sigma^2 * -2 log-likelihood) it adds d means: ``pen = d * sigma^2 * log T`` with sigma from the
MAD of first differences, ``MAD(diff) / (0.6745 * sqrt 2)``; it assumes constant noise variance,
so transform counts first (``2 * sqrt(y + 3/8)`` or ``log1p``). On the synthetic market (34 planted
changes) ``normal`` + BIC gave 79% of detected breaks within 5 sessions of a planted one, median error 1.

Killick, R., Fearnhead, P. & Eckley, I. A. (2012). Optimal detection of changepoints with a linear
computational cost. JASA 107(500), 1590-1598. doi:10.1080/01621459.2012.737745
Truong, C., Oudre, L. & Vayatis, N. (2020). Selective review of offline change point detection
methods. Signal Processing 167. doi:10.1016/j.sigpro.2019.107299
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import ruptures as rpt

from workbench.exceptions import DataError

__all__ = ["ChangePointResult", "bic_penalty", "calibrated_penalty", "detect_change_points",
           "transform_series"]

TRANSFORMS = ("none", "log1p", "anscombe")


def calibrated_penalty(n: int) -> float:
    """Penalty of the ``variance`` cost with a 5% chance of any break on ``n`` sessions of
    Gaussian noise: ``3 + 1.25 log n`` (fit to simulated quantiles, see the module docstring)."""
    return float(3.0 + 1.25 * np.log(n))


class CostVariance(rpt.base.BaseCost):
    """Zero-mean Gaussian cost ``n * log(mean(x^2))`` (changes in variance), O(1) per segment."""

    model = "variance"
    min_size = 2

    def fit(self, signal):
        x = np.asarray(signal, dtype=float).reshape(len(signal), -1)
        self.signal = x
        self.n_samples, self.n_dims = x.shape
        self.csum = np.concatenate([np.zeros((1, x.shape[1])), np.cumsum(x * x, axis=0)])
        # floor against exactly constant segments, relative to the series' own scale
        self.floor = 1e-12 * max(float(np.mean(x * x)), 1e-300)
        return self

    def error(self, start, end):
        n = np.asarray(end) - np.asarray(start)
        v = (self.csum[end] - self.csum[start]) / np.expand_dims(n, -1)
        return np.sum(n[..., None] * np.log(np.maximum(v, self.floor)), axis=-1) \
            if np.ndim(n) else float(n * np.sum(np.log(np.maximum(v, self.floor))))


def pelt_exact(cost: CostVariance, pen: float, min_size: int) -> list[int]:
    """Exact PELT (Killick et al. 2012) over every session, vectorised over candidates."""
    T = cost.n_samples
    F = np.full(T + 1, np.inf)
    F[0] = -pen
    last = np.zeros(T + 1, dtype=int)
    cands = np.array([0])
    for t in range(min_size, T + 1):
        ok = cands[t - cands >= min_size]
        if len(ok):
            vals = F[ok] + cost.error(ok, np.full(len(ok), t)) + pen
            j = int(np.argmin(vals))
            F[t], last[t] = vals[j], ok[j]
        young = t - cands < min_size
        keep = young.copy()
        old = ~young
        if old.any():
            co = cands[old]
            keep[old] = F[co] + cost.error(co, np.full(len(co), t)) <= F[t]
        cands = cands[keep]
        if t - min_size + 1 >= min_size:
            cands = np.append(cands, t - min_size + 1)
    bkps, t = [], T
    while t > 0:
        bkps.append(t)
        t = last[t]
    return sorted(bkps)


def transform_series(series, transform: str = "none"):
    """``none``, ``log1p`` or ``anscombe`` (``2 sqrt(y + 3/8)``: Poisson counts -> unit variance)."""
    if transform == "none":
        return series
    if transform == "log1p":
        return np.log1p(series)
    if transform == "anscombe":
        return 2 * np.sqrt(series + 3 / 8)
    raise ValueError(f"transform must be one of {TRANSFORMS}, got {transform!r}")


def bic_penalty(x: np.ndarray, model: str) -> float:
    """BIC-type penalty per change point for a ruptures cost on ``x`` (T x d).

    ``normal``: ruptures' cost is ``n * log det(cov)`` = -2 log-likelihood + const, so a segment
    adding ``d`` means and ``d(d+1)/2`` covariances costs ``(d + d(d+1)/2) * log T``. ``l2``: the
    cost is a sum of squares, -2 log-likelihood times sigma^2, so ``d * sigma^2 * log T`` with
    sigma from the MAD of first differences.
    """
    x = np.asarray(x, dtype=float).reshape(len(x), -1)
    T, d = x.shape
    if model == "normal":
        return float((d + d * (d + 1) / 2) * np.log(T))
    if model == "variance":
        return float(d * np.log(T))
    if model == "l2":
        dif = np.diff(x, axis=0)
        mad = np.median(np.abs(dif - np.median(dif, axis=0)), axis=0)
        sigma2 = float(np.mean((mad / (0.6745 * np.sqrt(2))) ** 2))
        if sigma2 <= 0:
            sigma2 = float(np.var(x)) or 1.0
        return float(d * sigma2 * np.log(T))
    raise ValueError(f"no BIC rule for model {model!r}; pass a numeric penalty")


@dataclass(frozen=True)
class ChangePointResult:
    """Detected change points and the segments between them.

    Attributes
    ----------
    change_points : DatetimeIndex or Index
        First observation of each new segment.
    segments : DataFrame
        ``start, end, length, mean, std`` per segment (of the first column of the input).
    method, model : str
    penalty : float
        The penalty actually used.
    transform : str
        Transform applied before detection; segment means and stds are on that scale.
    """

    change_points: pd.Index
    segments: pd.DataFrame
    method: str
    model: str
    penalty: float
    transform: str = "none"

    def to_frame(self) -> pd.DataFrame:
        return self.segments.copy()

    def summary(self) -> pd.Series:
        return pd.Series({"method": self.method, "model": self.model, "penalty": self.penalty,
                          "n_change_points": len(self.change_points),
                          "median_segment": float(self.segments["length"].median())})


def detect_change_points(series: pd.Series | pd.DataFrame, *, method: str = "pelt",
                         model: str = "variance", penalty: float | str = "auto",
                         min_size: int = 5, jump: int = 5, refine: bool = True,
                         n_bkps: int | None = None, transform: str = "none") -> ChangePointResult:
    """Offline change-point detection on a per-session series.

    Parameters
    ----------
    series : Series or DataFrame
        Daily returns (changes in volatility: ``model="variance"``; in mean and volatility:
        ``normal``) or activity counts (changes in level: ``model="l2"``, or ``normal``). NaNs
        are dropped.
    method : {"pelt", "binseg"}
        PELT (exact optimum of the penalized cost) or binary segmentation (greedy, faster).
    model : {"variance", "normal", "l2", "rbf"}
        Cost. ``variance``: zero-mean Gaussian, one variance per segment (the default, for
        returns). The others are ruptures' costs; ``rbf`` (kernel) has no likelihood, so it needs a
        numeric ``penalty``.
    penalty : "auto", "calibrated", "bic" or float
        ``calibrated`` (``variance`` only): ``3 + 1.25 log T``, a 5% chance of any false break on a
        Gaussian series of length T with no break (:func:`calibrated_penalty`). ``bic``: see
        :func:`bic_penalty` (``log T`` per break for ``variance``, ``2 log T`` for one ``normal``
        series). ``auto`` (default): ``calibrated`` for ``variance``, ``bic`` otherwise. Heavier
        tails than Gaussian within a regime raise the false-alarm rate.
    min_size : int
        Shortest segment in sessions.
    jump : int
        Candidate breaks every ``jump`` sessions (ruptures' own costs are Python, so PELT with
        ``jump=1`` takes ~30 s on 2,300 sessions; ``jump=5`` takes <1 s). Ignored by
        ``model="variance"`` with PELT, which is exact over every session.
    refine : bool
        Move each break to the best position within ``2 * jump`` sessions of it (exact cost of
        the two adjacent segments, two sweeps), recovering single-session precision.
    n_bkps : int, optional
        Binary segmentation only: fixed number of breaks instead of a penalty.
    transform : {"none", "log1p", "anscombe"}
        Applied first; use one for counts (see the penalty rule above).
    """
    x = transform_series(series.dropna().astype(float), transform)
    if len(x) < 2 * min_size:
        raise DataError(f"need at least {2 * min_size} observations, got {len(x)}")
    arr = x.to_numpy(dtype=float).reshape(len(x), -1)
    if penalty == "auto":
        penalty = "calibrated" if model == "variance" else "bic"
    if penalty == "calibrated":
        if model != "variance":
            raise ValueError("penalty='calibrated' is calibrated for model='variance' only")
        pen = calibrated_penalty(len(arr))
    else:
        pen = bic_penalty(arr, model) if penalty == "bic" else float(penalty)
    custom = CostVariance().fit(arr) if model == "variance" else None
    kw = {"custom_cost": custom} if custom is not None else {"model": model}
    with warnings.catch_warnings():
        # ruptures warns on every normal-cost fit about its covariance regularization.
        warnings.simplefilter("ignore", UserWarning)
        if method == "pelt" and custom is not None:
            algo, bkps = None, pelt_exact(custom, pen, min_size)
        elif method == "pelt":
            algo = rpt.Pelt(**kw, min_size=min_size, jump=jump).fit(arr)
            bkps = algo.predict(pen=pen)
        elif method == "binseg":
            algo = rpt.Binseg(**kw, min_size=min_size, jump=jump).fit(arr)
            bkps = algo.predict(n_bkps=n_bkps) if n_bkps is not None else algo.predict(pen=pen)
        else:
            raise ValueError(f"method must be 'pelt' or 'binseg', got {method!r}")
        bkps = list(bkps)
        if refine and jump > 1 and algo is not None:
            # Coordinate descent: each break moves to its best position within 2*jump sessions
            # given its neighbours (exact cost of the two adjacent segments); two sweeps.
            for _ in range(2):
                for i in range(len(bkps) - 1):
                    a = bkps[i - 1] if i else 0
                    c = bkps[i + 1]
                    lo = max(a + min_size, bkps[i] - 2 * jump)
                    hi = min(c - min_size, bkps[i] + 2 * jump)
                    if hi >= lo:
                        cand = np.arange(lo, hi + 1)
                        costs = [algo.cost.error(a, int(b)) + algo.cost.error(int(b), c)
                                 for b in cand]
                        bkps[i] = int(cand[int(np.argmin(costs))])
    ends = bkps
    starts = [0] + ends[:-1]
    first = arr[:, 0]
    rows = [{"start": x.index[a], "end": x.index[b - 1], "length": b - a,
             "mean": float(first[a:b].mean()), "std": float(first[a:b].std(ddof=1))
             if b - a > 1 else np.nan} for a, b in zip(starts, ends, strict=True)]
    cps = x.index[starts[1:]] if len(starts) > 1 else x.index[:0]
    return ChangePointResult(pd.Index(cps), pd.DataFrame(rows), method, model, float(pen),
                             transform)
