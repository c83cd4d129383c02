"""Cycles in trade activity and returns: spectral detection with significance, seasonal
decomposition, calendar effects and forecasts (harmonic and Prophet)."""

from workbench.cycles.activity import cycles_by_group, trade_activity
from workbench.cycles.calendar import (
    CalendarEffects,
    DeadlineEffect,
    calendar_features,
    estimate_calendar_effects,
    estimate_deadline_effect,
    recess_days,
)
from workbench.cycles.decomposition import (
    CycleForecast,
    Decomposition,
    decompose_seasonal,
    forecast_cycles,
)
from workbench.cycles.prophet import ProphetForecast, forecast_prophet, market_holidays
from workbench.cycles.spectral import CALENDAR_PERIODS, CycleResult, calendar_label, detect_cycles

__all__ = [
    "CALENDAR_PERIODS", "CalendarEffects", "CycleForecast", "CycleResult", "DeadlineEffect",
    "Decomposition", "ProphetForecast", "calendar_features", "calendar_label", "cycles_by_group",
    "decompose_seasonal", "detect_cycles", "estimate_calendar_effects",
    "estimate_deadline_effect", "forecast_cycles", "forecast_prophet", "market_holidays",
    "recess_days", "trade_activity",
]
