"""Hostile inputs: every malformed file gives a DataError naming file, record and reason, or a
reject row with a reason; never a bare KeyError/ValueError/UnicodeDecodeError, never a silently
dropped row. All files are written into ``tmp_path``."""

from __future__ import annotations

import csv
import html
import json
import os
import random
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from workbench.data.schema import ParseResult, make_trade_id
from workbench.data.sources import disclosures as dz
from workbench.data.sources import text as tx
from workbench.exceptions import DataError

HOUSE = {
    "transaction_date": "04/14/2024", "disclosure_date": "05/17/2024", "ticker": "FCNCA",
    "asset_description": "First Citizens BancShares, Inc.", "asset_type": "Stock",
    "type": "Sale", "amount": "$1,001 - $15,000", "representative": "Thomas H. Kean",
    "district": "NJ07", "owner": "Self", "filing_id": "20034616",
    "source_url": "https://disclosures-clerk.house.gov/public_disc/ptr-pdfs/2024/20034616.pdf",
}
TXN = {
    "transaction_date": "02/11/2021", "owner": "Spouse",
    "ticker": '<a href="https://finance.yahoo.com/q?s=PRU" target="_blank">PRU</a>',
    "asset_description": "Prudential Financial, Inc.", "asset_type": "Stock",
    "type": "Sale (Partial)", "amount": "$1,001 - $15,000", "comment": "--",
}
FILING = {
    "first_name": "Susan M", "last_name": "Collins", "office": "Collins, Susan M. (Senator)",
    "ptr_link": "https://efdsearch.senate.gov/search/view/ptr/32550a8f-923e-416f-84f3-e19ab4f148b1/",
    "date_recieved": "03/10/2021", "transactions": [TXN, TXN], "bioguide": "C001035",
}
CSV_HEADER = ("transaction_date,owner,ticker,asset_description,asset_type,type,amount,comment,"
              "senator,ptr_link\n")
CSV_ROW = ('11/10/2020,Spouse,BYND,"Beyond Meat, Inc.",Stock,Sale (Full),"$50,001 - $100,000",--,'
           'Ron L Wyden,https://efdsearch.senate.gov/search/view/ptr/a0010f4a-c31a-4824-8b6d-'
           '6399b3ccb6f0/\n')

READERS = [dz.read_senate_daily_summaries, dz.read_senate_transactions,
           dz.read_house_transactions, dz.read_trades_csv]


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    p = tmp_path / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return p


def house(tmp_path, records, name="house.json") -> ParseResult:
    return dz.read_house_transactions(write(tmp_path, name, json.dumps(records)))


def assert_error(exc: DataError, path: Path, row: int | None, *words: str) -> None:
    text = str(exc)
    assert str(path) in text and exc.file == str(path)
    if row is not None:
        assert exc.row == row and f"row {row}" in text
    for w in words:
        assert w in text, (w, text)


def only_reject(result: ParseResult) -> str:
    assert result.rows_read == 1 and len(result.accepted) == 0 and len(result.rejects) == 1
    return result.rejects["reason"].iloc[0]


# --------------------------------------------------------------------------- broken files
def test_truncated_json(tmp_path):
    text = json.dumps([HOUSE, HOUSE, HOUSE])
    p = write(tmp_path, "cut.json", text[: text.rindex("{") + 40])
    with pytest.raises(DataError) as err:
        dz.read_house_transactions(p)
    assert_error(err.value, p, 3, "invalid JSON in record 3", "truncated")

    full = json.dumps([FILING, FILING])
    p = write(tmp_path, "cut_senate.json", full[:-5])
    with pytest.raises(DataError) as err:
        dz.read_senate_daily_summaries(p)
    assert_error(err.value, p, 2, "invalid JSON")


def test_missing_comma_between_records(tmp_path):
    p = write(tmp_path, "nocomma.json", "[" + json.dumps(HOUSE) + json.dumps(HOUSE) + "]")
    with pytest.raises(DataError) as err:
        dz.read_house_transactions(p)
    assert_error(err.value, p, 2, "expected ','")


@pytest.mark.parametrize("reader", READERS)
def test_latin1_bytes(tmp_path, reader):
    if reader in (dz.read_trades_csv, dz.read_senate_transactions):
        data = (CSV_HEADER + CSV_ROW + CSV_ROW.replace("Beyond Meat", "Beyond Caf\u00e9")
                ).encode("latin-1")
        row = 2
    else:
        rec = dict(HOUSE, representative="Nydia M. Vel\u00e1zquez")
        data = json.dumps([HOUSE, rec], ensure_ascii=False).encode("latin-1")
        row = 2
    p = write(tmp_path, "latin1.dat", data)
    kwargs = {"chamber": "senate"} if reader is dz.read_trades_csv else {}
    with pytest.raises(DataError) as err:
        reader(p, **kwargs)
    assert_error(err.value, p, row, "not valid utf-8", "latin-1")


def test_utf16_with_bom_is_decoded(tmp_path):
    plain = house(tmp_path, [HOUSE, HOUSE])
    p = write(tmp_path, "utf16.json", json.dumps([HOUSE, HOUSE]).encode("utf-16"))
    got = dz.read_house_transactions(p)
    assert got.accepted.drop(columns=[]).equals(plain.accepted)
    q = write(tmp_path, "utf16.csv", (CSV_HEADER + CSV_ROW).encode("utf-16"))
    assert len(dz.read_senate_transactions(q).accepted) == 1
    assert dz.detect_source(q) == "senate_aggregate"


def test_utf16_without_bom(tmp_path):
    p = write(tmp_path, "utf16le.json", json.dumps([HOUSE]).encode("utf-16-le"))
    with pytest.raises(DataError) as err:
        dz.read_house_transactions(p)
    assert_error(err.value, p, 1, "NUL", "UTF-16")


@pytest.mark.parametrize("reader", READERS)
def test_binary_garbage(tmp_path, reader, seed):
    rng = random.Random(seed)
    p = write(tmp_path, "garbage.bin", rng.randbytes(4096))
    kwargs = {"chamber": "house"} if reader is dz.read_trades_csv else {}
    with pytest.raises(DataError) as err:
        reader(p, **kwargs)
    assert_error(err.value, p, None)
    assert err.value.row is not None and err.value.row >= 1


@pytest.mark.parametrize("reader", READERS)
def test_empty_file(tmp_path, reader):
    p = write(tmp_path, "empty.json", b"")
    with pytest.raises(DataError) as err:
        reader(p)
    assert_error(err.value, p, None, "empty file (0 bytes)")
    with pytest.raises(DataError):
        dz.detect_source(p)


def test_empty_list_and_header_only(tmp_path):
    for reader in (dz.read_house_transactions, dz.read_senate_daily_summaries,
                   dz.read_senate_transactions):
        r = reader(write(tmp_path, "empty_list.json", " [ ]\n"))
        assert r.rows_read == 0 and r.accepted.empty and r.rejects.empty
    r = dz.read_senate_transactions(write(tmp_path, "header.csv", CSV_HEADER))
    assert r.rows_read == 0 and list(r.accepted.columns)[0] == "trade_id"


@pytest.mark.parametrize("payload", ['{"transactions": []}', '"text"', "42", "null"])
def test_wrong_top_level_type(tmp_path, payload):
    p = write(tmp_path, "top.json", payload)
    for reader in (dz.read_house_transactions, dz.read_senate_daily_summaries):
        with pytest.raises(DataError) as err:
            reader(p)
        assert_error(err.value, p, None, "expected a list of records")


def test_records_of_wrong_type(tmp_path):
    r = house(tmp_path, [HOUSE, 1, "x", None, [HOUSE]])
    assert r.rows_read == 5 and len(r.accepted) == 1
    assert r.rejects["source_row"].tolist() == [2, 3, 4, 5]
    assert r.rejects["reason"].tolist() == [
        "record is a JSON number, not an object", "record is a JSON string, not an object",
        "record is a JSON null, not an object", "record is a JSON array, not an object"]
    s = dz.read_senate_daily_summaries(write(tmp_path, "s.json", json.dumps(
        [FILING, dict(FILING, transactions="none"), 7, dict(FILING, transactions=[TXN, 3])])))
    assert s.rows_read == 2 + 1 + 1 + 2 and len(s.accepted) == 3
    assert sorted(s.rejects["reason"]) == ["filing has no 'transactions' list",
                                           "filing is a JSON number, not an object",
                                           "record is a JSON number, not an object"]


# --------------------------------------------------------------------------- hostile fields
def test_html_and_script_are_inert_text(tmp_path):
    rec = dict(HOUSE, asset_description='<script>alert("x")</script>Apple <b>Inc.</b> &amp; '
               '<img src=x onerror=alert(1)>Co &lt;script&gt;', comment="<i>note</i>")
    acc = house(tmp_path, [rec]).accepted
    desc = acc["asset_description"].iloc[0]
    assert desc == "Apple Inc. & Co <script>"  # tags stripped; an escaped tag stays as text
    assert "<" not in html.escape(desc)  # display code escapes: inert
    assert acc["comment"].iloc[0] == "note"
    bad = house(tmp_path, [dict(HOUSE, ticker="<script>alert(1)</script>")])
    assert only_reject(bad).startswith("invalid ticker")
    bad = house(tmp_path, [dict(HOUSE, ticker="AAPL; DROP TABLE trades")])
    assert only_reject(bad).startswith("invalid ticker")


@pytest.mark.parametrize("amount,reason", [
    ("$15,000 - $1,001", "inverted amount range"), ("-$5,000", "negative amount"),
    ("$1,001 - -$15,000", "negative amount"), ("lots", "unparseable amount"),
    ("$7 -", "non-standard lower bound"), (None, None)])
def test_bad_amounts(tmp_path, amount, reason):
    r = house(tmp_path, [dict(HOUSE, amount=amount)])
    if reason is None:  # JSON null amount = not disclosed: accepted with NaN amounts
        assert len(r.accepted) == 1 and r.accepted["amount_low"].isna().all()
    else:
        assert reason in only_reject(r)


def test_amount_number_and_non_text(tmp_path):
    r = house(tmp_path, [dict(HOUSE, amount=1500), dict(HOUSE, amount={"low": 1})])
    assert r.accepted["amount_low"].tolist() == [1500.0] == r.accepted["amount_high"].tolist()
    assert r.rejects["reason"].tolist() == ["field 'amount' is not text"]


@pytest.mark.parametrize("tdate,ddate,reason", [
    ("02/30/2020", "03/10/2020", "invalid date '02/30/2020' (expected MM/DD/YYYY)"),
    ("2020-13-01", "03/10/2020", "invalid date"),
    ("01/05/2100", "02/05/2100", "transaction date 2100-01-05 is in the future"),
    ("01/05/1999", "02/05/1999", "transaction date 1999-01-05 before 2008-01-01"),
    ("03/10/2020", "03/01/2020", "disclosure before transaction"),
    ("", "03/01/2020", "missing transaction date"),
    ("02/05/9999", "02/06/9999", "implausible date '02/05/9999'"),
    ("01/01/0001", "03/01/2020", "implausible date")])
def test_bad_dates(tmp_path, tdate, ddate, reason):
    r = house(tmp_path, [dict(HOUSE, transaction_date=tdate, disclosure_date=ddate)])
    assert reason in only_reject(r)


def test_unknown_categories_rejected(tmp_path):
    r = house(tmp_path, [dict(HOUSE, type="Gift"), dict(HOUSE, owner="Butler"),
                         dict(HOUSE, owner="--", type="Sale (Partial)")])
    assert r.rejects["reason"].tolist() == ["unknown transaction type 'Gift'",
                                            "unknown owner 'Butler'"]
    acc = r.accepted.iloc[0]
    assert acc["owner"] == "unknown" and acc["side"] == "sell" and acc["is_partial"]


def test_duplicates_kept_with_distinct_ids(tmp_path):
    r = house(tmp_path, [HOUSE, HOUSE, dict(HOUSE, ticker="TTWO"), HOUSE])
    assert len(r.accepted) == 4 and r.duplicates == 2
    assert r.accepted["trade_id"].is_unique
    again = house(tmp_path, [HOUSE, HOUSE, dict(HOUSE, ticker="TTWO"), HOUSE], name="again.json")
    assert again.accepted["trade_id"].tolist() == r.accepted["trade_id"].tolist()


def test_missing_keys(tmp_path):
    no_amount = {k: v for k, v in HOUSE.items() if k != "amount"}
    no_ticker = {k: v for k, v in HOUSE.items() if k not in ("ticker", "owner", "filing_id")}
    r = house(tmp_path, [no_amount, no_ticker])
    assert r.rejects["reason"].tolist() == ["missing field 'amount'"]
    acc = r.accepted.iloc[0]
    assert pd.isna(acc["ticker"]) and acc["amount_low"] == 1001.0
    assert acc["owner"] == "unknown" and acc["filing_id"] == "20034616"  # from source_url
    s = dz.read_senate_daily_summaries(write(tmp_path, "nodate.json", json.dumps(
        [{k: v for k, v in FILING.items() if k != "date_recieved"}])))
    assert set(s.rejects["reason"]) == {"filing lacks 'date_recieved' (disclosure date)"}
    assert s.rows_read == 2


def test_csv_bad_rows_and_columns(tmp_path):
    p = write(tmp_path, "t.csv", CSV_HEADER + CSV_ROW + "1,2,3\n\n" + CSV_ROW.replace(
        "Sale (Full)", "Sale (Partial)"))
    r = dz.read_senate_transactions(p)
    assert r.rows_read == 3 and len(r.accepted) == 2  # the blank line is not a record
    assert r.rejects["reason"].tolist() == ["expected 10 fields, found 3"]
    assert r.rejects["source_row"].tolist() == [2]
    assert r.accepted["is_partial"].tolist() == [False, True]
    q = write(tmp_path, "noamount.csv", "transaction_date,type,senator\n11/10/2020,Purchase,X Y\n")
    r = dz.read_trades_csv(q, chamber="senate")
    assert only_reject(r) == "missing column 'amount'"
    with pytest.raises(DataError) as err:
        dz.read_trades_csv(q, {"amount": "value"}, chamber="senate")
    assert_error(err.value, q, 1, "not in the header")
    with pytest.raises(DataError):
        dz.read_trades_csv(q, {"colour": "type"}, chamber="senate")
    with pytest.raises(DataError):
        dz.read_trades_csv(q)  # no chamber


def test_generic_csv_mapping(tmp_path):
    p = write(tmp_path, "mine.csv", "Date,Filed,Who,Sym,Kind,Lo,Hi,Chamber\n"
              "2021-02-11,2021-03-01,jane q public,aapl,buy,1001,15000,House\n"
              "2021-02-12,2021-03-01,jane q public,,sell,1001,,sen\n")
    m = {"transaction_date": "Date", "disclosure_date": "Filed", "politician": "Who",
         "ticker": "Sym", "side": "Kind", "amount_low": "Lo", "amount_high": "Hi",
         "chamber": "Chamber"}
    r = dz.read_trades_csv(p, m, source="mine", date_format="%Y-%m-%d")
    acc = r.accepted
    assert acc["politician"].tolist() == ["Jane Q Public"] * 2
    assert acc["chamber"].tolist() == ["house", "senate"] and acc["side"].tolist() == ["buy", "sell"]
    assert acc["ticker"].iloc[0] == "AAPL" and acc["asset_type"].tolist() == ["stock", "other"]
    assert acc["amount_high"].tolist() == [15000.0, 1001.0]
    assert (acc["source"] == "mine").all() and acc["trade_id"].is_unique


# --------------------------------------------------------------------------- fuzz
def test_mutated_json_never_raises_other_errors(tmp_path, seed):
    """Random byte-level damage to a valid file: DataError or a balanced ParseResult only."""
    rng = random.Random(seed)
    base = json.dumps([HOUSE, dict(HOUSE, amount="$15,001 -\n$50,000"), FILING]).encode()
    for k in range(150):
        data = bytearray(base)
        for _ in range(rng.randint(1, 4)):
            op, i = rng.random(), rng.randrange(len(data))
            if op < 0.4:
                del data[i:i + rng.randint(1, 30)]
            elif op < 0.8:
                data[i] = rng.randrange(256)
            else:
                data[i:i] = rng.choice([b'"', b"{", b"]", b",", b"null", b"\xff", b"<b>"])
        p = write(tmp_path, f"m{k}.json", bytes(data))
        for reader in (dz.read_house_transactions, dz.read_senate_daily_summaries):
            try:
                r = reader(p)
            except DataError as exc:
                assert exc.file == str(p) and exc.reason
            else:
                assert len(r.accepted) + len(r.rejects) == r.rows_read
                assert r.rejects["reason"].str.len().gt(0).all()


# --------------------------------------------------------------------------- size
def big_filing_file(tmp_path: Path, megabytes: int) -> tuple[Path, int]:
    filing = dict(FILING, transactions=[TXN, dict(TXN, ticker="--"), dict(TXN, amount="x")])
    one = json.dumps(filing)
    copies = megabytes * 1_000_000 // (len(one) + 1)
    p = tmp_path / "big.json"
    with p.open("w", encoding="utf-8") as fh:
        fh.write("[")
        fh.write(",".join([one] * copies))
        fh.write("]")
    return p, copies


@pytest.mark.slow
def test_big_file_bounded(tmp_path):
    """~20 MB by default, ~100 MB with WORKBENCH_BIG_TESTS=1 (CPU-bound: ~6.5 s CPU for 100 MB)."""
    mb = 100 if os.environ.get("WORKBENCH_BIG_TESTS") == "1" else 20
    p, copies = big_filing_file(tmp_path, mb)
    assert p.stat().st_size > 0.95 * mb * 1e6
    start = time.process_time()
    r = dz.read_senate_daily_summaries(p)
    print(f"{mb} MB, {r.rows_read} rows: {time.process_time() - start:.1f} s CPU")
    assert r.rows_read == 3 * copies
    assert len(r.accepted) + len(r.rejects) == r.rows_read
    assert len(r.rejects) == copies and (r.rejects["reason"] == "unparseable amount 'x'").all()
    assert r.accepted["trade_id"].is_unique
    assert r.duplicates == 2 * (copies - 1)  # same filing id repeated: identical lots


# --------------------------------------------------------------------------- registry
def test_aggregate_json_variant_matches_csv(tmp_path):
    p = write(tmp_path, "agg.csv", CSV_HEADER + CSV_ROW + CSV_ROW)
    from_csv = dz.read_senate_transactions(p)
    with p.open(newline="", encoding="utf-8") as fh:
        records = list(csv.DictReader(fh))
    q = write(tmp_path, "agg.json", json.dumps(records))
    assert dz.detect_source(q) == "senate_aggregate" == dz.detect_source(p)
    from_json = dz.read_senate_transactions(q)
    pd.testing.assert_frame_equal(from_json.accepted, from_csv.accepted)
    assert from_json.duplicates == from_csv.duplicates == 1


def test_detect_register_dispatch(tmp_path):
    generic = write(tmp_path, "g.csv", "transaction_date,type,amount,politician\n"
                    "01/04/2021,Purchase,$1,Jo Doe\n")
    assert dz.detect_source(generic) == "csv"
    r = dz.read_disclosures(generic, chamber="house")
    assert r.source == "csv" and len(r.accepted) == 1 and r.accepted["amount_mid"].iloc[0] == 1.0
    assert dz.detect_source(write(tmp_path, "h.json", json.dumps([HOUSE]))) == "house"
    assert dz.detect_source(write(tmp_path, "s.json", json.dumps([FILING]))) == "senate_daily"
    with pytest.raises(DataError, match="unknown layout"):
        dz.detect_source(write(tmp_path, "x.json", json.dumps([{"a": 1}])))
    with pytest.raises(DataError, match="no parser registered"):
        dz.read_disclosures(generic, source="nope")

    def read_mine(path, **kwargs):
        return dz.read_trades_csv(path, source="mine", chamber="senate")

    dz.register_parser("mine", read_mine)
    try:
        assert dz.read_disclosures(generic, source="mine").source == "mine"
    finally:
        dz.PARSERS.pop("mine")
    with pytest.raises(TypeError):
        dz.register_parser("bad", "not callable")


def test_every_missing_field_is_named(tmp_path):
    rec = {k: v for k, v in HOUSE.items() if k not in ("amount", "type", "representative")}
    reason = only_reject(house(tmp_path, [rec]))
    assert reason == "missing field 'type'; missing field 'amount'; missing field 'representative'"


def test_pathological_structures(tmp_path):
    p = write(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000)
    with pytest.raises(DataError) as err:
        dz.read_house_transactions(p)
    assert_error(err.value, p, None, "nested too deeply")
    q = write(tmp_path, "wide.csv", CSV_HEADER + CSV_ROW.replace("Beyond Meat", "B" * 200_000))
    with pytest.raises(DataError) as err:
        dz.read_senate_transactions(q)
    assert_error(err.value, q, 1, "malformed CSV")
    r = house(tmp_path, [dict(HOUSE, amount="$" + "9" * 400 + " - $" + "9" * 401)])
    assert "unparseable amount" in only_reject(r)


# --------------------------------------------------------------------------- cleaning rules
NAN = float("nan")


@pytest.mark.parametrize("text,expected", [
    ("$1,001 - $15,000", (1001.0, 15000.0, 8000.5)),
    ("$15,001 -\n$50,000", (15001.0, 50000.0, 32500.5)),
    ("$15,001 -", (15001.0, 50000.0, 32500.5)),
    ("$1,000,001 -", (1_000_001.0, 5_000_000.0, 3_000_000.5)),
    ("$1,118.07", (1118.07, 1118.07, 1118.07)),
    ("Over $50,000,000", (50_000_001.0, NAN, 50_000_001.0)),
    ("Spouse/DC Over $1,000,000", (1_000_001.0, NAN, 1_000_001.0)),
    ("Unknown", (NAN, NAN, NAN)), ("--", (NAN, NAN, NAN)), ("", (NAN, NAN, NAN))])
def test_parse_amount_table(text, expected):
    from workbench.data.sources.text import parse_amount

    *got, reason = parse_amount(text)
    assert reason is None
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9, equal_nan=True)


@pytest.mark.parametrize("cell,expected", [
    ('<a href="https://finance.yahoo.com/q?s=PRU" target="_blank">PRU</a>', ("PRU", None)),
    ('<a href="x">DD</a>   <br>  <a href="y">IFF</a>', ("DD", "IFF")),
    ("--", (None, None)), ("", (None, None)), ("N/A", (None, None)), (" brk.b ", ("BRK.B", None)),
    ("--  <br> --", (None, None)), ("SPY160219P00180000", ("SPY160219P00180000", None))])
def test_clean_ticker_table(cell, expected):
    from workbench.data.sources.text import clean_ticker

    assert clean_ticker(cell) == (*expected, None)


@pytest.mark.parametrize("label,desc,ticker,expected", [
    ("Stock", "Apple Inc.", True, "stock"), ("Stock", "SPDR S&amp;P 500 ETF", True, "fund"),
    ("Stock", "Medical Properties Trust, Inc.", True, "stock"),
    ("Stock", "Vanguard FTSE Europe ETF", True, "fund"),
    ("Stock Option", "Vulcan <div>Option Type: Put</div>", True, "option"),
    ("", 'Raytheon <div class="text-muted">Option Type: Call</div>', False, "option"),
    ("Corporate Bond", "LII <em>Rate/Coupon:</em> 1.7%", False, "bond"),
    ("Municipal Security", "City of X", False, "bond"),
    ("", "JPM Contingent Autocall Tesoro Corp 10.75% due 5/21/2015", False, "bond"),
    ("", "Israel Bond", False, "bond"), ("", "Apple Inc. (NASDAQ)", True, "stock"),
    ("", "Some private thing", False, "other"), ("Non-Public Stock", "X Fund LP", False, "other"),
    ("Other Securities", "AQR Long-Short Equity Fund Class I", False, "fund"),
    ("Other Securities", "Revival LOC, LLC", False, "other"), ("Crypto", "BTC", True, "other")])
def test_classify_asset_type_table(label, desc, ticker, expected):
    from workbench.data.sources.text import classify_asset_type

    assert classify_asset_type(label, desc, ticker) == expected


# --------------------------------------------------------------------------- fast paths
def test_trade_id_fast_path_matches_schema(seed):
    rng = random.Random(seed)
    keys = [rng.choice(["a", "b-1", "ü", "#x", "20034616"]) for _ in range(500)]
    pos = np.array([rng.randrange(0, 50) for _ in keys])
    assert dz._trade_ids("house", keys, pos) == [make_trade_id("house", k, int(p))
                                                  for k, p in zip(keys, pos, strict=True)]


@pytest.mark.parametrize("func,parts", [(tx.parse_amount, 4), (tx.clean_ticker, 3),
                                        (tx.normalize_owner, 2), (tx.display_name, None)])
def test_map_unique_matches_plain_loop(func, parts, seed):
    rng = random.Random(seed)
    pool = [None, "", "--", "$1,001 - $15,000", "Over $50,000,000", "$15,001 -", "-$5", "Self",
            "Spouse", "<a href='x'>PRU</a>", "DD<br>IFF", "RICHARD M BURR", "a,b", "Unknown"]
    values = [rng.choice(pool) for _ in range(rng.randrange(0, 300))]
    got = tx.map_unique(values, func, parts=parts)
    plain = [func(v) for v in values]
    if parts is None:
        assert list(got) == plain
    else:
        for j in range(parts):
            want = [p[j] for p in plain]
            have = list(got[j])
            assert all((isinstance(w, float) and np.isnan(w) and np.isnan(h)) or w == h
                       for w, h in zip(want, have, strict=True))
