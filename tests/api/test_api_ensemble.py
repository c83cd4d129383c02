"""The service with the ensemble predictor: the answer mirrors ``predict_ticker`` exactly.

A small ensemble (the members without network fits, horizon 7 only) keeps start-up within the
test budget; ``workbench serve`` warms the default ensemble on all served horizons.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest
from api_service import start_live

pytestmark = pytest.mark.xdist_group("api")

MEMBERS = ["cycles", "patterns", "factors", "options"]


@pytest.fixture(scope="module")
def ens_live(api_universe, registry, tmp_path_factory):
    from workbench.api import ApiSettings
    from workbench.api.predictors import EnsemblePredictor
    from workbench.ensemble import MultiModelEnsemble, default_members

    ensemble = MultiModelEnsemble(members=default_members(MEMBERS), horizons=(7,))

    def factory(universe, model):
        return (EnsemblePredictor(universe, model, ensemble, warm_horizons=(7,)),
                "test ensemble: " + ", ".join(MEMBERS))

    tmp = tmp_path_factory.mktemp("ens_live")
    settings = ApiSettings(source="synthetic", keys_db=tmp / "keys.sqlite", mlflow_uri=registry,
                           rate=1000, burst=1000, redis_url=None)
    lv = start_live(settings, api_universe, tmp, predictor_factory=factory)
    yield lv, ensemble
    lv.client.close()
    lv.server.stop()


def test_ensemble_answer_mirrors_predict_ticker(ens_live, api_universe):
    from workbench.ensemble import predict_ticker

    lv, ensemble = ens_live
    health = lv.get("/health", key=None).json()
    assert health["predictor"] == "ensemble" and "cycles" in health["predictor_reason"]
    counts = api_universe.trades["ticker"].dropna().astype(str).value_counts()
    priced = set(api_universe.prices["ticker"].astype(str))
    ticker = next(t for t in counts.index if t in priced)
    r = lv.get(f"/predictions/{ticker}", params={"as_of": "2020-10-16", "horizon": "7d"})
    assert r.status_code == 200, r.text
    body = r.json()
    ref = predict_ticker(api_universe, ticker, as_of=pd.Timestamp("2020-10-16"), horizon=7,
                         ensemble=ensemble).to_dict()
    p = body["prediction"]
    for k in ("expected_return", "volatility", "prob_up", "prob_flat", "prob_down"):
        assert p[k] == pytest.approx(ref[k], rel=1e-12, abs=1e-15), k
    assert p["direction"] == ref["direction"]
    assert body["confidence"] == pytest.approx(ref["confidence"], rel=1e-12)
    assert body["attribution"] == pytest.approx(ref["attribution"], rel=1e-12, abs=1e-15)
    assert [m["name"] for m in body["members"]] == MEMBERS
    assert body["insights"] == ref["insights"]
    assert body["meta"]["status"] == ref["meta"]["status"]
    assert body["intercept"] + sum(body["attribution"].values()) == pytest.approx(
        p["expected_return"], abs=1e-9)
    assert body["politician_activity"]["date_rule"].startswith("disclosure")
    champ = body["registry_forecast"]
    assert champ is None or (champ["name"] == "registry_champion"
                             and champ["details"]["version"] == "1")
    assert body["model"]["version"] == "1" and body["predictor"] == "ensemble"
    again = lv.get(f"/predictions/{ticker}", params={"as_of": "2020-10-16", "horizon": "7d"})
    assert again.headers["x-cache"] == "hit" and again.content == r.content


def test_latest_session_misses_use_the_batch_and_answer_as_on_demand(ens_live, api_universe):
    """At the latest session the members come from the start-up batch; the served bodies are
    byte for byte the bodies built with every member computed on demand."""
    from workbench.api.routers.predictions import _inline, build_prediction
    from workbench.api.schemas import Horizon
    from workbench.ensemble.batch import BATCH_KEY
    from workbench.ensemble.context import context_for

    lv, ensemble = ens_live
    state = lv.app.state.holder.state
    ctx = context_for(api_universe)
    last = len(ctx.sessions) - 1
    stored = {k: v for k, v in list(ctx.cache.items())
              if isinstance(k, tuple) and k and k[0] == BATCH_KEY}
    assert {(k[2], k[3]) for k in stored} == {(7, last)} and len(stored) == len(MEMBERS)
    assert state.predictor.scored["pos"] == last
    # inline_misses: "all" (default) computes every miss on the event loop; "scored" only
    # those answered from the batch (latest session, warmed horizons); "none" none
    assert lv.app.state.settings.inline_misses == "all"
    assert state.predictor.is_scored(7, last)
    assert not state.predictor.is_scored(30, last) and not state.predictor.is_scored(7, last - 1)

    def mode(m):
        return SimpleNamespace(settings=lv.app.state.settings.model_copy(update={"inline_misses": m}))

    cases = [(Horizon.d7, last), (Horizon.d30, last), (Horizon.d7, last - 1)]
    assert [_inline(lv.app.state, state, h, p) for h, p in cases] == [True, True, True]
    assert [_inline(mode("scored"), state, h, p) for h, p in cases] == [True, False, False]
    assert [_inline(mode("none"), state, h, p) for h, p in cases] == [False, False, False]
    tickers = sorted(state.priced)[1::12]
    served = {}
    for t in tickers:
        r = lv.get(f"/predictions/{t}", params={"horizon": "7d"})
        assert r.status_code == 200 and r.headers["x-cache"] == "miss", r.text
        served[t] = r.content
    for k in stored:                 # on demand: the same ensemble without the batch
        ctx.cache.pop(k, None)
    try:
        ref = {t: build_prediction(state, t, Horizon.d7, last) for t in tickers}
    finally:
        ctx.cache.update(stored)
    assert served == ref
