"""Findings of a forecasting run: verdicts against baselines, planted vs recovered, targets.

Everything here is computed from result objects (:class:`~workbench.forecast.pipeline.
TrainingRun`, :class:`~workbench.portfolio.compare.AllocationComparison`), never typed by
hand. The seed project's headline targets (60% directional accuracy at 7 sessions, Sharpe
1.5) are checked plainly, with intervals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["SEED_TARGETS", "forecast_findings", "planted_vs_recovered", "planted_table",
           "no_signal_tickers",
           "direction_accuracy_interval"]

SEED_TARGETS = {"direction_accuracy": 0.60, "direction_horizon": 7, "sharpe": 1.5}
ALPHA = 0.05


def no_signal_tickers(universe) -> list[str]:
    """Priced synthetic tickers with no planted price event (informed buys, squeezes, motifs)."""
    truth = getattr(universe, "truth", None)
    priced = sorted(universe.prices["ticker"].astype(str).unique())
    if truth is None:
        return priced
    planted = set(truth.informed_trades["ticker"].astype(str))
    for frame in (truth.motifs, truth.squeezes):
        if len(frame) and "ticker" in frame.columns:
            planted |= set(frame["ticker"].astype(str))
    return [t for t in priced if t not in planted]


def direction_accuracy_interval(result, rows=None) -> tuple[float, float, float, int]:
    """Accuracy on non-overlapping decision dates with a 95% Wilson interval.

    Returns ``(accuracy, low, high, n)``. Tickers on one date are correlated, so the
    interval is optimistic when many tickers share a date.
    """
    p = result.predictions if rows is None else result.predictions.loc[rows]
    d = pd.DatetimeIndex(p["date"])
    keep = np.isin(d, d.unique().sort_values()[:: max(result.horizon, 1)])
    pr = result.proba("model", p.index[keep])
    hits = int(np.sum(np.argmax(pr, axis=1) == p["direction"].to_numpy()[keep]))
    n = int(keep.sum())
    if n == 0:
        return np.nan, np.nan, np.nan, 0
    ci = stats.binomtest(hits, n).proportion_ci(0.95, method="wilson")
    return hits / n, float(ci.low), float(ci.high), n


def planted_vs_recovered(run, universe) -> pd.DataFrame:
    """What the synthetic market planted that a forecaster can find, and what was found.

    Columns ``planted, measure, result, p_value, verdict`` (short strings for display).
    """
    from workbench.synthetic.market import REGIME_SIGMA

    res = run.result
    comp = res.comparisons().set_index(["task", "loss", "baseline"])
    vol = comp.loc[("volatility", "QLIKE", "trailing")]
    params = universe.truth.params
    rows = [{
        "planted": (f"regime vol {REGIME_SIGMA.min():.1%}-{REGIME_SIGMA.max():.1%}/day, "
                    f"~{params.mean_regime_days:.0f}-session regimes"),
        "measure": "vol QLIKE: network vs trailing vol",
        "result": f"{vol['model_loss']:.3g} vs {vol['baseline_loss']:.3g}",
        "p_value": f"{vol['dm_p']:.2g} (DM)",
        "verdict": "recovered" if vol["dm_p"] < ALPHA else "not recovered"}]
    quiet = set(no_signal_tickers(universe))
    sel = res.predictions.index[res.predictions["ticker"].isin(quiet)]
    if len(sel):
        c = res.comparisons(sel).set_index(["task", "loss", "baseline"])
        miss = c.loc[("direction", "miss rate", "majority")]
        skill = miss["binom_p"] < ALPHA or miss["dm_p"] < ALPHA
        n = res.predictions.loc[sel, "ticker"].nunique()
        rows.append({
            "planted": f"no direction signal ({n} quiet tickers)",
            "measure": "accuracy gain over majority class",
            "result": f"{100 * (miss['baseline_loss'] - miss['model_loss']):+.1f} points",
            "p_value": f"{miss['binom_p']:.2g} (binomial)",
            "verdict": "not recovered" if skill else "recovered"})
    informed = set(universe.truth.informed_trades["ticker"].astype(str))
    hit = res.predictions.index[res.predictions["ticker"].isin(informed)]
    if len(hit):
        c = res.comparisons(hit).set_index(["task", "loss", "baseline"])
        miss = c.loc[("direction", "miss rate", "majority")]
        n = res.predictions.loc[hit, "ticker"].nunique()
        rows.append({
            "planted": (f"informed buys: +{params.informed_car:.0%} over "
                        f"{params.informed_horizon} sessions ({n} tickers)"),
            "measure": "accuracy gain over majority class",
            "result": f"{100 * (miss['baseline_loss'] - miss['model_loss']):+.1f} points",
            "p_value": f"{miss['binom_p']:.2g} (binomial)",
            "verdict": "info"})
    return pd.DataFrame(rows)


def planted_table(run, universe):
    """:func:`planted_vs_recovered` as the reports' standard table (the same columns, banner
    and CSV/Parquet download as every other report; a note on real data)."""
    from workbench.reports.findings import planted_vs_recovered as standard

    if getattr(universe, "truth", None) is None:
        return standard([], universe)
    rows = [{"detector": f"forecaster: {r.measure}", "planted": r.planted,
             "recovered": f"{r.result}, p = {r.p_value}", "verdict": r.verdict,
             "detail": "Out of sample, purged walk-forward test folds."}
            for r in planted_vs_recovered(run, universe).itertuples()]
    return standard(rows, universe)


def forecast_findings(run, allocations=None, universe=None) -> list:
    """Findings: each head vs its main baselines, the seed's targets, the allocations."""
    from workbench.reports.findings import Finding

    res = run.result
    keep = {("return", "squared error", "zero"), ("return", "squared error", "trailing_mean"),
            ("volatility", "QLIKE", "trailing"), ("volatility", "QLIKE", "ewma"),
            ("direction", "log loss", "majority"), ("direction", "log loss", "logistic"),
            ("direction", "miss rate", "majority")}
    comp = res.comparisons()
    out = [f for f, r in zip(res.findings(), comp.itertuples(), strict=True)
           if (r.task, r.loss, r.baseline) in keep]
    acc, lo, hi, n = direction_accuracy_interval(res)
    target = SEED_TARGETS["direction_accuracy"]
    out.append(Finding(
        f"Directional accuracy {acc:.1%} [95% CI {lo:.1%}, {hi:.1%}] at {res.horizon} "
        f"sessions vs the seed's target of {target:.0%} at "
        f"{SEED_TARGETS['direction_horizon']} sessions",
        "beats baseline" if lo > target else "does not beat baseline",
        f"{n} non-overlapping test samples; the target is met only if the whole interval "
        "lies above it."))
    if allocations is not None:
        out += allocations.findings()
        m = allocations.metrics
        best = m["sharpe"].idxmax()
        out.append(Finding(
            f"Best allocation Sharpe after costs {m.loc[best, 'sharpe']:.2f} ({best}) vs the "
            f"seed's target of {SEED_TARGETS['sharpe']}",
            "beats baseline" if m.loc[best, "sharpe"] >= SEED_TARGETS["sharpe"]
            else "does not beat baseline",
            f"Deflated Sharpe ratio of that method {m.loc[best, 'dsr']:.2f} over "
            f"{allocations.n_trials} variants."))
    if universe is not None and getattr(universe, "truth", None) is not None:
        for r in planted_vs_recovered(run, universe).itertuples():
            if r.verdict != "info":
                out.append(Finding(f"Planted: {r.planted}. {r.measure}: {r.result}, p = "
                                   f"{r.p_value}.", r.verdict))
    return out
