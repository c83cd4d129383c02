"""The prediction and anomaly service: FastAPI app, served by uvicorn (``workbench serve``).

Layers: :mod:`~workbench.api.settings` (``ApiSettings``, from the environment) ->
:mod:`~workbench.api.serving` (the registry's champion model, ONNX) and
:mod:`~workbench.api.predictors` (the ``Predictor`` protocol: the ensemble, or the forecast
fallback) -> :mod:`~workbench.api.state` (what one process serves, and its epoch) ->
:mod:`~workbench.api.keys` (hashed API keys), :mod:`~workbench.api.ratelimit` (token buckets),
:mod:`~workbench.api.cache` (in-process LRU or Redis) -> :mod:`~workbench.api.routers` (one per
resource) -> :mod:`~workbench.api.app` (``create_app``) and :mod:`~workbench.api.commands`
(``workbench serve``, ``workbench api-key``).

Names are imported lazily: ``import workbench.api`` does not import FastAPI.
"""

from __future__ import annotations

from workbench._lazy import lazy_getattr

_EXPORTS = {
    "create_app": "workbench.api.app",
    "ApiSettings": "workbench.api.settings",
    "KeyStore": "workbench.api.keys",
    "TokenBucketLimiter": "workbench.api.ratelimit",
    "MemoryCache": "workbench.api.cache",
    "RedisCache": "workbench.api.cache",
    "Predictor": "workbench.api.predictors",
    "ForecastPredictor": "workbench.api.predictors",
    "EnsemblePredictor": "workbench.api.predictors",
    "ServingModel": "workbench.api.serving",
    "load_serving_model": "workbench.api.serving",
    "build_state": "workbench.api.state",
}

__all__ = sorted(_EXPORTS)

__getattr__ = lazy_getattr(__name__, _EXPORTS)
