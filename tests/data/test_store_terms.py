"""The store's legislator_terms, committees and committee_members tables, and term dating on
ingest, on the real congress-legislators files and the real House data (plus hand-made trades by
Jeff Van Drew, who switched party on 2019-12-19 and has no trade in the House file).
"""

from __future__ import annotations

import json
import shutil

import duckdb
import pandas as pd
import pytest

from workbench.data.store import (
    detect_kind,
    ingest,
    load_universe_from_store,
    open_store,
    read_table,
    table_counts,
)
from workbench.data_cli import summary_text
from workbench.exceptions import DataError

VAN_DREW_TRADES = [  # before and after his switch, in the House JSON layout
    {"transaction_date": "06/03/2019", "disclosure_date": "07/01/2019", "ticker": "XOM",
     "asset_description": "Exxon Mobil Corporation - Common Stock", "asset_type": "Stock",
     "type": "Purchase", "amount": "$1,001 - $15,000", "representative": "Jefferson Van Drew",
     "district": "NJ02", "owner": "Self", "filing_id": "900001",
     "source_url": "https://example.org/ptr/900001.pdf"},
    {"transaction_date": "06/01/2020", "disclosure_date": "07/01/2020", "ticker": "XOM",
     "asset_description": "Exxon Mobil Corporation - Common Stock", "asset_type": "Stock",
     "type": "Sale", "amount": "$1,001 - $15,000", "representative": "Jefferson Van Drew",
     "district": "NJ02", "owner": "Self", "filing_id": "900002",
     "source_url": "https://example.org/ptr/900002.pdf"},
]


@pytest.fixture(scope="module")
def built(shared_path, tmp_path_factory):
    root = tmp_path_factory.mktemp("terms")
    hand = root / "van_drew.json"
    hand.write_text(json.dumps(VAN_DREW_TRADES))
    store = root / "store.duckdb"
    leg_dir = shared_path("legislators/legislators-current.yaml").parent
    report = ingest([leg_dir, shared_path("house/all_transactions.json"), hand,
                     shared_path("prices/sp500_constituents.csv")], store)
    return store, report, leg_dir


@pytest.fixture
def store(built, tmp_path):
    copy = tmp_path / "store.duckdb"
    shutil.copyfile(built[0], copy)
    return copy


def van_drew(trades):
    return trades[trades["filing_id"].isin(["900001", "900002"])].sort_values("transaction_date")


def test_ingest_reads_the_yaml_files(built):
    _, report, _ = built
    f = report.files.set_index("kind")
    assert f.loc["legislator_terms", "accepted"] == 2794
    assert f.loc["committees", "accepted"] == 230
    assert f.loc["committee_members", "accepted"] == 3879
    assert set(report.files["status"]) == {"ingested"}
    counts = report.counts_after
    assert (counts["legislator_terms"], counts["committees"], counts["committee_members"]) == (
        2794, 230, 3879)


def test_van_drew_dated_by_term_and_house_counts(built):
    store, _, _ = built
    with open_store(store, read_only=True) as con:
        trades = read_table(con, "trades")
    vd = van_drew(trades)
    assert list(vd["bioguide_id"]) == ["V000133", "V000133"]
    assert list(vd["party"]) == ["Democrat", "Republican"]
    assert list(vd["party_source"]) == ["term", "term"]
    assert list(vd["state"]) == ["NJ", "NJ"] and list(vd["chamber"]) == ["house", "house"]
    house = trades[trades["source"] == "house"].drop(index=vd.index)
    # real House file (2022-2026): 5,828 trades by members with a covering term, 699 by
    # members absent from legislators-current.yaml (or, for 7, dated outside their terms)
    assert house["party_source"].value_counts().to_dict() == {"term": 5828, "last_term": 699}
    assert (house.loc[house["party_source"] == "term", "bioguide_id"].notna()).all()


def test_summary_prints_the_dating(built):
    text = summary_text(built[0])
    assert "dated by the term covering the transaction date: 5,830 (house 5,830)" in text
    assert "by the CSV's last term: 699 (house 699); of which 7 by members" in text
    assert "49 committees and 181 subcommittees; 3,879 seats" in text
    assert "current Congress only" in text


def test_universe_carries_the_tables(built):
    u = load_universe_from_store(built[0])
    assert len(u.legislator_terms) == 2794 and len(u.committee_members) == 3879
    c = u.committees.set_index("committee_id")
    assert c.at["HSBA", "sectors"] == ("Financials", "Real Estate")
    assert c.at["HSAG15", "sectors"] == ("Consumer Staples", "Materials")
    assert isinstance(c.at["SSRA", "sectors"], tuple) and c.at["SSRA", "sectors"] == ()


def test_reingest_is_idempotent(store, built):
    _, _, leg_dir = built
    with open_store(store, read_only=True) as con:
        before = {k: v for k, v in table_counts(con).items() if k != "ingests"}
    again = ingest([leg_dir], store)
    assert set(again.files["status"]) == {"skipped-duplicate-file"}
    with open_store(store, read_only=True) as con:
        after = {k: v for k, v in table_counts(con).items() if k != "ingests"}
    assert after == before


def test_snapshot_files_replace_their_groups(store, tmp_path):
    seats = tmp_path / "committee-membership-current.yaml"
    seats.write_text("SSAF:\n- {name: A, party: majority, rank: 1, bioguide: B001236}\n"
                     "- {name: B, party: minority, rank: 1, bioguide: K000367}\n")
    terms = tmp_path / "legislators-current.yaml"  # a corrected Van Drew: Republican throughout
    terms.write_text("- id: {bioguide: V000133}\n  terms:\n"
                     "  - {type: rep, start: '2019-01-03', end: '2027-01-03', state: NJ, "
                     "district: 2, party: Republican}\n")
    with open_store(store, read_only=True) as con:
        seats_before = read_table(con, "committee_members")
        terms_before = read_table(con, "legislator_terms")
    ingest([seats, terms], store)
    with open_store(store, read_only=True) as con:
        seats_after = read_table(con, "committee_members")
        terms_after = read_table(con, "legislator_terms")
        trades = read_table(con, "trades")
    assert (seats_after["committee_id"] == "SSAF").sum() == 2
    others = lambda d: d[d["committee_id"] != "SSAF"].reset_index(drop=True)  # noqa: E731
    pd.testing.assert_frame_equal(others(seats_after), others(seats_before))
    assert (terms_after["bioguide_id"] == "V000133").sum() == 1
    assert len(terms_after) == len(terms_before) - 4
    assert list(van_drew(trades)["party"]) == ["Republican", "Republican"]   # re-dated


def test_detect_yaml_kinds(shared_path, tmp_path):
    d = shared_path("legislators/legislators-current.yaml").parent
    assert detect_kind(d / "legislators-current.yaml") == "legislator_terms"
    assert detect_kind(d / "committees-current.yaml") == "committees"
    assert detect_kind(d / "committee-membership-current.yaml") == "committee_members"
    other = tmp_path / "config.yaml"
    other.write_text("colour: blue\n")
    with pytest.raises(DataError, match="config.yaml"):
        detect_kind(other)


def test_unknown_yaml_rolls_back(store, tmp_path):
    with open_store(store, read_only=True) as con:
        before = table_counts(con)
    seats = tmp_path / "committee-membership-current.yaml"
    seats.write_text("SSAF:\n- {name: A, party: majority, rank: 1, bioguide: B001236}\n")
    bad = tmp_path / "broken.yaml"
    bad.write_text("SSAF:\n- {name: A, party: majority, rank: one, bioguide: B001236}\n")
    with pytest.raises(DataError, match="broken.yaml"):
        ingest([seats, bad], store)
    with open_store(store, read_only=True) as con:
        assert table_counts(con) == before


def test_store_older_than_the_new_tables(store):
    con = duckdb.connect(str(store))
    con.execute("ALTER TABLE trades DROP COLUMN party_source")
    con.execute("DROP TABLE committees")
    con.close()
    with open_store(store, read_only=True) as con:
        trades = read_table(con, "trades")
        committees = read_table(con, "committees")
    assert trades["party_source"].isna().all() and len(trades) > 6000
    assert committees.empty and "sectors" in committees.columns
    with open_store(store) as con:   # a writable open migrates the schema
        cols = {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns "
                                          "WHERE table_name = 'trades'").fetchall()}
        assert "party_source" in cols and table_counts(con)["committees"] == 0
