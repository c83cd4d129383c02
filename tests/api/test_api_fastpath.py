"""The cache-hit fast path answers exactly what the FastAPI route answers (the reference).

Two servers on the same universe, model and key database: ``live`` (fast path on) and a
reference with ``fast_path=False`` that also computes its misses in the miss executor
(``inline_misses="none"``; the live server computes them on the event loop). Both caches are filled by the same requests first; then
every request of a varied set (canonical and odd spellings, repeated and unknown parameters,
bad dates, unknown tickers, missing, invalid and revoked keys) must get the same status, the
same ``X-Cache`` and the same body from both.
"""

from __future__ import annotations

import pytest
from api_service import start_live

pytestmark = pytest.mark.xdist_group("api")


@pytest.fixture(scope="module")
def reference(live, api_universe, registry, tmp_path_factory):
    from workbench.api import ApiSettings

    tmp = tmp_path_factory.mktemp("reference")
    settings = ApiSettings(source="synthetic", keys_db=live.keys_db, mlflow_uri=registry,
                           rate=1000, burst=1000, redis_url=None, fast_path=False,
                           predictor="forecast", inline_misses="none")
    ref = start_live(settings, api_universe, tmp)
    yield ref
    ref.client.close()
    ref.server.stop()


def requests_to_compare(universe, live):
    priced = set(universe.prices["ticker"].astype(str))
    counts = universe.trades["ticker"].dropna().astype(str).value_counts()
    a, b = [t for t in counts.index if t in priced][:2]
    revoked_id, revoked = live.new_key("revoked for the comparison")
    live.app.state.keys.revoke(revoked_id)
    good = live.key
    return [
        (f"/predictions/{a}", {}, good),
        (f"/predictions/{a}", {"horizon": "30d"}, good),
        (f"/predictions/{a}", {"horizon": "90d", "as_of": "2020-06-06"}, good),
        (f"/predictions/{a}", {"as_of": "2020-06-05", "horizon": "90d"}, good),
        (f"/predictions/{a.lower()}", {"horizon": "30d"}, good),
        (f"/predictions/{b}", {"horizon": "7d"}, good),
        (f"/predictions/{b}?horizon=7d&horizon=30d", None, good),
        (f"/predictions/{b}", {"horizon": "7d", "extra": "1"}, good),
        (f"/predictions/{b}", {"horizon": "7D"}, good),
        (f"/predictions/{b}", {"horizon": ""}, good),
        (f"/predictions/{b}", {"as_of": "20200605"}, good),
        (f"/predictions/{b}", {"as_of": "2020-02-30"}, good),
        (f"/predictions/{b}", {"as_of": "1969-12-31"}, good),
        (f"/predictions/{b}", {"as_of": "2019-06-03"}, good),
        (f"/predictions/{b}", {"as_of": "2030-01-01"}, good),
        (f"/predictions/%2541{a[1:]}", {}, good),
        ("/predictions/ZZZZZ", {}, good),
        (f"/predictions/{a}", {}, None),
        (f"/predictions/{a}", {}, "wbk_000000000000_" + "A" * 43),
        (f"/predictions/{a}", {}, revoked),
        (f"/predictions/{a}/", {}, good),
    ]


def test_fast_path_and_route_answer_alike(live, reference, api_universe):
    reqs = requests_to_compare(api_universe, live)
    for lv in (live, reference):                      # fill both caches the same way
        for path, params, key in reqs:
            lv.get(path, params=params, key=key)
    served_fast = 0
    for path, params, key in reqs:
        fast = live.get(path, params=params, key=key)
        ref = reference.get(path, params=params, key=key)
        assert fast.status_code == ref.status_code, (path, params, fast.text[:200])
        assert fast.headers.get("x-cache") == ref.headers.get("x-cache"), (path, params)
        assert fast.content == ref.content, (path, params)
        assert fast.headers.get("content-type") == ref.headers.get("content-type")
        served_fast += fast.headers.get("x-cache") == "hit"
    assert served_fast >= 8


def test_fast_path_counts_hits_once(live, api_universe):
    ticker = sorted(live.app.state.holder.state.priced)[5]
    cache = live.app.state.cache
    before = cache.stats()
    assert live.get(f"/predictions/{ticker}", params={"as_of": "2020-02-14"}
                    ).headers["x-cache"] == "miss"
    for _ in range(3):
        assert live.get(f"/predictions/{ticker}", params={"as_of": "2020-02-14"}
                        ).headers["x-cache"] == "hit"
    after = cache.stats()
    assert after["misses"] - before["misses"] == 1
    assert after["hits"] - before["hits"] == 3
