"""Cache invalidation on a running server: a new champion is promoted, new trades are ingested;
and the Redis cache shared by two servers."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from api_service import copy_registry, start_live

pytestmark = pytest.mark.xdist_group("api")


def traded_ticker(universe) -> str:
    priced = set(universe.prices["ticker"].astype(str))
    counts = universe.trades["ticker"].dropna().astype(str).value_counts()
    return next(t for t in counts.index if t in priced)


@pytest.fixture(scope="module")
def store_live(api_store, registry, tmp_path_factory):
    """A server on the store, with its own copy of the registry, checking epochs every time."""
    from workbench.api import ApiSettings

    tmp = tmp_path_factory.mktemp("store_live")
    uri = copy_registry(registry, tmp / "mlflow")
    settings = ApiSettings(source=str(api_store), keys_db=tmp / "keys.sqlite", mlflow_uri=uri,
                           epoch_check_seconds=0, rate=1000, burst=1000, redis_url=None,
                           predictor="forecast")
    lv = start_live(settings, None, tmp)
    yield lv, uri
    lv.client.close()
    lv.server.stop()


def test_promotion_of_a_new_champion_invalidates_the_cache(store_live, api_universe):
    from workbench.forecast.registry import CHAMPION, MODEL_NAME, tracking_client

    lv, uri = store_live
    ticker = traded_ticker(api_universe)
    assert lv.get(f"/predictions/{ticker}").headers["x-cache"] == "miss"
    assert lv.get(f"/predictions/{ticker}").headers["x-cache"] == "hit"
    assert lv.get("/health", key=None).json()["model"]["version"] == "1"

    client = tracking_client(uri)
    v1 = client.get_model_version(MODEL_NAME, "1")
    v2 = client.create_model_version(MODEL_NAME, source=v1.source, run_id=v1.run_id)
    client.set_registered_model_alias(MODEL_NAME, CHAMPION, str(v2.version))

    lv.get("/health", key=None)                     # the next request notices the promotion
    assert lv.app.state.holder.wait_rebuild(300)
    health = lv.get("/health", key=None).json()
    assert health["model"]["version"] == "2" and health["swaps"] == 1
    assert health["last_error"] is None
    r = lv.get(f"/predictions/{ticker}")
    assert r.headers["x-cache"] == "miss"
    assert r.json()["model"]["version"] == "2"


def house_file(path, ticker: str, n: int = 3):
    rows = [{"transaction_date": "11/20/2020", "disclosure_date": f"12/0{i + 1}/2020",
             "ticker": ticker, "asset_description": f"{ticker} - Common Stock",
             "asset_type": "Stock", "type": "Purchase", "amount": "$1,001 - $15,000",
             "representative": "Test Member", "district": "NJ07", "owner": "Self",
             "filing_id": f"9000{i}", "source_url": f"https://example.invalid/{i}.pdf"}
            for i in range(n)]
    path.write_text(json.dumps(rows), encoding="utf-8")
    return path


def test_ingesting_trades_invalidates_the_cache(store_live, api_store, api_universe, tmp_path):
    from workbench.data.store import ingest

    lv, _ = store_live
    ticker = traded_ticker(api_universe)
    before = lv.get(f"/predictions/{ticker}")
    assert lv.get(f"/predictions/{ticker}").headers["x-cache"] == "hit"
    epoch = lv.get("/health", key=None).json()["data"]["epoch"]
    swaps = lv.app.state.holder.swaps

    report = ingest([house_file(tmp_path / "new.json", ticker)], api_store)
    assert report is not None

    lv.get("/health", key=None)                     # the next request notices the new data
    assert lv.app.state.holder.wait_rebuild(300)
    health = lv.get("/health", key=None).json()
    assert health["data"]["epoch"] != epoch and lv.app.state.holder.swaps == swaps + 1
    after = lv.get(f"/predictions/{ticker}")
    assert after.headers["x-cache"] == "miss"
    n0 = before.json()["politician_activity"]["n_trades"]
    n1 = after.json()["politician_activity"]["n_trades"]
    assert n1 == n0 + 3             # three buys disclosed 2020-12-01..03, inside 63 sessions
    assert after.json()["as_of"] == before.json()["as_of"]


def test_redis_cache_is_shared_between_servers(api_universe, registry, redis_url,
                                               tmp_path_factory):
    import redis

    from workbench.api import ApiSettings
    from workbench.api.cache import RedisCache

    tmp = tmp_path_factory.mktemp("redis_live")
    settings = ApiSettings(source="synthetic", keys_db=tmp / "keys.sqlite", mlflow_uri=registry,
                           rate=1000, burst=1000, redis_url=redis_url,
                           predictor="forecast")
    a = start_live(settings, api_universe, tmp)
    b = start_live(settings, api_universe, tmp)
    try:
        ticker = traded_ticker(api_universe)
        assert a.get("/health", key=None).json()["cache"]["backend"] == "redis"
        r1 = a.get(f"/predictions/{ticker}", params={"as_of": "2020-07-15", "horizon": "90d"})
        assert r1.status_code == 200 and r1.headers["x-cache"] == "miss"
        r2 = b.get(f"/predictions/{ticker}", params={"as_of": "2020-07-15", "horizon": "90d"},
                   key=b.key)
        assert r2.headers["x-cache"] == "hit" and r2.content == r1.content
        raw = redis.Redis.from_url(redis_url)
        keys = [k.decode() for k in raw.keys(RedisCache.prefix + "*")]
        raw.close()
        state = a.app.state.holder.state
        assert any(k.endswith(f"|{ticker}|90|2020-07-15") and state.model.label in k
                   for k in keys)
        assert pd.Timestamp(r1.json()["as_of"]) == pd.Timestamp("2020-07-15")
    finally:
        for lv in (a, b):
            lv.client.close()
            lv.server.stop()
