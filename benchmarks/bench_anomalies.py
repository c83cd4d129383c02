"""Anomaly detector fit + score time on the default synthetic universe (features precomputed).

Run: .venv/bin/python benchmarks/bench_anomalies.py [--seed 20120101]

Times detect_anomalies (isolation forest, autoencoder and robust z fitted on every priced stock
trade, scored, top-k explained with SHAP) and the detector alone (fit + score), and prints the
recovery of the planted anomalies.
"""

from __future__ import annotations

import argparse
import os
import time

from workbench.anomalies import AnomalyDetector, detect_anomalies, precision_at_k
from workbench.data import load_universe
from workbench.features import trade_features

GROUPS = ("time", "returns", "liquidity", "disclosure_flow", "history", "committee")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=20120101)
    args = ap.parse_args()
    u = load_universe("synthetic", seed=args.seed)
    t0 = time.perf_counter()
    fs = trade_features(u, groups=GROUPS)
    feat_s = time.perf_counter() - t0
    planted = u.truth.anomalies
    t0 = time.perf_counter()
    r = detect_anomalies(u, features=fs, k=len(planted))
    total_s = time.perf_counter() - t0
    groups = u.trades.set_index("trade_id").loc[r.features.index, ["politician", "ticker"]]
    t0 = time.perf_counter()
    det = AnomalyDetector().fit(r.features, groups=groups.astype(str))
    fit_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    det.score(r.features, groups=groups.astype(str))
    score_s = time.perf_counter() - t0
    rec = precision_at_k(r, planted)
    print(f"trades scored {len(r.table)}, detector features {r.features.shape[1]}")
    print(f"features for the detector: {feat_s:.2f} s")
    print(f"detector fit: {fit_s:.2f} s, score: {score_s:.2f} s")
    print(f"detect_anomalies (fit + score + SHAP for top {r.k} + late filers): {total_s:.2f} s")
    print(f"precision@{r.k} = {rec['precision_at_k']:.3f}; recall in top k by kind: "
          + ", ".join(f"{k} {v:.2f}" for k, v in rec["recall_top_k"].items()))
    print(f"load average during the run: {os.getloadavg()[0]:.1f} (2 cores)")


if __name__ == "__main__":
    main()
