"""The app factory: :func:`create_app` builds the FastAPI application for given settings.

Start-up (the lifespan) loads the universe and the champion model once, builds the predictor,
opens the API-key database, the cache (Redis when ``WORKBENCH_REDIS_URL`` is set) and the rate
limiter. Tests hand in settings (and, to save time, an already loaded universe); ``workbench
serve`` runs the same app under uvicorn. CORS is off unless origins are configured; the
interactive docs pages are off (they load scripts from a CDN); the OpenAPI schema is at
``/openapi.json``.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from fastapi import FastAPI

from workbench.api.cache import make_cache
from workbench.api.errors import QueryLimitMiddleware, install_error_handlers
from workbench.api.fastpath import CachedPredictionMiddleware
from workbench.api.keys import KeyStore
from workbench.api.ratelimit import TokenBucketLimiter
from workbench.api.routers import anomalies, health, politicians, predictions
from workbench.api.settings import ApiSettings
from workbench.api.state import StateHolder, build_state

__all__ = ["create_app"]

log = logging.getLogger("workbench.api")

DESCRIPTION = """Predictions, anomaly detection and politician performance from the
congressional-trading workbench. Every data endpoint needs an API key in the `X-API-Key`
header (`workbench api-key create`). Horizons are NYSE sessions, returns are log returns,
and only data up to the decision session's close is used."""


def create_app(settings: ApiSettings | None = None, *, universe=None, model=None,
               predictor_factory=None) -> FastAPI:
    """Build the service.

    Parameters
    ----------
    settings : ApiSettings, optional
        Default: read from the environment.
    universe : Universe, optional
        Serve this universe instead of loading ``settings.source`` (tests).
    model : ServingModel, optional
        Serve this model instead of loading the registry's champion (tests).
    predictor_factory : callable, optional
        ``(universe, model) -> (predictor, reason)``; default
        :func:`workbench.api.predictors.make_predictor` with ``settings.predictor`` (tests
        pass a small ensemble here).
    """
    settings = settings or ApiSettings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        cache = make_cache(settings)
        state = build_state(settings, universe=universe, model=model,
                            predictor_factory=predictor_factory)
        app.state.settings = settings
        app.state.cache = cache
        app.state.keys = KeyStore(settings.keys_path())
        app.state.limiter = TokenBucketLimiter(settings.rate, settings.burst)
        app.state.inflight = {}          # cache key -> future of a prediction being computed
        # misses are computed FIFO by a few dedicated threads (settings.miss_workers), not by
        # Starlette's 40-thread pool: CPU-bound threads share the GIL with the event loop
        app.state.miss_executor = (
            ThreadPoolExecutor(settings.miss_workers, thread_name_prefix="wb-miss")
            if settings.miss_workers else None)
        if settings.switch_interval is not None:    # see ApiSettings.switch_interval
            sys.setswitchinterval(settings.switch_interval)
        app.state.holder = StateHolder(
            settings, state, cache,
            rebuild=lambda u: build_state(settings, universe=u,
                                          predictor_factory=predictor_factory))
        log.info("serving %s with %s (%s); model %s", settings.source,
                 state.predictor.name, state.predictor_reason, state.model.reason)
        if settings.warm:
            threading.Thread(target=_warm, args=(state,), name="wb-warm", daemon=True).start()
        try:
            yield
        finally:
            app.state.holder.wait_rebuild(timeout=30)
            app.state.keys.close()
            cache.close()
            if app.state.miss_executor is not None:
                app.state.miss_executor.shutdown(wait=False, cancel_futures=True)

    app = FastAPI(title="workbench prediction service", description=DESCRIPTION,
                  version=_version(), lifespan=lifespan, docs_url=None, redoc_url=None,
                  redirect_slashes=False)       # a JSON API: 404 rather than a bare 307
    install_error_handlers(app)
    if settings.fast_path:
        app.add_middleware(CachedPredictionMiddleware, app_state=app.state)
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "POST"], allow_headers=["X-API-Key",
                                                                         "Content-Type"])
    app.add_middleware(QueryLimitMiddleware, max_length=settings.max_query_length,
                       max_body=settings.max_body_bytes)
    for module in (predictions, anomalies, politicians, health):
        app.include_router(module.router)
    return app


def _warm(state) -> None:
    """Compute the per-state tables the first requests would otherwise wait for."""
    for build in (politicians.performance_table, anomalies.anomaly_table):
        try:
            build(state)
        except Exception as exc:     # e.g. anomalies not installed: the endpoint says so
            log.info("warm-up of %s skipped: %s", build.__name__, exc)


def _version() -> str:
    from workbench import __version__

    return __version__
