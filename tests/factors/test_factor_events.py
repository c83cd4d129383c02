"""Event study: batched estimation vs per-event lstsq; planted abnormal returns recovered."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from workbench.data.calendar import trading_days
from workbench.factors.events import abnormal_returns, disclosure_gap, event_study


def test_batched_matches_per_event_lstsq(seed):
    rng = np.random.default_rng(seed)
    T, N = 400, 6
    X = np.column_stack([np.ones(T), rng.normal(0, 0.01, (T, 2))])
    Y = X[:, 1:] @ rng.normal(1, 0.3, (2, N)) + rng.normal(0, 0.01, (T, N))
    Y[rng.random((T, N)) < 0.05] = np.nan
    anchors = rng.integers(100, 390, 40)
    cols = rng.integers(0, N, 40)
    ar, sigma, n_est = abnormal_returns(X, Y, anchors, cols, (-90, -5), (-3, 12),
                                        min_estimation=50, chunk=7)
    for e in range(40):
        a, c = anchors[e], cols[e]
        rows = np.arange(max(a - 90, 0), a - 5 + 1)
        ok = ~np.isnan(Y[rows, c])
        b = np.linalg.lstsq(X[rows][ok], Y[rows, c][ok], rcond=None)[0]
        res = Y[rows, c][ok] - X[rows][ok] @ b
        assert sigma[e] == pytest.approx(np.sqrt(res @ res / (ok.sum() - 3)), rel=1e-8)
        for j, d in enumerate(range(-3, 13)):
            r = a + d
            want = Y[r, c] - X[r] @ b if r < T else np.nan
            if np.isnan(want):
                assert np.isnan(ar[e, j])
            else:
                assert ar[e, j] == pytest.approx(want, rel=1e-7, abs=1e-12)


def _planted(seed, jump=0.03, day=2):
    rng = np.random.default_rng(seed)
    days = trading_days("2015-01-02", "2017-12-29")
    T, N = len(days), 20
    f = pd.DataFrame(rng.normal(0, 0.01, (T, 5)), index=days,
                     columns=["Mkt-RF", "SMB", "HML", "RMW", "CMA"])
    f["RF"] = 0.0001
    mkt = (f["Mkt-RF"] + f["RF"]).to_numpy()
    R = 0.0002 + np.outer(mkt, rng.uniform(0.6, 1.4, N)) + rng.normal(0, 0.01, (T, N))
    ev_rows = rng.integers(300, T - 40, 150)
    ev_cols = rng.integers(0, N, 150)
    for r, c in zip(ev_rows, ev_cols, strict=True):
        R[r + day, c] += jump           # day 0 = the disclosure session
    px = pd.DataFrame(100 * np.cumprod(1 + R, axis=0), index=days,
                      columns=[f"S{i}" for i in range(N)])
    disc = days[ev_rows]
    trades = pd.DataFrame({
        "trade_id": [f"e{i}" for i in range(150)], "politician": "P", "side": "buy",
        "asset_type": "stock", "ticker": px.columns[ev_cols],
        "transaction_date": days[ev_rows - 10], "disclosure_date": disc})
    return trades, px, f


@pytest.mark.parametrize("model", ["market", "ff5"])
def test_planted_jump_recovered(seed, model):
    trades, px, f = _planted(seed)
    res = event_study(trades, px, f, date="disclosure", model=model,
                      windows=((-10, -1), (2, 2), (0, 5)))
    # ~ overlapping events in one ticker can contaminate a few estimation windows: 2 SE slack
    t = res.tests.set_index(["start", "end"])
    assert t.loc[(2, 2), "mean_car"] == pytest.approx(0.03, abs=0.004)
    assert t.loc[(2, 2), "p"] < 1e-6 and t.loc[(2, 2), "bmp_p"] < 1e-6
    assert t.loc[(2, 2), "patell_p"] < 1e-6
    assert abs(t.loc[(-10, -1), "t"]) < 3.5
    assert res.path.loc[2, "aar"] == pytest.approx(0.03, abs=0.004)
    assert res.path.loc[5, "ci_low"] < res.path.loc[5, "caar"] < res.path.loc[5, "ci_high"]
    assert len(res.events) == 150


def test_patell_matches_a_plain_loop_and_holds_size_under_the_null(seed):
    trades, px, f = _planted(seed, jump=0.0)
    res = event_study(trades, px, f, date="disclosure", model="market", event_window=(-10, 30),
                      windows=((-10, 30),))
    ev = res.events
    k = 2  # market model: intercept and beta
    length = 41
    num, den = 0.0, 0.0
    for car, sigma, m in zip(ev["car"], ev["sigma"], ev["n_est"], strict=True):
        num += car / (sigma * math.sqrt(length))
        den += (m - k) / (m - k - 2)
    row = res.tests.iloc[0]
    assert row["patell_z"] == pytest.approx(num / math.sqrt(den), rel=1e-9)
    assert abs(row["patell_z"]) < 3.5  # nothing planted


def test_disclosure_gap_captures_pre_disclosure_move(seed):
    # jump 2 sessions before the disclosure session: inside the gap after a trade 10 sessions
    # before disclosure
    trades, px, f = _planted(seed, jump=0.04, day=-2)
    g = disclosure_gap(trades, px, f)
    assert g.stats["n"] == 150
    se = g.stats["mean_gap_car"] / g.stats["t"]
    assert abs(g.stats["mean_gap_car"] - 0.04) < 4 * se
    assert g.stats["p"] < 1e-4
    # public entry: first session after the disclosure session -> lag 11 sessions
    assert g.stats["median_lag_sessions"] == 11


def test_car_figure_carries_caar(seed):
    from workbench.plotting.factors import plot_event_car

    trades, px, f = _planted(seed)
    res = event_study(trades, px, f, event_window=(-5, 10), windows=((0, 5),))
    fig = plot_event_car(res)
    np.testing.assert_allclose(fig.data[1].y, res.path["caar"].to_numpy())
