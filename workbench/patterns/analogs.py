"""Historical analogs: what happened after price paths shaped like this one.

Dates are trading sessions of the price table; horizons count sessions after a match's last
session. Prices are split/dividend-adjusted closes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.exceptions import DataError
from workbench.patterns.search import band_radius, search_topk, stack_histories

__all__ = ["PatternSearchResult", "find_similar_patterns", "weighted_quantile"]


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """Quantile of ``values`` under normalized ``weights`` (midpoint interpolation)."""
    values, weights = np.asarray(values, float), np.asarray(weights, float)
    keep = np.isfinite(values) & (weights > 0)
    if not keep.any():
        return np.nan
    v, w = values[keep], weights[keep]
    order = np.argsort(v)
    v, w = v[order], w[order]
    cw = (np.cumsum(w) - 0.5 * w) / w.sum()
    return float(np.interp(q, cw, v))


@dataclass(frozen=True)
class PatternSearchResult:
    """Top-k DTW analogs of a query window and the similarity-weighted analog forecast.

    Attributes
    ----------
    query : Series
        The query prices (last ``window`` sessions).
    matches : DataFrame
        ``rank, ticker, start, end, distance, weight, ret_<h>...``: non-overlapping matches, best
        first; ``ret_h`` is the simple return from the close of ``end`` to ``h`` sessions later,
        NaN when that session is after ``as_of`` (not known at the decision) or past the history.
    paths : DataFrame
        Index ``t`` (sessions relative to the window end, ``-window+1 .. max(horizons)``), one
        column per match rank: price relative to the close at ``end`` minus 1; NaN after
        ``as_of``.
    forecast : DataFrame
        Per horizon: ``mean`` (weighted), ``low``/``high`` (weighted quantiles at
        ``interval``), ``n`` analogs with an outcome known at ``as_of``, ``hit_rate``
        (leave-one-out: share of analogs whose outcome sign the weighted mean of the others
        predicted), all from those analogs only.
    window, radius, n_candidates : int
        Query length, Sakoe-Chiba radius (sessions), windows searched.
    interval : (float, float)
    as_of : Timestamp or None
        Decision date (None: no date, the whole history was used).
    """

    query: pd.Series
    matches: pd.DataFrame
    paths: pd.DataFrame
    forecast: pd.DataFrame
    window: int
    radius: int
    n_candidates: int
    interval: tuple[float, float]
    as_of: pd.Timestamp | None = None

    def to_frame(self) -> pd.DataFrame:
        return self.matches.copy()

    def summary(self) -> pd.DataFrame:
        return self.forecast.copy()


def _loo_hit_rate(outcomes: np.ndarray, weights: np.ndarray) -> float:
    ok = np.isfinite(outcomes)
    o, w = outcomes[ok], weights[ok]
    if len(o) < 2:
        return np.nan
    hits = []
    for i in range(len(o)):
        others = np.arange(len(o)) != i
        pred = np.average(o[others], weights=w[others])
        hits.append(np.sign(pred) == np.sign(o[i]))
    return float(np.mean(hits))


def find_similar_patterns(query: pd.Series | np.ndarray, history: pd.DataFrame,
                          window: int | None = None, top_k: int = 5, band: float = 0.1,
                          horizons: tuple[int, ...] = (30, 90), *,
                          query_ticker: str | None = None, as_of: pd.Timestamp | None = None,
                          require_outcome: bool = True, interval: tuple[float, float] = (0.1, 0.9),
                          log: bool = True) -> PatternSearchResult:
    """Find the ``top_k`` windows of any ticker most similar in shape to ``query``.

    Shape is compared by DTW on z-normalized log prices with a Sakoe-Chiba band; the search is
    exact (same top-k as scoring every window, see ``tests/patterns/naive.py``).

    Parameters
    ----------
    query : Series or array
        Prices (adjusted close). A Series indexed by session dates lets the search exclude the
        query itself and enforce ``as_of``.
    history : DataFrame
        Wide date x ticker adjusted closes (``Universe.prices_wide()``); NaN gaps are allowed,
        windows containing one are skipped.
    window : int, optional
        Length in sessions; defaults to ``len(query)``; a longer query is cut to its last
        ``window`` sessions.
    top_k : int
        Matches to return; matches of one ticker never overlap (starts >= window apart).
    band : float
        Sakoe-Chiba band as a fraction of ``window`` (0.1 -> radius 3 sessions for 30).
    horizons : tuple of int
        Sessions after a match's end at which the outcome is measured.
    query_ticker : str, optional
        Ticker of the query; its windows overlapping the query dates are excluded.
    as_of : Timestamp, optional
        Decision date (its close is known); defaults to the query's last date when the query has
        dates. No look-ahead: a match must end by ``as_of``, and with ``require_outcome``
        ``max(horizons)`` sessions before it so that every outcome was observable then. Without
        ``require_outcome``, outcomes and path points after ``as_of`` are NaN and the forecast
        uses only the outcomes known at ``as_of``. Pass the last date of the history to search
        everything (e.g. to find all repeats of a motif).
    interval : (float, float)
        Quantiles of the analog outcome distribution reported as the forecast interval.
    log : bool
        Compare log prices (recommended for prices; set False for returns or counts).

    Returns
    -------
    PatternSearchResult

    Notes
    -----
    Weights are ``1 / (distance + 1e-9)``, normalized. The hit rate is a leave-one-out measure on
    the analogs themselves, not an out-of-sample backtest.
    """
    if isinstance(query, pd.Series):
        q_series = query.dropna().astype(float)
    else:
        arr = np.asarray(query, dtype=float)
        q_series = pd.Series(arr[np.isfinite(arr)])
    window = int(window or len(q_series))
    if window < 3 or len(q_series) < window:
        raise DataError(f"query has {len(q_series)} finite values, need window={window} >= 3")
    q_series = q_series.iloc[-window:]
    hist = history.sort_index()
    stacked = stack_histories(hist, log=log)
    qv = np.log(q_series.to_numpy()) if log else q_series.to_numpy()
    if not np.all(np.isfinite(qv)):
        raise DataError("query prices must be positive and finite")
    radius = band_radius(window, band)
    n_rows = len(hist)
    max_h = max(horizons) if horizons else 0
    dates = stacked.index
    end_pos = stacked.pos + window - 1  # row of the window's last session (per start)
    mask = np.ones(len(stacked.values), dtype=bool)
    has_dates = isinstance(q_series.index, pd.DatetimeIndex)
    if as_of is None and has_dates:
        as_of = q_series.index[-1]
    # last row known at the decision: outcomes and paths are read up to it and no further
    cutoff = n_rows - 1
    if as_of is not None:
        as_of = pd.Timestamp(as_of)
        cutoff = dates.searchsorted(as_of, side="right") - 1  # last row <= as_of
        mask &= end_pos <= (cutoff - max_h if require_outcome else cutoff)
    if query_ticker is not None and has_dates and query_ticker in stacked.names:
        sid = stacked.names.index(query_ticker)
        q0 = dates.searchsorted(q_series.index[0])
        q1 = dates.searchsorted(q_series.index[-1])
        mask &= ~((stacked.series_id == sid) & (end_pos >= q0) & (stacked.pos <= q1))
    starts, dists, n_cand = search_topk(qv, stacked, top_k, radius, window, mask)
    px = hist.to_numpy(dtype=float)
    rows, paths = [], {}
    rel_t = np.arange(-window + 1, max_h + 1)
    for rank, (s, d) in enumerate(zip(starts, dists, strict=True), start=1):
        sid, p0 = int(stacked.series_id[s]), int(stacked.pos[s])
        p_end = p0 + window - 1
        base = px[p_end, sid]
        row = {"rank": rank, "ticker": stacked.names[sid], "start": dates[p0],
               "end": dates[p_end], "distance": float(d)}
        for h in horizons:
            row[f"ret_{h}"] = px[p_end + h, sid] / base - 1 if p_end + h <= cutoff else np.nan
        rows.append(row)
        idx = p_end + rel_t
        path = np.full(len(rel_t), np.nan)
        inside = (idx >= 0) & (idx <= cutoff)
        path[inside] = px[idx[inside], sid] / base - 1
        paths[rank] = path
    cols = ["rank", "ticker", "start", "end", "distance"] + [f"ret_{h}" for h in horizons]
    matches = pd.DataFrame(rows, columns=cols)
    w = 1.0 / (matches["distance"].to_numpy() + 1e-9)
    w = w / w.sum() if len(w) else w
    matches.insert(5, "weight", w)
    fc = []
    for h in horizons:
        o = matches[f"ret_{h}"].to_numpy(dtype=float)
        ok = np.isfinite(o)
        mean = float(np.average(o[ok], weights=w[ok])) if ok.any() else np.nan
        fc.append({"horizon": h, "mean": mean,
                   "low": weighted_quantile(o, w, interval[0]),
                   "high": weighted_quantile(o, w, interval[1]),
                   "n": int(ok.sum()), "hit_rate": _loo_hit_rate(o, w)})
    forecast = pd.DataFrame(fc, columns=["horizon", "mean", "low", "high", "n", "hit_rate"])
    paths_df = pd.DataFrame(paths, index=pd.Index(rel_t, name="t"))
    return PatternSearchResult(q_series, matches, paths_df, forecast, window, radius, n_cand,
                               tuple(interval), as_of)
