"""Slow, obviously-correct pairwise references for the network fast paths."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd


def pairwise_similarity(trades: pd.DataFrame, sector_of: dict, bins: np.ndarray,
                        politicians: list[str]) -> dict[str, np.ndarray]:
    """Loop over pairs: sets for Jaccard, np.corrcoef per pair, explicit side and sector loops.

    ``bins`` is the time-bin index of every trade row (aligned with ``trades``).
    """
    n = len(politicians)
    nb = int(bins.max()) + 1
    tick, series, net, sect = {}, {}, {}, {}
    for p in politicians:
        rows = trades["politician"].to_numpy() == p
        sub = trades[rows]
        tick[p] = set(sub["ticker"])
        s = np.zeros(nb)
        for b in bins[rows]:
            s[b] += 1
        series[p] = s
        score: dict = {}
        for t, side in zip(sub["ticker"], sub["side"], strict=True):
            score[t] = score.get(t, 0) + (1 if side == "buy" else -1 if side == "sell" else 0)
        net[p] = {t: (v > 0) - (v < 0) for t, v in score.items() if v != 0}
        c: dict = {}
        for t in sub["ticker"]:
            if t in sector_of:
                c[sector_of[t]] = c.get(sector_of[t], 0) + 1
        sect[p] = c
    out = {k: np.zeros((n, n)) for k in ("jaccard", "count_corr", "side_agreement",
                                         "sector_overlap")}
    for i, a in enumerate(politicians):
        for j, b in enumerate(politicians):
            union = tick[a] | tick[b]
            out["jaccard"][i, j] = len(tick[a] & tick[b]) / len(union) if union else 0.0
            x, y = series[a], series[b]
            if x.std() == 0 or y.std() == 0:
                out["count_corr"][i, j] = 1.0 if (i == j and x.std() > 0) else 0.0
            else:
                out["count_corr"][i, j] = np.corrcoef(x, y)[0, 1]
            shared = set(net[a]) & set(net[b])
            agree = sum(net[a][t] == net[b][t] for t in shared)
            out["side_agreement"][i, j] = agree / len(shared) if shared else 0.0
            keys = set(sect[a]) | set(sect[b])
            dot = sum(sect[a].get(k, 0) * sect[b].get(k, 0) for k in keys)
            na = math.sqrt(sum(v * v for v in sect[a].values()))
            nb_ = math.sqrt(sum(v * v for v in sect[b].values()))
            out["sector_overlap"][i, j] = dot / (na * nb_) if na and nb_ else 0.0
    return out


def lead_counts(trades: pd.DataFrame, politicians: list[str], max_lag: int) -> np.ndarray:
    """L[i, j] by explicit loops over every pair of (politician, ticker, business-day) events."""
    days = pd.to_datetime(trades["transaction_date"]).to_numpy(dtype="datetime64[D]")
    lo = days.min()
    ev = set()
    for p, t, d in zip(trades["politician"], trades["ticker"], days, strict=True):
        ev.add((p, t, int(np.busday_count(lo, d))))
    idx = {p: i for i, p in enumerate(politicians)}
    L = np.zeros((len(politicians), len(politicians)))
    for pa, ta, da in ev:
        for pb, tb, db in ev:
            if ta == tb and 1 <= db - da <= max_lag:
                L[idx[pa], idx[pb]] += 1
    return L
