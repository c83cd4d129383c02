"""Cache hits of ``GET /predictions/{ticker}`` answered before FastAPI routing.

FastAPI's dependency and parameter machinery costs several hundred microseconds of CPU per
request, most of a cached answer. This ASGI middleware answers only the plainest case and
hands everything else to the FastAPI route (the reference implementation):

- ``GET /predictions/<ticker>`` whose ticker matches the route's pattern, with no query
  parameter other than ``horizon`` (one of 7d/30d/90d) and ``as_of`` (``YYYY-MM-DD``, a real
  date from 1970-01-02), each at most once;
- a valid, unrevoked key in ``X-API-Key``;
- a priced ticker and a decision session inside the history;
- an entry in the cache for (epoch, model, ticker, horizon, decision session);
- a token left in the key's bucket.

When all hold, it sends the cached body (``X-Cache: hit``), having taken the key's token
exactly as the route would. Otherwise nothing is consumed and the request goes on to FastAPI,
which validates it in full and answers 401/403/404/422/429, or computes and caches the
prediction. The cache entries themselves are only ever written by the route. Tests compare the
two paths answer for answer (``tests/api/test_api_fastpath.py``); ``WORKBENCH_API_FAST_PATH=0``
turns this off.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from urllib.parse import parse_qsl

from workbench.api.cache import prediction_key
from workbench.api.schemas import TICKER_PATTERN
from workbench.data.sources.price_formats import normalize_ticker

__all__ = ["CachedPredictionMiddleware"]

log = logging.getLogger("workbench.api")

PREFIX = "/predictions/"
_TICKER = re.compile(TICKER_PATTERN)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HORIZONS = {"7d": 7, "30d": 30, "90d": 90}
_EARLIEST = dt.date(1970, 1, 2)


class CachedPredictionMiddleware:
    """See the module notes. ``app_state`` is the FastAPI app's ``state`` (set at start-up)."""

    def __init__(self, app, app_state):
        self.app = app
        self.app_state = app_state

    async def __call__(self, scope, receive, send):
        if (scope["type"] == "http" and scope["method"] == "GET"
                and scope["path"].startswith(PREFIX)):
            try:
                body = self._hit(scope)
            except Exception:        # never fail a request here: the route decides
                log.exception("fast path failed; the route answers")
                body = None
            if body is not None:
                await send({"type": "http.response.start", "status": 200,
                            "headers": [(b"content-type", b"application/json"),
                                        (b"content-length", str(len(body)).encode()),
                                        (b"x-cache", b"hit")]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)

    def _hit(self, scope) -> bytes | None:
        ticker = scope["path"][len(PREFIX):]       # already percent-decoded, as routing sees it
        if "/" in ticker or not _TICKER.match(ticker):
            return None
        horizon, as_of = 7, None
        seen = set()
        for name, value in parse_qsl(scope.get("query_string", b"").decode("latin-1"),
                                     keep_blank_values=True):
            if name in seen:
                return None
            seen.add(name)
            if name == "horizon" and value in _HORIZONS:
                horizon = _HORIZONS[value]
            elif name == "as_of" and _DATE.match(value):
                try:
                    as_of = dt.date.fromisoformat(value)
                except ValueError:
                    return None
                if as_of < _EARLIEST:
                    return None
            else:
                return None
        key = None
        for hname, hvalue in scope.get("headers", ()):
            if hname == b"x-api-key":
                if key is not None:
                    return None
                key = hvalue.decode("latin-1")
        if not key:
            return None
        st = self.app_state
        check = st.keys.verify(key)
        if not check.ok:
            return None
        state = st.holder.current()
        t = normalize_ticker(ticker)
        if t not in state.priced:
            return None
        pos = state.decision_pos(as_of)
        if pos < 0:
            return None
        body = st.cache.get(prediction_key(state.epoch, state.model.label, t, horizon,
                                           state.days[pos]), count=False)
        if body is None:
            return None          # the route counts the miss and fills the cache
        allowed, _ = st.limiter.take(check.key_id)
        if not allowed:
            return None          # the route answers 429 (no token was taken)
        st.cache.record_hit()
        return body
