"""Allocation over the tickers a Congress signal selects, compared through the backtester.

Selection (disclosure-dated): at each rebalancing close the candidates are the ``top_n``
tickers most bought by disclosed dollar amount over the last ``signal_lookback`` sessions
(:func:`workbench.backtest.signals.top_n_targets`, entry at the first session after each
disclosure). Every ``rebalance`` sessions each method sets weights over the candidates from
the trailing ``lookback`` sessions of returns; between rebalancing dates the holdings drift
with prices (no trading). The daily target weights go through
:func:`workbench.backtest.engine.simulate` with costs and slippage on turnover and come back
as :class:`~workbench.backtest.engine.BacktestResult` objects, so every method is measured
exactly like the copy-Congress strategies.

Methods: ``equal`` weight, ``mean_variance`` and ``risk_parity``
(:mod:`workbench.portfolio.allocation`), and the walk-forward ``agent``
(:class:`~workbench.portfolio.agent.PolicyGradientAllocator`). The deflated Sharpe ratio
counts all methods (and any agent variants) as trials.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench import metrics
from workbench.backtest.engine import BacktestResult, simulate
from workbench.backtest.signals import top_n_targets
from workbench.factors.inputs import to_wide_prices
from workbench.portfolio.agent import PolicyGradientAllocator
from workbench.portfolio.allocation import (
    equal_weights,
    mean_variance_weights,
    risk_parity_weights,
    shrunk_covariance,
)

__all__ = ["METHODS", "AllocationComparison", "compare_allocations", "drifted_targets"]

METHODS = ("equal", "mean_variance", "risk_parity", "agent")


def drifted_targets(decisions: dict[int, np.ndarray], returns: np.ndarray) -> np.ndarray:
    """Daily targets: set at decision rows, drifting with returns in between (no trades)."""
    R = np.nan_to_num(returns)
    W = np.zeros_like(R)
    current = np.zeros(R.shape[1])
    for t in range(len(R)):
        if t in decisions:
            current = decisions[t].copy()
        elif current.any():
            grown = current * (1.0 + R[t])
            s = grown.sum()
            current = grown / s if s > 0 else np.zeros_like(current)
        W[t] = current
    return W


@dataclass(frozen=True)
class AllocationComparison:
    """Backtests of each allocation method over the same selections and costs.

    Attributes
    ----------
    results : dict
        ``method -> BacktestResult``.
    metrics : DataFrame
        One row per method: the backtester's summary plus ``dsr`` (deflated Sharpe ratio,
        ``n_trials`` = methods + extra variants) and ``diff_vs_equal_p`` (one-sided HAC test
        that the method's daily net return exceeds equal weight's).
    n_trials : int
    params : dict
    """

    results: dict
    metrics: pd.DataFrame
    n_trials: int
    params: dict

    def equity(self) -> pd.DataFrame:
        return pd.DataFrame({k: r.equity for k, r in self.results.items()})

    def to_frame(self) -> pd.DataFrame:
        return self.metrics

    def summary(self) -> pd.DataFrame:
        return self.metrics[["sharpe", "cagr", "volatility", "max_drawdown", "annual_turnover",
                             "dsr", "diff_vs_equal_p"]]

    def findings(self) -> list:
        from workbench.reports.findings import Finding

        m = self.metrics
        out = []
        for name in ("agent", "mean_variance", "risk_parity"):
            if name not in m.index:
                continue
            r, e = m.loc[name], m.loc["equal"]
            better = r["diff_vs_equal_p"] < 0.05
            out.append(Finding(
                f"{name.replace('_', '-')} allocation: Sharpe {r['sharpe']:.2f} vs equal weight "
                f"{e['sharpe']:.2f} after costs; deflated Sharpe {r['dsr']:.2f}",
                "beats baseline" if better else "does not beat baseline",
                f"One-sided HAC test of the daily return difference p = "
                f"{r['diff_vs_equal_p']:.3g}; DSR counts {self.n_trials} variants."))
        return out


def _selection(trades, levels, top_n, signal_lookback) -> np.ndarray:
    return top_n_targets(trades, levels, top_n=top_n, lookback_days=signal_lookback) > 0


def compare_allocations(trades: pd.DataFrame, prices: pd.DataFrame,
                        factors: pd.DataFrame | None = None, *, top_n: int = 10,
                        signal_lookback: int = 63, rebalance: int = 21, lookback: int = 126,
                        cost_bps: float = 10.0, slippage_bps: float = 5.0,
                        agent: PolicyGradientAllocator | None = None,
                        extra_trials: int = 0, random_state: int = 0) -> AllocationComparison:
    """Backtest equal, mean-variance, risk-parity and agent allocations (see module notes).

    Parameters
    ----------
    trades, prices, factors
        The universe's tables (factors give the market benchmark; optional).
    top_n, signal_lookback : int
        Selection: the ``top_n`` most bought tickers over ``signal_lookback`` sessions.
    rebalance, lookback : int
        Sessions between rebalancing; sessions of returns each rule estimates from.
    cost_bps, slippage_bps : float
        Charged on one-way turnover.
    agent : PolicyGradientAllocator, optional
        Default ``PolicyGradientAllocator(hold=rebalance, random_state=random_state)``.
    extra_trials : int
        Variants tried beyond these four (for the deflated Sharpe ratio).
    """
    levels = to_wide_prices(prices)
    returns = levels.pct_change(fill_method=None)
    R = returns.to_numpy()
    priced = levels.notna().to_numpy()
    sel = _selection(trades, levels, top_n, signal_lookback) & priced
    rows = np.arange(lookback, len(levels), rebalance)
    rows = rows[sel[rows].any(axis=1)]
    decisions: dict[str, dict[int, np.ndarray]] = {m: {} for m in METHODS}
    cols = levels.columns
    for t in rows:
        names = cols[sel[t]]
        window = returns.iloc[t - lookback + 1: t + 1][names]
        window = window.loc[:, window.notna().mean() > 0.8]
        if window.shape[1] == 0:
            continue
        idx = cols.get_indexer(window.columns)
        for m, w in (("equal", equal_weights(window.columns)),
                     ("mean_variance", mean_variance_weights(window)),
                     ("risk_parity", risk_parity_weights(shrunk_covariance(window)))):
            vec = np.zeros(len(cols))
            vec[idx] = w.to_numpy()
            decisions[m][int(t)] = vec
    agent = agent or PolicyGradientAllocator(hold=rebalance, random_state=random_state)
    agent_rows = np.array(sorted(decisions["equal"]), dtype=int)
    if len(agent_rows):
        allowed = np.zeros_like(sel)
        for t, vec in decisions["equal"].items():
            allowed[t] = vec > 0
        W = agent.allocate(R, allowed, agent_rows)
        decisions["agent"] = {int(t): W[i] for i, t in enumerate(agent_rows)}
    bench = (factors.reindex(levels.index)["Mkt-RF"] + factors.reindex(levels.index)["RF"]
             if factors is not None else returns.mean(axis=1)).rename("benchmark")
    results = {}
    idx = levels.index
    for m in METHODS:
        W = drifted_targets(decisions[m], R)
        sim = simulate(W, R, cost_bps, slippage_bps)
        results[m] = BacktestResult(
            returns=pd.Series(sim["net"], idx, name="net"),
            gross_returns=pd.Series(sim["gross"], idx, name="gross"),
            costs=pd.Series(sim["cost"], idx, name="cost"),
            turnover=pd.Series(sim["turnover"], idx, name="turnover"),
            equity=pd.Series(sim["equity"], idx, name="equity"), benchmark=bench,
            weights=pd.DataFrame(W, index=idx, columns=cols),
            n_holdings=pd.Series((W > 0).sum(axis=1), idx, name="n_holdings"),
            strategy=m, params={"top_n": top_n, "rebalance": rebalance}, factors=factors)
    return _compare(results, extra_trials, {"top_n": top_n, "signal_lookback": signal_lookback,
                                            "rebalance": rebalance, "lookback": lookback,
                                            "cost_bps": cost_bps, "slippage_bps": slippage_bps})


def _compare(results: dict, extra_trials: int, params: dict) -> AllocationComparison:
    from workbench.forecast.evaluation import diebold_mariano

    # a common start: the first session any method holds something
    start = min(r.n_holdings.gt(0).idxmax() for r in results.values())
    rows = {}
    sharpes = {}
    for m, r in results.items():
        s = r.summary()
        rows[m] = s
        x = r.returns.loc[start:]
        sharpes[m] = float(x.mean() / x.std(ddof=1)) if x.std(ddof=1) > 0 else 0.0
    n_trials = len(results) + int(extra_trials)
    table = pd.DataFrame(rows).T
    eq = results["equal"].returns.loc[start:]
    dsr, pvals = {}, {}
    for m, r in results.items():
        x = r.returns.loc[start:]
        dsr[m] = metrics.deflated_sharpe_ratio(x, n_trials=n_trials,
                                               trial_sharpes=list(sharpes.values()))
        pvals[m] = (np.nan if m == "equal" else
                    diebold_mariano(-x.to_numpy(), -eq.to_numpy(), None, 1).p_value)
    table["dsr"] = pd.Series(dsr)
    table["diff_vs_equal_p"] = pd.Series(pvals)
    table = table.drop(columns=["strategy"])
    for c in table.columns:
        if c != "start":
            table[c] = pd.to_numeric(table[c], errors="coerce")
    return AllocationComparison(results=results, metrics=table, n_trials=n_trials,
                                params=params)
