"""Findings of the backtest report: does any copy-Congress variant beat its benchmark once
costs and the number of variants tried are accounted for?

Every variant trades only on disclosed information (entry at the first close after the
disclosure date, see :mod:`workbench.backtest.engine`). Two tests per variant:

- excess return over the benchmark (market: Mkt-RF + RF), the annualized mean of the daily net
  return minus the benchmark's, with a Newey-West (HAC) interval;
- the deflated Sharpe ratio (Bailey and Lopez de Prado 2014), the probability that the Sharpe
  ratio is above zero after accounting for every variant tried; 0.95 is the usual bar.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from workbench.reports.findings import Finding, verdict_from_ci
from workbench.reports.formatting import fmt, fmt_interval, fmt_p

__all__ = ["excess_return", "excess_table", "backtest_findings", "DSR_BAR"]

DSR_BAR = 0.95


def excess_return(result, periods_per_year: int = 252, confidence: float = 0.95) -> dict:
    """Annualized mean of (net return - benchmark) from the first session with a position.

    Returns ``excess, excess_low, excess_high, excess_p`` (HAC, Newey-West lags by the usual
    ``floor(4 (T/100)^(2/9))`` rule; decimals per year).
    """
    from workbench.factors.model import default_hac_lags

    active = result.n_holdings > 0
    start = active.idxmax() if active.any() else result.returns.index[-1]
    d = (result.returns.loc[start:] - result.benchmark.reindex(result.returns.loc[start:].index)
         ).dropna()
    if len(d) < 10:
        return dict.fromkeys(("excess", "excess_low", "excess_high", "excess_p"), np.nan)
    fit = sm.OLS(d.to_numpy(), np.ones((len(d), 1))).fit(
        cov_type="HAC", cov_kwds={"maxlags": default_hac_lags(len(d))})
    z = stats.norm.ppf(0.5 + confidence / 2)
    m, se = float(fit.params[0]) * periods_per_year, float(fit.bse[0]) * periods_per_year
    return {"excess": m, "excess_low": m - z * se, "excess_high": m + z * se,
            "excess_p": float(fit.pvalues[0])}


def excess_table(comparison) -> pd.DataFrame:
    """``comparison.metrics`` with the excess-return columns of :func:`excess_return`."""
    rows = {name: excess_return(r) for name, r in comparison.results}
    return comparison.metrics.join(pd.DataFrame(rows).T)


def backtest_findings(comparison, costs: pd.DataFrame | None = None) -> list[Finding]:
    """Findings of the backtest report (most important first)."""
    t = excess_table(comparison)
    out = []
    best = t["dsr"].astype(float).idxmax()
    survivors = t.index[t["dsr"].astype(float) >= DSR_BAR].tolist()
    out.append(Finding(
        (f"{len(survivors)} of {len(t)} variants survive deflation" if survivors else
         f"No variant survives deflation: best deflated Sharpe ratio "
         f"{fmt(t.loc[best, 'dsr'], 'num2')} ({best})"),
        "significant" if survivors else "not significant",
        f"Deflated Sharpe ratio across the {len(t)} variants tried; a variant survives at "
        f"{DSR_BAR}. " + (f"Surviving: {', '.join(survivors)}." if survivors else "")))
    for name, row in t.iterrows():
        out.append(Finding(
            f"{name}: {fmt(row['cagr'], 'pct_signed')}/yr net of costs; excess over the market "
            f"{fmt(row['excess'], 'pct_signed')}/yr "
            f"{fmt_interval(row['excess_low'], row['excess_high'])}, p {fmt_p(row['excess_p'])}",
            verdict_from_ci(row["excess_low"], row["excess_high"]),
            f"Sharpe {fmt(row['sharpe'], 'num2')}, max drawdown "
            f"{fmt(row['max_drawdown'], 'pct')}, from {fmt(row['start'], 'date')}; market "
            f"{fmt(row['benchmark_cagr'], 'pct_signed')}/yr over the same sessions."))
    if costs is not None and len(costs):
        hi = costs.iloc[-1]
        lo = costs.iloc[0]
        out.append(Finding(
            f"Costs: all disclosed buys return {fmt(lo['cagr'], 'pct_signed')}/yr at "
            f"{fmt(lo['cost_bps'], 'int')} bps and {fmt(hi['cagr'], 'pct_signed')}/yr at "
            f"{fmt(hi['cost_bps'], 'int')} bps one-way", "info",
            f"Annual turnover {fmt(lo['annual_turnover'], 'num1')}x equity."))
    return out
