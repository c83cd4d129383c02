"""Precision and recall of detect_change_points against the planted regime switches.

    .venv/bin/python benchmarks/eval_changepoints.py                       # the default detector
    .venv/bin/python benchmarks/eval_changepoints.py '{"model": "normal"}' # the earlier detector

A detected break is correct when it lies within 5 sessions of a planted switch (precision); a
planted switch is found when a detected break lies within 5 sessions of it (recall). Series: the
synthetic universe's Mkt-RF for seeds 20120101, 0, 1, 2, 3, 4.
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np

from workbench.data import load_universe
from workbench.regimes import detect_change_points

SEEDS = (20120101, 0, 1, 2, 3, 4)


def score(planted: np.ndarray, got: np.ndarray, tol: int = 5) -> tuple[float, float]:
    if not len(got):
        return float("nan"), 0.0
    precision = float(np.mean([np.abs(planted - g).min() <= tol for g in got]))
    recall = float(np.mean([np.abs(got - p).min() <= tol for p in planted]))
    return precision, recall


def main(kwargs: dict) -> None:
    precisions, recalls = [], []
    for seed in SEEDS:
        u = load_universe("synthetic", seed=seed)
        mkt = u.factors["Mkt-RF"]
        planted = mkt.index.get_indexer(u.truth.change_points)
        t0 = time.perf_counter()
        got = mkt.index.get_indexer(detect_change_points(mkt, **kwargs).change_points)
        p, r = score(planted, got)
        precisions.append(p)
        recalls.append(r)
        print(f"seed {seed}: planted {len(planted)} detected {len(got)} precision {p:.2f} "
              f"recall {r:.2f} ({time.perf_counter() - t0:.2f} s)")
    print(f"mean precision {np.nanmean(precisions):.3f} recall {np.mean(recalls):.3f}")


if __name__ == "__main__":
    main(json.loads(sys.argv[1]) if len(sys.argv) > 1 else {})
