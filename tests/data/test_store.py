"""Store, ingest and coverage tests.

Coverage is checked on small hand-built frames with hand-computed answers; the store on
hand-built CSVs and on the real shared data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.overview.coverage import compute_coverage

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


# ---------------------------------------------------------------------------------------------
# store and ingest on hand-built files

import json  # noqa: E402
import shutil  # noqa: E402

import duckdb  # noqa: E402

from workbench.data.store import (  # noqa: E402
    detect_kind,
    ingest,
    load_universe_from_store,
    open_store,
    read_table,
    table_counts,
    write_universe,
)
from workbench.exceptions import DataError, StoreError  # noqa: E402

LEG_HEADER = ("last_name,first_name,middle_name,suffix,nickname,full_name,birthday,gender,type,"
              "state,district,senate_class,party,bioguide_id")


def house_record(i: int, **kw) -> dict:
    rec = {"transaction_date": f"03/{i + 1:02d}/2021", "disclosure_date": "04/01/2021",
           "ticker": "AAA", "asset_description": "Aaa Corp - Common Stock",
           "asset_type": "Stock", "type": "Purchase", "amount": "$1,001 - $15,000",
           "representative": "Jane Q. Doe", "district": "NJ07", "owner": "Self",
           "filing_id": "2001", "source_url": "https://example.org/ptr/2001.pdf"}
    rec.update(kw)
    return rec


def write_files(d):
    """Small files of every kind; returns name -> path."""
    d.mkdir(parents=True, exist_ok=True)
    files = {}
    recs = [house_record(0), house_record(1, ticker="BBB", type="Sale"),
            house_record(2, disclosure_date="01/01/2021"),   # disclosure before transaction
            house_record(3, amount="$15,001 - $50,000")]
    files["house"] = d / "house.json"
    files["house"].write_text(json.dumps(recs))
    files["legislators"] = d / "legislators-current.csv"
    files["legislators"].write_text(
        LEG_HEADER + "\nDoe,Jane,Q.,,,Jane Q. Doe,1970-01-01,F,rep,NJ,7,,Democrat,D000001\n"
        "Roe,Rick,,,,Rick Roe,1960-01-01,M,sen,OH,,1,Republican,R000002\n")
    files["factors"] = d / "F-F_Research_Data_5_Factors_2x3_daily.CSV"
    files["factors"].write_text(
        "This file was created by CMPT_ME_BEME_OP_INV_RETS_DAILY using the 202403 CRSP "
        "database.\nThe 1-month TBill return is from Ibbotson and Associates, Inc.\n\n"
        ",Mkt-RF,SMB,HML,RMW,CMA,RF\n20210301,   1.00,    0.50,   -0.25,    0.10,    0.20,"
        "   0.001\n20210302,   -2.00,    0.00,    0.25,   -0.10,   -0.20,   0.001\n")
    files["prices"] = d / "AAA.csv"
    files["prices"].write_text(
        "timestamp,open,high,low,close,adjusted_close,volume,dividend_amount,split_coefficient\n"
        "2021-03-02,10,11,9,10.5,10.5,1000,0.0,1.0\n2021-03-01,9,10,8,9.5,9.5,900,0.0,1.0\n"
        "2021-03-03,10.5,12,10,11,11,1100,0.0,1.0\n")
    files["securities"] = d / "constituents.csv"
    files["securities"].write_text("Symbol,Name,Sector\nAAA,Aaa Corp,Industrials\n"
                                   "BBB,Bbb Inc,Energy\n")
    return files


@pytest.fixture(scope="module")
def small_built(tmp_path_factory):
    root = tmp_path_factory.mktemp("small")
    files = write_files(root / "in")
    store = root / "store.duckdb"
    report = ingest(list(files.values()), store)
    return files, store, report


@pytest.fixture
def small(small_built, tmp_path):
    """The small store, built once per module, copied for each test (tests modify it)."""
    files, store, report = small_built
    copy = tmp_path / "store.duckdb"
    shutil.copyfile(store, copy)
    return files, copy, report


def test_detect_kind(tmp_path):
    files = write_files(tmp_path)
    for kind, path in files.items():
        assert detect_kind(path) == ("trades" if kind == "house" else kind)
    junk = tmp_path / "notes.txt"
    junk.write_text("hello")
    with pytest.raises(DataError, match="notes.txt"):
        detect_kind(junk)


def test_ingest_small_store(small):
    files, store, report = small
    f = report.files.set_index("kind")
    assert set(report.files["status"]) == {"ingested"}
    assert f.loc["trades", "read"] == 4 and f.loc["trades", "accepted"] == 3
    assert f.loc["trades", "rejected"] == 1
    with open_store(store, read_only=True) as con:
        counts = table_counts(con)
        assert counts["trades"] == 3 and counts["prices"] == 3 and counts["factors"] == 2
        assert counts["legislators"] == 2 and counts["securities"] == 2
        trades = read_table(con, "trades")
        fac = con.execute('SELECT "Mkt-RF", RF FROM factors ORDER BY date').fetchall()
    np.testing.assert_allclose(np.array(fac), [[0.01, 0.00001], [-0.02, 0.00001]], atol=1e-12)
    # resolution ran after ingest: the House member is resolved
    assert set(trades["bioguide_id"]) == {"D000001"}
    assert set(trades["party"]) == {"Democrat"}


def test_same_file_twice_adds_nothing(small):
    files, store, _ = small
    with open_store(store, read_only=True) as con:
        before = table_counts(con)
    again = ingest(list(files.values()), store)
    assert set(again.files["status"]) == {"skipped-duplicate-file"}
    assert again.files["new_rows"].sum() == 0
    with open_store(store, read_only=True) as con:
        after = table_counts(con)
        statuses = con.execute("SELECT status, count(*) FROM ingests GROUP BY 1 ORDER BY 1")\
            .fetchall()
    assert {k: v for k, v in after.items() if k != "ingests"} == \
        {k: v for k, v in before.items() if k != "ingests"}
    assert statuses == [("ingested", 5), ("skipped-duplicate-file", 5)]


def test_changed_bytes_same_rows_upsert(small, tmp_path):
    files, store, _ = small
    # same records, different bytes (pretty-printed): new sha, but rows upsert by key
    copy = tmp_path / "house_pretty.json"
    copy.write_text(json.dumps(json.loads(files["house"].read_text()), indent=2))
    prices = tmp_path / "AAA.csv"
    prices.write_text(files["prices"].read_text() + "\n")
    rep = ingest([copy, prices], store)
    assert list(rep.files["status"]) == ["ingested", "ingested"]
    assert list(rep.files["new_rows"]) == [0, 0]
    assert rep.counts_after["trades"] == 3 and rep.counts_after["prices"] == 3


def test_rejects_queryable(small):
    _, store, _ = small
    with open_store(store, read_only=True) as con:
        rows = con.execute("SELECT kind, source, reason, source_row, count(*) OVER () "
                           "FROM rejects WHERE reason LIKE '%disclosure before transaction%'")\
            .fetchall()
    assert len(rows) == 1
    kind, source, _, source_row, _ = rows[0]
    assert (kind, source, source_row) == ("trades", "house", 3)


def test_corrupt_file_rolls_back(small, tmp_path):
    files, store, _ = small
    with open_store(store, read_only=True) as con:
        before = table_counts(con)
        ingests_before = con.execute("SELECT * FROM ingests ORDER BY ingest_id").df()
    good = tmp_path / "house2.json"
    good.write_text(json.dumps([house_record(5, filing_id="2002")]))
    bad = tmp_path / "broken.json"
    bad.write_text('[{"transaction_date": "03/01/2021", "representative": "X", ')
    with pytest.raises(DataError) as err:
        ingest([good, bad], store)
    assert "broken.json" in str(err.value)
    with open_store(store, read_only=True) as con:
        assert table_counts(con) == before
        pd.testing.assert_frame_equal(
            con.execute("SELECT * FROM ingests ORDER BY ingest_id").df(), ingests_before)


def test_not_a_store(tmp_path):
    with pytest.raises(StoreError, match="no store"):
        open_store(tmp_path / "missing.duckdb", read_only=True)
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).close()
    with pytest.raises(StoreError, match="not a workbench store"):
        open_store(other, read_only=True)


def test_universe_roundtrip(universe, tmp_path):
    path = write_universe(universe, tmp_path / "synth.duckdb")
    assert (tmp_path / "truth.json").exists()
    with pytest.raises(StoreError, match="exists"):
        write_universe(universe, path)
    back = load_universe_from_store(path)
    t0 = universe.trades.sort_values("trade_id", ignore_index=True)
    pd.testing.assert_frame_equal(back.trades, t0, check_dtype=False)
    p0 = universe.prices.sort_values(["date", "ticker"], ignore_index=True)
    pd.testing.assert_frame_equal(back.prices, p0.astype(back.prices.dtypes.to_dict()),
                                  check_dtype=False)
    pd.testing.assert_frame_equal(back.factors, universe.factors, check_dtype=False,
                                  check_freq=False, atol=1e-15)
    assert len(back.options) == len(universe.options)
    assert len(back.legislators) == len(universe.legislators)
    assert back.truth is not None and back.truth.seed == universe.truth.seed
    assert (back.provenance["item"] == "meta.synthetic_seed").any()


# ---------------------------------------------------------------------------------------------
# real data: the two Senate files carry the same trades


@pytest.mark.shared
def test_senate_daily_supersedes_aggregate(shared_path, tmp_path):
    daily = shared_path("senate/all_daily_summaries.json")
    agg = shared_path("senate/all_transactions.csv")
    a = ingest([agg], tmp_path / "a.duckdb")            # aggregate first, then daily
    b = ingest([daily], tmp_path / "a.duckdb")
    c = ingest([daily, agg], tmp_path / "b.duckdb")     # both in one call, daily first
    n_daily = int(c.files.loc[0, "accepted"])
    with open_store(tmp_path / "a.duckdb", read_only=True) as con1, \
            open_store(tmp_path / "b.duckdb", read_only=True) as con2:
        ids1 = set(read_table(con1, "trades")["trade_id"])
        t2 = read_table(con2, "trades")
        overlap = con2.execute(
            "SELECT count(*) FROM trades a JOIN trades d ON a.source_url = d.source_url "
            "WHERE a.source = 'senate_aggregate' AND d.source = 'senate_daily'").fetchall()
    assert ids1 == set(t2["trade_id"])                   # order does not matter
    assert overlap == [(0,)]                             # no filing counted from both files
    left = t2[t2["source"] == "senate_aggregate"]
    assert len(t2) == n_daily + len(left)
    assert len(left) < 20                                # nearly every filing is in both
    assert b.files.loc[0, "superseded"] == c.files.loc[1, "superseded"] > 7000
    assert a.files.loc[0, "superseded"] == 0
    # every trade from a filing both files list has a disclosure date
    assert t2.loc[t2["source"] == "senate_daily", "disclosure_date"].notna().all()


def test_store_connection_draws_no_progress_bar(small):
    """In a notebook kernel DuckDB's progress bar is an ipywidget; static reports cannot show it."""
    con = open_store(small[1], read_only=True)
    try:
        assert con.execute("SELECT current_setting('enable_progress_bar')").fetchone() == (False,)
    finally:
        con.close()
