"""Performance metrics as pure functions (empyrical style) and Sharpe-ratio inference."""

from workbench.metrics.returns import (
    DAILY,
    annual_return,
    annual_volatility,
    beta,
    cagr,
    calmar_ratio,
    cum_returns,
    downside_risk,
    drawdown,
    ff5_alpha,
    hit_rate,
    max_drawdown,
    sharpe_ratio,
    sortino_ratio,
    win_rate,
)
from workbench.metrics.sharpe import (
    deflated_sharpe_ratio,
    expected_max_sharpe,
    probabilistic_sharpe_ratio,
    psr_from_stats,
)

__all__ = [
    "DAILY", "annual_return", "annual_volatility", "beta", "cagr", "calmar_ratio",
    "cum_returns", "downside_risk", "drawdown", "ff5_alpha", "hit_rate", "max_drawdown",
    "sharpe_ratio", "sortino_ratio", "win_rate", "deflated_sharpe_ratio",
    "expected_max_sharpe", "probabilistic_sharpe_ratio", "psr_from_stats",
]
