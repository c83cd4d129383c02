"""Option-chain reader: OCC parsing against plain string slicing, cross-checks, rejects."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.data.schema import OPTION_COLUMNS
from workbench.data.sources.option_chains import (
    make_occ_symbol,
    parse_occ_symbol,
    read_option_chain,
)
from workbench.exceptions import DataError

YF = ("contractSymbol,lastTradeDate,strike,lastPrice,bid,ask,change,percentChange,volume,"
      "openInterest,impliedVolatility,inTheMoney,contractSize,currency")


def _write(path, header, rows):
    path.write_text(header + "\n" + "\n".join(rows) + "\n")
    return path


def _row(sym, strike, last=1.2, bid=1.1, ask=1.3, vol="100", oi="1000", iv="0.3", extra="",
         ltd="2021-01-04 15:59:00+00:00"):
    return (f"{sym},{ltd},{strike},{last},{bid},{ask},0.1,5.0,{vol},{oi},"
            f"{iv},False,REGULAR,USD{extra}")


def _check(res):
    assert len(res.accepted) + len(res.rejects) == res.rows_read
    assert {c: str(t) for c, t in res.accepted.dtypes.items()} == OPTION_COLUMNS


def test_plain_yfinance_chain_from_symbols(tmp_path):
    p = _write(tmp_path / "AAPL_2021-01-04.csv", YF, [
        _row("AAPL210115C00150000", 150.0), _row("AAPL210115P00132500", 132.5, vol=""),
        _row("AAPL1210219C00025000", 25.0)])  # adjusted-contract root AAPL1
    res = read_option_chain(p)
    _check(res)
    a = res.accepted
    assert res.source == "yfinance_options" and len(a) == 3 and len(res.rejects) == 0
    assert (a["quote_date"] == pd.Timestamp("2021-01-04")).all()  # from the file name
    assert a["ticker"].tolist() == ["AAPL"] * 3
    assert a["option_type"].tolist() == ["call", "put", "call"]
    assert a["expiration"].tolist() == list(pd.to_datetime(["2021-01-15", "2021-01-15",
                                                             "2021-02-19"]))
    assert a["strike"].tolist() == pytest.approx([150.0, 132.5, 25.0])
    assert np.isnan(a["volume"].iloc[1]) and np.isnan(a["underlying_price"]).all()
    assert a["implied_volatility"].tolist() == pytest.approx([0.3] * 3)
    assert "dropped column inTheMoney" in res.notes


def test_cross_checks_and_rejects(tmp_path):
    hdr = YF + ",expiration,optionType,quote_date,underlyingPrice"
    tail = ",{exp},{typ},2014-01-02,{spot}"

    def r(sym, strike, exp, typ, spot="550", **kw):
        return _row(sym, strike, extra=tail.format(exp=exp, typ=typ, spot=spot),
                    ltd="2013-12-31 20:59:00+00:00", **kw)

    rows = [
        r("AAPL140118C00550000", 550, "2014-01-17", "call"),   # 1 ok: Friday vs Saturday symbol
        r("AAPL140118P00550000", 550, "2014-01-18", "call"),   # 2 type disagrees
        r("AAPL140118C00550000", 555, "2014-01-17", "call"),   # 3 strike disagrees
        r("AAPL140125C00550000", 550, "2014-01-17", "call"),   # 4 expiration disagrees
        r("AAPL140118C00560000", 560, "2014-01-17", "call", bid=2, ask=1),   # 5 bid > ask
        r("AAPL140118C00570000", 570, "2014-01-17", "call", last=-1),       # 6 negative price
        r("AAPL140118C00580000", 580, "2014-01-17", "call", iv="-0.1"),     # 7 negative IV
        r("AAPL140118C00550000", 550, "2014-01-17", "call"),   # 8 duplicate of 1
        r("NOTASYMBOL", 550, "2014-01-17", "call"),            # 9 bad symbol
        r("", 0, "2014-01-17", "put"),                         # 10 strike 0
        r("", 540, "2014-01-17", "straddle"),                  # 11 unknown type
        r("", 540, "2013-12-20", "put"),                       # 12 expired before quote
        r("", 540, "2014-02-21", "put"),                       # 13 ok, symbol built
        r("", 530, "not a date", "put"),                       # 14 bad expiration
        r("AAPL140118C00590000", 590, "2014-01-17", "call", spot="-5"),   # 15 bad spot
        r("AAPL  140118C00600000", 600, "2014-01-17", "C"),    # 16 ok: padded OSI, type "C"
    ]
    res = read_option_chain(_write(tmp_path / "chain.csv", hdr, rows))
    _check(res)
    reasons = dict(zip(res.rejects["source_row"], res.rejects["reason"], strict=True))
    assert reasons == {
        2: "option type column (call) disagrees with contract symbol (put)",
        3: "strike column disagrees with contract symbol",
        4: "expiration column (2014-01-17) disagrees with contract symbol (2014-01-25)",
        5: "bid > ask", 6: "negative price",
        7: "negative volume, open interest or implied volatility",
        8: "duplicate contract on the same quote date",
        9: "unparseable OCC contract symbol", 10: "non-positive strike",
        11: "unrecognized option type", 12: "expiration before quote date",
        14: "unparseable expiration", 15: "non-positive underlying price",
    }
    a = res.accepted.set_index("contract_symbol")
    assert list(a.index) == ["AAPL140118C00550000", "AAPL140221P00540000",
                             "AAPL140118C00600000"]
    assert a.loc["AAPL140118C00550000", "expiration"] == pd.Timestamp("2014-01-17")
    assert a.loc["AAPL140221P00540000", "ticker"] == "AAPL"  # root of the rest of the file
    assert a["underlying_price"].tolist() == pytest.approx([550.0] * 3)
    assert a["quote_date"].eq(pd.Timestamp("2014-01-02")).all()
    assert res.rejects["raw"].iloc[0].startswith("AAPL140118P00550000,")


def test_quote_date_and_ticker_arguments(tmp_path):
    p = _write(tmp_path / "chain.csv", YF, [_row("SPY210115C00300000", 300)])
    late = read_option_chain(p, quote_date="2021-01-03")  # the row traded on 2021-01-04
    assert late.rejects["reason"].tolist() == ["last trade after quote date"]
    with pytest.raises(DataError, match="no quote date") as e:
        read_option_chain(p)
    assert e.value.file == str(p)
    res = read_option_chain(p, quote_date="2021-01-05", ticker="spy")
    assert res.accepted["quote_date"].iloc[0] == pd.Timestamp("2021-01-05")
    assert res.accepted["ticker"].iloc[0] == "SPY"


def test_bad_files(tmp_path):
    with pytest.raises(DataError, match="empty"):
        read_option_chain(_write(tmp_path / "e.csv", "", []))
    with pytest.raises(DataError, match="missing columns") as e:
        read_option_chain(_write(tmp_path / "w.csv", "strike,bid,ask", ["1,1,1"]))
    assert "contractSymbol" in str(e.value) and e.value.row == 1
    with pytest.raises(DataError, match="no such file"):
        read_option_chain(tmp_path / "nope.csv")


def test_occ_parse_matches_slicing_reference(seed):
    rng = np.random.default_rng(seed)
    roots = ["A", "SPY", "AAPL", "GOOGL", "BRKB", "AAPL1", "XYZ2"]
    syms, ref = [], []
    for _ in range(300):
        root = str(rng.choice(roots))
        exp = pd.Timestamp("2010-01-01") + pd.Timedelta(days=int(rng.integers(0, 5000)))
        typ = str(rng.choice(["call", "put"]))
        strike = int(rng.integers(1, 5_000_000)) / 1000
        s = make_occ_symbol(root, exp, typ, strike)
        syms.append(s)
        # reference: fixed-width slicing from the right
        ref.append((s[:-15], pd.Timestamp("20" + s[-15:-9]), "call" if s[-9] == "C" else "put",
                    int(s[-8:]) / 1000))
        assert (root, exp, typ, strike) == ref[-1]
    got = parse_occ_symbol(pd.Series(syms + ["bad", None, "AAPL210115X00150000"]))
    assert list(zip(got["root"][:300], got["expiration"][:300], got["option_type"][:300],
                    got["strike"][:300], strict=True)) == ref
    assert got.iloc[300:].isna().all().all()
