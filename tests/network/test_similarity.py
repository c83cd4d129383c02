"""Vectorized similarity against the pairwise loop; graph construction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from naive_network import pairwise_similarity

from workbench.exceptions import DataError
from workbench.network import (
    build_network,
    combine_weights,
    compute_similarity,
    politician_attributes,
    trade_matrices,
)


def random_trades(seed: int, n_pol: int = 12, n_trades: int = 400) -> tuple[pd.DataFrame,
                                                                           pd.DataFrame]:
    rng = np.random.default_rng(seed)
    pols = [f"P{i:02d}" for i in range(n_pol)]
    ticks = [f"T{i}" for i in range(25)]
    who = rng.choice(n_pol - 1, size=n_trades)          # last politician: a single trade
    df = pd.DataFrame({
        "politician": [pols[i] for i in who],
        "ticker": rng.choice(ticks, size=n_trades),
        "side": rng.choice(["buy", "sell", "exchange"], size=n_trades, p=[0.5, 0.45, 0.05]),
        "transaction_date": pd.Timestamp("2016-01-04")
        + pd.to_timedelta(rng.integers(0, 200, size=n_trades), unit="D"),
        "party": [("Democrat" if i % 2 else "Republican") for i in who],
        "chamber": "senate", "state": "CA",
    })
    one = pd.DataFrame([{"politician": pols[-1], "ticker": "T0", "side": "buy",
                         "transaction_date": pd.Timestamp("2016-03-01"), "party": "Independent",
                         "chamber": "house", "state": "VT"}])
    df = pd.concat([df, one], ignore_index=True)
    df.loc[df.index[:3], "ticker"] = None                # rows without ticker are left out
    sec = pd.DataFrame({"ticker": ticks[:20], "sector": [f"S{i % 4}" for i in range(20)]})
    return df, sec


@pytest.mark.parametrize("bin_sessions", [1, 5])
def test_components_match_pairwise_loop(seed, bin_sessions):
    trades, sec = random_trades(seed)
    res = compute_similarity(trades, sec, bin_sessions=bin_sessions)
    kept = trades.dropna(subset=["ticker"]).reset_index(drop=True)
    d = kept["transaction_date"].to_numpy(dtype="datetime64[D]")
    bins = np.busday_count(d.min(), d) // bin_sessions
    ref = pairwise_similarity(kept, dict(zip(sec["ticker"], sec["sector"], strict=True)), bins,
                              list(res.politicians))
    for name, m in ref.items():
        np.testing.assert_allclose(getattr(res, name), m, rtol=0, atol=1e-12, err_msg=name)
    w = combine_weights(ref["jaccard"], ref["count_corr"], ref["side_agreement"],
                        ref["sector_overlap"], res.weights)
    np.testing.assert_allclose(res.weight, w, atol=1e-12)
    assert np.all(np.diag(res.weight) == 0)
    assert res.n_trades.sum() == len(kept)
    pairs = res.to_frame()
    assert len(pairs) == len(res.politicians) * (len(res.politicians) - 1) // 2


def test_weights_formula_by_hand():
    j = np.array([[1.0, 0.5], [0.5, 1.0]])
    c = np.array([[1.0, -0.3], [-0.3, 1.0]])
    a = np.array([[1.0, 0.8], [0.8, 1.0]])
    s = np.array([[1.0, 0.9], [0.9, 1.0]])
    w = combine_weights(j, c, a, s, (0.3, 0.4, 0.1, 0.2))
    assert w[0, 1] == pytest.approx(0.3 * 0.5 + 0.0 + 0.1 * 0.5 * 0.8 + 0.2 * 0.9)
    assert w[0, 0] == 0.0


def test_trade_matrices_bins_weekly(seed):
    trades, sec = random_trades(seed)
    tm = trade_matrices(trades, sec, bin_sessions=5)
    assert tm.counts.sum() == trades["ticker"].notna().sum()
    assert (tm.bins.day_of_week < 5).all()
    with pytest.raises(DataError, match="no column"):
        trade_matrices(trades.drop(columns=["side"]))
    with pytest.raises(DataError, match="no trades"):
        trade_matrices(trades.assign(ticker=None))


def test_build_network_threshold_and_attributes(seed):
    trades, sec = random_trades(seed)
    res = compute_similarity(trades, sec)
    attrs = politician_attributes(trades)
    g = build_network(res, attrs, threshold=0.0, top_fraction=0.25)
    n = len(res.politicians)
    assert list(g.nodes()) == sorted(res.politicians)
    vals = res.weight[np.triu_indices(n, 1)]
    assert g.number_of_edges() == int((vals >= np.quantile(vals, 0.75)).sum())
    assert g.nodes["P11"]["party"] == "Independent"
    assert g.nodes["P11"]["chamber"] == "house" and g.nodes["P11"]["state"] == "VT"
    for _, _, d in g.edges(data=True):
        assert d["distance"] == pytest.approx(1.0 / d["weight"])
    everything = build_network(res, attrs, top_fraction=1.0)
    assert everything.number_of_edges() == int((vals > 0).sum())
    with pytest.raises(ValueError):
        build_network(res, top_fraction=0.0)


def test_count_correlation_dense_and_degenerate_rows(seed):
    from workbench.network import count_correlation

    rng = np.random.default_rng(seed)
    x = rng.poisson(0.7, size=(6, 300)).astype(float)
    x[4] = 0.0          # no trades at all
    x[5] = 2.0          # constant
    got = count_correlation(x)
    ref = np.corrcoef(x[:4])
    np.testing.assert_allclose(got[:4, :4], ref, atol=1e-12)
    assert np.all(got[4:, :] == np.eye(6)[4:, :] * 0)
    assert np.all(got[:, 4:] == 0)
