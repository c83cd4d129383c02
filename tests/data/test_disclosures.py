"""Disclosure parsers on the real public files, checked against counts, known rows, every
documented quirk, and slow obviously-right references (plain loops over ``json``/``csv``)."""

from __future__ import annotations

import csv
import json
import re
from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from workbench.data.schema import (
    REJECT_COLUMNS,
    TRADE_COLUMNS,
    TRADE_EXTRA_COLUMNS,
    make_trade_id,
    validate_trades,
)
from workbench.data.sources import disclosures as dz

SENATE_JSON = "senate/all_daily_summaries.json"
SENATE_CSV = "senate/all_transactions.csv"
HOUSE_JSON = "house/all_transactions.json"

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def senate(shared_path):
    return dz.read_senate_daily_summaries(shared_path(SENATE_JSON))


@pytest.fixture(scope="module")
def aggregate(shared_path):
    return dz.read_senate_transactions(shared_path(SENATE_CSV))


@pytest.fixture(scope="module")
def house(shared_path):
    return dz.read_house_transactions(shared_path(HOUSE_JSON))


@pytest.fixture(scope="module")
def senate_raw(shared_path):
    """Flattened raw Senate transactions: (filing number, position, filing, transaction)."""
    filings = json.loads(shared_path(SENATE_JSON).read_text(encoding="utf-8"))
    return [(n, j, f, t) for n, f in enumerate(filings, 1) for j, t in enumerate(f["transactions"])]


def row(frame: pd.DataFrame, **where) -> pd.Series:
    mask = np.ones(len(frame), dtype=bool)
    for col, value in where.items():
        mask &= (frame[col] == value).fillna(False).to_numpy()
    assert mask.sum() == 1, f"{where} matched {mask.sum()} rows"
    return frame.loc[mask].iloc[0]


# --------------------------------------------------------------------------- counts and schema
def test_senate_counts(senate, shared_path):
    filings = json.loads(shared_path(SENATE_JSON).read_text(encoding="utf-8"))
    assert len(filings) == 1442
    assert senate.rows_read == 8030
    assert senate.empty_filings == 463
    assert len(senate.accepted) == 8021 and len(senate.rejects) == 9
    assert set(senate.rejects["reason"]) == {"disclosure before transaction"}
    assert senate.duplicates == 389
    # every filing with transactions shows up in accepted or rejected rows
    numbers = {json.loads(r)["filing"] for r in senate.rejects["raw"]}
    accepted_ids = set(senate.accepted["filing_id"])
    represented = {n for n, f in enumerate(filings, 1)
                   if f["ptr_link"].rstrip("/").rsplit("/", 1)[-1].lower() in accepted_ids}
    assert len(accepted_ids) + len(numbers - represented) == 1442 - 463
    assert senate.rejects["source_row"].tolist() == sorted(numbers)


def test_aggregate_counts(aggregate):
    assert aggregate.rows_read == 8350
    assert len(aggregate.accepted) == 7887
    paper = aggregate.rejects["reason"] == "paper filing (scanned PDF): no transaction detail"
    assert paper.sum() == 463 == len(aggregate.rejects)
    assert aggregate.accepted["disclosure_date"].isna().all()
    assert aggregate.duplicates == 377


def test_house_counts(house):
    assert house.rows_read == 6542
    assert len(house.accepted) == 6527 and len(house.rejects) == 15
    reasons = house.rejects["reason"]
    assert reasons.str.contains("disclosure before transaction").sum() == 15
    assert reasons.str.contains("1935-03-28 before 2008-01-01").sum() == 5
    assert reasons.str.contains("2202-09-19 is in the future").sum() == 1
    assert house.duplicates == 36


@pytest.mark.parametrize("name", ["senate", "aggregate", "house"])
def test_schema_and_contract(name, request):
    result = request.getfixturevalue(name)
    acc = result.accepted
    assert list(acc.columns) == list(TRADE_COLUMNS | TRADE_EXTRA_COLUMNS)
    assert list(result.rejects.columns) == list(REJECT_COLUMNS)
    validate_trades(acc)  # raises on any contract breach (enums, unique ids, amount order)
    assert acc["bioguide_id"].isna().all()  # resolution fills it later
    assert acc["politician"].notna().all() and acc["raw_name"].notna().all()
    assert acc["trade_id"].str.fullmatch(r"[0-9a-f]{16}").all()
    assert not acc["ticker"].dropna().str.contains(r"[<>\s]").any()
    assert not acc["asset_description"].dropna().str.contains(r"<[a-z/]|&amp;|&nbsp;").any()


# --------------------------------------------------------------------------- known rows
def test_senate_known_rows(senate):
    acc = senate.accepted
    r = row(acc, trade_id=make_trade_id("senate_daily", "32550a8f-923e-416f-84f3-e19ab4f148b1", 0))
    assert r["politician"] == "Susan M Collins" and r["raw_name"] == "Susan M Collins"
    assert r["source_bioguide_id"] == "C001035" and pd.isna(r["bioguide_id"])
    assert r["owner"] == "spouse" and pd.isna(r["ticker"]) and r["asset_type"] == "bond"
    assert r["asset_description"] == ("LII - Lennox International Inc. 526107AF4 Rate/Coupon: "
                                      "1.700% Matures: 08/01/27")
    assert r["side"] == "buy" and not r["is_partial"]
    assert r["transaction_date"] == pd.Timestamp("2021-02-11")
    assert r["disclosure_date"] == pd.Timestamp("2021-03-10")
    assert (r["amount_low"], r["amount_high"], r["amount_mid"]) == (50001.0, 100000.0, 75000.5)
    assert r["chamber"] == "senate" and r["source"] == "senate_daily"
    assert r["source_url"].endswith("/ptr/32550a8f-923e-416f-84f3-e19ab4f148b1/")

    dd = row(acc, ticker="DD", side="exchange")  # anchor cell "DD<br>IFF"
    assert dd["comment"] == "also: IFF"
    assert dd["asset_description"] == ("DuPont de Nemours, Inc. (Exchanged) International "
                                       "Flavors & Fragrances Inc. (Received)")

    big = row(acc, amount_low=50_000_001.0)  # the one "Over $50,000,000"
    assert np.isnan(big["amount_high"]) and big["amount_mid"] == 50_000_001.0
    assert big["politician"] == "James M Inhofe" and big["side"] == "sell"
    assert big["transaction_date"] == pd.Timestamp("2015-10-05")


def test_aggregate_known_rows(aggregate):
    acc = aggregate.accepted
    r = row(acc, ticker="BYND", politician="Ron L Wyden", transaction_date=pd.Timestamp("2020-11-10"))
    assert r["owner"] == "spouse" and r["side"] == "sell" and not r["is_partial"]
    assert r["asset_description"] == "Beyond Meat, Inc." and r["asset_type"] == "stock"
    assert (r["amount_low"], r["amount_high"]) == (50001.0, 100000.0)
    assert r["filing_id"] == "a0010f4a-c31a-4824-8b6d-6399b3ccb6f0" and pd.isna(r["comment"])
    assert pd.isna(r["disclosure_date"]) and r["source"] == "senate_aggregate"
    b = row(acc, ticker="BA", politician="Pat Roberts", transaction_date=pd.Timestamp("2020-11-16"))
    assert b["comment"] == "R" and b["side"] == "buy"
    perdue = acc[acc["raw_name"] == "David A Perdue , Jr"]
    assert len(perdue) > 2000 and (perdue["politician"] == "David A Perdue, Jr").all()


def test_house_known_rows(house):
    acc = house.accepted
    k = row(acc, ticker="FCNCA", filing_id="20034616")
    assert k["politician"] == "Thomas H. Kean" and k["district"] == "NJ07"
    assert k["owner"] == "self" and k["side"] == "sell" and k["chamber"] == "house"
    assert k["transaction_date"] == pd.Timestamp("2026-04-14")
    assert k["disclosure_date"] == pd.Timestamp("2026-05-17")
    assert (k["amount_low"], k["amount_high"], k["amount_mid"]) == (1001.0, 15000.0, 8000.5)
    assert k["asset_description"] == "First Citizens BancShares, Inc. - Class A Common Stock"

    exact = row(acc, amount_low=1118.07)  # "$1,118.07"
    assert exact["amount_high"] == exact["amount_mid"] == 1118.07
    assert exact["owner"] == "child" and exact["ticker"] == "VLRS"

    mcd = row(acc, filing_id="20023975", asset_description="McDonald's Corporation")
    assert (mcd["amount_low"], mcd["amount_high"]) == (100001.0, 250000.0)  # "$100,001 -"


# --------------------------------------------------------------------------- quirks
def test_senate_quirks_against_raw(senate, senate_raw):
    raw = pd.DataFrame([t for *_, t in senate_raw])
    acc = senate.accepted
    assert raw["ticker"].str.contains("<a ").sum() == 6363
    assert (raw["ticker"] == "--").sum() == 1667
    # 9 rejected rows; anchor-less "--" cells and anchors holding only "--" become null
    assert acc["ticker"].isna().sum() == 1665
    assert acc["ticker"].str.fullmatch(r"[A-Z0-9^][A-Z0-9.\-/^]*").fillna(True).all()
    assert raw["asset_description"].str.contains("<div").sum() > 500
    assert raw["amount"].eq("Over $50,000,000").sum() == 1
    assert set(acc["owner"]) == {"self", "spouse", "joint", "child"}
    assert acc["is_partial"].sum() == raw["type"].eq("Sale (Partial)").sum() - 1  # one rejected
    assert acc["side"].value_counts().to_dict() == {"buy": 4164, "sell": 3766, "exchange": 91}
    assert acc["asset_type"].value_counts().to_dict() == {
        "stock": 6683, "bond": 628, "fund": 360, "other": 266, "option": 84}


def test_asset_type_reclassification_counts(senate, house):
    assert "asset_type 'Stock' -> fund by description: 116 rows" in senate.notes
    eaton = senate.accepted["asset_description"].str.startswith("ETN")
    assert eaton.sum() == 2 and (senate.accepted.loc[eaton, "asset_type"] == "stock").all()
    assert "asset_type 'Other Securities' -> fund by description: 213 rows" in senate.notes
    assert "asset_type '(blank)' -> bond by description: 64 rows" in senate.notes
    assert "multi-ticker cells (first kept, others in comment): 26 rows" in senate.notes
    assert "asset_type 'Stock' -> fund by description: 55 rows" in house.notes
    assert "truncated amount ranges completed from STOCK Act brackets: 8 rows" in house.notes
    funds = house.accepted.loc[house.accepted["asset_type"] == "fund", "asset_description"]
    assert funds.str.contains("ETF|Fund|SPDR|ProShares|iShares", case=False).all()
    reits = house.accepted["asset_description"].str.contains("Realty Trust, Inc. Common Stock")
    assert (house.accepted.loc[reits, "asset_type"] == "stock").all()


def test_house_amount_quirks(house, shared_path):
    raw = pd.DataFrame(json.loads(shared_path(HOUSE_JSON).read_text(encoding="utf-8")))
    assert raw["amount"].str.contains("\n").sum() == 1305
    acc = house.accepted
    assert acc["amount_low"].notna().all() and acc["amount_mid"].notna().all()
    assert (acc["amount_low"] <= acc["amount_high"]).all()
    exact = acc[acc["amount_low"] == acc["amount_high"]]
    assert len(exact) == 18 and (exact["amount_low"] < 5000).all()
    assert set(acc["owner"]) == {"self", "spouse", "joint", "child"}
    assert acc["is_partial"].sum() == 0


def test_senate_disclosure_lag(senate):
    """Median about 20 days; about 6% beyond the STOCK Act's 45 days (README)."""
    acc = senate.accepted
    lag = (acc["disclosure_date"] - acc["transaction_date"]).dt.days
    print(f"senate lag: median {lag.median():.0f} d, mean {lag.mean():.1f} d, "
          f">45 d {100 * (lag > 45).mean():.2f}% ({(lag > 45).sum()} trades)")
    assert lag.median() == pytest.approx(20, abs=1)
    assert (lag > 45).mean() == pytest.approx(0.0576, abs=0.002)
    assert (lag >= 0).all()


# --------------------------------------------------------------------------- idempotency
def test_idempotent_ids(senate, shared_path):
    again = dz.read_senate_daily_summaries(shared_path(SENATE_JSON))
    assert again.accepted["trade_id"].tolist() == senate.accepted["trade_id"].tolist()
    pd.testing.assert_frame_equal(again.accepted, senate.accepted)
    pd.testing.assert_frame_equal(again.rejects, senate.rejects)


# --------------------------------------------------------------------------- slow references
AMOUNT_RE = re.compile(r"\$([\d,]+)\s*-\s*\$([\d,]+)")


def naive_amount(text: str) -> tuple[float, float]:
    if text == "Over $50,000,000":
        return 50_000_001.0, float("nan")
    lo, hi = AMOUNT_RE.fullmatch(text.strip()).groups()
    return float(lo.replace(",", "")), float(hi.replace(",", ""))


def naive_ticker(cell: str):
    found = re.findall(r">([^<]+)</a>", cell)
    return found[0].strip() if found else None


def test_senate_matches_naive_reference(senate, senate_raw):
    """Row-by-row plain-Python reading of the JSON agrees with the vectorized parser."""
    expected, positions = [], {}
    for _n, _, filing, t in senate_raw:
        fid = re.search(r"/([0-9a-fA-F-]{36})/", filing["ptr_link"]).group(1).lower()
        k = positions[fid] = positions.get(fid, -1) + 1
        tdate = datetime.strptime(t["transaction_date"], "%m/%d/%Y")
        ddate = datetime.strptime(filing["date_recieved"], "%m/%d/%Y")
        if ddate < tdate:
            continue
        lo, hi = naive_amount(t["amount"])
        expected.append({
            "trade_id": make_trade_id("senate_daily", fid, k), "ticker": naive_ticker(t["ticker"]),
            "transaction_date": tdate, "disclosure_date": ddate, "amount_low": lo,
            "amount_high": hi, "owner": t["owner"].lower(),
            "side": {"Purchase": "buy", "Exchange": "exchange"}.get(t["type"], "sell"),
            "is_partial": t["type"] == "Sale (Partial)",
            "politician": " ".join(w if w.strip(",.") in ("II", "III", "IV") else w.capitalize()
                                   if w.isupper() or w.islower() else w for w in
                                   f"{filing['first_name'].strip()} {filing['last_name'].strip()}"
                                   .replace(" ,", ",").strip(" ,").split()),
        })
    exp = pd.DataFrame(expected)
    got = senate.accepted[exp.columns].copy()
    got["ticker"] = [None if pd.isna(t) else t for t in got["ticker"]]
    assert len(got) == len(exp)
    for col in exp.columns:
        a, b = got[col].tolist(), exp[col].tolist()
        if col.startswith("amount"):
            np.testing.assert_allclose(np.array(a, float), np.array(b, float), rtol=0, atol=1e-9)
        else:
            assert a == b, col


def test_aggregate_matches_csv_module(aggregate, shared_path):
    with shared_path(SENATE_CSV).open(newline="", encoding="utf-8") as fh:
        records = list(csv.DictReader(fh))
    kept = [r for r in records if r["asset_type"] != "PDF Disclosed Filing"]
    acc = aggregate.accepted
    assert len(kept) == len(acc)
    assert acc["raw_name"].tolist() == [" ".join(r["senator"].split()) for r in kept]
    assert acc["ticker"].fillna("--").tolist() == [r["ticker"].strip() or "--" for r in kept]
    lows = [float(r["amount"].split(" - ")[0].strip("$Over ").replace(",", "")) for r in kept]
    np.testing.assert_allclose(acc["amount_low"].to_numpy(),
                               [x + 1 if x == 50_000_000 else x for x in lows], atol=1e-9)


def test_duplicates_reference(senate, senate_raw):
    """Exact duplicate transactions inside one filing, counted with a plain dictionary."""
    seen: dict = {}
    dups = 0
    for n, _, filing, t in senate_raw:
        if datetime.strptime(filing["date_recieved"], "%m/%d/%Y") < \
                datetime.strptime(t["transaction_date"], "%m/%d/%Y"):
            continue
        key = (n, tuple(sorted(t.items())))
        dups += key in seen
        seen[key] = True
    assert senate.duplicates == dups == 389


# --------------------------------------------------------------------------- registry
@pytest.mark.parametrize("rel,name", [(SENATE_JSON, "senate_daily"), (SENATE_CSV, "senate_aggregate"),
                                      (HOUSE_JSON, "house")])
def test_detect_source(rel, name, shared_path):
    assert dz.detect_source(shared_path(rel)) == name


def test_read_disclosures_dispatches(house, shared_path):
    got = dz.read_disclosures(shared_path(HOUSE_JSON))
    assert got.source == "house" and got.rows_read == house.rows_read
    assert got.accepted["trade_id"].tolist() == house.accepted["trade_id"].tolist()
