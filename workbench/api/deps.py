"""Dependencies of the routers: the serving state, the cache, and the API-key check.

:func:`require_key` is the one gate of every data endpoint: 401 without a key (header
``X-API-Key``), 403 for an unknown, malformed or revoked key, 429 with ``Retry-After`` (whole
seconds, rounded up) when the key's token bucket is empty. The dependencies are ``async`` so
that they run on the event loop: the key lookup is one indexed SQLite read.
"""

from __future__ import annotations

import math

from fastapi import Depends, HTTPException, Request, Security
from fastapi.security import APIKeyHeader

from workbench.api.schemas import ErrorBody, ValidationErrorBody

__all__ = ["API_KEY_HEADER", "require_key", "get_holder", "get_state", "get_cache",
           "error_responses"]

API_KEY_HEADER = "X-API-Key"
_api_key = APIKeyHeader(name=API_KEY_HEADER, auto_error=False,
                        description="API key from `workbench api-key create`")


def error_responses(*codes: int) -> dict:
    """OpenAPI ``responses`` entries for the error codes a route can answer."""
    text = {400: "Malformed request body", 401: "Missing API key", 403: "Invalid or revoked API key",
            404: "Not found", 422: "Invalid parameter (named in detail and errors)",
            413: "Request body too large", 414: "Request URI too long",
            429: "Rate limit exceeded; see Retry-After", 503: "Temporarily unavailable"}
    out = {}
    for code in codes:
        entry = {"description": text[code],
                 "model": ValidationErrorBody if code == 422 else ErrorBody}
        if code == 429:
            entry["headers"] = {"Retry-After": {"description": "Seconds to wait",
                                                "schema": {"type": "integer"}}}
        out[code] = entry
    return out


async def get_holder(request: Request):
    return request.app.state.holder


async def get_state(holder=Depends(get_holder)):
    """The serving state for this request (checks the data/model epoch first)."""
    return holder.current()


async def get_cache(request: Request):
    return request.app.state.cache


async def require_key(request: Request, key: str | None = Security(_api_key)) -> str:
    """The id of a valid API key with a token left, else 401/403/429."""
    if not key:
        raise HTTPException(401, f"missing API key: send it in the {API_KEY_HEADER} header",
                            headers={"WWW-Authenticate": "ApiKey"})
    check = request.app.state.keys.verify(key)
    if check.status == "revoked":
        raise HTTPException(403, "API key revoked")
    if not check.ok:
        raise HTTPException(403, "invalid API key")
    allowed, wait = request.app.state.limiter.take(check.key_id)
    if not allowed:
        raise HTTPException(429, "rate limit exceeded for this API key",
                            headers={"Retry-After": str(max(1, math.ceil(wait)))})
    return check.key_id
