"""Forecast samples: targets against a per-sample loop, windows end at the decision date,
nothing after the decision date enters the inputs (truncation harness)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from lookahead import assert_no_lookahead
from naive_forecast import naive_targets

from workbench.forecast.dataset import PRICE_FEATURES, WindowDataset, build_dataset


def test_targets_match_naive(small_universe, small_data, seed):
    d = small_data
    rng = np.random.default_rng(seed)
    px = small_universe.prices
    for i in rng.choice(len(d), 40, replace=False):
        tk = d.tickers[d.sample_ticker[i]]
        close = px.loc[px["ticker"] == tk].set_index("date")["adj_close"].reindex(d.sessions)
        ret, vol, c = naive_targets(close, int(d.sample_pos[i]), d.horizon, d.flat_band)
        assert abs(d.ret[i] - ret) < 1e-10
        assert abs(d.vol[i] - vol) < 1e-10
        assert d.direction[i] == c
        # baseline input: realized vol of the h sessions up to and including t
        c_ = close.to_numpy()
        t = int(d.sample_pos[i])
        past = np.log(c_[t - d.horizon + 1: t + 1] / c_[t - d.horizon: t])
        assert abs(d.trailing_vol[i] - np.sqrt(np.mean(past ** 2))) < 1e-10


def test_window_ends_at_decision_date(small_universe, small_data):
    d = small_data
    i = len(d) // 2
    x = d.windows([i])[0]
    assert x.shape == (d.window, len(d.feature_names))
    tk = d.tickers[d.sample_ticker[i]]
    t = int(d.sample_pos[i])
    px = small_universe.prices
    close = px.loc[px["ticker"] == tk].set_index("date")["adj_close"].reindex(d.sessions)
    expect = np.log(close.to_numpy()[t - d.window + 1: t + 1] /
                    close.to_numpy()[t - d.window: t])
    np.testing.assert_allclose(x[:, PRICE_FEATURES.index("ret")], expect, rtol=1e-5, atol=1e-7)
    xb, r, v, c = WindowDataset(d, [i, i + 1]).batch([0])
    np.testing.assert_allclose(xb[0], x, rtol=1e-6)
    assert r.dtype == np.float32 and c.dtype == np.int64


def test_samples_sorted_and_targets_after_window(small_data):
    d = small_data
    assert np.all(np.diff(d.sample_pos) >= 0)
    assert d.sample_pos.max() + d.horizon <= len(d.sessions) - 1
    assert set(np.unique(d.direction)) <= {0, 1, 2}
    assert (d.vol > 0).all()


def test_no_lookahead_in_inputs(small_universe):
    """A sample's inputs and targets are identical when everything after its label is cut."""
    tickers = sorted(small_universe.prices["ticker"].astype(str).unique())[:3]

    def fn(u):
        d = build_dataset(u.prices, horizon=5, window=10, tickers=tickers)
        x = d.windows(np.arange(len(d)))
        return pd.DataFrame({
            "label_end": d.sessions[d.sample_pos + d.horizon],
            "x_sum": x.sum(axis=(1, 2)), "x_last": x[:, -1, :].sum(axis=1),
            "ret": d.ret, "vol": d.vol, "dir": d.direction, "ewma": d.ewma_vol},
            index=pd.MultiIndex.from_arrays([d.dates, d.sample_tickers]))

    # market features average over every ticker: keep all tickers, cut in time only
    assert_no_lookahead(fn, small_universe, ["2019-09-30", "2020-06-15"],
                        date_of=lambda f: f["label_end"], rtol=1e-6, atol=1e-9, min_rows=50)


def test_activity_features_enter_as_named_columns(small_universe):
    from workbench.forecast.dataset import activity_features

    tickers = sorted(small_universe.prices["ticker"].astype(str).unique())[:3]
    act = activity_features(small_universe, tickers, None)
    d = build_dataset(small_universe.prices, horizon=5, window=10, tickers=tickers,
                      activity=act)
    if act is None:                     # features package absent: price features only
        assert d.feature_names == PRICE_FEATURES
    else:
        extra = [f for f in d.feature_names if f.startswith("act_")]
        assert len(extra) == act.shape[1]
        j = d.feature_names.index("act_n_buys_21")
        i = len(d) // 2
        want = act.loc[(d.dates[i], d.sample_tickers[i]), "n_buys_21"]
        assert abs(d.features[d.sample_ticker[i], d.sample_pos[i], j] - want) < 1e-6
