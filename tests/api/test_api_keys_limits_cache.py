"""API keys (hashed at rest), the token-bucket limiter against a naive replay, the caches."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from workbench.api.cache import MemoryCache, RedisCache, prediction_key
from workbench.api.keys import KeyStore
from workbench.api.ratelimit import TokenBucketLimiter

pytestmark = pytest.mark.xdist_group("api")


# ---- keys -------------------------------------------------------------------------------

def test_keys_are_hashed_at_rest_and_verified(tmp_path):
    store = KeyStore(tmp_path / "keys.sqlite")
    id1, k1 = store.create("alice")
    id2, k2 = store.create("bob")
    assert k1.startswith(f"wbk_{id1}_") and k1 != k2
    assert store.verify(k1).ok and store.verify(k1).key_id == id1
    assert store.verify(k2).name == "bob"
    store.close()
    raw = (tmp_path / "keys.sqlite").read_bytes()
    for key in (k1, k2):
        assert key.split("_", 2)[2].encode() not in raw          # the secret is not stored
    assert (tmp_path / "keys.sqlite").stat().st_mode & 0o077 == 0       # owner-only file
    con = sqlite3.connect(tmp_path / "keys.sqlite")
    rows = con.execute("SELECT salt, hash FROM api_keys").fetchall()
    con.close()
    assert len({r[0] for r in rows}) == 2 and all(len(r[1]) == 32 for r in rows)


def test_key_check_outcomes(tmp_path):
    store = KeyStore(tmp_path / "keys.sqlite")
    key_id, key = store.create("carol")
    secret = key.split("_", 2)[2]
    tampered = key[:-1] + ("A" if key[-1] != "A" else "B")
    assert store.verify(tampered).status == "invalid"
    assert store.verify(f"wbk_{'0' * 12}_{secret}").status == "invalid"     # unknown id
    for junk in (None, "", "wbk_", key + "x", key.upper(), "Bearer " + key):
        assert store.verify(junk).status == "invalid"
    assert store.revoke(key_id) and not store.revoke(key_id)
    assert store.verify(key).status == "revoked"
    listing = store.list()
    assert list(listing.columns) == ["key_id", "name", "created_at", "revoked_at"]
    assert listing["revoked_at"].notna().all()
    with pytest.raises(Exception, match="name"):
        store.create("  ")


def test_revocation_is_seen_by_another_connection(tmp_path):
    a, b = KeyStore(tmp_path / "k.sqlite"), KeyStore(tmp_path / "k.sqlite")
    key_id, key = a.create("shared")
    assert b.verify(key).ok
    a.revoke(key_id)
    assert b.verify(key).status == "revoked"


# ---- rate limiter -----------------------------------------------------------------------

def naive_allowed(times: list[float], accepted: list[float], t: float, rate: float,
                  burst: float) -> bool:
    """Replay from scratch: tokens start full, refill ``rate``/s capped at ``burst``, each
    accepted request spends one; allowed when at least one token is there at ``t``."""
    tokens, last = burst, times[0] if times else t
    events = sorted(accepted)
    for e in events:
        tokens = min(burst, tokens + (e - last) * rate) - 1.0
        last = e
    tokens = min(burst, tokens + (t - last) * rate)
    return tokens >= 1.0 - 1e-12


@pytest.mark.parametrize("rate, burst", [(1.0, 1.0), (2.5, 4.0), (10.0, 3.0)])
def test_token_bucket_matches_a_naive_replay(seed, rate, burst):
    rng = np.random.default_rng(seed)
    now = [0.0]
    lim = TokenBucketLimiter(rate, burst, clock=lambda: now[0])
    times = np.cumsum(rng.exponential(1.0 / (rate * 1.5), size=400))
    accepted: list[float] = []
    for t in times:
        now[0] = float(t)
        ok, wait = lim.take("k")
        assert ok == naive_allowed([0.0], accepted, float(t), rate, burst)
        if ok:
            accepted.append(float(t))
            assert wait == 0.0
        else:
            assert 0.0 < wait <= 1.0 / rate + 1e-12
    assert 0 < len(accepted) < len(times)


def test_retry_after_is_exact_and_keys_are_independent():
    now = [100.0]
    lim = TokenBucketLimiter(rate=0.5, burst=2, clock=lambda: now[0])
    assert lim.take("a") == (True, 0.0) and lim.take("a") == (True, 0.0)
    ok, wait = lim.take("a")
    assert not ok and wait == pytest.approx(2.0, abs=1e-12)       # one token at 0.5/s
    assert lim.take("b") == (True, 0.0)
    now[0] += 1.0
    ok, wait = lim.take("a")
    assert not ok and wait == pytest.approx(1.0, abs=1e-12)
    now[0] += 1.0
    assert lim.take("a")[0]
    assert lim.remaining("a") == pytest.approx(0.0, abs=1e-12)


def test_limiter_forgets_least_recent_keys_beyond_max():
    lim = TokenBucketLimiter(1.0, 1.0, clock=lambda: 0.0, max_keys=3)
    for k in "abcd":
        assert lim.take(k)[0]
    assert lim.take("a")[0]          # "a" was dropped: it starts full again
    assert not lim.take("d")[0]


# ---- caches -----------------------------------------------------------------------------

def test_prediction_key_names_every_part():
    import pandas as pd

    k = prediction_key("store:1:1:10|v3", "v3", "AAA", 7, pd.Timestamp("2020-01-02"))
    assert k == "store:1:1:10|v3|v3|AAA|7|2020-01-02"
    assert k != prediction_key("store:1:1:10|v3", "v4", "AAA", 7, pd.Timestamp("2020-01-02"))
    assert k != prediction_key("store:2:2:11|v3", "v3", "AAA", 7, pd.Timestamp("2020-01-02"))


def test_memory_cache_lru_and_ttl():
    now = [0.0]
    c = MemoryCache(size=2, ttl=10.0, clock=lambda: now[0])
    c.set("a", b"1")
    c.set("b", b"2")
    assert c.get("a") == b"1"            # a is now most recent
    c.set("c", b"3")                     # evicts b
    assert c.get("b") is None and c.get("c") == b"3"
    now[0] = 10.5
    assert c.get("a") is None and len(c) == 1
    s = c.stats()
    assert (s["hits"], s["misses"]) == (2, 2) and s["hit_rate"] == pytest.approx(0.5)
    c.clear()
    assert len(c) == 0


def test_redis_cache_round_trip_and_ttl(redis_url):
    import redis

    c = RedisCache(redis_url, ttl=30)
    assert c.ping()
    assert c.get("x|1") is None
    c.set("x|1", b'{"a": 1}')
    assert c.get("x|1") == b'{"a": 1}'
    raw = redis.Redis.from_url(redis_url)
    ttl = raw.ttl(RedisCache.prefix + "x|1")
    assert 0 < ttl <= 30
    raw.close()
    assert c.stats()["hits"] == 1 and c.stats()["misses"] == 1


def test_redis_outage_is_a_miss_not_an_error():
    import socket

    with socket.socket() as s:            # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    c = RedisCache(f"redis://127.0.0.1:{port}/0", ttl=5, timeout=0.2)
    assert c.get("k") is None
    c.set("k", b"v")
    assert not c.ping()
    assert c.stats()["errors"] == 2
