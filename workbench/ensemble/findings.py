"""Findings of the ensemble report, and planted vs recovered on the synthetic universe.

Every sentence is built from a fitted :class:`~workbench.ensemble.MultiModelEnsemble` (its
walk-forward evaluation and served weights); verdicts come from the Diebold-Mariano p-values
and intervals computed there.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from workbench.ensemble.base import signed_pct
from workbench.ensemble.prediction import LABELS
from workbench.reports.findings import Finding, recovery_verdict
from workbench.reports.formatting import fmt, fmt_interval, fmt_p

__all__ = ["ensemble_findings", "ensemble_recovery", "member_table", "planted_comparison"]


def member_table(ensemble, horizon: int) -> pd.DataFrame:
    """Per member: coverage, out-of-sample MSE and R2 alone, log loss, served weight."""
    ev = ensemble.evaluations_.get(horizon)
    meta = ensemble.metas_[horizon]
    w = dict(zip(ensemble.member_names, meta.weights_, strict=True))
    if ev is None:
        return pd.DataFrame({"member": list(w), "weight": list(w.values())})
    s = ev.skill()
    s["label"] = s["predictor"].map(lambda n: LABELS.get(n, n))
    s["weight"] = s["predictor"].map(w)
    comp = ev.comparisons()
    ret = comp[comp["task"] == "return"].set_index("vs")
    s["dm_p_ensemble_better"] = s["predictor"].map(ret["dm_p"])
    return s[["predictor", "label", "coverage", "mse", "r2_oos", "log_loss", "accuracy", "ece",
              "weight", "dm_p_ensemble_better"]]


def _diff_interval(a: np.ndarray, b: np.ndarray, dates) -> tuple[float, float, float]:
    """Mean of ``a - b`` (date-averaged) with a 95% interval (Student t over dates)."""
    d = pd.Series(a - b).groupby(pd.DatetimeIndex(np.asarray(dates)).asi8).mean()
    n = len(d)
    if n < 3:
        return float(d.mean()) if n else np.nan, np.nan, np.nan
    se = d.std(ddof=1) / np.sqrt(n)
    q = stats.t.ppf(0.975, n - 1)
    return float(d.mean()), float(d.mean() - q * se), float(d.mean() + q * se)


def ensemble_findings(ensemble, horizon: int) -> list[Finding]:
    """Ensemble vs the best member and zero, direction, calibration, weights, members."""
    h = int(horizon)
    info = ensemble.info_.get(h, {})
    ev = ensemble.evaluations_.get(h)
    if ev is None:
        return [Finding(f"No out-of-sample evaluation at {h} sessions: {info.get('status')}",
                        "info", f"{info.get('n_samples', 0)} training samples.")]
    p = ev.predictions
    comp = ev.comparisons()
    best = ev.best_member()
    y, dates = p["y"].to_numpy(), p["date"].to_numpy()
    le = (y - p["ens_ret"].to_numpy()) ** 2
    lb = (y - p[f"{best}_ret"].to_numpy()) ** 2
    lz = y ** 2
    r = comp[(comp["task"] == "return") & (comp["vs"] == best)].iloc[0]
    mid, lo, hi = _diff_interval(le, lb, dates)
    base = lb.mean() if lb.mean() > 0 else np.nan
    out = [Finding(
        f"Out of sample, the ensemble's mean squared error differs from the best single "
        f"member's ({LABELS.get(best, best)}) by {fmt(mid / base, 'pct2')} "
        f"{fmt_interval(lo / base, hi / base, 'pct2')} (negative: the ensemble is better)",
        "beats baseline" if r["dm_p"] < 0.05 else "does not beat baseline",
        f"Diebold-Mariano one-sided p = {fmt_p(r['dm_p'])} over {int(r['n_dates'])} test dates "
        f"of {ev.predictions['fold'].nunique()} purged walk-forward folds, horizon {h} sessions; "
        "the best member was picked after the fact, which favours it.")]
    rz = comp[(comp["task"] == "return") & (comp["vs"] == "zero")].iloc[0]
    r2 = 1 - le.mean() / lz.mean() if lz.mean() > 0 else np.nan
    out.append(Finding(
        f"Against a zero-return forecast: out-of-sample R2 {signed_pct(r2)}",
        "beats baseline" if rz["dm_p"] < 0.05 else "does not beat baseline",
        f"Diebold-Mariano one-sided p = {fmt_p(rz['dm_p'])}; returns over {h} sessions are "
        "mostly noise, so a forecast that cannot beat zero is the usual result."))
    dcomp = comp[(comp["task"] == "direction") & (comp["vs"] == best)]
    if len(dcomp):
        d = dcomp.iloc[0]
        out.append(Finding(
            f"Direction (down/flat/up): log loss {d['ensemble_loss']:.4f} vs "
            f"{d['other_loss']:.4f} for the {LABELS.get(best, best)} alone",
            "beats baseline" if d["dm_p"] < 0.05 else "does not beat baseline",
            f"Diebold-Mariano one-sided p = {fmt_p(d['dm_p'])}."))
    out.append(Finding(
        f"Calibration of the confidence out of sample: expected calibration error "
        f"{ev.ece() * 100:.1f} points (temperature {info.get('temperature', np.nan):.2f})",
        "info", "Top-label reliability over 10 equal-width bins; each fold's temperature "
                "comes from the earlier folds only (the first fold keeps 1)."))
    w = pd.Series(ensemble.metas_[h].weights_, index=list(ensemble.member_names))
    used = w[w > 0].sort_values(ascending=False)
    out.append(Finding(
        "Served weights: " + (", ".join(f"{LABELS.get(n, n)} {fmt(v, 'num3')}"
                                         for n, v in used.items()) or "all zero (no member "
                                                                      "helped in training)"),
        "info", "Non-negative ridge on out-of-sample member predictions scaled to unit RMS; "
                "a weight multiplies the member's predicted log return."))
    cov = ev.coverage
    thin = [LABELS.get(n, n) for n, c in cov.items() if c < 0.05]
    if thin:
        out.append(Finding("Rarely or never available: " + ", ".join(thin), "info",
                           "Share of training samples with a prediction below 5%."))
    return out


def planted_comparison(ensemble, universe, horizon: int) -> dict:
    """Ensemble vs the best member on the planted-signal samples of the test folds.

    Returns ``n, best, ensemble_mse, best_mse, diff, se, corr`` (``corr``: correlation of the
    ensemble's expected return with the planted return) and ``mask`` of the prediction rows.
    """
    from workbench.ensemble.context import context_for
    from workbench.ensemble.planted import planted_returns

    ev = ensemble.evaluations_.get(horizon)
    if ev is None or universe.truth is None:
        return {}
    ctx = context_for(universe)
    pl = planted_returns(ctx, universe.truth, horizon)
    p = ev.predictions
    pos = ctx.sessions.get_indexer(pd.DatetimeIndex(p["date"]))
    k = np.array([ctx.column(t) for t in p["ticker"]])
    planted = pl["informed"][pos, k] + pl["motif"][pos, k]
    mask = planted != 0
    if mask.sum() < 10:
        return {"n": int(mask.sum()), "mask": mask}
    rows = p.index[mask]
    best = ev.best_member(rows)
    y = p.loc[rows, "y"].to_numpy()
    le = (y - p.loc[rows, "ens_ret"].to_numpy()) ** 2
    lb = (y - p.loc[rows, f"{best}_ret"].to_numpy()) ** 2
    d = pd.Series(le - lb).groupby(pd.DatetimeIndex(p.loc[rows, "date"]).asi8).mean()
    se = float(d.std(ddof=1) / np.sqrt(len(d))) if len(d) > 2 else np.nan
    corr = float(np.corrcoef(p.loc[rows, "ens_ret"], planted[mask])[0, 1])
    return {"n": int(mask.sum()), "best": best, "ensemble_mse": float(le.mean()),
            "best_mse": float(lb.mean()), "diff": float(d.mean()), "se": se, "corr": corr,
            "n_dates": int(len(d)), "mask": mask, "planted": planted}


def ensemble_recovery(ensemble, universe, horizon: int) -> list[dict]:
    """Planted-vs-recovered rows: informed buys, motifs, ensemble vs best member on them."""
    from workbench.ensemble.context import context_for
    from workbench.ensemble.planted import planted_returns

    truth = getattr(universe, "truth", None)
    stack = ensemble.stacks_.get(horizon)
    if truth is None or stack is None or not len(stack):
        return []
    h = int(horizon)
    ctx = context_for(universe)
    pl = planted_returns(ctx, truth, h)
    rows = []
    names = list(stack.members)
    for kind, member, what in (("informed", "congress", "informed buys"),
                               ("motif", "patterns", "price motifs")):
        planted = pl[kind][stack.pos, stack.k]
        live = planted != 0
        if member not in names:
            continue
        x = stack.X[:, names.index(member)]
        ok = live & np.isfinite(x)
        n_live = int(ok.sum())
        if n_live < 5:
            rows.append({"detector": f"{LABELS[member]} member", "planted": what,
                         "recovered": f"{n_live} samples with the plant live: too few",
                         "verdict": "info", "detail": ""})
            continue
        hits = int(np.sum(np.sign(x[ok]) == np.sign(planted[ok])))
        pv = stats.binomtest(hits, n_live, 0.5, alternative="greater").pvalue
        rows.append({
            "detector": f"{LABELS[member]} member",
            "planted": f"{what}: {n_live} samples with planted return still to come "
                       f"(mean {signed_pct(planted[ok].mean())} over {h} sessions)",
            "recovered": f"sign agrees on {hits} of {n_live} ({hits / n_live * 100:.0f}%), "
                         f"binomial p = {fmt_p(pv)}",
            "verdict": "recovered" if pv < 0.05 else "not recovered",
            "detail": "Member values are walk-forward (data up to each decision date)."})
    cmp_ = planted_comparison(ensemble, universe, h)
    if cmp_.get("best"):
        ok = cmp_["diff"] <= 2 * cmp_["se"] if np.isfinite(cmp_["se"]) else False
        rows.append({
            "detector": "ensemble vs best member",
            "planted": f"{cmp_['n']} out-of-sample samples with a planted signal",
            "recovered": (f"MSE {cmp_['ensemble_mse']:.4g} vs {cmp_['best_mse']:.4g} "
                          f"({LABELS.get(cmp_['best'], cmp_['best'])}); difference "
                          f"{cmp_['diff']:.3g} (standard error {cmp_['se']:.3g})"),
            "verdict": recovery_verdict(int(ok), 1),
            "detail": "At least as good: difference at most two standard errors over "
                      f"{cmp_['n_dates']} dates; correlation with the planted return "
                      f"{cmp_['corr']:.2f}."})
    return rows

