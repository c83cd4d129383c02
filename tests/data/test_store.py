"""Store, ingest and coverage tests.

Coverage is checked on small hand-built frames with hand-computed answers; the store on
hand-built CSVs and on the real shared data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.data.coverage import compute_coverage

# ---------------------------------------------------------------------------------------------
# coverage


def hand_trades() -> pd.DataFrame:
    rows = [
        # politician, bioguide, chamber, party, ticker, asset_type, tx, disclosure, raw_name
        ("Ann A", "A000001", "senate", "Democrat", "AAA", "stock", "2019-01-10", "2019-01-20", "Ann A"),
        ("Ann A", "A000001", "senate", "Democrat", "BBB", "stock", "2019-06-03", "2019-08-30", "Ann A"),
        ("Ann A", "A000001", "senate", "Democrat", None, "stock", "2020-02-03", "2020-02-10", "Ann A"),
        ("Bob B", None, "senate", None, "AAA", "stock", "2020-03-02", None, "Bob  B."),
        ("Bob B", None, "senate", None, "ZZZ", "bond", "2020-03-02", "2020-05-01", "Bob  B."),
        ("Cy C", "C000003", "house", "Republican", "AAA", "stock", "2020-12-31", "2021-03-01", "Cy C"),
        ("Cy C", "C000003", "house", "Republican", "CCC", "stock", "2020-07-01", "2020-06-30", "Cy C"),
        ("Dee D", None, "house", None, "AAA", "stock", None, "2021-01-05", "Dee D"),
    ]
    cols = ["politician", "bioguide_id", "chamber", "party", "ticker", "asset_type",
            "transaction_date", "disclosure_date", "raw_name"]
    df = pd.DataFrame(rows, columns=cols)
    for c in ("transaction_date", "disclosure_date"):
        df[c] = pd.to_datetime(df[c])
    return df


def hand_prices() -> pd.DataFrame:
    # AAA quoted 2019-01-02..2020-12-31; BBB 2019-06-03..2019-06-04; CCC only 2021.
    rows = [("2019-01-02", "AAA"), ("2020-06-01", "AAA"), ("2020-12-31", "AAA"),
            ("2019-06-03", "BBB"), ("2019-06-04", "BBB"), ("2021-01-04", "CCC")]
    df = pd.DataFrame(rows, columns=["date", "ticker"])
    df["date"] = pd.to_datetime(df["date"])
    df["adj_close"] = 1.0
    return df


def test_coverage_counts_and_resolution():
    cov = compute_coverage(hand_trades())
    assert cov.n_trades == 8
    assert cov.n_missing_transaction_date == 1
    t = cov.by_chamber_year
    assert t.loc["senate", 2019] == 2 and t.loc["senate", 2020] == 3
    assert t.loc["house", 2020] == 2 and t.loc["house", 2019] == 0
    assert int(t.to_numpy().sum()) == 7
    assert cov.resolution_rate == pytest.approx(5 / 8)
    bp = cov.by_party.set_index(["chamber", "party"])["n_trades"]
    assert bp[("senate", "Democrat")] == 3 and bp[("senate", "unknown")] == 2
    assert bp[("house", "Republican")] == 2 and bp[("house", "unknown")] == 1
    un = cov.unresolved
    assert list(un["politician"]) == ["Bob B", "Dee D"]
    assert list(un["raw_name"]) == ["Bob  B.", "Dee D"]
    assert list(un["n_trades"]) == [2, 1]
    long = cov.to_frame()
    assert long["n_trades"].sum() == 7


def test_coverage_lag_and_deadline():
    cov = compute_coverage(hand_trades())
    expected = [10, 88, 7, np.nan, 60, 60, -1, np.nan]
    np.testing.assert_allclose(cov.lag_days.to_numpy(), expected, equal_nan=True)
    known = np.array([10, 88, 7, 60, 60, -1], dtype=float)
    np.testing.assert_allclose(cov.lag_quantiles.to_numpy(),
                               np.quantile(known, [0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99]))
    # late (> 45 days): 88 (Ann), 60 (Bob), 60 (Cy) -> 3 of 6 known
    assert cov.share_after_deadline == pytest.approx(3 / 6)
    lf = cov.latest_filers.set_index("politician")
    assert set(lf.index) == {"Ann A", "Bob B", "Cy C"}
    assert lf.loc["Ann A", "n_late"] == 1
    assert lf.loc["Ann A", "share_late"] == pytest.approx(1 / 3)
    assert lf.loc["Ann A", "max_lag"] == pytest.approx(88)
    assert lf.loc["Bob B", "share_late"] == pytest.approx(1.0)
    assert lf.loc["Cy C", "share_late"] == pytest.approx(0.5)
    # a tighter deadline counts more trades late
    cov7 = compute_coverage(hand_trades(), deadline_days=7)
    assert cov7.share_after_deadline == pytest.approx(4 / 6)


def test_coverage_prices_bracket_definition():
    cov = compute_coverage(hand_trades(), hand_prices())
    # stock trades: 7 (all but the bond). Covered: first <= tx < last for the ticker:
    #  AAA 2019-01-10 yes; BBB 2019-06-03 yes (quote on the day and one after);
    #  None ticker no; AAA 2020-03-02 yes; AAA 2020-12-31 no (no later quote);
    #  CCC 2020-07-01 no (series starts later); AAA with no tx date no.
    assert cov.price_coverage == pytest.approx(3 / 7)
    tab = cov.price_coverage_table.set_index(["chamber", "year"])
    assert tab.loc[("senate", 2019), "n_covered"] == 2
    assert tab.loc[("senate", 2020), "n_stock_trades"] == 2
    assert tab.loc[("senate", 2020), "coverage"] == pytest.approx(0.5)
    assert tab.loc[("house", 2020), "coverage"] == pytest.approx(0.0)
    # slow reference: loop over trades
    trades, prices = hand_trades(), hand_prices()
    hits = 0
    stock = trades[trades["asset_type"] == "stock"]
    for _, r in stock.iterrows():
        q = prices.loc[prices["ticker"] == r["ticker"], "date"]
        t = r["transaction_date"]
        if pd.notna(t) and (q <= t).any() and (q > t).any():
            hits += 1
    assert cov.price_coverage == pytest.approx(hits / len(stock))


def test_coverage_text_and_summary():
    cov = compute_coverage(hand_trades(), hand_prices())
    text = cov.to_text()
    assert "Trades per chamber and transaction year" in text
    assert "62.5%" in text  # resolution
    assert "42.9%" in text  # price coverage 3/7
    s = cov.summary()["value"]
    assert s[("resolution", "rate")] == pytest.approx(0.625)
    assert s[("trades", "total")] == pytest.approx(8)


def test_coverage_empty_table():
    empty = hand_trades().iloc[:0]
    cov = compute_coverage(empty)
    assert cov.n_trades == 0
    assert np.isnan(cov.resolution_rate) and np.isnan(cov.share_after_deadline)
    assert cov.by_chamber_year.empty and cov.unresolved.empty
    assert "Trades: 0" in cov.to_text()
