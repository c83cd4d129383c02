"""The service over HTTP on 127.0.0.1 (real uvicorn): endpoints, auth, limits, errors, CORS."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

pytestmark = pytest.mark.xdist_group("api")


def most_traded(universe, n=1) -> list[str]:
    priced = set(universe.prices["ticker"].astype(str))
    counts = universe.trades["ticker"].dropna().astype(str).value_counts()
    return [t for t in counts.index if t in priced][:n]


def test_health_reports_the_champion(live):
    r = live.get("/health", key=None)
    assert r.status_code == 200
    h = r.json()
    assert h["status"] == "ok"
    assert h["model"]["source"] == "registry:champion"
    assert h["model"]["version"] == "1"
    assert h["model"]["name"] == "workbench-forecast"
    assert h["data"]["tickers"] == 60
    assert h["data"]["source"] == "synthetic"
    assert h["predictor"] in ("ensemble", "forecast") and h["predictor_reason"]


def test_openapi_schema_lists_the_endpoints_and_the_key_scheme(live):
    r = live.get("/openapi.json", key=None)
    assert r.status_code == 200
    spec = r.json()
    assert {"/predictions/{ticker}", "/anomaly-detection",
            "/politicians/{bioguide_id}/performance", "/health"} <= set(spec["paths"])
    schemes = spec["components"]["securitySchemes"]
    assert any(s.get("in") == "header" and s.get("name") == "X-API-Key"
               for s in schemes.values())
    assert "429" in spec["paths"]["/predictions/{ticker}"]["get"]["responses"]


def test_prediction_is_cached_and_matches_the_predictor(live, api_universe):
    ticker = most_traded(api_universe)[0]
    first = live.get(f"/predictions/{ticker}", params={"horizon": "30d",
                                                         "as_of": "2020-09-15"})
    assert first.status_code == 200, first.text
    assert first.headers["x-cache"] == "miss"
    second = live.get(f"/predictions/{ticker}", params={"horizon": "30d",
                                                          "as_of": "2020-09-15"})
    assert second.headers["x-cache"] == "hit"
    assert second.content == first.content
    body = first.json()
    assert body["as_of"] == "2020-09-15" and body["horizon_sessions"] == 30
    p = body["prediction"]
    assert p["prob_up"] + p["prob_flat"] + p["prob_down"] == pytest.approx(1.0, abs=1e-9)
    assert body["confidence"] == pytest.approx(max(p["prob_up"], p["prob_flat"],
                                                   p["prob_down"]), abs=1e-12)
    assert body["model"]["version"] == "1"
    # the same numbers as calling the serving state's predictor in process
    state = live.app.state.holder.state
    pos = state.sessions.get_loc(pd.Timestamp("2020-09-15"))
    ref = state.predictor.predict(ticker, 30, pos)
    assert p["expected_return"] == pytest.approx(ref["expected_return"], rel=1e-12, abs=1e-15)
    assert p["volatility"] == pytest.approx(ref["volatility"], rel=1e-12)
    assert body["politician_activity"]["n_trades"] == ref["politician_activity"]["n_trades"]


def test_weekend_as_of_uses_the_friday_session_and_its_cache_entry(live, api_universe):
    ticker = most_traded(api_universe, 2)[1]
    fri = live.get(f"/predictions/{ticker}", params={"as_of": "2020-06-05"})
    sat = live.get(f"/predictions/{ticker}", params={"as_of": "2020-06-06"})
    assert fri.headers["x-cache"] == "miss" and sat.headers["x-cache"] == "hit"
    assert sat.json()["as_of"] == "2020-06-05"


def test_default_as_of_is_the_last_session(live, api_universe):
    ticker = most_traded(api_universe, 3)[2]
    body = live.get(f"/predictions/{ticker}", params={"horizon": "90d"}).json()
    assert body["as_of"] == pd.Timestamp(api_universe.prices["date"].max()).date().isoformat()


def test_missing_invalid_and_revoked_keys(live, api_universe):
    from workbench.api import KeyStore

    ticker = most_traded(api_universe)[0]
    r = live.get(f"/predictions/{ticker}", key=None)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "ApiKey"
    assert live.get(f"/predictions/{ticker}", key="wbk_nope").status_code == 403
    forged = live.key[:-4] + ("AAAA" if not live.key.endswith("AAAA") else "BBBB")
    assert live.get(f"/predictions/{ticker}", key=forged).status_code == 403
    key_id, key = live.new_key("to revoke")
    assert live.get(f"/predictions/{ticker}", key=key).status_code == 200
    other = KeyStore(live.keys_db)          # as `workbench api-key revoke` would, elsewhere
    assert other.revoke(key_id)
    other.close()
    r = live.get(f"/predictions/{ticker}", key=key)
    assert r.status_code == 403 and "revoked" in r.json()["detail"]


@pytest.fixture
def frozen_limiter(live):
    """A limiter of 3 requests and 1/s whose clock stands still until the test moves it."""
    from workbench.api import TokenBucketLimiter

    now = [0.0]
    saved = live.app.state.limiter
    live.app.state.limiter = TokenBucketLimiter(rate=1.0, burst=3, clock=lambda: now[0])
    yield now
    live.app.state.limiter = saved


def test_rate_limit_answers_429_with_retry_after(live, api_universe, frozen_limiter):
    ticker = most_traded(api_universe)[0]
    codes = [live.get(f"/predictions/{ticker}").status_code for _ in range(3)]
    assert codes == [200, 200, 200]
    r = live.get(f"/predictions/{ticker}")
    assert r.status_code == 429
    assert r.headers["retry-after"] == "1"
    _, other = live.new_key("another client")
    assert live.get(f"/predictions/{ticker}", key=other).status_code == 200   # per key
    frozen_limiter[0] += 1.0
    assert live.get(f"/predictions/{ticker}").status_code == 200
    assert live.get(f"/predictions/{ticker}").status_code == 429


def test_not_found_and_field_errors(live):
    r = live.get("/predictions/ZZZZZ")
    assert r.status_code == 404 and r.json()["detail"] == "unknown ticker"
    r = live.get("/predictions/AAA", params={"as_of": "2020-02-30"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "as_of"
    r = live.get("/predictions/AAA", params={"horizon": "14d"})
    assert r.status_code == 422 and "horizon" in r.json()["detail"]
    r = live.get("/predictions/AAA", params={"as_of": "2019-06-03"})
    assert r.status_code in (404, 422)
    if r.status_code == 422:
        assert r.json()["errors"][0]["field"] == "as_of"
    r = live.get("/politicians/x1/performance")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "bioguide_id"
    assert live.get("/politicians/Z999999/performance").status_code == 404
    r = live.post("/anomaly-detection", json={"start": "2020-05-01", "end": "2020-04-01"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "end"
    r = live.post("/anomaly-detection", json={"start": "2020-05-01"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "end"


def test_politician_performance(live, api_universe):
    from workbench.api.routers.politicians import performance_table

    t = api_universe.trades
    buys = t[t["side"] == "buy"].dropna(subset=["bioguide_id"])
    bioguide = buys["bioguide_id"].value_counts().index[0]
    r = live.get(f"/politicians/{bioguide}/performance")
    assert r.status_code == 200, r.text
    body = r.json()
    mine = t[t["bioguide_id"] == bioguide]
    assert body["n_trades"] == len(mine)
    assert body["n_buys"] == int((mine["side"] == "buy").sum())
    table = performance_table(live.app.state.holder.state)
    row = table[table["politician"] == body["politician"]]
    if len(row):
        perf = body["performance"]
        assert perf["alpha"] == pytest.approx(float(row["alpha"].iloc[0]), rel=1e-12)
        se = float(row["alpha_se"].iloc[0])
        assert perf["alpha_high"] - perf["alpha_low"] == pytest.approx(2 * 1.959964 * se,
                                                                       rel=1e-6)
        assert perf["entry"] == "disclosure"
    else:
        assert body["performance"] is None and "fewer than" in body["verdict"]


def test_anomaly_detection(live, api_universe):
    r = live.post("/anomaly-detection", json={"start": "2020-03-01", "end": "2020-06-30",
                                               "limit": 5})
    try:
        import workbench.anomalies  # noqa: F401
    except ImportError:
        assert r.status_code == 503
        assert "workbench.anomalies" in r.json()["detail"]
        return
    assert r.status_code == 200, r.text
    body = r.json()
    d = pd.to_datetime(api_universe.trades["disclosure_date"])
    in_range = int(((d >= "2020-03-01") & (d <= "2020-06-30")).sum())
    assert body["summary"]["n_trades"] <= in_range
    assert len(body["anomalies"]) <= 5
    scores = [a["score"] for a in body["anomalies"]]
    assert scores == sorted(scores, reverse=True)


def test_cors_is_off_by_default(live, api_universe):
    ticker = most_traded(api_universe)[0]
    pre = live.client.options(f"/predictions/{ticker}", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in pre.headers
    r = live.get(f"/predictions/{ticker}", headers={"Origin": "https://evil.example"})
    assert r.status_code == 200 and "access-control-allow-origin" not in r.headers


class Exploding:
    name = "exploding"
    sessions = None

    def predict(self, ticker, horizon, pos):
        raise RuntimeError("secret /etc/shadow detail")


def test_no_traceback_reaches_the_client(live, api_universe):
    state = live.app.state.holder.state
    saved = state.predictor
    state.predictor = Exploding()
    try:
        ticker = most_traded(api_universe, 4)[3]
        r = live.get(f"/predictions/{ticker}", params={"as_of": "2020-04-01"})
    finally:
        state.predictor = saved
    assert r.status_code == 500
    body = r.json()
    assert body["detail"].startswith("internal error (request id ")
    text = r.text
    assert "Traceback" not in text and "secret" not in text and "RuntimeError" not in text


def test_json_is_strict(live, api_universe):
    """No NaN/Infinity tokens in any answer (strict JSON parsers reject them)."""
    ticker = most_traded(api_universe)[0]
    r = live.get(f"/predictions/{ticker}", params={"as_of": "2020-01-31"})
    assert r.status_code in (200, 422)
    json.loads(r.text, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))
    if r.status_code == 200:
        for m in r.json()["members"]:
            assert m["value"] is None or math.isfinite(m["value"])
    assert np.isfinite(live.get("/health", key=None).json()["state_built_seconds"])


def test_concurrent_misses_are_computed_once(live, api_universe):
    """Single flight: ten requests for one missing key run the predictor once."""
    import asyncio
    import dataclasses
    import threading

    from workbench.api.cache import MemoryCache, prediction_key
    from workbench.api.routers.predictions import _single_flight
    from workbench.api.schemas import Horizon

    state = live.app.state.holder.state
    gate, calls = threading.Event(), []

    class Gated:
        name = state.predictor.name
        sessions = state.sessions

        def predict(self, ticker, horizon, pos):
            calls.append((ticker, horizon, pos))
            assert gate.wait(60)
            return state.predictor.predict(ticker, horizon, pos)

    gated = dataclasses.replace(state, predictor=Gated())
    ticker = sorted(state.priced)[9]
    pos = len(state.sessions) - 3
    key = prediction_key(state.epoch, state.model.label, ticker, 30, state.days[pos])
    cache = MemoryCache()

    async def run():
        import types
        from concurrent.futures import ThreadPoolExecutor

        inflight = {}
        app_state = types.SimpleNamespace(inflight=inflight,
                                          miss_executor=ThreadPoolExecutor(1))
        tasks = [asyncio.create_task(_single_flight(app_state, key, cache, gated, ticker,
                                                    Horizon.d30, pos)) for _ in range(10)]
        for _ in range(5):
            await asyncio.sleep(0)          # every task reaches its first await
        assert list(inflight) == [key]
        gate.set()
        bodies = await asyncio.gather(*tasks)
        assert not inflight
        return bodies

    bodies = asyncio.run(run())
    assert len(calls) == 1 and len(set(bodies)) == 1
    assert cache.get(key) == bodies[0]
