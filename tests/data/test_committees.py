"""Committees: the YAML readers, the reviewed committee -> sector table, member sectors and
committee relevance (checked against plain loops and hand-computed answers).

Membership is current-Congress only; these tests check the tables, not any historical claim.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from workbench.data.committees import committee_relevance, member_sectors, relevance_by_member
from workbench.data.schema import COMMITTEE_COLUMNS, COMMITTEE_MEMBER_COLUMNS
from workbench.data.sources.committee_sectors import (
    COMMITTEE_SECTORS,
    GICS_SECTORS,
    committee_sectors,
    mapping_frame,
)
from workbench.data.sources.committees import read_committee_membership, read_committees
from workbench.exceptions import DataError


@pytest.fixture(scope="module")
def real(shared_path):
    committees = read_committees(shared_path("legislators/committees-current.yaml"))
    seats = read_committee_membership(shared_path("legislators/committee-membership-current.yaml"))
    return committees, seats


def test_real_committees_and_seats(real):
    committees, seats = real
    assert list(committees.columns) == list(COMMITTEE_COLUMNS)
    assert list(seats.columns) == list(COMMITTEE_MEMBER_COLUMNS)
    full = committees[committees["parent_id"].isna()]
    assert len(full) == 49 and len(committees) - len(full) == 181
    assert full["chamber"].value_counts().to_dict() == {"house": 23, "senate": 21, "joint": 5}
    sub = committees.dropna(subset=["parent_id"])
    assert (sub["committee_id"].str[:4] == sub["parent_id"]).all()
    assert sub["jurisdiction"].isna().all()
    assert committees.set_index("committee_id").at["SSAF13", "name"].startswith("Commodities")
    assert len(seats) == 3879 and seats["bioguide_id"].nunique() == 528
    assert set(seats["side"]) == {"majority", "minority"}
    assert set(seats["committee_id"]) <= set(committees["committee_id"])
    chair = seats[(seats["committee_id"] == "SSAF") & (seats["rank"] == 1)
                  & (seats["side"] == "majority")]
    assert list(chair["bioguide_id"]) == ["B001236"] and list(chair["title"]) == ["Chairman"]


def test_mapping_is_reviewed_against_the_jurisdiction_text(real, shared_path):
    committees, _ = real
    by_id = committees.set_index("committee_id")
    # the sector names are GICS names as spelled in the constituents file
    cons = pd.read_csv(shared_path("prices/sp500_constituents.csv"))
    assert set(GICS_SECTORS) == set(cons["Sector"])
    # every full committee of the file has a reviewed row (possibly an empty one)
    full = by_id.index[by_id["parent_id"].isna()]
    assert set(full) <= set(COMMITTEE_SECTORS)
    for cid, row in COMMITTEE_SECTORS.items():
        assert cid in by_id.index, f"{cid} is not a committee of the file"
        assert set(row.sectors) <= set(GICS_SECTORS) and len(set(row.sectors)) == len(row.sectors)
        assert row.note, cid
        # a mapping to sectors names the words of the jurisdiction (or subcommittee name)
        # that justify it
        juris = by_id.at[cid, "jurisdiction"]
        text = f"{by_id.at[cid, 'name']} {'' if pd.isna(juris) else juris}".lower()
        assert bool(row.keywords) == bool(row.sectors), cid
        for kw in row.keywords:
            assert kw.lower() in text, f"{cid}: keyword {kw!r} not in its text"
    frame = mapping_frame()
    assert len(frame) == len(COMMITTEE_SECTORS) and frame["note"].str.len().gt(0).all()


def test_sectors_inherit_from_the_parent(real):
    committees, _ = real
    s = committees.set_index("committee_id")["sectors"]
    assert s["HSAG15"] == s["HSAG"] == ("Consumer Staples", "Materials")   # inherited
    assert s["HSIF14"] == ("Health Care",)                                 # own, narrower
    assert s["SSAP"] == () and s["SSAP02"] == ("Industrials",)             # own, parent none
    assert s["HSRU02"] == ()                                               # parent none
    odd = pd.DataFrame({"committee_id": ["ZZZZ", "ZZZZ01", "HSAG99"],
                        "parent_id": [None, "ZZZZ", "HSAG"]})
    assert list(committee_sectors(odd)) == [(), (), ("Consumer Staples", "Materials")]


COMMITTEES_YAML = """\
- type: senate
  name: Senate Committee on Widgets
  thomas_id: SSWW
  jurisdiction: >
    widgets
    and gadgets
  subcommittees:
  - name: Small Widgets
    thomas_id: '01'
  - name: Large Widgets
    thomas_id: 2
- type: joint
  name: Joint Committee on Sprockets
  thomas_id: JSSP
"""


def test_hand_committees(tmp_path):
    p = tmp_path / "committees.yaml"
    p.write_text(COMMITTEES_YAML)
    c = read_committees(p)
    assert list(c["committee_id"]) == ["SSWW", "SSWW01", "SSWW02", "JSSP"]
    assert list(c["parent_id"].fillna("-")) == ["-", "SSWW", "SSWW", "-"]
    assert list(c["chamber"]) == ["senate", "senate", "senate", "joint"]
    assert c["jurisdiction"].iat[0] == "widgets and gadgets"
    assert list(c["sectors"]) == [()] * 4   # not in the reviewed table


@pytest.mark.parametrize("text, row, column", [
    ("- {type: senate, name: X, thomas_id: SSW}\n", 1, "thomas_id"),
    ("- {type: state, name: X, thomas_id: SSWW}\n", 1, "type"),
    ("- {type: senate, thomas_id: SSWW}\n", 1, "name"),
    ("- {type: senate, name: X, thomas_id: SSWW, subcommittees: [{name: Y, thomas_id: 'A1'}]}\n",
     2, "thomas_id"),
    ("- {type: senate, name: X, thomas_id: SSWW}\n- {type: senate, name: Y, thomas_id: SSWW}\n",
     2, "thomas_id"),
])
def test_committee_errors_name_file_and_row(tmp_path, text, row, column):
    p = tmp_path / "c.yaml"
    p.write_text(text)
    with pytest.raises(DataError) as err:
        read_committees(p)
    assert (err.value.file, err.value.row, err.value.column) == (str(p), row, column)


def test_hand_membership_and_errors(tmp_path):
    p = tmp_path / "m.yaml"
    p.write_text("SSWW:\n- {name: A, party: majority, rank: 1, title: Chairman, bioguide: A000001}\n"
                 "- {name: B, party: minority, rank: 1, bioguide: B000002}\n"
                 "SSWW01:\n- {name: A, party: majority, rank: 1, bioguide: A000001}\n")
    m = read_committee_membership(p)
    assert list(m["committee_id"]) == ["SSWW", "SSWW", "SSWW01"]
    assert list(m["title"].fillna("-")) == ["Chairman", "-", "-"]
    assert list(m["rank"]) == [1, 1, 1]
    for bad, row, column in [
        ("SSWW:\n- {party: majority, rank: 1, bioguide: A00001}\n", 1, "bioguide"),
        ("SSWW:\n- {party: major, rank: 1, bioguide: A000001}\n", 1, "party"),
        ("SSWW:\n- {party: majority, rank: 1, bioguide: A000001}\n"
         "- {party: majority, rank: 0, bioguide: B000002}\n", 2, "rank"),
    ]:
        p.write_text(bad)
        with pytest.raises(DataError) as err:
            read_committee_membership(p)
        assert (err.value.row, err.value.column) == (row, column)
    p.write_text("- not a mapping\n")
    with pytest.raises(DataError, match="mapping"):
        read_committee_membership(p)


# ------------------------------------------------------------------- sectors of members, relevance

def tiny_universe():
    committees = pd.DataFrame({
        "committee_id": ["C1", "C2", "C3"], "parent_id": [None, None, "C1"],
        "sectors": [("Energy", "Utilities"), (), ("Energy",)]})
    seats = pd.DataFrame({"committee_id": ["C1", "C3", "C2", "C2"],
                          "bioguide_id": ["A000001", "A000001", "B000002", "C000003"]})
    securities = pd.DataFrame({"ticker": ["XOM", "DUK", "AAPL"],
                               "sector": ["Energy", "Utilities", "Information Technology"]})
    trades = pd.DataFrame({
        "bioguide_id": ["A000001", "A000001", "A000001", "B000002", "D000004", None, "A000001"],
        "ticker": ["XOM", "DUK", "AAPL", "XOM", "XOM", "XOM", None]})
    return SimpleNamespace(committees=committees, committee_members=seats,
                           securities=securities, trades=trades)


def test_member_sectors_and_relevance_by_hand():
    u = tiny_universe()
    ms = member_sectors(u)
    assert list(ms.itertuples(index=False, name=None)) == [
        ("A000001", "C1", "Energy"), ("A000001", "C1", "Utilities"), ("A000001", "C3", "Energy")]
    rel = committee_relevance(u)
    # A: XOM yes, DUK yes, AAPL no; B seated but C2 oversees nothing; D has no seat; unresolved;
    # no ticker
    assert list(rel.astype(object).where(rel.notna(), None)) == [
        True, True, False, False, None, None, None]
    by = relevance_by_member(u).set_index("bioguide_id")
    # trades with a known sector: XOM 4, DUK 1, AAPL 1 -> A's sectors (Energy, Utilities) 5/6
    assert by.at["A000001", "n_trades"] == 3 and by.at["A000001", "n_relevant"] == 2
    assert by.at["A000001", "base_rate"] == pytest.approx(5 / 6)
    assert by.at["B000002", "share"] == 0 and by.at["B000002", "base_rate"] == 0
    assert "D000004" not in by.index


def test_member_sectors_equals_plain_loop(real):
    committees, seats = real
    u = SimpleNamespace(committees=committees, committee_members=seats)
    got = set(member_sectors(u).itertuples(index=False, name=None))
    sectors = dict(zip(committees["committee_id"], committees["sectors"], strict=True))
    want = set()
    for cid, bio in zip(seats["committee_id"], seats["bioguide_id"], strict=True):
        for s in sectors[cid]:
            want.add((bio, cid, s))
    assert got == want and len(got) > 3000


def test_empty_tables():
    from workbench.data.universe import Universe

    u = Universe(trades=pd.DataFrame(), prices=pd.DataFrame(), factors=pd.DataFrame(),
                 legislators=pd.DataFrame(), securities=pd.DataFrame(), options=pd.DataFrame(),
                 truth=None, source="x", provenance=pd.DataFrame())
    assert list(u.committees.columns) == list(COMMITTEE_COLUMNS) and u.committees.empty
    assert u.committee_members.empty and u.legislator_terms.empty
    assert list(member_sectors(u).columns) == ["bioguide_id", "committee_id", "sector"]
