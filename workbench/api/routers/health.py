"""``GET /health``: which model serves (and why), the data epoch, the cache. No key needed."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, Request

from workbench.api.deps import get_holder
from workbench.api.schemas import HealthResponse

__all__ = ["router"]

router = APIRouter(tags=["service"])


@router.get("/health", response_model=HealthResponse, summary="Service, model and data status")
async def health(request: Request, holder=Depends(get_holder)) -> dict:
    state = holder.current()
    cache = request.app.state.cache
    src = holder.settings.source
    sessions = state.sessions
    cache_ok = cache.ping()
    degraded = (not cache_ok) or holder.last_error is not None
    return {
        "status": "degraded" if degraded else "ok",
        "model": state.model.describe(),
        "predictor": state.predictor.name,
        "predictor_reason": state.predictor_reason,
        "data": {"source": "synthetic" if src == "synthetic" else Path(src).name,
                 "epoch": state.data_epoch, "tickers": len(state.priced),
                 "trades": int(len(state.universe.trades)),
                 "first_session": sessions[0].date().isoformat() if len(sessions) else None,
                 "last_session": sessions[-1].date().isoformat() if len(sessions) else None},
        "cache": {**cache.stats(), "reachable": cache_ok},
        "state_built_seconds": round(state.build_seconds, 3),
        "swaps": holder.swaps,
        "last_error": holder.last_error,
    }
