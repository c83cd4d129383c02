"""Request and response models: they define the OpenAPI schema of the service.

The prediction body mirrors ``workbench.ensemble``'s ``EnsemblePrediction.to_dict()`` (the
names of the seed's response: prediction, confidence, similar_patterns, current_regime,
factors, anomaly_score, politician_activity, gamma_exposure). Returns are log returns over the
horizon; horizons are NYSE sessions; dates are ISO ``YYYY-MM-DD``.
"""

from __future__ import annotations

import datetime as dt
import math
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

__all__ = ["Horizon", "TICKER_PATTERN", "BIOGUIDE_PATTERN", "ErrorBody", "FieldError",
           "ValidationErrorBody", "MemberOut", "PredictionOut", "ModelInfo",
           "PoliticianActivity", "PredictionResponse", "AnalogOut", "RegimeOut", "AnomalyRequest", "AnomalyOut",
           "AnomalySummary", "AnomalyResponse", "PerformanceOut", "PoliticianResponse",
           "HealthResponse", "json_safe"]

TICKER_PATTERN = r"^[A-Za-z][A-Za-z0-9]{0,7}([.\-/][A-Za-z0-9]{1,2})?$"
BIOGUIDE_PATTERN = r"^[A-Z][0-9]{6}$"


def json_safe(value):
    """Plain JSON values: NaN/inf -> None, numpy scalars -> Python, dates -> ISO strings."""
    tp = type(value)
    if tp is str or tp is int or tp is bool or value is None:    # most leaves: no checks
        return value
    if tp is float:
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        try:
            value = value.item()
        except (ValueError, TypeError):
            return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value == value.replace(hour=0, minute=0, second=0,
                                                                  microsecond=0) \
            else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class Horizon(StrEnum):
    """Forecast horizon in NYSE sessions."""

    d7 = "7d"
    d30 = "30d"
    d90 = "90d"

    @property
    def sessions(self) -> int:
        return int(self.value[:-1])


class ErrorBody(BaseModel):
    detail: str = Field(description="What went wrong, for people")


class FieldError(BaseModel):
    field: str = Field(description="Name of the offending field")
    location: str = Field(description="path, query, header or body")
    message: str


class ValidationErrorBody(BaseModel):
    detail: str = Field(description="One line naming the offending field(s)")
    errors: list[FieldError]


class MemberOut(BaseModel):
    name: str
    value: float | None = Field(description="Member's forecast log return over the horizon")
    uncertainty: float | None = Field(description="Its standard deviation")
    status: str = Field(description="ok, unavailable or failed")
    reason: str
    details: dict[str, Any] = Field(default_factory=dict,
                                    description="The numbers the reason quotes")


class PredictionOut(BaseModel):
    expected_return: float = Field(description="Expected log return over the horizon")
    volatility: float = Field(description="Standard deviation of that log return")
    prob_up: float = Field(ge=0, le=1)
    prob_flat: float = Field(ge=0, le=1)
    prob_down: float = Field(ge=0, le=1)
    direction: Literal["up", "flat", "down"]


class AnalogOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    rank: int
    ticker: str
    start: dt.date | None = None
    end: dt.date | None = None
    distance: float | None = None
    outcome: float | None = Field(None, description="Log return after the analog's end")


class RegimeOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    name: str | None = None
    probability: float | None = None
    probabilities: dict[str, float | None] = Field(default_factory=dict)


class ModelInfo(BaseModel):
    name: str
    version: str | None
    source: str = Field(description="registry:champion, registry:latest or none")
    reason: str
    run_id: str | None = None
    horizon: int | None = Field(None, description="The deep model's own horizon, sessions")
    window: int | None = None
    architecture: str | None = None


class PoliticianActivity(BaseModel):
    model_config = ConfigDict(extra="allow")
    window_sessions: int
    n_trades: int
    n_buys: int
    n_sells: int
    n_politicians: int
    buy_amount: float | None = Field(description="Sum of amount midpoints, USD")
    sell_amount: float | None
    last_disclosure: dt.date | None
    top_politicians: list[dict[str, Any]]
    date_rule: str


class PredictionResponse(BaseModel):
    ticker: str
    as_of: dt.date = Field(description="Decision session: the last session on or before the "
                                       "requested as_of; data up to its close only")
    horizon: Horizon
    horizon_sessions: int
    prediction: PredictionOut
    confidence: float = Field(ge=0, le=1)
    attribution: dict[str, float | None]
    intercept: float | None = Field(None, description="expected_return = intercept + "
                                                     "sum(attribution)")
    weights: dict[str, float | None] = Field(default_factory=dict)
    members: list[MemberOut]
    insights: list[str]
    summary: dict[str, Any] | None = None
    similar_patterns: list[AnalogOut] | None = Field(None, description="DTW analogs")
    current_regime: RegimeOut | None = None
    factors: dict[str, Any] | None = None
    anomaly_score: float | None = None
    politician_activity: PoliticianActivity | None = None
    gamma_exposure: dict[str, Any] | None = None
    registry_forecast: MemberOut | None = Field(
        None, description="The registry champion's own forecast (reported, not stacked)")
    meta: dict[str, Any] | None = Field(None, description="Meta-learner status, ECE, "
                                                          "temperature, training size")
    predictor: str = Field(description="ensemble, or forecast (fallback)")
    model: ModelInfo


class AnomalyRequest(BaseModel):
    """Trades disclosed between ``start`` and ``end`` (inclusive), scored for anomalies."""

    model_config = ConfigDict(extra="forbid")
    start: dt.date = Field(description="First disclosure date")
    end: dt.date = Field(description="Last disclosure date (inclusive)")
    limit: int = Field(50, ge=1, le=500, description="Most anomalous trades returned")
    flagged_only: bool = Field(False, description="Only trades over the detector's threshold")
    ticker: str | None = Field(None, pattern=TICKER_PATTERN, max_length=12)
    bioguide_id: str | None = Field(None, pattern=BIOGUIDE_PATTERN)

    @field_validator("end")
    @classmethod
    def _ordered(cls, end: dt.date, info: ValidationInfo) -> dt.date:
        start = info.data.get("start")
        if start is not None and end < start:
            raise ValueError("end must not be before start")
        return end


class AnomalyOut(BaseModel):
    trade_id: str
    politician: str | None
    bioguide_id: str | None
    ticker: str | None
    side: str | None
    transaction_date: dt.date | None
    disclosure_date: dt.date | None
    amount_mid: float | None
    score: float
    rank: int = Field(description="1 = most anomalous of all scored trades")
    flagged: bool
    kind: str | None
    explanation: str | None


class AnomalySummary(BaseModel):
    start: dt.date
    end: dt.date
    date_field: str = "disclosure_date"
    n_trades: int = Field(description="Trades disclosed in the range that were scored")
    n_flagged: int
    flag_rate: float | None
    n_returned: int
    kinds: dict[str, int] = Field(description="Flagged trades per kind guess")
    detector: str
    threshold: float | None = Field(description="The detector's flagging threshold")
    summary: str


class AnomalyResponse(BaseModel):
    summary: AnomalySummary
    anomalies: list[AnomalyOut]


class PerformanceOut(BaseModel):
    model: str
    holding_days: int
    entry: str
    side: str
    n_covered: int
    active_days: int
    excess_return: float | None = Field(description="Annualized, over the market")
    alpha: float | None = Field(description="Annualized factor alpha")
    alpha_se: float | None
    alpha_low: float | None = Field(description="95% interval, normal approximation")
    alpha_high: float | None
    alpha_t: float | None
    p: float | None
    q: float | None = Field(description="Adjusted across all politicians")
    significant: bool


class PoliticianResponse(BaseModel):
    bioguide_id: str
    politician: str
    party: str | None
    chamber: str | None
    state: str | None
    n_trades: int
    n_buys: int
    n_sells: int
    first_disclosure: dt.date | None
    last_disclosure: dt.date | None
    performance: PerformanceOut | None
    verdict: str
    date_rule: str


class HealthResponse(BaseModel):
    status: Literal["ok", "degraded"]
    model: ModelInfo
    predictor: str
    predictor_reason: str
    data: dict[str, Any]
    cache: dict[str, Any]
    state_built_seconds: float
    swaps: int
    last_error: str | None
