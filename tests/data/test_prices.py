"""Price loaders on the real parquet and AlphaVantage files, hostile inputs in tmp files, and
the vectorized validation / returns checked against row-by-row references."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.data.schema import PRICE_COLUMNS
from workbench.data.sources.prices import (
    compute_returns,
    detect_price_format,
    normalize_ticker,
    read_prices,
    read_securities,
    to_wide,
)
from workbench.exceptions import DataError

PARQUET = "prices/sp500_daily_2010_2021.parquet"
FIVE = ["AAPL", "BA", "JPM", "MSFT", "XOM"]


@pytest.fixture(scope="module")
def full(shared_path):
    """The whole parquet, read once for this module (~1 s)."""
    return read_prices(shared_path(PARQUET))


@pytest.fixture(scope="module")
def av(shared_path):
    return read_prices(shared_path("prices/alphavantage_csv"))


def _check_counts(res):
    assert len(res.accepted) + len(res.rejects) == res.rows_read
    assert list(res.accepted.columns) == list(PRICE_COLUMNS)
    assert {c: str(t) for c, t in res.accepted.dtypes.items()} == PRICE_COLUMNS


# --------------------------------------------------------------------------- real data


def test_parquet_coverage(full):
    _check_counts(full)
    acc = full.accepted
    assert full.source == "parquet_long"
    assert full.rows_read == 1_363_249 and len(full.rejects) == 0
    assert acc["ticker"].nunique() == 504
    assert acc["date"].min() == pd.Timestamp("2010-01-04")
    assert acc["date"].max() == pd.Timestamp("2021-04-21")
    assert "BRK.B" in acc["ticker"].unique()  # class shares spelled with a dot
    last = acc.groupby("ticker")["date"].max()
    assert last["VAR"] == pd.Timestamp("2021-04-16")  # Varian, taken over
    assert (last.drop("VAR") == pd.Timestamp("2021-04-21")).all()


def test_parquet_dates_are_nyse_sessions(full):
    from workbench.data.calendar import trading_days

    dates = pd.DatetimeIndex(full.accepted["date"].unique()).sort_values()
    assert dates.equals(trading_days("2010-01-04", "2021-04-21").rename(None))


def test_parquet_filters_match_full_read(full, shared_path):
    sub = read_prices(shared_path(PARQUET), tickers=["aapl", "MSFT", "BRK-B", "NOPE"],
                      start="2014-01-01", end="2014-12-31")
    _check_counts(sub)
    assert sub.rows_read == 3 * 252  # 2014 had 252 sessions; unknown tickers give nothing
    a = full.accepted
    ref = a[a["ticker"].isin(["AAPL", "MSFT", "BRK.B"]) & (a["date"] >= "2014-01-01")
            & (a["date"] <= "2014-12-31")].reset_index(drop=True)
    pd.testing.assert_frame_equal(sub.accepted, ref)


def test_known_values(full):
    a = full.accepted[full.accepted["ticker"] == "AAPL"].set_index(["ticker", "date"])
    row = a.loc[("AAPL", pd.Timestamp("2014-06-09"))]
    assert row["close"] == pytest.approx(93.70, abs=1e-9)
    assert row["adj_close"] == pytest.approx(21.108575, abs=1e-5)
    assert a.loc[("AAPL", pd.Timestamp("2021-04-21")), "adj_close"] == pytest.approx(133.5)


def test_alphavantage_directory(av):
    _check_counts(av)
    assert av.source == "alphavantage_csv"
    assert av.rows_read == 5 * 5402 and len(av.rejects) == 0
    acc = av.accepted
    assert sorted(acc["ticker"].unique()) == FIVE  # ticker from the file stem
    assert acc["date"].min() == pd.Timestamp("1999-11-01")
    assert acc["date"].max() == pd.Timestamp("2021-04-21")
    for f in FIVE:
        assert detect_price_format(av.file + f"/{f}.csv") == "alphavantage_csv"


def test_csv_filters_match_full_read(av, shared_path):
    sub = read_prices(shared_path("prices/alphavantage_csv"), tickers=["msft", "XOM"],
                      start="2014-06-01", end=pd.Timestamp("2014-06-30 16:00"))
    _check_counts(sub)
    a = av.accepted
    ref = a[a["ticker"].isin(["MSFT", "XOM"]) & (a["date"] >= "2014-06-01")
            & (a["date"] <= "2014-06-30")].reset_index(drop=True)
    assert sub.rows_read == len(ref) == 2 * 21
    pd.testing.assert_frame_equal(sub.accepted, ref)


def test_parquet_and_alphavantage_agree(full, av):
    a = full.accepted[full.accepted["ticker"].isin(FIVE)]
    m = a.merge(av.accepted, on=["date", "ticker"], suffixes=("", "_av"))
    assert len(m) == len(a) == 5 * 2844
    for c in ("open", "high", "low", "close", "adj_close", "volume"):
        np.testing.assert_allclose(m[c], m[c + "_av"], rtol=1e-12, atol=1e-9)


def test_split_adjusted_returns(av):
    aapl = av.accepted[av.accepted["ticker"] == "AAPL"]
    raw = compute_returns(aapl, field="close")["AAPL"]
    adj = compute_returns(aapl)["AAPL"]
    day = pd.Timestamp("2014-06-09")  # 7:1 split
    assert raw[day] == pytest.approx(93.70 / 645.57 - 1, abs=1e-9)  # about -85.5%
    assert raw[day] < -0.85
    assert adj[day] == pytest.approx(0.016, abs=0.002)
    assert adj.abs().loc["2010":].max() < 0.2  # no split artefacts in adjusted returns


def test_securities(shared_path, full):
    sec = read_securities(shared_path("prices/sp500_constituents.csv"))
    assert list(sec.columns) == ["ticker", "name", "sector"]
    assert len(sec) == 505 and sec["ticker"].is_unique
    assert {"BRK.B", "BF.B"} <= set(sec["ticker"])
    assert sec["sector"].nunique() == 11
    missing = set(sec["ticker"]) - set(full.accepted["ticker"].unique())
    assert missing == {"BF.B"}  # the one constituent without prices
    assert set(full.accepted["ticker"].unique()) <= set(sec["ticker"])


# --------------------------------------------------------------------------- tmp files


def _write(path, text):
    path.write_text(text)
    return path


YF_HEADER = "Date,Open,High,Low,Close,Adj Close,Volume\n"


def test_yfinance_with_and_without_ticker(tmp_path):
    p = _write(tmp_path / "BRK-B.csv", YF_HEADER
               + "2021-01-04 00:00:00-05:00,230,232,228,231,231,100\n"
               + "2021-01-05,231,233,229,232,232,100\n")
    res = read_prices(p)
    assert res.source == "yfinance_csv"
    assert list(res.accepted["ticker"]) == ["BRK.B", "BRK.B"]
    assert list(res.accepted["date"]) == list(pd.to_datetime(["2021-01-04", "2021-01-05"]))
    q = _write(tmp_path / "multi.csv", "Date,Ticker,Open,High,Low,Close,Volume\n"
               "2021-01-04,aapl,1,2,0.5,1.5,10\n2021-01-04,MSFT,1,2,0.5,1.5,10\n")
    res = read_prices(q)
    assert sorted(res.accepted["ticker"]) == ["AAPL", "MSFT"]
    assert res.notes == ("adj_close taken from close (no adjusted column)",)
    np.testing.assert_allclose(res.accepted["adj_close"], res.accepted["close"])


def test_yfinance_multi_header_layout(tmp_path):
    p = _write(tmp_path / "dl.csv",
               "Price,Close,High,Low,Open,Volume,Close,High,Low,Open,Volume\n"
               "Ticker,AAPL,AAPL,AAPL,AAPL,AAPL,MSFT,MSFT,MSFT,MSFT,MSFT\n"
               "Date,,,,,,,,,,\n"
               "2024-01-02,184.29,186.86,182.35,185.79,82488700,367.9,372.2,364.6,370.0,2525\n"
               "2024-01-03,182.91,184.27,181.94,182.65,58414500,,,,,\n")
    assert detect_price_format(p) == "yfinance_csv"
    res = read_prices(p)
    _check_counts(res)
    assert res.rows_read == 4
    a = res.accepted.set_index(["ticker", "date"])
    assert a.loc[("AAPL", pd.Timestamp("2024-01-03")), "open"] == pytest.approx(182.65)
    assert a.loc[("MSFT", pd.Timestamp("2024-01-02")), "close"] == pytest.approx(367.9)
    assert res.rejects[["source_row", "reason"]].values.tolist() == [
        [2, "no quote (all price fields empty)"]]
    with pytest.raises(DataError, match="'Ticker' and 'Date'"):
        read_prices(_write(tmp_path / "bad.csv", "Price,Close\nfoo,AAPL\nbar,\n"))


def test_hostile_rows_are_rejected_with_reasons(tmp_path):
    p = _write(tmp_path / "X.csv", YF_HEADER
               + "2021-01-04,1,2,0.5,1.5,1.5,10\n"       # ok
               + "not-a-date,1,2,0.5,1.5,1.5,10\n"       # 2 bad date
               + "2021-01-05,1,2,0.5,0,0,10\n"           # 3 zero close
               + "2021-01-06,1,2,0.5,,1.5,10\n"          # 4 missing close
               + "2021-01-07,1,0.4,0.5,1.5,1.5,10\n"     # 5 high < low
               + "2021-01-04,1,2,0.5,1.5,1.5,10\n"       # 6 duplicate of row 1
               + "2021-01-08,1,2,0.5,abc,1.5,10\n"       # 7 non-numeric close
               + "2021-01-11,1,2,0.5,1.5,1.5,-1\n")      # 8 negative volume
    res = read_prices(p)
    _check_counts(res)
    assert res.rows_read == 8 and len(res.accepted) == 1
    reasons = dict(zip(res.rejects["source_row"], res.rejects["reason"], strict=True))
    assert reasons == {
        2: "unparseable date", 3: "non-positive close", 4: "missing or non-numeric close",
        5: "high < low", 6: "duplicate (date, ticker) of source row 1",
        7: "missing or non-numeric close", 8: "negative volume"}
    assert (res.rejects["file"] == str(p)).all()
    assert res.rejects.loc[res.rejects["source_row"] == 2, "raw"].iloc[0].startswith("not-a-date")


def test_bad_files_raise_data_error(tmp_path):
    with pytest.raises(DataError, match="empty") as e:
        read_prices(_write(tmp_path / "E.csv", ""))
    assert "E.csv" in str(e.value)
    with pytest.raises(DataError, match="unrecognized price CSV header") as e:
        read_prices(_write(tmp_path / "W.csv", "a,b,c\n1,2,3\n"))
    assert e.value.row == 1 and e.value.file.endswith("W.csv")
    with pytest.raises(DataError, match="missing columns"):
        read_prices(_write(tmp_path / "M.csv", "Date,Close\n2021-01-04,1\n"))
    with pytest.raises(DataError, match="expected 6 fields, saw 7") as e:
        read_prices(_write(tmp_path / "R.csv", "Date,Open,High,Low,Close,Volume\n"
                           "2021-01-04,1,2,0.5,1.5,10\n2021-01-05,1,2,0.5,1.5,10,99\n"))
    assert e.value.row == 2
    with pytest.raises(DataError, match="unknown price file type"):
        read_prices(_write(tmp_path / "x.txt", "hello"))
    with pytest.raises(DataError, match="not a parquet"):
        read_prices(_write(tmp_path / "x.parquet", "not parquet"))
    with pytest.raises(DataError, match="no such file"):
        read_prices(tmp_path / "missing.csv")
    with pytest.raises(DataError, match="unknown price format"):
        read_prices(tmp_path / "W.csv", format="bloomberg")
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    with pytest.raises(DataError, match="no .csv or .parquet"):
        read_prices(empty_dir)


def test_hostile_parquet_with_filters(tmp_path):
    df = pd.DataFrame({
        "date": pd.to_datetime(["2020-01-02", "2020-01-03", "2020-01-03", "2020-01-06",
                                "2019-12-31", "2020-01-02"]),
        "ticker": ["A", "A", "A", "A", "A", "B"],
        "open": 1.0, "high": [2.0, 2.0, 2.0, 0.1, 2.0, 2.0], "low": 0.5,
        "close": [1.5, 1.5, 1.6, 1.5, 1.5, -1.0], "adjusted_close": 1.5, "volume": 5.0,
    })
    p = tmp_path / "long.parquet"
    df.to_parquet(p)
    res = read_prices(p, tickers=["A"], start="2020-01-01")
    _check_counts(res)
    assert res.rows_read == 4
    reasons = dict(zip(res.rejects["source_row"], res.rejects["reason"], strict=True))
    assert reasons == {3: "duplicate (date, ticker) of source row 2", 4: "high < low"}
    res = read_prices(p)
    assert res.rows_read == 6 and dict(zip(res.rejects["source_row"], res.rejects["reason"],
                                           strict=True))[6] == "non-positive close"


def test_directory_mixed_formats_and_cross_file_duplicates(tmp_path, shared_path):
    src = shared_path("prices/alphavantage_csv/MSFT.csv")
    (tmp_path / "MSFT.csv").write_text(src.read_text())
    _write(tmp_path / "yf.csv", "Date,Ticker,Open,High,Low,Close,Adj Close,Volume\n"
           "2021-04-21,MSFT,1,2,0.5,1.5,1.5,10\n2021-04-22,MSFT,1,2,0.5,1.5,1.5,10\n")
    _write(tmp_path / "README.md", "ignored")
    res = read_prices(tmp_path, start="2021-04-01")
    _check_counts(res)
    assert res.source == "alphavantage_csv+yfinance_csv"
    assert res.rejects["reason"].tolist() == ["duplicate (date, ticker) of an earlier file"]
    assert res.accepted["date"].is_monotonic_increasing and res.accepted["date"].is_unique
    assert res.accepted["date"].max() == pd.Timestamp("2021-04-22")


def _slow_reason(r: dict, seen: dict, i: int):
    """Row-by-row statement of the validation rules (reference for the vectorized path)."""
    def num(x):
        try:
            return float(x)
        except (TypeError, ValueError):
            return float("nan")

    try:
        d = pd.Timestamp(r["Date"])
    except ValueError:
        return "unparseable date"
    o, h, lo, c, a, v = (num(r[k]) for k in ("Open", "High", "Low", "Close", "Adj Close",
                                            "Volume"))
    if all(np.isnan(x) for x in (o, h, lo, c, a, v)):
        return "no quote (all price fields empty)"
    if np.isnan(c):
        return "missing or non-numeric close"
    if c <= 0:
        return "non-positive close"
    if np.isnan(a):
        return "missing or non-numeric adj_close"
    if a <= 0:
        return "non-positive adj_close"
    if o < 0 or h < 0 or lo < 0:
        return "negative open/high/low"
    if h < lo:
        return "high < low"
    if v < 0:
        return "negative volume"
    if d in seen:
        return f"duplicate (date, ticker) of source row {seen[d]}"
    seen[d] = i
    return None


def test_validation_matches_row_by_row_reference(tmp_path, seed):
    rng = np.random.default_rng(seed)
    n = 400
    dates = pd.bdate_range("2020-01-01", periods=300).strftime("%Y-%m-%d").to_numpy()
    rows = []
    for _ in range(n):
        vals = rng.normal(10, 4, 6).round(2)
        r = {"Date": rng.choice(dates), "Open": vals[0], "High": vals[1], "Low": vals[2],
             "Close": vals[3], "Adj Close": vals[4], "Volume": round(vals[5])}
        if rng.random() < 0.05:
            r["Date"] = "garbage"
        if rng.random() < 0.05:
            r[rng.choice(["Close", "Adj Close"])] = ""
        if rng.random() < 0.05:
            r["Close"] = "x"
        rows.append(r)
    frame = pd.DataFrame(rows)
    p = tmp_path / "R.csv"
    frame.to_csv(p, index=False)
    res = read_prices(p)
    _check_counts(res)
    seen: dict = {}
    text = pd.read_csv(p, dtype=str, keep_default_na=False)
    ref = {i + 1: _slow_reason(r, seen, i + 1) for i, r in enumerate(text.to_dict("records"))}
    ref = {k: v for k, v in ref.items() if v is not None}
    got = dict(zip(res.rejects["source_row"], res.rejects["reason"], strict=True))
    assert got == ref
    assert len(res.rejects) > 50  # the random data exercises most rules


def test_normalize_ticker():
    assert normalize_ticker(" brk-b ") == "BRK.B"
    assert normalize_ticker("BF/B") == "BF.B"
    assert normalize_ticker("BRK.B") == "BRK.B"
    assert normalize_ticker("aapl") == "AAPL"
    assert normalize_ticker("") is None and normalize_ticker(None) is None
    assert normalize_ticker(float("nan")) is None


def test_securities_hostile(tmp_path):
    p = _write(tmp_path / "s.csv", "Symbol,Security,GICS Sector\nBRK-B,Berkshire,Financials\n")
    assert read_securities(p)["ticker"].tolist() == ["BRK.B"]
    with pytest.raises(DataError, match="duplicate ticker") as e:
        read_securities(_write(tmp_path / "d.csv", "Symbol,Name,Sector\nA,a,x\nB,b,y\na,c,z\n"))
    assert e.value.row == 3
    with pytest.raises(DataError, match="missing columns"):
        read_securities(_write(tmp_path / "w.csv", "Symbol,Name\nA,a\n"))
    with pytest.raises(DataError, match="missing symbol"):
        read_securities(_write(tmp_path / "m.csv", "Symbol,Name,Sector\n,a,x\n"))


# --------------------------------------------------------------------------- returns


def _slow_returns(wide: pd.DataFrame, log: bool) -> pd.DataFrame:
    out = pd.DataFrame(np.nan, index=wide.index, columns=wide.columns)
    for j in range(wide.shape[1]):
        for i in range(1, len(wide)):
            p0, p1 = wide.iat[i - 1, j], wide.iat[i, j]
            if not (np.isnan(p0) or np.isnan(p1)):
                out.iat[i, j] = np.log(p1 / p0) if log else p1 / p0 - 1
    return out


def test_returns_match_reference_with_gaps(seed):
    rng = np.random.default_rng(seed)
    dates = pd.bdate_range("2020-01-01", periods=60)
    long = pd.DataFrame([(d, t, float(np.exp(rng.normal(3, 0.5))))
                         for d in dates for t in ("A", "B", "C") if rng.random() > 0.15],
                        columns=["date", "ticker", "adj_close"])
    wide = to_wide(long)
    assert wide.shape[1] == 3 and wide.isna().sum().sum() > 0
    for kind in ("simple", "log"):
        got = compute_returns(long, kind)
        ref = _slow_returns(wide, kind == "log")
        pd.testing.assert_frame_equal(got, ref, check_names=False, rtol=1e-12)
        pd.testing.assert_frame_equal(compute_returns(wide, kind), got)
    # a gap is never bridged: the session after a missing quote has no return
    gap_next = wide.isna().shift(1, fill_value=False)
    assert compute_returns(wide).where(gap_next).isna().all().all()


def test_returns_and_wide_errors():
    long = pd.DataFrame({"date": pd.to_datetime(["2020-01-02"] * 2), "ticker": ["A", "A"],
                         "adj_close": [1.0, 2.0]})
    with pytest.raises(DataError, match="duplicate"):
        to_wide(long)
    with pytest.raises(DataError, match="kind"):
        compute_returns(long.iloc[:1], "pct")
    with pytest.raises(DataError, match="no column"):
        to_wide(long.drop(columns="adj_close"))
