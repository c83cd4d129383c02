"""Benchmark of workbench.ensemble: build, fit and prediction latency, and the analog search.

Run:  .venv/bin/python benchmarks/bench_ensemble.py [--smoke] [--queries 200] [--fit]

In one run, on the synthetic universe (default size; ``--smoke``: 2019-2020, 60 tickers):

* each member's state build time (CPU and wall): what a service pays once per universe;
* ``predict_ticker`` latency with the states built (the service's uncached path: its own
  cache sits in front of this) over ``--queries`` random (ticker, as_of) pairs: median,
  p95, p99, in milliseconds; the named baseline is the same prediction on a fresh context
  (states rebuilt), reported as a ratio;
* the patterns member's analog search (PAA filter + vectorized banded DTW) against the exact
  top-k search of :func:`workbench.patterns.find_similar_patterns` on the same queries and
  candidate windows (stride 1): time per query, ratio, and the share of the exact top-10 the
  approximation returns;
* ``--fit``: the walk-forward fit of the default ensemble (stack build, folds, final learner).

``--eval SOURCE`` (``synthetic`` or a store path) instead fits the default ensemble
walk-forward and prints its out-of-sample figures: ensemble vs the best member and vs zero
(relative MSE difference with its 95% interval, Diebold-Mariano p), direction accuracy vs
always predicting the test folds' most frequent direction, ECE, served weights; on synthetic
data also ensemble vs best member on the planted-signal samples. ``--since`` drops prices
before a date (a store's decades of prices before the first disclosure cost time only).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd


def _timed(fn):
    c0, w0 = time.process_time(), time.perf_counter()
    out = fn()
    return out, time.process_time() - c0, time.perf_counter() - w0


def evaluate(args) -> None:
    from workbench.data import load_universe
    from workbench.ensemble import MultiModelEnsemble
    from workbench.ensemble.findings import ensemble_findings, member_table, planted_comparison

    h = 7
    if args.eval == "synthetic":
        params = {"start": "2019-01-02", "n_tickers": 60} if args.smoke else {}
        u = load_universe("synthetic", seed=args.seed, **params)
    else:
        u = load_universe(args.eval)
        if args.since:
            import dataclasses

            keep = u.prices["date"] >= pd.Timestamp(args.since)
            u = dataclasses.replace(u, prices=u.prices.loc[keep].reset_index(drop=True))
    print(f"universe {args.eval}: {u.prices['ticker'].nunique()} tickers, "
          f"{u.prices['date'].nunique()} sessions {u.prices['date'].min().date()} to "
          f"{u.prices['date'].max().date()}, {len(u.trades)} trades")
    ens, c, w = _timed(lambda: MultiModelEnsemble(horizons=(h,)).fit(u))
    info = ens.info_[h]
    print(f"fit: {c:.0f} s CPU, {w:.0f} s wall; {info['n_samples']} samples on "
          f"{info['n_dates']} dates, status {info.get('status')}")
    for f in ensemble_findings(ens, h):
        print(f"- [{f.verdict}] {f.headline}\n    {f.detail}")
    ev = ens.evaluations_.get(h)
    if ev is None:
        return
    p = ev.predictions
    share = p["direction"].value_counts(normalize=True)
    sk = ev.skill().set_index("predictor")
    names = ("down", "flat", "up")
    print(f"direction accuracy: ensemble {sk.loc['ensemble', 'accuracy'] * 100:.1f}%, best "
          f"member alone {sk.loc[ev.best_member(), 'accuracy'] * 100:.1f}%, majority "
          f"'{names[int(share.index[0])]}' {share.iloc[0] * 100:.1f}% ({len(p)} test samples); "
          f"ECE {ev.ece() * 100:.1f} points")
    with pd.option_context("display.width", 160, "display.max_columns", 20):
        print(member_table(ens, h).round(4).to_string(index=False))
    if getattr(u, "truth", None) is not None:
        from workbench.ensemble.findings import ensemble_recovery

        for r in ensemble_recovery(ens, u, h):
            print(f"planted vs recovered [{r['verdict']}] {r['detector']}: {r['planted']} -> "
                  f"{r['recovered']}")
        c = planted_comparison(ens, u, h)
        if c.get("best"):
            print(f"planted-signal samples: n={c['n']} on {c['n_dates']} dates, ensemble MSE "
                  f"{c['ensemble_mse']:.5f} vs best member ({c['best']}) {c['best_mse']:.5f}; "
                  f"difference {c['diff']:.2e} (se {c['se']:.2e}); corr with planted "
                  f"{c['corr']:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--analog-queries", type=int, default=8)
    ap.add_argument("--fit", action="store_true")
    ap.add_argument("--seed", type=int, default=20120101)
    ap.add_argument("--eval", default="")
    ap.add_argument("--since", default="")
    args = ap.parse_args()
    if args.eval:
        return evaluate(args)

    from workbench.data import load_universe
    from workbench.ensemble import MultiModelEnsemble, PatternsMember, default_members
    from workbench.ensemble.context import UniverseContext, context_for

    params = {"start": "2019-01-02", "n_tickers": 60} if args.smoke else {}
    u, c, w = _timed(lambda: load_universe("synthetic", seed=args.seed, **params))
    print(f"universe: {u.prices['ticker'].nunique()} tickers, {u.prices['date'].nunique()} "
          f"sessions, {len(u.trades)} trades (load {w:.1f} s wall)")
    ctx, c, w = _timed(lambda: context_for(u))
    print(f"context: {c:.2f} s CPU, {w:.2f} s wall")
    h = 7
    print("\nmember state builds (once per universe and horizon):")
    total_c = total_w = 0.0
    for m in default_members():
        st, c, w = _timed(lambda m=m: ctx.state(m, h))
        total_c, total_w = total_c + c, total_w + w
        print(f"  {m.name:<11} {c:7.2f} s CPU {w:7.2f} s wall  {st.status}")
    print(f"  {'all':<11} {total_c:7.2f} s CPU {total_w:7.2f} s wall")

    ens = MultiModelEnsemble(horizons=(h,))
    if args.fit:
        _, c, w = _timed(lambda: ens.fit(u))
        print(f"\nwalk-forward fit (stack + 4 folds x 10 learners + final): {c:.1f} s CPU, "
              f"{w:.1f} s wall; {ens.info_[h]['n_samples']} samples")
    else:   # the combiner alone (states are built): equal weights keep the timing honest
        from workbench.ensemble.model import _equal_weights

        ens.metas_[h] = _equal_weights(len(ens.members_))
    rng = np.random.default_rng(0)
    tickers = list(ctx.tickers)
    pos = rng.integers(300 if not args.smoke else 260, ctx.n_sessions, args.queries)
    ks = rng.integers(0, len(tickers), args.queries)
    lat = []
    for p, k in zip(pos, ks, strict=True):
        t0 = time.perf_counter()
        ens.predict(u, tickers[k], as_of=ctx.sessions[p], horizon=h)
        lat.append((time.perf_counter() - t0) * 1000)
    lat = np.array(lat)
    print(f"\npredict_ticker, states built ({args.queries} random ticker/date pairs): "
          f"p50 {np.percentile(lat, 50):.1f} ms, p95 {np.percentile(lat, 95):.1f} ms, "
          f"p99 {np.percentile(lat, 99):.1f} ms")
    fresh = UniverseContext(u)
    cold = time.perf_counter()
    for m in ens.members_:
        fresh.state(m, h)
    cold = (time.perf_counter() - cold) * 1000
    print(f"baseline: the same prediction on a fresh universe context (every state rebuilt): "
          f"{cold:.0f} ms -> ratio {cold / np.median(lat):.0f}x")

    from workbench.patterns import find_similar_patterns

    m = PatternsMember(stride=1)
    st = ctx.state(m, h)
    wide = pd.DataFrame(ctx.close, index=ctx.sessions, columns=ctx.tickers)
    t_fast, t_exact, recall = [], [], []
    for p, k in zip(pos[: args.analog_queries], ks[: args.analog_queries], strict=True):
        t0 = time.perf_counter()
        ends, cols, _ = st._search(np.array([k]), int(p))[0]
        t_fast.append(time.perf_counter() - t0)
        q = wide.iloc[p - m.window + 1: p + 1, k]
        t0 = time.perf_counter()
        res = find_similar_patterns(q, wide, window=m.window, top_k=m.top_k, band=m.band,
                                    horizons=(h,), query_ticker=tickers[k],
                                    as_of=ctx.sessions[p])
        t_exact.append(time.perf_counter() - t0)
        exact = {(tk, e) for tk, e in zip(res.matches["ticker"], res.matches["end"],
                                          strict=True)}
        got = {(tickers[c_], ctx.sessions[e_]) for c_, e_ in zip(cols, ends, strict=True)}
        recall.append(len(exact & got) / max(len(exact), 1))
    print(f"\nanalog search per query ({args.analog_queries} queries, stride 1): filter-and-refine "
          f"{np.median(t_fast) * 1000:.1f} ms, exact find_similar_patterns "
          f"{np.median(t_exact) * 1000:.1f} ms -> ratio {np.median(t_exact) / np.median(t_fast):.0f}x;"
          f" exact top-10 found: {np.mean(recall) * 100:.0f}% "
          f"(min {np.min(recall) * 100:.0f}%)")
    m5 = PatternsMember()
    st5 = ctx.state(m5, h)
    t5 = []
    for p, k in zip(pos[:50], ks[:50], strict=True):
        t0 = time.perf_counter()
        st5._search(np.array([k]), int(p))
        t5.append(time.perf_counter() - t0)
    print(f"served member (stride {m5.stride}): {np.median(t5) * 1000:.1f} ms per query (p50), "
          f"{np.percentile(t5, 95) * 1000:.1f} ms (p95)")


if __name__ == "__main__":
    main()
