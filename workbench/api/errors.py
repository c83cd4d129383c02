"""Error answers: every error is JSON with a ``detail`` line, and no traceback leaves the server.

- validation errors: 422 naming each offending field (never echoing the input back);
- HTTP errors raised by the routers (401, 403, 404, 429, 503, ...): their status, headers and
  message;
- anything else: 500 ``internal error`` with a request id; the traceback goes to the server
  log only.

A small ASGI middleware refuses over-long query strings (414) and large bodies (413) before
routing, and marks every answer ``X-Content-Type-Options: nosniff``.
"""

from __future__ import annotations

import logging
import uuid

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

__all__ = ["install_error_handlers", "QueryLimitMiddleware"]

log = logging.getLogger("workbench.api")


def _field(loc) -> tuple[str, str]:
    parts = [str(p) for p in loc]
    where = parts[0] if parts else "request"
    name = ".".join(parts[1:]) if len(parts) > 1 else where
    return name or where, where


def _message(err: dict) -> str:
    msg = str(err.get("msg", "invalid value"))
    return msg[:200]


async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = []
    for err in exc.errors():
        name, where = _field(err.get("loc", ()))
        errors.append({"field": name, "location": where, "message": _message(err)})
    names = ", ".join(dict.fromkeys(e["field"] for e in errors)) or "request"
    return JSONResponse(status_code=422, content={"detail": f"invalid {names}",
                                                  "errors": errors})


async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    detail = exc.detail if isinstance(exc.detail, str) else "error"
    return JSONResponse(status_code=exc.status_code, content={"detail": detail},
                        headers=getattr(exc, "headers", None))


async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
    rid = uuid.uuid4().hex[:12]
    log.error("request %s %s failed (id %s)", request.method, request.url.path, rid,
              exc_info=exc)
    return JSONResponse(status_code=500,
                        content={"detail": f"internal error (request id {rid})"})


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _unhandled)


class QueryLimitMiddleware:
    """ASGI middleware: 414 for long query strings or paths, 413 for large bodies; nosniff.

    A body announced larger than ``max_body`` bytes is refused before it is read; a chunked
    body that grows past it ends the request as a client disconnect.
    """

    def __init__(self, app, max_length: int = 2048, max_body: int = 65_536):
        self.app = app
        self.max_length = int(max_length)
        self.max_body = int(max_body)

    @staticmethod
    async def _refuse(send, status: int, detail: bytes) -> None:
        body = b'{"detail":"' + detail + b'"}'
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                                (b"x-content-type-options", b"nosniff")]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if len(scope.get("query_string", b"")) > self.max_length or len(
                scope.get("path", "")) > self.max_length:
            return await self._refuse(send, 414, b"request URI too long")
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.max_body
                except ValueError:
                    return await self._refuse(send, 400, b"bad content-length")
                if too_big:
                    return await self._refuse(send, 413, b"request body too large")
        seen = 0

        async def receive_capped():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    return {"type": "http.disconnect"}
            return message

        async def send_nosniff(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-content-type-options", b"nosniff"))
                message = {**message, "headers": headers}
            await send(message)

        return await self.app(scope, receive_capped, send_nosniff)
