"""Walk-forward backtests of copy-Congress strategies with transaction costs."""

from workbench.backtest.compare import (
    DEFAULT_VARIANTS,
    StrategyComparison,
    compare_strategies,
    cost_sensitivity,
)
from workbench.backtest.engine import Backtester, BacktestResult, run_backtest, simulate
from workbench.backtest.signals import STRATEGIES, trader_scores

__all__ = ["DEFAULT_VARIANTS", "StrategyComparison", "compare_strategies", "cost_sensitivity",
           "BacktestResult", "Backtester", "run_backtest", "simulate", "STRATEGIES",
           "trader_scores"]
