"""The fitted ensemble: walk-forward evaluation, prediction, schema, insights, persistence."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

HORIZON = 7


def test_walk_forward_uses_the_forecast_folds_out_of_sample(fitted):
    from workbench.ensemble.evaluation import make_folds

    ev = fitted.evaluations_[HORIZON]
    stack = fitted.stacks_[HORIZON]
    folds = make_folds(HORIZON, stack.step)
    assert folds.purge == int(np.ceil(HORIZON / stack.step))
    pred = ev.predictions
    for fold, (tr, te) in enumerate(folds.split(stack.dates)):
        got = pred[pred["fold"] == fold]
        assert len(got) == len(te)
        # every training date precedes the test block by more than the purge gap
        uniq = stack.dates.unique().sort_values()
        gap = uniq.get_loc(stack.dates[te].min()) - uniq.get_loc(stack.dates[tr].max())
        assert gap > folds.gap
        np.testing.assert_allclose(got["y"].to_numpy(), stack.y[te])
    for m in ev.members:       # every member is scored alone on the same rows
        assert pred[f"{m}_ret"].notna().all()
    assert set(ev.layout["set"]) == {"train", "gap", "test"}


def test_evaluation_tables(fitted):
    ev = fitted.evaluations_[HORIZON]
    skill = ev.skill()
    assert {"ensemble", "zero", *ev.members} <= set(skill["predictor"])
    y = ev.predictions["y"].to_numpy()
    z = skill.set_index("predictor").loc["zero", "mse"]
    assert z == pytest.approx(np.mean(y ** 2))
    comp = ev.comparisons()
    assert comp["dm_p"].between(0, 1).all()
    assert comp["is_best"].sum() == 2          # the best member, for return and direction
    curve = ev.calibration()
    assert curve["count"].sum() == len(ev.predictions)
    assert 0 <= ev.ece() < 0.25
    assert (ev.by_fold()["n_samples"] > 0).all()


def test_temperature_comes_from_earlier_folds(fitted):
    from workbench.ensemble.meta import fit_temperature

    ev = fitted.evaluations_[HORIZON]
    p = ev.predictions
    raw = p[[f"ens_raw_p_{c}" for c in ("down", "flat", "up")]].to_numpy()
    assert ev.temperatures.iloc[0] == 1.0
    f1 = ev.temperatures.index[1]
    earlier = (p["fold"] < f1).to_numpy()
    assert ev.temperatures.loc[f1] == pytest.approx(
        fit_temperature(raw[earlier], p.loc[earlier, "direction"].to_numpy()))


def test_prediction_adds_up_and_is_json_safe(small, fitted):
    from workbench.ensemble import predict_ticker

    ticker = sorted(small.prices["ticker"].unique())[12]
    p = predict_ticker(small, ticker, as_of="2020-08-14", horizon=HORIZON, ensemble=fitted)
    assert p.as_of == pd.Timestamp("2020-08-14")
    assert p.expected_return == pytest.approx(p.intercept + sum(p.attribution.values()),
                                              abs=1e-12)
    assert p.prob_up + p.prob_flat + p.prob_down == pytest.approx(1.0)
    assert p.confidence == max(p.prob_up, p.prob_flat, p.prob_down)
    assert p.volatility > 0
    d = p.to_dict()
    text = json.dumps(d, allow_nan=False)
    assert "NaN" not in text
    for key in ("expected_return", "volatility", "prob_up", "prob_flat", "prob_down",
                "confidence", "attribution", "members", "insights", "similar_patterns",
                "current_regime", "factors", "anomaly_score", "politician_activity",
                "gamma_exposure", "meta", "summary"):
        assert key in d
    names = [m["name"] for m in d["members"]]
    assert names == list(fitted.member_names) and set(d["attribution"]) == set(names)
    for m in d["members"]:
        assert set(m) >= {"name", "value", "uncertainty", "status", "reason"}
    if d["similar_patterns"]:
        assert {"ticker", "start", "end", "distance", "outcome"} <= set(d["similar_patterns"][0])


def _numbers(obj, out):
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k != "insights":
                _numbers(v, out)
    elif isinstance(obj, list):
        for v in obj:
            _numbers(v, out)
    elif isinstance(obj, bool):
        out.append(float(obj))
    elif isinstance(obj, int | float):
        out += [float(obj), float(obj) * 100]
    return out


def test_insight_numbers_come_from_the_prediction(small, fitted):
    from workbench.ensemble import predict_ticker

    tickers = sorted(small.prices["ticker"].unique())
    for ticker, day in ((tickers[1], "2020-05-01"), (tickers[30], "2020-11-20"),
                        (tickers[44], None)):
        d = predict_ticker(small, ticker, as_of=day, horizon=HORIZON, ensemble=fitted).to_dict()
        fields = np.array(_numbers(d, []))
        assert d["insights"]
        for s in d["insights"]:
            text = re.sub(r"\d{4}-\d{2}-\d{2}", "", s)      # dates are not quantities
            for tok in re.findall(r"[+-]?\d+(?:\.\d+)?", text):
                x = float(tok)
                dec = len(tok.split(".")[1]) if "." in tok else 0
                tol = 0.5 * 10 ** -dec + 1e-9
                assert np.any(np.abs(fields - x) <= tol) or np.any(
                    np.abs(np.abs(fields) - abs(x)) <= tol), (tok, s)


def test_unknown_ticker_raises_no_prediction(small, fitted):
    from workbench.ensemble import NoPrediction, predict_ticker

    with pytest.raises(NoPrediction):
        predict_ticker(small, "NOPE", ensemble=fitted)
    with pytest.raises(NoPrediction):
        predict_ticker(small, small.prices["ticker"].iloc[0], as_of="2001-01-01",
                       ensemble=fitted)


def test_save_and_load_predict_the_same(small, fitted, tmp_path):
    from workbench.ensemble import load_ensemble, predict_ticker, save_ensemble

    path = save_ensemble(fitted, tmp_path / "ens.json")
    back = load_ensemble(path)
    assert back.member_names == fitted.member_names
    ticker = sorted(small.prices["ticker"].unique())[20]
    a = predict_ticker(small, ticker, as_of="2020-10-01", horizon=HORIZON, ensemble=fitted)
    b = predict_ticker(small, ticker, as_of="2020-10-01", horizon=HORIZON, ensemble=back)
    assert a.to_dict() == b.to_dict()
    with pytest.raises(FileNotFoundError):
        load_ensemble(tmp_path / "missing.json")


def test_too_little_history_falls_back_to_equal_weights(seed, cheap_members):
    from workbench.data import load_universe
    from workbench.ensemble import MultiModelEnsemble

    u = load_universe("synthetic", seed=seed, start="2020-01-02", n_tickers=60)
    ens = MultiModelEnsemble(members=cheap_members)
    p = ens.predict(u, sorted(u.prices["ticker"].unique())[0], horizon=90)
    assert ens.info_[90]["status"].startswith("equal weights")
    assert p.prob_up == pytest.approx(1 / 3) and p.meta["ece"] is None
    assert any("not calibrated" in s for s in p.insights)


def test_cached_prediction_is_fast(small, fitted):
    """Member states are built once per universe; a prediction is then a lookup (no timing
    assertion: the time is reported by benchmarks/bench_ensemble.py)."""
    from workbench.ensemble.context import context_for

    ctx = context_for(small)
    before = dict(ctx._states)
    fitted.predict(small, sorted(small.prices["ticker"].unique())[9], horizon=HORIZON)
    assert dict(ctx._states).keys() == before.keys()
