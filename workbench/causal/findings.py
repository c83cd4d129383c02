"""Findings, the estimates table and the planted-vs-recovered rows of a :class:`CausalStudy`.

Every sentence is built from result objects (numbers with intervals, a plain verdict); the
notebook only displays them (:func:`workbench.reports.findings.render_findings`).
Units: activity in trades (stock sells or buys, by transaction date), cumulative over the
post-period for causal impact and per member-week for synthetic control and DiD; prices as the
percentage change of the price level (``exp(log effect) - 1``); committee relevance as the
difference in 21-session CAR after the disclosure entry (decimal).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.reports.findings import Finding, verdict_from_p

__all__ = ["causal_findings", "causal_recovery", "estimates_table"]


def _pct(x: float) -> str:
    return f"{np.expm1(x):+.1%}"


def _p(p: float) -> str:
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def estimates_table(study) -> pd.DataFrame:
    """One row per method: ``question, method, estimate, low, high, p_value, unit``."""
    rows = []
    side = study.series
    if study.activity is not None:
        s = study.activity.stats
        rows.append(("activity", "causal impact", s["cumulative_effect"], s["cumulative_low"],
                     s["cumulative_high"], s["p_value"], f"{side}, total over the post-period"))
    if study.synth_activity is not None:
        s = study.synth_activity.stats
        rows.append(("activity", "synthetic control", s["effect"], s["low"], s["high"],
                     s["p_value"], f"{side} per member-week"))
    if study.did is not None:
        e = study.did.estimate
        rows.append(("activity", "DiD (two-way FE)", e["coef"], e["low"], e["high"],
                     e["p_value"], f"{side} per member-week"))
    if study.price is not None:
        s = study.price.stats
        rows.append((f"price {study.ticker}", "causal impact", np.expm1(s["average_effect"]),
                     np.expm1(s["average_low"]), np.expm1(s["average_high"]), s["p_value"],
                     "price level change (decimal)"))
    if study.synth_price is not None:
        s = study.synth_price.stats
        rows.append((f"price {study.ticker}", "synthetic control", np.expm1(s["effect"]),
                     np.expm1(s["low"]), np.expm1(s["high"]), s["p_value"],
                     "price level change (decimal)"))
    for res, label in ((study.effect, "DoWhy, trader fixed effects"),
                       (study.effect_naive, "DoWhy, no fixed effects")):
        if res is not None:
            e = res.estimate
            rows.append(("committee relevance", label, e["effect"], e["low"], e["high"],
                         e["p_clustered"] if np.isfinite(e["p_clustered"]) else e["p_value"],
                         "21-session CAR difference (decimal)"))
    return pd.DataFrame(rows, columns=["question", "method", "estimate", "low", "high",
                                       "p_value", "unit"])


def causal_findings(study, alpha: float = 0.05) -> list[Finding]:
    """The report's findings, most important first."""
    out: list[Finding] = []
    d = f"{study.event_date:%Y-%m-%d}"
    side = study.series
    if study.activity is not None:
        s = study.activity.stats
        out.append(Finding(
            f"After {d} the treated group ({len(study.group)} politicians) made "
            f"{s['cumulative_effect']:+.1f} {side} in {int(s['n_post'])} weeks against its "
            f"counterfactual [{s['cumulative_low']:+.1f}, {s['cumulative_high']:+.1f}] "
            f"({s['actual_mean'] * s['n_post']:.0f} observed, "
            f"{s['predicted_mean'] * s['n_post']:.1f} expected)",
            verdict_from_p(s["p_value"], alpha),
            f"Causal impact, weekly counts by transaction date, controls: other politicians' "
            f"trades; p = {_p(s['p_value'])}. Group: {study.group_note}"))
    late = [f"{p} (first trade {d:%Y-%m-%d})" for p, d in study.first_trade.items()
            if d > study.event_date - pd.Timedelta(weeks=52)]
    if late:
        out.append(Finding(
            f"Little baseline: {', '.join(late)} started trading less than a year before the "
            f"event, so the group's pre-period mostly reflects the other members",
            "info", "The counterfactual and the DiD pre-trends lean on who traded before."))
    if study.placebo is not None:
        ps = study.placebo.stats
        out.append(Finding(
            f"Placebo check: {int(ps['false_positive_rate'] * ps['n_placebo'])} of "
            f"{int(ps['n_placebo'])} fake event dates before {d} come out significant "
            f"({ps['false_positive_rate']:.0%}, expected {alpha:.0%}); the real effect is "
            f"more extreme than the placebos at rank p = {_p(ps['rank_p_value'])}",
            "info"))
    if study.synth_activity is not None:
        s = study.synth_activity.stats
        out.append(Finding(
            f"Synthetic control: {s['effect']:+.2f} {side} per member-week "
            f"[{s['low']:+.2f}, {s['high']:+.2f}] against {int(s['n_donors'])} donor politicians",
            verdict_from_p(s["p_value"], alpha),
            f"In-space placebo (permutation) p = {_p(s['p_value'])}."))
    if study.did is not None:
        e, pt = study.did.estimate, study.did.pretrend
        out.append(Finding(
            f"Difference-in-differences: {e['coef']:+.2f} {side} per member-week "
            f"[{e['low']:+.2f}, {e['high']:+.2f}], p = {_p(e['p_value'])}",
            verdict_from_p(e["p_value"], alpha),
            f"Two-way fixed effects, errors clustered by politician; pre-trend test "
            f"p = {_p(pt['p_value'])} ({int(pt['df'])} leads). "
            f"{study.did.note[:1].upper()}{study.did.note[1:]}."))
    if study.price is not None:
        s = study.price.stats
        out.append(Finding(
            f"{study.ticker}: price level {_pct(s['average_effect'])} against its counterfactual "
            f"over {int(s['n_post'])} sessions [{_pct(s['average_low'])}, "
            f"{_pct(s['average_high'])}]", verdict_from_p(s["p_value"], alpha),
            f"Causal impact on the log adjusted close, 20 control tickers chosen on pre-event "
            f"returns; p = {_p(s['p_value'])}."))
    if study.synth_price is not None:
        s = study.synth_price.stats
        out.append(Finding(
            f"{study.ticker} synthetic control: {_pct(s['effect'])} "
            f"[{_pct(s['low'])}, {_pct(s['high'])}] (99% interval)",
            verdict_from_p(s["p_value"], alpha),
            f"Permutation p = {_p(s['p_value'])} over {int(s['n_donors'])} donor tickers."))
    if study.effect is not None:
        e = study.effect.estimate
        n_pass = int(study.effect.refutations["passed"].sum())
        lo, hi = e["effect"] - 1.96 * e["se_clustered"], e["effect"] + 1.96 * e["se_clustered"]
        naive = (f" Without trader fixed effects: {study.effect_naive.estimate['effect']:+.2%}."
                 if study.effect_naive is not None else "")
        out.append(Finding(
            f"Committee-relevant buys earn {e['effect']:+.2%} CAR over 21 sessions against the "
            f"same members' other buys [{lo:+.2%}, {hi:+.2%}]",
            verdict_from_p(e["p_clustered"], alpha),
            f"DoWhy back-door estimate with trader fixed effects, sector and year; errors "
            f"clustered by politician (p = {_p(e['p_clustered'])}, {int(e['n'])} buys); "
            f"{n_pass} of {len(study.effect.refutations)} refuters passed.{naive} Committee "
            f"seats are current-Congress only."))
    for question, reason in study.skipped.items():
        out.append(Finding(f"{question}: not run ({reason})", "info"))
    return out


def _verdict(covered: bool, significant: bool) -> str:
    if covered and significant:
        return "recovered"
    return "partly recovered" if covered or significant else "not recovered"


def causal_recovery(study, truth, alpha: float = 0.05) -> list[dict]:
    """Rows of the planted-vs-recovered table (empty without a planted event)."""
    events = getattr(truth, "events", None)
    if events is None or len(events) == 0:
        return []
    ev = events.set_index("kind")
    rows = []
    if "intensity" in ev.index and study.activity is not None and study.series == "sells":
        it = ev.loc["intensity"]
        n_group = len(str(it["group"]).split(","))
        weeks = int(study.activity.stats["n_post"])
        s = study.activity.stats
        rows.append({"detector": "causal impact: selling after the event",
                     "planted": f"x{it['size']:g} stock sells: {int(it['n_changed'])} added",
                     "recovered": f"{s['cumulative_effect']:+.1f} [{s['cumulative_low']:+.1f}, "
                                  f"{s['cumulative_high']:+.1f}] in {weeks} weeks",
                     "verdict": _verdict(s["cumulative_low"] <= it["n_changed"]
                                         <= s["cumulative_high"], s["p_value"] < alpha)})
        per = it["n_changed"] / n_group / (truth.params.event_sessions / 5)
        for name, res, lo, hi, eff, p in (
                ("synthetic control: selling", study.synth_activity, "low", "high", "effect",
                 "p_value"),
                ("DiD: selling", study.did, "low", "high", "coef", "p_value")):
            if res is None:
                continue
            s = res.stats if hasattr(res, "stats") else res.estimate
            rows.append({"detector": name, "planted": f"{per:+.2f} sells per member-week",
                         "recovered": f"{s[eff]:+.2f} [{s[lo]:+.2f}, {s[hi]:+.2f}]",
                         "verdict": _verdict(s[lo] <= per <= s[hi], s[p] < alpha)})
    if "price_level" in ev.index and study.ticker == ev.at["price_level", "ticker"]:
        pl = ev.loc["price_level"]
        size = np.log1p(pl["size"])
        for name, res, keys in (("causal impact: price level", study.price,
                                 ("average_effect", "average_low", "average_high")),
                                ("synthetic control: price level", study.synth_price,
                                 ("effect", "low", "high"))):
            if res is None:
                continue
            s = res.stats
            rows.append({"detector": name, "planted": f"{pl['ticker']} {pl['size']:+.1%}",
                         "recovered": f"{_pct(s[keys[0]])} [{_pct(s[keys[1]])}, "
                                      f"{_pct(s[keys[2]])}]",
                         "verdict": _verdict(s[keys[1]] <= size <= s[keys[2]],
                                             s["p_value"] < alpha)})
    if study.effect is not None:
        e = study.effect.estimate
        lo, hi = e["effect"] - 1.96 * e["se_clustered"], e["effect"] + 1.96 * e["se_clustered"]
        rows.append({"detector": "DoWhy: committee relevance within trader",
                     "planted": "none (informed traders earn on every buy)",
                     "recovered": f"{e['effect']:+.2%} [{lo:+.2%}, {hi:+.2%}]",
                     "verdict": "recovered" if lo <= 0 <= hi else "not recovered",
                     "detail": "a null: recovered means the interval covers zero"})
    return rows
