"""Causal inference timings: causal_impact on a full synthetic history, its placebo loop, and
the in-space placebos of synthetic control, batched against the per-donor loop.

Run: .venv/bin/python benchmarks/bench_causal.py [--seed 20120101] [--placebos 20] [--donors 100]

1. ``causal_impact`` of the planted price shift: the planted ticker's log price over all
   2,265 sessions of the default synthetic universe (2012-2020) with 20 control tickers
   (pre-period 2,033 sessions, post-period the 232 sessions from the event to the end; one
   fit: MLE of the local-level model with the regression coefficients as Kalman states,
   1,000 predictive paths).
2. ``placebo_test`` on the same series with a 20-session post-period: the real fit plus
   ``--placebos`` refits at fake dates of the pre-period.
3. In-space placebos of ``synthetic_control`` for ``--donors`` + 1 tickers over the 250
   sessions before the event: every unit as treated against all others, batched Lawson-Hanson
   (``placebo_weights``) vs the straightforward loop of one ``scipy.optimize.nnls`` per unit
   (``placebo_weights_loop``); weights must agree to 1e-6.

Wall time and CPU time are both printed: the machine is shared, and CPU time is what the
code costs.
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def timed(fn, *args, **kw):
    w, c = time.perf_counter(), time.process_time()
    out = fn(*args, **kw)
    return out, time.perf_counter() - w, time.process_time() - c


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=20120101)
    ap.add_argument("--placebos", type=int, default=20)
    ap.add_argument("--donors", type=int, default=100)
    args = ap.parse_args()

    from workbench.causal.impact import causal_impact
    from workbench.causal.placebo import placebo_test
    from workbench.causal.series import price_inputs
    from workbench.causal.synth import placebo_weights, placebo_weights_loop
    from workbench.data import load_universe

    u = load_universe("synthetic", seed=args.seed)
    ev = u.truth.events.set_index("kind").loc["price_level"]
    y, X = price_inputs(u.prices, ev["ticker"], ev["date"], n_controls=20)
    print(f"series: {len(y)} sessions x {X.shape[1]} controls ({ev['ticker']}, event "
          f"{ev['date']:%Y-%m-%d})")
    res, w, c = timed(causal_impact, y, X, ev["date"])
    print(f"causal_impact, one fit: wall {w:.2f} s, cpu {c:.2f} s; average effect "
          f"{res.stats['average_effect']:+.4f} [{res.stats['average_low']:+.4f}, "
          f"{res.stats['average_high']:+.4f}] (planted log {np.log1p(ev['size']):.4f})")
    pl, w, c = timed(placebo_test, y, X, ev["date"], n_placebo=args.placebos, post=20,
                     n_sims=500)
    print(f"placebo_test, real + {int(pl.stats['n_placebo'])} placebo fits: wall {w:.2f} s, "
          f"cpu {c:.2f} s ({c / (1 + pl.stats['n_placebo']):.2f} s cpu per fit); "
          f"false positives {int(pl.placebos['significant'].sum())}/{len(pl.placebos)}, "
          f"rank p {pl.stats['rank_p_value']:.3f}")

    logp = np.log(u.prices_wide("adj_close"))
    t0 = int(logp.index.searchsorted(ev["date"]))
    cols = [ev["ticker"]] + [c for c in logp.columns if c != ev["ticker"]][:args.donors]
    Y = logp[cols].iloc[t0 - 250:t0].to_numpy()
    Y = Y - Y.mean(axis=0)
    Wb, wb, cb = timed(placebo_weights, Y)
    Wl, wl, cl = timed(placebo_weights_loop, Y)
    diff = float(np.abs(Wb - Wl).max())
    print(f"in-space placebos, {Y.shape[1]} units x {Y.shape[0]} sessions: batched wall "
          f"{wb:.3f} s cpu {cb:.3f} s; loop wall {wl:.3f} s cpu {cl:.3f} s; ratio (cpu) "
          f"{cl / cb:.1f}x, (wall) {wl / wb:.1f}x; max |weight difference| {diff:.1e}")
    assert diff < 1e-6, diff


if __name__ == "__main__":
    main()
