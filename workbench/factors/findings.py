"""Honest inference for the factor report: buy, sell and long-short side by side, alphas against
the factor model *and* against the equal-weight portfolio of the priced universe, per-politician
extremes with Benjamini-Hochberg q-values, planted informed traders against what was flagged,
and the findings text built from those results.

Why the universe benchmark: "copy Congress" only adds value if it beats holding every priced
stock equally. On the synthetic universe (and on survivorship-biased real prices) that
portfolio can itself show a large factor alpha, so a buy alpha alone says little; the alpha of
buys minus the universe, and of buys minus sells, is the question.

All portfolios act at disclosure by default (first close strictly after the disclosure date,
:func:`workbench.factors.inputs.entry_sessions`). Returns are daily decimals; alphas are
annualized (x252) with Newey-West errors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.factors.inputs import to_wide_prices
from workbench.factors.model import fit_factor_model
from workbench.factors.portfolios import calendar_time_portfolio
from workbench.reports.findings import Finding, recovery_verdict, verdict_from_p
from workbench.reports.formatting import fmt, fmt_interval, fmt_p

__all__ = ["PortfolioComparison", "universe_returns", "compare_portfolios",
           "politician_extremes", "informed_recovery", "factor_findings", "PORTFOLIOS"]

PORTFOLIOS = ("buy", "sell", "long_short", "universe")
_LABELS = {"buy": "buys", "sell": "sells", "long_short": "buys minus sells",
           "universe": "equal-weight priced universe"}


def universe_returns(prices: pd.DataFrame) -> pd.Series:
    """Daily return of the equal-weight portfolio of every ticker with a price that day.

    Rebalanced daily to equal weights over the tickers with a return on the session (no
    look-ahead: membership is "has a price today and yesterday"). Decimals, by session.
    """
    levels = to_wide_prices(prices)
    r = levels.pct_change(fill_method=None)
    return r.mean(axis=1, skipna=True).rename("universe")


@dataclass(frozen=True)
class PortfolioComparison:
    """Buy, sell, long-short and universe portfolios with their alphas.

    Attributes
    ----------
    table : DataFrame
        Indexed by portfolio (:data:`PORTFOLIOS`): ``label, trades, covered, active_days,
        ann_return`` (mean daily return x252), ``alpha, alpha_low, alpha_high, alpha_t,
        alpha_p`` (factor alpha, annualized, HAC, ``confidence`` interval) and
        ``vs_universe, vs_universe_low, vs_universe_high, vs_universe_p`` (factor alpha of the
        portfolio minus the universe portfolio, zero-investment; NaN for long-short and the
        universe itself).
    returns : DataFrame
        Session x portfolio daily returns.
    model, holding_days, weight, entry, confidence, level
    """

    table: pd.DataFrame
    returns: pd.DataFrame
    model: str
    holding_days: int
    weight: str
    entry: str
    confidence: float = 0.95
    level: float = 0.05

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def summary(self) -> pd.DataFrame:
        return self.table[["label", "alpha", "alpha_low", "alpha_high", "alpha_p", "vs_universe",
                           "vs_universe_p"]]


def _fit_row(r: pd.Series, factors, model, subtract_rf, confidence):
    fr = fit_factor_model(r, factors, model, subtract_rf=subtract_rf, confidence=confidence)
    lo, hi = fr.alpha_ci()
    return fr.alpha, lo, hi, fr.alpha_t, fr.alpha_p


def compare_portfolios(trades: pd.DataFrame, prices: pd.DataFrame, factors: pd.DataFrame, *,
                       holding_days: int = 63, weight: str = "equal",
                       entry: str = "disclosure", model: str = "ff5",
                       confidence: float = 0.95, level: float = 0.05) -> PortfolioComparison:
    """Buy, sell, long-short (buys minus sells) and the equal-weight universe, side by side.

    Parameters
    ----------
    holding_days, weight, entry
        Calendar-time construction (:func:`workbench.factors.calendar_time_portfolio`); the
        default enters at the first close after the **disclosure** date.
    model : {"capm", "ff3", "ff5"}
    confidence : float
        Level of the alpha intervals; ``level`` is the test size of the verdicts.
    """
    uni = universe_returns(prices)
    cols, rows = {}, {}
    for side in ("buy", "sell", "long_short"):
        p = calendar_time_portfolio(trades, prices, side=side, holding_days=holding_days,
                                    weight=weight, entry=entry)
        cols[side] = p.returns
        rows[side] = {"trades": len(p.positions), "covered": int(p.positions["covered"].sum())}
    cols["universe"] = uni.reindex(cols["buy"].index)
    rows["universe"] = {"trades": 0, "covered": 0}
    returns = pd.DataFrame(cols)
    out = []
    for name in PORTFOLIOS:
        r = returns[name].dropna()
        row = {"portfolio": name, "label": _LABELS[name], **rows[name], "active_days": len(r),
               "ann_return": float(r.mean() * 252) if len(r) else np.nan}
        try:
            a = _fit_row(r, factors, model, name != "long_short", confidence)
        except Exception:  # too few sessions for a regression: no estimate, said as NaN
            a = (np.nan,) * 5
        row.update(zip(("alpha", "alpha_low", "alpha_high", "alpha_t", "alpha_p"), a,
                       strict=True))
        v = (np.nan,) * 5
        if name in ("buy", "sell"):
            try:
                v = _fit_row((returns[name] - returns["universe"]).dropna(), factors, model,
                             False, confidence)
            except Exception:
                pass
        row.update(zip(("vs_universe", "vs_universe_low", "vs_universe_high", "_t",
                        "vs_universe_p"), v, strict=True))
        row.pop("_t")
        out.append(row)
    table = pd.DataFrame(out).set_index("portfolio")
    return PortfolioComparison(table, returns, model, int(holding_days), weight, entry,
                               confidence, level)


def politician_extremes(perf, n: int = 10) -> pd.DataFrame:
    """Best ``n`` and worst ``n`` politicians by alpha (``rank`` 1 = best; BH q-values kept).

    ``perf`` is a :class:`~workbench.factors.performance.PoliticianPerformance`.
    """
    t = perf.table.reset_index(drop=True).copy()
    t.insert(0, "rank", np.arange(1, len(t) + 1))
    t.insert(1, "group", "")
    best = t.head(n).assign(group="best")
    worst = t.iloc[max(n, len(t) - n):].assign(group="worst")
    return pd.concat([best, worst], ignore_index=True)


def informed_recovery(perf, truth) -> list[dict]:
    """Planted informed traders against the per-politician table (planted-vs-recovered rows;
    ``[]`` without a truth, i.e. on real data).

    Recovered = significant (BH q < level) with a positive alpha. The detail gives each planted
    trader's rank and q-value so a miss is visible, not hidden.
    """
    if truth is None:
        return []
    t = perf.table.reset_index(drop=True)
    planted = list(truth.informed["politician"])
    parts, hits = [], 0
    for name in planted:
        idx = t.index[t["politician"] == name]
        if not len(idx):
            parts.append(f"{name}: not in the table (too few covered trades)")
            continue
        row = t.loc[idx[0]]
        ok = bool(row["significant"]) and row["alpha"] > 0
        hits += ok
        parts.append(f"{name}: rank {idx[0] + 1} of {len(t)}, q {fmt_p(row['q'])}"
                     f"{' (flagged)' if ok else ' (not flagged)'}")
    false_pos = int((t["significant"] & (t["alpha"] > 0) & ~t["politician"].isin(planted)).sum())
    return [{"detector": "informed traders (per-politician alpha, BH)",
            "planted": f"{len(planted)} traders, +{fmt(truth.informed['car'].iloc[0], 'pct')} "
                       f"CAR over {int(truth.informed['horizon'].iloc[0])} sessions after buys"
                       if len(planted) else "none",
            "recovered": f"{hits} of {len(planted)} flagged; {false_pos} other flagged",
            "verdict": recovery_verdict(hits, len(planted)), "detail": "; ".join(parts)}]


def _alpha_text(row, key: str) -> str:
    return (f"{fmt(row[key], 'pct_signed')}/yr {fmt_interval(row[key + '_low'], row[key + '_high'])}"
            f", p {fmt_p(row[key + '_p'])}")


def factor_findings(comparison: PortfolioComparison, perf=None) -> list[Finding]:
    """Findings of the factor report, most important first.

    The first finding answers the report's question: do the stocks members buy beat the ones
    they sell after factor risk (buys minus sells)? Then buys and sells against the
    equal-weight universe, each portfolio against the factor model alone, the universe's own
    alpha, and the per-politician count. Verdicts at ``comparison.level``.
    """
    t, lvl, m = comparison.table, comparison.level, comparison.model.upper()
    conf = f"{comparison.confidence:.0%} CI"
    out = []
    ls = t.loc["long_short"]
    out.append(Finding(f"Buys minus sells: {m} alpha {_alpha_text(ls, 'alpha')}",
                       verdict_from_p(ls["alpha_p"], lvl),
                       f"Do the stocks members buy beat the ones they sell? Zero-investment, "
                       f"HAC; {conf}; entry at the first close after {comparison.entry}, held "
                       f"{comparison.holding_days} sessions."))
    for side in ("buy", "sell"):
        r = t.loc[side]
        out.append(Finding(
            f"{_LABELS[side].capitalize()} vs the equal-weight universe: {m} alpha "
            f"{_alpha_text(r, 'vs_universe')}", verdict_from_p(r["vs_universe_p"], lvl),
            f"{_LABELS[side].capitalize()} minus the equal-weight portfolio of all priced "
            "stocks (what copying adds over holding everything)."))
    for side in ("buy", "sell"):
        r = t.loc[side]
        out.append(Finding(f"{_LABELS[side].capitalize()} portfolio: {m} alpha "
                           f"{_alpha_text(r, 'alpha')}", verdict_from_p(r["alpha_p"], lvl),
                           f"{r['covered']:,} of {r['trades']:,} trades priced; "
                           "alpha against the factor model only."))
    u = t.loc["universe"]
    out.append(Finding(f"The equal-weight priced universe itself: {m} alpha "
                       f"{_alpha_text(u, 'alpha')}", verdict_from_p(u["alpha_p"], lvl),
                       "The benchmark any copy strategy must beat; a buy alpha no larger than "
                       "this is not a skill of Congress."))
    if perf is not None and len(perf.table):
        pt = perf.table
        k = int(pt["significant"].sum())
        flagged = [str(p) for p in pt.loc[pt["significant"], "politician"]]
        out.append(Finding(
            f"{k} of {len(pt)} politicians have a {m} alpha significant after "
            f"Benjamini-Hochberg (q < {perf.level})",
            "significant" if k else "not significant",
            (f"Flagged: {', '.join(flagged[:5])}{' ...' if k > 5 else ''}. " if k else "")
            + f"Highest alpha {pt['politician'].iloc[0]} "
            f"{fmt(pt['alpha'].iloc[0], 'pct_signed')}/yr (q {fmt_p(pt['q'].iloc[0])}); lowest "
            f"{pt['politician'].iloc[-1]} {fmt(pt['alpha'].iloc[-1], 'pct_signed')}/yr "
            f"(q {fmt_p(pt['q'].iloc[-1])})."))
    return out
