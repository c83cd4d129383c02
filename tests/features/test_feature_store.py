"""trade_features: size, catalog, public view, parquet, as_of."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from workbench.features import GROUPS, trade_features


def test_two_hundred_features_in_every_group(features, universe):
    f = features.frame
    assert f.shape[0] == len(universe.trades)
    assert f.index.is_unique and f.index.name == "trade_id"
    assert f.shape[1] >= 200
    assert set(features.catalog["group"]) == set(GROUPS)
    assert list(features.catalog["name"]) == list(f.columns)
    for col in ("name", "group", "description", "unit", "lookback", "sources"):
        assert features.catalog[col].astype(str).str.len().gt(0).all(), col
    # each group computes something on most trades
    cov = features.coverage()
    assert (cov["share_non_missing"] > 0.8).all(), cov


def test_public_view_drops_transaction_features(features):
    pub = features.public()
    assert not any(c.endswith("_tx") for c in pub.columns)
    assert len(pub.columns) + sum(c.endswith("_tx") for c in features.frame.columns) == \
        features.frame.shape[1]
    assert "rsi_14_tx" in features.frame.columns and "rsi_14" in pub.columns


def test_known_values(features, universe):
    t = universe.trades.set_index("trade_id")
    f = features.frame
    lag = (t["disclosure_date"] - t["transaction_date"]).dt.days.reindex(f.index)
    np.testing.assert_array_equal(f["disclosure_lag_days"].to_numpy(), lag.to_numpy(dtype=float))
    assert ((f["is_late"] == 1) == (lag > 45)).all()
    dow = pd.to_datetime(t["disclosure_date"]).dt.dayofweek.reindex(f.index)
    np.testing.assert_array_equal(f["day_of_week"].to_numpy(), dow.to_numpy(dtype=float))
    # RSI in [0, 100], Bollinger width positive, probabilities sum to one
    assert f["rsi_14"].dropna().between(0, 100).all()
    assert (f["bb_width_20"].dropna() > 0).all()
    p = f[[c for c in f.columns if c.startswith("regime_p_") and not c.endswith("_tx")]].dropna()
    assert len(p) > 1000
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-6)


def test_parquet_round_trip(features, tmp_path):
    path = features.to_parquet(tmp_path / "f.parquet")
    back = pd.read_parquet(path)
    pd.testing.assert_frame_equal(back, features.frame)
    meta = pq.read_schema(path).metadata
    assert b"workbench.catalog" in meta


def test_as_of_and_groups(small_universe):
    cut = pd.Timestamp("2019-06-28")
    fs = trade_features(small_universe, as_of=cut, groups=("time", "history"))
    t = small_universe.trades.set_index("trade_id")
    assert (t.loc[fs.frame.index, "disclosure_date"] <= cut).all()
    assert set(fs.catalog["group"]) == {"time", "history"}
    assert fs.as_of == cut
