"""Comparisons, findings, planted-vs-recovered and figures on a hand-made walk-forward result
(no training: the predictions are drawn with known quality)."""

from __future__ import annotations

import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from workbench.forecast.folds import PurgedWalkForward
from workbench.forecast.report import (
    forecast_findings,
    no_signal_tickers,
    planted_table,
    planted_vs_recovered,
)
from workbench.forecast.tuning import TuningResult
from workbench.forecast.walkforward import WalkForwardResult
from workbench.plotting import forecast as pf
from workbench.reports.findings import VERDICTS, render_findings


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def fake_result(seed, tickers):
    rng = np.random.default_rng(seed)
    days = pd.bdate_range("2020-01-01", periods=160)
    date = np.repeat(days, len(tickers))
    n = len(date)
    vol = np.exp(rng.normal(np.log(0.015), 0.4, n))
    ret = rng.normal(0, 1, n) * vol * np.sqrt(5)
    direction = np.where(ret > 0.005, 2, np.where(ret < -0.005, 0, 1))
    p = {"fold": (np.arange(n) >= n // 2).astype(int), "date": date,
         "ticker": np.tile(tickers, len(days)), "sample": np.arange(n), "ret": ret, "vol": vol,
         "direction": direction, "majority": 2,
         "ret_model": rng.normal(0, 0.002, n), "ret_zero": np.zeros(n),
         "ret_mean": np.full(n, 0.001), "ret_trailing_mean": rng.normal(0, 0.01, n),
         "vol_model": vol * np.exp(rng.normal(0, 0.1, n)),
         "vol_trailing": vol * np.exp(rng.normal(0, 0.7, n)),
         "vol_ewma": vol * np.exp(rng.normal(0, 0.4, n))}
    for name, pr in (("model", softmax(rng.normal(0, 0.3, (n, 3)))),
                     ("majority", np.tile([0.4, 0.15, 0.45], (n, 1))),
                     ("logistic", softmax(rng.normal(0, 0.3, (n, 3))))):
        for j, c in enumerate(("down", "flat", "up")):
            p[f"p_{name}_{c}"] = pr[:, j]
    hist = pd.DataFrame({"fold": [0, 0, 1, 1], "epoch": [1, 2, 1, 2],
                         "train_loss": [3.0, 2.8, 3.1, 2.7], "val_loss": [2.9, 2.85, 3.0, 2.9],
                         "val_ret": 1.0, "val_vol": 1.0, "val_dir": 1.0})
    return WalkForwardResult(model="lstm", horizon=5, predictions=pd.DataFrame(p), history=hist,
                             layout=PurgedWalkForward(2, purge=5).layout(date), params={})


@pytest.fixture(scope="module")
def result(small_universe, seed):
    quiet = no_signal_tickers(small_universe)[:3]
    informed = sorted(set(small_universe.truth.informed_trades["ticker"].astype(str)))[:1]
    return fake_result(seed, np.array(quiet + informed, dtype=object))


def test_comparisons_and_verdicts(result):
    comp = result.comparisons().set_index(["task", "loss", "baseline"])
    assert len(comp) == 11
    assert set(comp["verdict"]) <= set(VERDICTS)
    assert comp["dm_p"].between(0, 1).all()
    vol = comp.loc[("volatility", "QLIKE", "trailing")]
    assert vol["verdict"] == "beats baseline" and vol["dm_p"] < 1e-6
    # the return forecast is noise around zero: it cannot beat the zero forecast
    assert comp.loc[("return", "squared error", "zero"), "verdict"] == "does not beat baseline"
    m = result.metrics(by_fold=True)
    assert set(m["fold"]) == {0, 1}
    acc = m[(m.predictor == "majority") & (m.metric == "accuracy")]["value"]
    assert acc.between(0, 1).all()


def test_findings_render_escaped(result, small_universe):
    run = SimpleNamespace(result=result)
    found = forecast_findings(run, None, small_universe)
    assert any("seed's target of 60%" in f.headline for f in found)
    assert any(f.verdict == "recovered" for f in found)
    html = render_findings(found, universe=small_universe).to_html()
    assert "simulated data" in html and "<script" not in html


def test_planted_vs_recovered(result, small_universe):
    table = planted_vs_recovered(SimpleNamespace(result=result), small_universe)
    assert list(table.columns) == ["planted", "measure", "result", "p_value", "verdict"]
    assert table.loc[0, "verdict"] == "recovered"
    assert table["verdict"].iloc[1] in ("recovered", "not recovered")   # quiet tickers
    assert (table.map(len) < 60).all().all()                 # short cells: nothing clipped
    std = planted_table(SimpleNamespace(result=result), small_universe)
    frame = std.to_frame()                                   # the reports' standard table
    assert list(frame["verdict"]) == list(table["verdict"])
    assert list(frame["planted"]) == list(table["planted"])
    assert list(frame["recovered"]) == [f"{r}, p = {p}" for r, p in
                                        zip(table["result"], table["p_value"], strict=True)]
    assert "Planted vs recovered" in std.to_html()


def test_comparison_table_is_rounded(result):
    t = pf.comparison_table(result)
    for col in ("network", "baseline value", "DM p (one-sided)"):
        for v in t[col]:
            digits = re.sub(r"[^0-9]", "", v.split("e")[0]).lstrip("0")
            assert len(digits) <= 4, v


def test_figures_build(result):
    figs = [pf.plot_fold_layout(result.layout), pf.plot_learning_curves(result.history),
            pf.plot_calibration(result), pf.plot_forecast_fan(result, result.predictions.ticker[0]),
            pf.plot_fold_metric(result)]
    assert all(isinstance(f, go.Figure) and len(f.data) for f in figs)
    assert len(figs[1].data) == 4                                  # train + val per fold
    assert len(figs[2].data) == 4                                  # diagonal + 3 predictors
    trials = pd.DataFrame({"number": [0, 1, 2], "value": [0.9, 0.8, 0.85],
                           "state": ["COMPLETE", "COMPLETE", "PRUNED"]})
    tr = TuningResult({"hidden": 8}, 0.8, trials, pd.Series({"hidden": 0.7, "lr": 0.3}),
                      3, 1, 2, "in-process")
    hist = pf.plot_optuna_history(tr)
    assert [d.name for d in hist.data] == ["complete", "pruned", "best so far"]
    assert list(hist.data[2].y) == [0.9, 0.8]
    assert len(pf.plot_param_importance(tr).data[0].y) == 2
