"""The vectorized feature store against one-trade-at-a-time references (tests/features/naive_features.py)."""

from __future__ import annotations

import numpy as np
import pytest
from naive_features import (
    flow_features_of,
    history_features_of,
    price_features_at,
    since_tx_features,
)


@pytest.fixture(scope="module")
def sample(universe, seed):
    """Priced stock trades: early ones (warm-up NaN), late ones, big lags, random ones."""
    t = universe.trades
    priced = set(universe.prices["ticker"].astype(str))
    ok = t[(t["asset_type"] == "stock") & t["ticker"].astype(str).isin(priced)]
    rng = np.random.default_rng(seed)
    lag = (ok["disclosure_date"] - ok["transaction_date"]).dt.days
    picks = [ok.index[:2], ok.index[-2:], lag.nlargest(2).index,
             rng.choice(ok.index, 6, replace=False)]
    return t.loc[np.unique(np.concatenate([np.asarray(p) for p in picks]))]


def _compare(got, ref: dict, trade_id):
    for k, v in ref.items():
        assert got[k] == pytest.approx(v, rel=1e-9, abs=1e-9, nan_ok=True), (trade_id, k)


def test_price_features_match_per_trade_reference(features, universe, sample):
    for _, trade in sample.iterrows():
        got = features.frame.loc[trade["trade_id"]]
        ref = {**price_features_at(universe, trade, "dec"),
               **price_features_at(universe, trade, "tx"), **since_tx_features(universe, trade)}
        _compare(got, ref, trade["trade_id"])
        assert np.isfinite(got["rsi_14"]) or got.name in set(sample["trade_id"][:2])


def test_flow_and_history_match_filters(features, universe, sample):
    for _, trade in sample.iterrows():
        got = features.frame.loc[trade["trade_id"]]
        _compare(got, flow_features_of(universe.trades, trade), trade["trade_id"])
        _compare(got, history_features_of(universe, trade), trade["trade_id"])
