"""Findings of the options report and its planted-vs-recovered row (squeeze setups).

Dates: the setup (spot, chain, score, the 7-session move) is read at the **transaction** date,
because the question is about the setup the trade was placed in; ``move_7d_after_disclosure``
is what was left for someone acting on the **disclosure**.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from workbench.reports.findings import Finding, recovery_verdict, verdict_from_p
from workbench.reports.formatting import fmt, fmt_p

__all__ = ["planted_squeeze_mask", "options_findings", "squeeze_recovery", "SCORE_HIGH"]

SCORE_HIGH = 2 / 3  # at least two of the three setup conditions


def planted_squeeze_mask(result, truth) -> np.ndarray:
    """Boolean per option trade: placed in a planted squeeze setup (all False without truth)."""
    if truth is None or not len(truth.squeezes):
        return np.zeros(len(result.trades), dtype=bool)
    return result.trades["trade_id"].astype(str).isin(
        set(truth.squeezes["trade_id"].astype(str))).to_numpy()


def options_findings(result, gex=None, level: float = 0.05) -> list[Finding]:
    """Findings of the options report (trades' setups, what followed, the chain shown)."""
    t = result.trades
    out = []
    scored = t[t["squeeze_score"].notna()]
    high = scored["squeeze_score"] >= SCORE_HIGH - 1e-9
    if len(scored) and high.any() and (~high).any():
        a = scored.loc[high, "max_move_7d"].dropna()
        b = scored.loc[~high, "max_move_7d"].dropna()
        p = (stats.ttest_ind(a, b, equal_var=False).pvalue if len(a) > 1 and len(b) > 1
             else np.nan)
        out.append(Finding(
            f"Trades in squeeze setups (score >= {SCORE_HIGH:.2f}): largest 7-session move "
            f"{fmt(a.mean(), 'pct_signed')} on average vs {fmt(b.mean(), 'pct_signed')} for the "
            f"others (n = {len(a)} and {len(b)}), Welch p {fmt_p(p)}",
            verdict_from_p(p, level), "Moves from the transaction date; scores need a chain."))
    else:
        out.append(Finding(f"{len(t)} option trades, {len(scored)} with a chain to score",
                           "info", "Real data has no option chains: no setup scores."))
    after = t["move_7d_after_disclosure"].dropna()
    if len(after):
        out.append(Finding(
            f"Left for the public: mean 7-session move after disclosure "
            f"{fmt(after.mean(), 'pct_signed')} vs {fmt(t['move_7d'].dropna().mean(), 'pct_signed')}"
            " after the trade", "info", f"{len(after)} trades with prices after disclosure."))
    if gex is not None:
        lo, hi = float(gex.profile["spot"].min()), float(gex.profile["spot"].max())
        if np.isfinite(gex.flip_level):
            flip = f"gamma flip at {fmt(gex.flip_level, 'num2')} (spot {fmt(gex.spot, 'num2')})"
        else:
            sign = "short" if gex.profile["total_gex"].iloc[len(gex.profile) // 2] < 0 else "long"
            flip = (f"no gamma flip between {fmt(lo, 'num2')} and {fmt(hi, 'num2')}: dealers "
                    f"stay {sign} gamma over the whole range shown")
        out.append(Finding(f"Chain shown: {gex.ticker} on {fmt(gex.quote_date, 'date')}, total "
                           f"GEX {fmt(gex.total_gex, 'usd_m')} per 1% move; {flip}", "info",
                           f"Convention {gex.convention}; call wall {fmt(gex.call_wall, 'num2')}, "
                           f"put wall {fmt(gex.put_wall, 'num2')}."))
    return out


def squeeze_recovery(result, truth) -> list[dict]:
    """Planted squeeze setups against the highest squeeze scores (``[]`` without truth)."""
    if truth is None:
        return []
    planted = planted_squeeze_mask(result, truth)
    n = int(planted.sum())
    if not n:
        return [{"detector": "squeeze setups (score)", "planted": "none among the option trades",
                 "recovered": "", "verdict": "info", "detail": ""}]
    s = pd.Series(result.trades["squeeze_score"].to_numpy(dtype=float))
    top = s.fillna(-1).rank(ascending=False, method="first") <= n
    hits = int((top.to_numpy() & planted).sum())
    return [{"detector": "squeeze setups (score ranking)",
             "planted": f"{n} option trades placed in squeeze setups",
             "recovered": f"{hits} of the {n} highest scores are planted",
             "verdict": recovery_verdict(hits, n),
             "detail": f"{len(s)} option trades; {int(s.notna().sum())} scored."}]
