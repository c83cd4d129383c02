"""Fast DTW search against the every-window reference (tests/patterns/naive.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from naive_patterns import naive_dtw, naive_topk

from workbench.exceptions import DataError
from workbench.patterns import dtw_distance, find_similar_patterns
from workbench.patterns.search import search_topk, stack_histories


def random_prices(rng, n, k, nan_rate=0.0):
    px = 50 * np.exp(np.cumsum(rng.normal(0, 0.015, (n, k)), axis=0))
    px[rng.random(px.shape) < nan_rate] = np.nan
    return pd.DataFrame(px, index=pd.bdate_range("2015-01-01", periods=n),
                        columns=[f"T{i}" for i in range(k)])


@pytest.mark.parametrize("radius", [0, 1, 3, 5])
def test_dtw_kernel_matches_pure_python(seed, radius):
    rng = np.random.default_rng(seed)
    for m in (5, 17, 30):
        a, b = rng.normal(size=m), rng.normal(size=m)
        assert dtw_distance(a, b, radius) == pytest.approx(naive_dtw(a, b, radius), rel=1e-12)


@pytest.mark.parametrize("case", range(6))
def test_fast_topk_equals_reference(seed, case):
    rng = np.random.default_rng(seed + case)
    n = int(rng.integers(60, 260))
    k_ser = int(rng.integers(1, 6))
    m = int(rng.choice([8, 20, 30]))
    df = random_prices(rng, n, k_ser, nan_rate=[0.0, 0.02][case % 2])
    st = stack_histories(df)
    q = np.cumsum(rng.normal(size=m)) if case % 3 else np.log(df.iloc[10:10 + m, 0].ffill().bfill().to_numpy())
    radius, top_k = int(rng.integers(0, 4)), int(rng.integers(1, 6))
    starts, dists, _ = search_topk(q, st, top_k, radius, m)
    ref = naive_topk(q, [st.values[st.series_id == i] for i in range(k_ser)], top_k, radius, m)
    fast = [(int(st.series_id[s]), int(st.pos[s])) for s in starts]
    assert fast == [(si, s) for si, s, _ in ref]
    np.testing.assert_allclose(dists, [d for _, _, d in ref], rtol=1e-9, atol=1e-12)


def test_matches_do_not_overlap_and_exclude_self(seed):
    rng = np.random.default_rng(seed)
    df = random_prices(rng, 600, 4)
    q = df["T1"].iloc[300:330]
    res = find_similar_patterns(q, df, top_k=6, query_ticker="T1", require_outcome=False,
                                as_of=df.index[-1])
    m = res.matches
    assert len(m) == 6
    assert (m["distance"].diff().dropna() >= -1e-12).all()
    for _, g in m.groupby("ticker"):
        starts = np.sort(df.index.get_indexer(g["start"]))
        assert (np.diff(starts) >= 30).all()
    own = m[m["ticker"] == "T1"]
    qs, qe = df.index[300], df.index[329]
    assert not ((own["end"] >= qs) & (own["start"] <= qe)).any()


def test_no_lookahead_outcomes_known_at_query_date(seed):
    rng = np.random.default_rng(seed)
    df = random_prices(rng, 700, 3)
    q = df["T0"].iloc[500:530]
    res = find_similar_patterns(q, df, top_k=5, horizons=(30, 90), query_ticker="T0")
    last_allowed = df.index[529 - 90]
    assert (res.matches["end"] <= last_allowed).all()
    assert res.forecast["n"].tolist() == [5, 5]


def test_outcomes_and_forecast_by_hand(seed):
    rng = np.random.default_rng(seed)
    df = random_prices(rng, 400, 3)
    res = find_similar_patterns(df["T2"].iloc[200:230], df, top_k=4, horizons=(30,),
                                query_ticker="T2")
    for _, r in res.matches.iterrows():
        e = df.index.get_loc(r["end"])
        expect = df[r["ticker"]].iloc[e + 30] / df[r["ticker"]].iloc[e] - 1
        assert r["ret_30"] == pytest.approx(expect, rel=1e-12)
        assert res.paths.loc[30, r["rank"]] == pytest.approx(expect, rel=1e-12)
    w = 1 / res.matches["distance"].to_numpy()
    mean = np.sum(w * res.matches["ret_30"]) / w.sum()
    f = res.forecast.set_index("horizon").loc[30]
    assert f["mean"] == pytest.approx(mean, rel=1e-6)
    assert f["low"] <= f["mean"] <= f["high"] or f["n"] < 2
    assert 0 <= f["hit_rate"] <= 1


def test_recovers_planted_repeated_shape(seed):
    rng = np.random.default_rng(seed)
    df = random_prices(rng, 800, 8)
    shape = 0.35 * np.sin(np.linspace(0, 3 * np.pi, 30)) + np.linspace(0, 0.1, 30)
    plants = [(1, 100), (3, 400), (5, 250), (6, 600)]
    for col, s in plants:
        seg = df.iloc[s:s + 30, col].to_numpy()
        df.iloc[s:s + 30, col] = seg * np.exp(shape - shape[0])
        df.iloc[s + 30:, col] *= np.exp(shape[-1] - shape[0])
    q = df.iloc[600:630, 6]
    res = find_similar_patterns(q, df, top_k=3, query_ticker=df.columns[6],
                                as_of=df.index[-1], require_outcome=False)
    found = {(r.ticker, df.index.get_loc(r.start)) for r in res.matches.itertuples()}
    for col, s in plants[:3]:
        assert any(t == df.columns[col] and abs(p - s) <= 2 for t, p in found)


def test_bad_input_raises_data_error():
    df = pd.DataFrame({"A": [1.0, -2.0, 3.0, 4.0]}, index=pd.bdate_range("2020-01-01", periods=4))
    with pytest.raises(DataError, match="non-positive"):
        find_similar_patterns(np.array([1.0, 2.0, 3.0]), df)
    with pytest.raises(DataError):
        find_similar_patterns(np.array([1.0, 2.0]), df.abs())


def test_topk_larger_than_available_windows(seed):
    """Few windows, k above what fits: every valid window once, none spanning two series."""
    rng = np.random.default_rng(seed)
    df = random_prices(rng, 40, 3)
    st = stack_histories(df)
    q = np.cumsum(rng.normal(size=10))
    starts, dists, _ = search_topk(q, st, 50, 1, 10)
    ref = naive_topk(q, [st.values[st.series_id == i] for i in range(3)], 50, 1, 10)
    assert [(int(st.series_id[s]), int(st.pos[s])) for s in starts] == [(a, b) for a, b, _ in ref]
    assert all(st.series_id[s] == st.series_id[s + 9] for s in starts)
