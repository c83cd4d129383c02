"""The forecast predictor against slow references, and without look-ahead."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from lookahead import truncate_universe
from scipy.stats import norm

pytestmark = pytest.mark.xdist_group("api")


@pytest.fixture(scope="module")
def served(registry):
    from workbench.api.serving import load_serving_model

    model = load_serving_model(registry)
    assert model.source == "registry:champion" and model.forecaster is not None
    return model


@pytest.fixture(scope="module")
def predictor(api_universe, served):
    from workbench.api.predictors import ForecastPredictor

    return ForecastPredictor(api_universe, served)


def naive_member_inputs(universe, ticker: str, day) -> tuple[float, float]:
    """Mean of the last <= 252 daily log returns (>= 21 of them) and RiskMetrics volatility,
    by plain loops over the ticker's own price series."""
    wide = universe.prices.pivot_table(index="date", columns="ticker", values="adj_close")
    wide = wide.sort_index()
    close = wide[ticker].loc[:pd.Timestamp(day)]
    r = np.log(close).diff().to_numpy()
    window = r[-252:]
    vals = window[~np.isnan(window)]
    drift = vals.mean() if len(vals) >= 21 else np.nan
    var = None
    for x in r:
        if np.isnan(x):
            continue
        var = x * x if var is None else 0.94 * var + 0.06 * x * x
    return drift, math.sqrt(var)


@pytest.mark.parametrize("day", ["2020-03-16", "2020-08-14", "2020-12-31"])
def test_drift_member_matches_plain_loops(api_universe, predictor, day):
    pos = predictor.sessions.get_loc(pd.Timestamp(day))
    for ticker in predictor.tickers[:5]:
        drift, vol = naive_member_inputs(api_universe, ticker, day)
        out = predictor.predict(ticker, 30, pos)
        member = next(m for m in out["members"] if m["name"] == "historical_drift")
        if np.isnan(drift):
            assert member["status"] == "unavailable"
            continue
        assert member["value"] == pytest.approx(30 * drift, rel=1e-9, abs=1e-12)
        assert member["uncertainty"] == pytest.approx(vol * math.sqrt(30), rel=1e-9)


def test_deep_member_matches_the_dataset_windows(api_universe, predictor, served):
    """The served window is the one ``build_dataset`` gives the same sample (other code path)."""
    from workbench.forecast.dataset import activity_features, build_dataset

    sch = served.schema
    ticker = predictor.tickers[7]
    act = activity_features(api_universe, [ticker], None)
    data = build_dataset(api_universe.prices, horizon=sch["horizon"], window=sch["window"],
                         tickers=[ticker], activity=act)
    for i in (0, len(data) // 2, len(data) - 1):
        day = data.dates[i]
        ret, vol, _ = served.forecaster.run(data.windows([i]))
        pos = predictor.sessions.get_loc(day)
        out = predictor.predict(ticker, sch["horizon"], pos)
        deep = next(m for m in out["members"] if m["name"] == "registry_champion")
        assert deep["status"] == "ok"
        assert deep["value"] == pytest.approx(float(ret[0]), rel=1e-5, abs=1e-7)
        assert deep["uncertainty"] == pytest.approx(float(vol[0]) * math.sqrt(sch["horizon"]),
                                                    rel=1e-5)
        assert out["expected_return"] == deep["value"]       # the champion serves


def test_probabilities_are_the_normal_ones(predictor):
    from workbench.api.predictors import FLAT_BAND

    out = predictor.predict(predictor.tickers[3], 7, len(predictor.sessions) - 1)
    mu, s = out["expected_return"], out["volatility"]
    assert out["prob_down"] == pytest.approx(norm.cdf(-FLAT_BAND, mu, s), abs=1e-12)
    assert out["prob_up"] == pytest.approx(norm.sf(FLAT_BAND, mu, s), abs=1e-12)
    assert out["prob_up"] + out["prob_flat"] + out["prob_down"] == pytest.approx(1, abs=1e-12)


def test_activity_counts_match_a_per_trade_filter(api_universe, predictor):
    """Trades count from the first session after disclosure, over the last 63 sessions."""
    from workbench.factors.inputs import entry_sessions

    t = api_universe.trades
    t = t[t["ticker"].notna() & t["side"].isin(["buy", "sell"])].reset_index(drop=True)
    entry = entry_sessions(t, "disclosure")
    sessions = predictor.sessions
    for day in ("2020-05-29", "2020-11-02"):
        pos = sessions.get_loc(pd.Timestamp(day))
        lo = sessions[pos - 62]
        for ticker in t["ticker"].value_counts().index[:4]:
            keep = [(t.at[i, "ticker"] == ticker) and pd.notna(entry[i])
                    and lo <= entry[i] <= sessions[pos] for i in range(len(t))]
            mine = t[keep]
            got = predictor.activity.summary(ticker, pos)
            assert got["n_trades"] == len(mine)
            assert got["n_buys"] == int((mine["side"] == "buy").sum())
            assert got["n_politicians"] == mine["politician"].nunique()
            assert got["buy_amount"] == pytest.approx(
                mine.loc[mine["side"] == "buy", "amount_mid"].fillna(0).sum(), rel=1e-12)


@pytest.mark.parametrize("cut", ["2020-06-30", "2020-10-15"])
def test_no_lookahead(api_universe, served, cut):
    """The prediction at a date is the same when everything after it is cut off."""
    from workbench.api.predictors import ForecastPredictor

    short = truncate_universe(api_universe, cut)
    full_p = ForecastPredictor(api_universe, served)
    cut_p = ForecastPredictor(short, served)
    pos_full = full_p.sessions.get_loc(pd.Timestamp(cut))
    assert cut_p.sessions[-1] == pd.Timestamp(cut)
    for ticker in full_p.tickers[:12]:
        a = full_p.predict(ticker, 7, pos_full)
        b = cut_p.predict(ticker, 7, len(cut_p.sessions) - 1)
        for k in ("expected_return", "volatility", "prob_up", "prob_flat", "prob_down"):
            assert a[k] == pytest.approx(b[k], rel=1e-6, abs=1e-9), (ticker, k)
        assert a["politician_activity"] == b["politician_activity"]
        assert [m["status"] for m in a["members"]] == [m["status"] for m in b["members"]]
