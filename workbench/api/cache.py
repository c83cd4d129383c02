"""Prediction cache: in-process LRU with a TTL by default, Redis when a URL is configured.

Entries are the serialized JSON bodies of prediction answers, keyed by
:func:`prediction_key` ``(epoch, model version, ticker, horizon, decision session)``. The
*epoch* names the data and model the service currently serves (see
:mod:`workbench.api.state`): a new champion in the registry or new trades ingested into the
store change it, so older entries are never read again (the in-process cache is also cleared
when that happens; Redis entries expire by their TTL).

A Redis failure never fails a request: the cache then reports a miss (or drops the write), and
counts the error in :meth:`stats`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

__all__ = ["MemoryCache", "RedisCache", "prediction_key", "make_cache"]

log = logging.getLogger(__name__)


def prediction_key(epoch: str, model_version: str, ticker: str, horizon: int,
                   session) -> str:
    """Cache key of one prediction (``session``: the decision session, ``YYYY-MM-DD`` or a date)."""
    day = session if isinstance(session, str) else session.strftime("%Y-%m-%d")
    return f"{epoch}|{model_version}|{ticker}|{horizon}|{day}"


class _Stats:
    def __init__(self):
        self.hits = self.misses = self.errors = 0
        self._lock = threading.Lock()

    def count(self, field: str) -> None:
        with self._lock:
            setattr(self, field, getattr(self, field) + 1)

    def as_dict(self) -> dict:
        total = self.hits + self.misses
        return {"hits": self.hits, "misses": self.misses, "errors": self.errors,
                "hit_rate": self.hits / total if total else None}


class MemoryCache:
    """Thread-safe LRU of at most ``size`` entries, each living ``ttl`` seconds."""

    kind = "memory"

    def __init__(self, size: int = 10_000, ttl: float = 600.0,
                 clock: Callable[[], float] = time.monotonic):
        self.size = int(size)
        self.ttl = float(ttl)
        self.clock = clock
        self._data: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._lock = threading.Lock()
        self._stats = _Stats()

    def get(self, key: str, count: bool = True) -> bytes | None:
        """The entry or None; ``count=False`` leaves the hit/miss counters alone."""
        now = self.clock()
        with self._lock:
            item = self._data.get(key)
            if item is not None and item[0] > now:
                self._data.move_to_end(key)
                value = item[1]
            else:
                if item is not None:
                    del self._data[key]
                value = None
        if count:
            self._stats.count("hits" if value is not None else "misses")
        return value

    def record_hit(self) -> None:
        """Count a hit served from a ``count=False`` read."""
        self._stats.count("hits")

    def set(self, key: str, value: bytes) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._data[key] = (self.clock() + self.ttl, value)
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)

    def stats(self) -> dict:
        return {"backend": self.kind, "entries": len(self), **self._stats.as_dict()}

    def ping(self) -> bool:
        return True

    def close(self) -> None:
        self.clear()


class RedisCache:
    """The same interface on a Redis server (``SET key value EX ttl``), prefix ``workbench:``."""

    kind = "redis"
    prefix = "workbench:prediction:"

    def __init__(self, url: str, ttl: float = 600.0, timeout: float = 0.5):
        import redis

        self.url = url
        self.ttl = max(1, int(round(ttl)))
        self._redis = redis.Redis.from_url(url, socket_timeout=timeout,
                                           socket_connect_timeout=timeout)
        self._stats = _Stats()

    def get(self, key: str, count: bool = True) -> bytes | None:
        try:
            value = self._redis.get(self.prefix + key)
        except Exception as exc:  # a cache outage must not fail the request
            self._stats.count("errors")
            log.warning("redis get failed: %s", type(exc).__name__)
            value = None
        if count:
            self._stats.count("hits" if value is not None else "misses")
        return value

    def record_hit(self) -> None:
        self._stats.count("hits")

    def set(self, key: str, value: bytes) -> None:
        try:
            self._redis.set(self.prefix + key, value, ex=self.ttl)
        except Exception as exc:
            self._stats.count("errors")
            log.warning("redis set failed: %s", type(exc).__name__)

    def clear(self) -> None:
        """Nothing to do: keys carry the epoch, and old ones expire by their TTL."""

    def ping(self) -> bool:
        try:
            return bool(self._redis.ping())
        except Exception:
            return False

    def stats(self) -> dict:
        return {"backend": self.kind, "entries": None, **self._stats.as_dict()}

    def close(self) -> None:
        try:
            self._redis.close()
        except Exception:
            pass


def make_cache(settings):
    """The cache a service with ``settings`` uses (Redis when ``redis_url`` is set)."""
    if settings.redis_url:
        return RedisCache(settings.redis_url, ttl=settings.cache_ttl)
    return MemoryCache(settings.cache_size, settings.cache_ttl)
