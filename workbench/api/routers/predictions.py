"""``GET /predictions/{ticker}``: the ensemble's prediction for a ticker, cached.

The decision session is the last NYSE session of the price history on or before ``as_of``
(default: the last one); the predictor sees data up to its close only, and the answer names
that session (so two dates that fall on the same session share one answer). Answers are
cached by (epoch, model version, ticker, horizon, decision session); ``X-Cache: hit|miss``
says which. Concurrent misses of one key are computed once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from workbench.api.cache import prediction_key
from workbench.api.deps import error_responses, require_key
from workbench.api.predictors import NoPriceHistory
from workbench.api.schemas import TICKER_PATTERN, Horizon, PredictionResponse, json_safe
from workbench.data.sources.price_formats import normalize_ticker

__all__ = ["router", "build_prediction"]

router = APIRouter(tags=["predictions"])

EARLIEST = dt.date(1970, 1, 2)      # the NYSE calendar the project uses starts here


def _direction(p: dict) -> str:
    probs = {"up": p["prob_up"], "flat": p["prob_flat"], "down": p["prob_down"]}
    return max(probs, key=probs.get)


def build_prediction(state, ticker: str, horizon: Horizon, pos: int) -> bytes:
    """Run the predictor and serialize the validated answer (what the cache stores)."""
    raw = state.predictor.predict(ticker, horizon.sessions, pos)
    if not getattr(state.predictor, "json_safe_output", False):
        raw = json_safe(raw)
    body = {
        "ticker": ticker, "as_of": state.sessions[pos].date(),
        "horizon": horizon, "horizon_sessions": horizon.sessions,
        "prediction": {k: raw[k] for k in ("expected_return", "volatility", "prob_up",
                                           "prob_flat", "prob_down")}
        | {"direction": raw.get("direction") or _direction(raw)},
        "confidence": raw["confidence"],
        **{k: raw.get(k) for k in ("attribution", "intercept", "weights", "members",
                                   "insights", "summary", "similar_patterns",
                                   "current_regime", "factors", "anomaly_score",
                                   "politician_activity", "gamma_exposure",
                                   "registry_forecast", "meta") if raw.get(k) is not None},
        "predictor": state.predictor.name, "model": state.model.describe(),
    }
    return PredictionResponse.model_validate(body).model_dump_json().encode()


@router.get("/predictions/{ticker}", response_model=PredictionResponse,
            responses=error_responses(401, 403, 404, 414, 422, 429),
            summary="Prediction, confidence and context for one ticker")
async def get_prediction(
        request: Request,
        ticker: Annotated[str, Path(pattern=TICKER_PATTERN, max_length=12,
                                    description="Ticker symbol, e.g. AAPL or BRK.B")],
        horizon: Annotated[Horizon, Query(description="Horizon in sessions")] = Horizon.d7,
        as_of: Annotated[dt.date | None, Query(
            description="Decision date (YYYY-MM-DD); default the last session")] = None,
        key_id: str = Depends(require_key)) -> Response:
    # the state and cache come from the app directly: each FastAPI dependency costs tens of
    # microseconds per request, a large share of a cached answer
    state = request.app.state.holder.current()
    cache = request.app.state.cache
    t = normalize_ticker(ticker)
    if t not in state.tickers:
        raise HTTPException(404, "unknown ticker")
    if t not in state.priced:
        raise HTTPException(404, "no price history for this ticker")
    if as_of is not None and as_of < EARLIEST:
        raise _field_error("as_of", "before 1970-01-02")
    pos = state.decision_pos(as_of)
    if pos < 0:
        first = state.sessions[0].date().isoformat()
        raise _field_error("as_of", f"before the first session of the price history ({first})")
    key = prediction_key(state.epoch, state.model.label, t, horizon.sessions,
                         state.days[pos])
    body = cache.get(key)
    if body is not None:
        return Response(body, media_type="application/json", headers={"X-Cache": "hit"})
    try:
        body = await _single_flight(request.app.state, key, cache, state, t, horizon, pos)
    except NoPriceHistory:
        raise _field_error("as_of", f"no price history for {t} up to this date") from None
    return Response(body, media_type="application/json", headers={"X-Cache": "miss"})


async def _single_flight(app_state, key: str, cache, state, ticker: str,
                         horizon: Horizon, pos: int) -> bytes:
    """Compute a missing prediction once however many requests ask for it meanwhile.

    The first request runs the predictor on the event loop (:func:`_inline`, by default every
    miss), else in the app's miss executor (a few dedicated threads, first in first out;
    Starlette's thread pool when there is none), and caches the body;
    concurrent requests for the same key wait for that result (they are answered as misses:
    they were not served from the cache). A failure reaches every waiter.
    """
    inflight = app_state.inflight
    fut = inflight.get(key)
    if fut is not None:
        try:
            return await asyncio.shield(fut)
        except asyncio.CancelledError:
            if not fut.cancelled():      # this request itself was cancelled
                raise
            # the computing request was cancelled: compute here instead
            return await _single_flight(app_state, key, cache, state, ticker, horizon, pos)
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    inflight[key] = fut
    try:
        executor = getattr(app_state, "miss_executor", None)
        if _inline(app_state, state, horizon, pos):
            body = build_prediction(state, ticker, horizon, pos)
        elif executor is None:
            body = await run_in_threadpool(build_prediction, state, ticker, horizon, pos)
        else:
            body = await loop.run_in_executor(executor, build_prediction, state, ticker,
                                              horizon, pos)
    except Exception as exc:
        fut.set_exception(exc)
        fut.exception()        # retrieved: no "never retrieved" warning without waiters
        raise
    except BaseException:
        fut.cancel()
        raise
    else:
        cache.set(key, body)
        fut.set_result(body)
        return body
    finally:
        inflight.pop(key, None)


def _inline(app_state, state, horizon: Horizon, pos: int) -> bool:
    """Compute this miss on the event loop (``ApiSettings.inline_misses``): ``all`` always,
    ``scored`` when the predictor answers it from its batch-scored members, ``none`` never."""
    settings = getattr(app_state, "settings", None)
    mode = getattr(settings, "inline_misses", "none") if settings is not None else "none"
    if mode == "all":
        return True
    if mode != "scored":
        return False
    scored = getattr(state.predictor, "is_scored", None)
    return bool(scored and scored(horizon.sessions, pos))


def _field_error(field: str, message: str):
    """A 422 in the shape of validation errors (raised by the router, not by pydantic)."""
    from fastapi.exceptions import RequestValidationError

    return RequestValidationError([{"loc": ("query", field), "msg": message,
                                    "type": "value_error"}])
