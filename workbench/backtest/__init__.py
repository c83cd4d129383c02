"""Walk-forward backtests of copy-Congress strategies with transaction costs."""

from workbench.backtest.engine import Backtester, BacktestResult, run_backtest, simulate
from workbench.backtest.signals import STRATEGIES, trader_scores

__all__ = ["BacktestResult", "Backtester", "run_backtest", "simulate", "STRATEGIES",
           "trader_scores"]
