"""Factor attribution, calendar-time portfolios, event studies and politician performance."""

from workbench.factors.events import (
    DisclosureGapResult,
    EventStudyResult,
    disclosure_gap,
    event_study,
)
from workbench.factors.inputs import entry_sessions, to_returns, to_wide_prices
from workbench.factors.model import (
    MODELS,
    FactorResult,
    GroupComparison,
    compare_groups,
    fit_factor_model,
)
from workbench.factors.performance import PoliticianPerformance, politician_performance
from workbench.factors.portfolios import (
    GroupPortfolios,
    PortfolioResult,
    calendar_time_portfolio,
    group_portfolios,
)

__all__ = [
    "PoliticianPerformance", "politician_performance",
    "DisclosureGapResult", "EventStudyResult", "disclosure_gap", "event_study",
    "MODELS", "FactorResult", "GroupComparison", "compare_groups", "fit_factor_model",
    "entry_sessions", "to_returns", "to_wide_prices", "GroupPortfolios", "PortfolioResult",
    "calendar_time_portfolio", "group_portfolios",
]
