"""workbench.overview.summary against row-by-row references."""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
import pandas as pd
import pytest

from workbench.exceptions import DataError
from workbench.overview.summary import (
    OTHER_AMOUNTS,
    amount_distribution,
    asset_type_counts,
    compute_overview,
    select_trades,
    top_tickers,
    top_traders,
    trades_per_month,
)


@pytest.fixture(scope="module")
def trades(universe, seed):
    """2,000 trades of the universe with holes: missing dates, chamber, ticker, amounts."""
    rng = np.random.default_rng(seed)
    t = universe.trades.sample(2000, random_state=seed).reset_index(drop=True).copy()
    for col, k in (("transaction_date", 30), ("chamber", 10), ("ticker", 40)):
        t.loc[rng.choice(len(t), k, replace=False), col] = None
    t.loc[rng.choice(len(t), 25, replace=False), ["amount_low", "amount_high", "amount_mid"]] = \
        np.nan
    return t


def test_trades_per_month_matches_naive(trades):
    counts = Counter()
    for d, c in zip(trades["transaction_date"], trades["chamber"], strict=True):
        if pd.notna(d):
            counts[(pd.Timestamp(d.year, d.month, 1), "unknown" if pd.isna(c) else c)] += 1
    got = trades_per_month(trades)
    assert int(got.to_numpy().sum()) == sum(counts.values())
    for (m, c), n in counts.items():
        assert got.loc[m, c] == n
    months = pd.date_range(min(m for m, _ in counts), max(m for m, _ in counts), freq="MS")
    assert got.index.equals(pd.DatetimeIndex(months, name="month"))


def test_top_tables_match_naive(trades):
    n_by = Counter(trades["politician"].fillna("(unknown)"))
    vol = defaultdict(float)
    for p, v in zip(trades["politician"], trades["amount_mid"], strict=True):
        vol[p] += 0.0 if pd.isna(v) else float(v)
    got = top_traders(trades, 10)
    want = sorted(n_by.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    assert list(zip(got["politician"], got["n_trades"], strict=True)) == want
    np.testing.assert_allclose(got["volume_mid"], [vol[p] for p, _ in want], rtol=1e-12)
    tt = top_tickers(trades, 10)
    tick = Counter(t for t in trades["ticker"] if pd.notna(t))
    assert list(zip(tt["ticker"], tt["n_trades"], strict=True)) == \
        sorted(tick.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    first = trades[trades["ticker"] == tt["ticker"].iloc[0]]
    assert tt["n_buys"].iloc[0] == int((first["side"] == "buy").sum())
    assert tt["n_politicians"].iloc[0] == first["politician"].nunique()


def test_asset_types_and_amounts_sum_to_all(trades):
    at = asset_type_counts(trades)
    assert at["n_trades"].sum() == len(trades)
    assert at["share"].sum() == pytest.approx(1.0, abs=1e-12)
    am = amount_distribution(trades)
    assert am["n_trades"].sum() == len(trades)
    assert am["bracket"].iloc[-1] == "Unknown"
    assert am["n_trades"].iloc[-1] == int(trades["amount_low"].isna().sum())
    lows = am["amount_low"].dropna().to_numpy()
    assert np.all(np.diff(lows) > 0)
    assert all(label.count("$") <= 1 for label in am["bracket"])  # plotly: no LaTeX


def test_amount_distribution_matches_naive():
    """Standard ranges by lower bound, open-ended, other (exact) amounts, unknown."""
    lo = [1001, 1001, 15001, 50_000_001, 15.0, 163.2, np.nan, 1001, 250_001]
    hi = [15000, 15000, 50000, np.nan, 15.0, 163.2, np.nan, 15000, 500_000]
    t = pd.DataFrame({"amount_low": lo, "amount_high": hi})
    got = amount_distribution(t)
    assert got["bracket"].tolist() == ["$1,001 - 15,000", "$15,001 - 50,000",
                                       "$250,001 - 500,000", "Over $50,000,001", OTHER_AMOUNTS,
                                       "Unknown"]
    assert got["n_trades"].tolist() == [3, 1, 1, 1, 2, 1]
    np.testing.assert_allclose(got["share"], np.array([3, 1, 1, 1, 2, 1]) / 9, atol=1e-12)


def test_select_trades(trades):
    s = select_trades(trades, chamber="senate", start="2015-01-01", end="2016-06-30")
    d = trades["transaction_date"]
    want = ((trades["chamber"] == "senate") & (d >= "2015-01-01") & (d <= "2016-06-30")).fillna(
        False).astype(bool)
    assert len(s) == int(want.sum())
    assert len(select_trades(trades)) == len(trades)  # no bounds: missing dates kept
    for bad in ({"chamber": "both"}, {"start": "2020-13-01"}, {"start": "2020", "end": "2019"},
                {"date": "filing"}):
        with pytest.raises(DataError):
            select_trades(trades, **bad)


def test_compute_overview(trades):
    ov = compute_overview(trades, top_n=5)
    assert ov.n_trades == len(trades) and len(ov.top_traders) == 5
    assert ov.first_date == trades["transaction_date"].min()
    assert ov.to_frame()["n_trades"].sum() == trades["transaction_date"].notna().sum()
    assert ov.summary()["trades"] == len(trades)
    empty = compute_overview(trades.iloc[:0])
    assert empty.n_trades == 0 and empty.top_traders.empty and empty.per_month.empty
