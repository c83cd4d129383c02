"""Per-key rate limiting: one token bucket per API key, in process.

A bucket holds at most ``burst`` tokens and refills at ``rate`` tokens per second; a request
takes one token or is refused with the time until a token is back (the ``Retry-After`` of the
429 answer, rounded up to whole seconds by the caller as HTTP requires). The buckets live in
the service process: with one uvicorn worker (how ``workbench serve`` runs) the limit is exact;
several workers would each allow the full rate.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

__all__ = ["TokenBucketLimiter"]


class TokenBucketLimiter:
    """Token buckets keyed by an identifier (the API key id).

    Parameters
    ----------
    rate : float
        Tokens added per second.
    burst : float
        Bucket size (and the initial fill).
    clock : callable
        Monotonic seconds; injectable so tests need no sleeping.
    max_keys : int
        Buckets kept; the least recently used is dropped beyond it (a dropped key starts full
        again, which only errs towards allowing).
    """

    def __init__(self, rate: float, burst: float, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 100_000):
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.rate = float(rate)
        self.burst = float(burst)
        self.clock = clock
        self.max_keys = int(max_keys)
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> tuple[bool, float]:
        """Take one token for ``key``: ``(allowed, seconds until one is available)``."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.pop(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                tokens -= 1.0
                wait = 0.0
            else:
                wait = (1.0 - tokens) / self.rate
            self._buckets[key] = (tokens, now)          # re-insert: most recently used last
            if len(self._buckets) > self.max_keys:
                self._buckets.pop(next(iter(self._buckets)))
        return wait == 0.0, wait

    def remaining(self, key: str) -> float:
        """Tokens currently in ``key``'s bucket (without taking one)."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.burst, now))
        return min(self.burst, tokens + (now - last) * self.rate)
