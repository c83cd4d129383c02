"""walk_forward_proba against the obvious walk-forward and the whole-sample fit, same run.

    .venv/bin/python benchmarks/bench_walkforward.py [--seed 20120101]

On the synthetic universe's Mkt-RF regime features (about 2,250 sessions), refits every 63
sessions from 504 (28 refits):

- ``walk_forward_proba`` (1 fresh restart of 100 EM iterations per refit, plus EM continued from
  the previous refit, BLAS limited to one thread: the matrices are tiny);
- the obvious walk-forward: ``RegimeDetector(4)`` with its defaults (5 restarts, 200 iterations)
  refitted from scratch at each refit, then ``filter_proba`` over the sessions up to the next
  refit (same schedule, same output), run with BLAS also limited to one thread so the ratio is
  the algorithm's;
- the BLAS effect alone: one ``RegimeDetector(4, n_restarts=1)`` fit on all sessions with the
  default BLAS threads and with one thread;
- the whole-sample ``fit_regimes(X, 4, n_restarts=5)`` it replaces in notebook 02 (which looks
  ahead).

Wall and CPU (process) seconds are both printed: on a shared, busy machine wall time mostly
measures the wait.

Accuracy is the share of sessions after the first refit whose most probable regime is the
planted one.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from workbench.data import load_universe
from workbench.regimes import (
    RegimeDetector,
    fit_regimes,
    market_returns,
    regime_features,
    walk_forward_proba,
)


def obvious_walk_forward(X: pd.DataFrame, refit_every=63, min_train=504, seed=0) -> pd.DataFrame:
    starts = list(range(min_train, len(X), refit_every))
    parts = []
    for j, k in enumerate(starts):
        det = RegimeDetector(4, random_state=seed + j).fit(X.iloc[:k])
        stop = starts[j + 1] if j + 1 < len(starts) else len(X)
        parts.append(det.filter_proba(X.iloc[:stop]).iloc[k:stop])
    return pd.concat(parts)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=20120101)
    args = ap.parse_args()
    u = load_universe("synthetic", seed=args.seed)
    X = regime_features(market_returns(u))
    truth = u.truth.regimes.set_index("date")["name"]

    def acc(p):
        p = p.dropna()
        return float((p.idxmax(axis=1) == truth.reindex(p.index)).mean()), p.index

    def timed(fn):
        w0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        return out, time.perf_counter() - w0, time.process_time() - c0

    fast, t_fast, c_fast = timed(lambda: walk_forward_proba(X, random_state=0))
    with threadpool_limits(1, "blas"):
        slow, t_slow, c_slow = timed(lambda: obvious_walk_forward(X))
    one = [timed(lambda: RegimeDetector(4, n_restarts=1, random_state=0).fit(X))[1:]
           for _ in range(3)]
    with threadpool_limits(1, "blas"):
        one1 = [timed(lambda: RegimeDetector(4, n_restarts=1, random_state=0).fit(X))[1:]
                for _ in range(3)]
    full, t_full, c_full = timed(lambda: fit_regimes(X, 4, n_restarts=5, random_state=0))
    a_fast, idx = acc(fast)
    a_slow, _ = acc(slow)
    pf = full.regimes[[c for c in full.regimes if c.startswith("p_")]].rename(
        columns=lambda c: c[2:]).loc[idx]
    a_full, _ = acc(pf)
    gap = float(np.abs(slow[fast.columns].to_numpy() - fast.loc[slow.index].to_numpy()).max())
    print(f"sessions {len(X)}, refits {len(range(504, len(X), 63))}")
    print(f"walk_forward_proba: wall {t_fast:.1f} s, cpu {c_fast:.1f} s, planted accuracy "
          f"{a_fast:.1%}")
    print(f"obvious walk-forward (RegimeDetector defaults, refit from scratch, 1 BLAS thread): "
          f"wall {t_slow:.1f} s, cpu {c_slow:.1f} s, accuracy {a_slow:.1%}; ratio wall "
          f"{t_slow / t_fast:.1f}x, cpu {c_slow / c_fast:.1f}x; max |dp| vs fast {gap:.2f}")
    w_d, c_d = np.median([o[0] for o in one]), np.median([o[1] for o in one])
    w_1, c_1 = np.median([o[0] for o in one1]), np.median([o[1] for o in one1])
    print(f"one RegimeDetector(4, n_restarts=1).fit on {len(X)} sessions: default BLAS threads "
          f"wall {w_d:.2f} s cpu {c_d:.2f} s; 1 thread wall {w_1:.2f} s cpu {c_1:.2f} s; ratio "
          f"wall {w_d / w_1:.1f}x")
    print(f"whole-sample fit_regimes (n_restarts=5, default BLAS, looks ahead): wall "
          f"{t_full:.1f} s, cpu {c_full:.1f} s, filtered accuracy {a_full:.1%} on the same "
          f"sessions; walk-forward wall {t_fast / t_full:.2f}x that")


if __name__ == "__main__":
    main()
