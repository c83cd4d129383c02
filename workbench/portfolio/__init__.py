"""Allocation over the tickers a Congress signal selects: equal weight, mean-variance,
risk parity and a walk-forward policy-gradient agent, compared through the backtester."""

from __future__ import annotations

from workbench._lazy import lazy_getattr

_EXPORTS = {
    "equal_weights": "workbench.portfolio.allocation",
    "mean_variance_weights": "workbench.portfolio.allocation",
    "risk_parity_weights": "workbench.portfolio.allocation",
    "risk_contributions": "workbench.portfolio.allocation",
    "shrunk_covariance": "workbench.portfolio.allocation",
    "PolicyGradientAllocator": "workbench.portfolio.agent",
    "AllocationComparison": "workbench.portfolio.compare",
    "compare_allocations": "workbench.portfolio.compare",
    "METHODS": "workbench.portfolio.compare",
}

__all__ = sorted(_EXPORTS)

__getattr__ = lazy_getattr(__name__, _EXPORTS)
