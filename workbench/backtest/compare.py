"""Strategy variants side by side, cost sensitivity, and selection-adjusted Sharpe ratios."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench import metrics
from workbench.backtest.engine import Backtester, BacktestResult
from workbench.factors.inputs import to_wide_prices

__all__ = ["StrategyComparison", "compare_strategies", "cost_sensitivity", "DEFAULT_VARIANTS"]

DEFAULT_VARIANTS = {
    "all buys": {"strategy": "all_buys"},
    "top-N bought": {"strategy": "top_n"},
    "long-short": {"strategy": "long_short"},
    "Democrat buys": {"strategy": "all_buys", "party": "Democrat"},
    "Republican buys": {"strategy": "all_buys", "party": "Republican"},
    "trader score": {"strategy": "trader_score"},
}


@dataclass(frozen=True)
class StrategyComparison:
    """Several backtests on the same data.

    Attributes
    ----------
    results : tuple of (name, BacktestResult)
    metrics : DataFrame
        One row per variant (:meth:`BacktestResult.summary`) plus ``dsr``: the deflated Sharpe
        ratio of each variant given that all ``len(results)`` variants were tried (Bailey and
        Lopez de Prado 2014; trial Sharpe variance from the variants themselves).
    """

    results: tuple
    metrics: pd.DataFrame

    def equity(self) -> pd.DataFrame:
        return pd.DataFrame({n: r.equity for n, r in self.results})

    def to_frame(self) -> pd.DataFrame:
        return self.metrics

    def summary(self) -> pd.DataFrame:
        return self.metrics


def compare_strategies(trades: pd.DataFrame, prices: pd.DataFrame, factors: pd.DataFrame,
                       variants: dict | None = None, **common) -> StrategyComparison:
    """Run each variant (``{name: Backtester params}``) with the ``common`` parameters.

    Sharpe ratios are computed from each variant's first session with a position; the DSR uses
    per-session Sharpe ratios and counts every variant as a trial.
    """
    variants = DEFAULT_VARIANTS if variants is None else variants
    levels = to_wide_prices(prices)
    results: list[tuple[str, BacktestResult]] = []
    for name, params in variants.items():
        bt = Backtester(**(common | params)).fit(trades, levels, factors)
        results.append((name, bt.result_))
    rows = {n: r.summary() for n, r in results}
    table = pd.DataFrame(rows).T
    active = {}
    for n, r in results:
        start = (r.n_holdings > 0).idxmax()
        active[n] = r.returns.loc[start:]
    sr = np.array([a.mean() / a.std(ddof=1) if len(a) > 2 else np.nan for a in active.values()])
    var = float(np.nanvar(sr, ddof=1)) if np.sum(~np.isnan(sr)) > 1 else 0.0
    table["dsr"] = [metrics.deflated_sharpe_ratio(a, max(len(results), 1), sr_variance=var)
                    for a in active.values()]
    return StrategyComparison(tuple(results), table)


def cost_sensitivity(trades: pd.DataFrame, prices: pd.DataFrame, factors: pd.DataFrame,
                     costs_bps=(0, 5, 10, 25, 50, 100), **params) -> pd.DataFrame:
    """Net performance of one strategy as the one-way cost (bps, slippage included) grows."""
    levels = to_wide_prices(prices)
    params = params | {"slippage_bps": 0.0}
    rows = []
    for c in costs_bps:
        r = Backtester(**(params | {"cost_bps": float(c)})).fit(trades, levels, factors).result_
        s = r.summary()
        rows.append({"cost_bps": c, "cagr": s["cagr"], "sharpe": s["sharpe"],
                     "ff5_alpha": s["ff5_alpha"], "max_drawdown": s["max_drawdown"],
                     "total_cost": s["total_cost"], "annual_turnover": s["annual_turnover"]})
    return pd.DataFrame(rows)
