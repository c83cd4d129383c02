"""Legislator terms: the YAML reader, and party/state/chamber dated by the covering term.

The vectorized term lookup is checked against a plain loop; Jeff Van Drew (V000133, Democrat
until 2019-12-18, Republican from 2019-12-19) is the member who switched party.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import pytest

from workbench.data.schema import LEGISLATOR_TERM_COLUMNS
from workbench.data.sources.legislator_terms import read_legislator_terms
from workbench.data.terms import date_trades_by_term, dating_counts
from workbench.exceptions import DataError

VAN_DREW = "V000133"


@pytest.fixture(scope="module")
def real_terms(shared_path):
    return read_legislator_terms(shared_path("legislators/legislators-current.yaml"))


def test_real_file_counts_and_shape(real_terms):
    res = real_terms
    assert res.rows_read == len(res.accepted) + len(res.rejects)
    assert len(res.rejects) == 0
    # 2,792 terms in the file; two were split in two at a party switch (Van Drew, Kiley)
    assert len(res.accepted) == 2794
    assert res.accepted["bioguide_id"].nunique() == 537
    assert list(res.accepted.columns) == list(LEGISLATOR_TERM_COLUMNS)
    a = res.accepted
    assert set(a["chamber"]) == {"senate", "house"}
    assert a.loc[a["chamber"] == "senate", "district"].isna().all()
    assert (a["end"] > a["start"]).all()
    # periods of one member never overlap (ends are exclusive)
    for _, g in a.sort_values(["bioguide_id", "start"]).groupby("bioguide_id"):
        assert (g["start"].to_numpy()[1:] >= g["end"].to_numpy()[:-1]).all()


def test_van_drew_term_split_at_the_switch(real_terms):
    vd = real_terms.accepted.query("bioguide_id == @VAN_DREW").reset_index(drop=True)
    first = vd.iloc[:2]
    assert list(first["party"]) == ["Democrat", "Republican"]
    assert list(first["start"]) == [pd.Timestamp("2019-01-03"), pd.Timestamp("2019-12-19")]
    # the Democrat segment ends (exclusive) where the Republican one starts
    assert list(first["end"]) == [pd.Timestamp("2019-12-19"), pd.Timestamp("2021-01-03")]
    assert set(vd["party"].iloc[2:]) == {"Republican"}
    assert set(vd["state"]) == {"NJ"} and set(vd["district"]) == {"2"}


HAND = textwrap.dedent("""\
    - id: {bioguide: A000001}
      terms:
      - {type: rep, start: '2015-01-03', end: '2017-01-03', state: NJ, district: 2, party: Democrat}
      - type: rep
        start: '2017-01-03'
        end: '2019-01-03'
        state: NJ
        district: 2
        party: Republican
        party_affiliations:
        - {start: '2017-01-03', end: '2018-03-01', party: Democrat}
        - {start: '2018-03-02', end: '2019-01-03', party: Republican}
      - {type: sen, start: '2019-01-03', end: '2025-01-03', state: NJ, party: Republican}
    - id: {bioguide: B000002}
      terms:
      - {type: rep, start: '2015-13-03', end: '2017-01-03', state: OH, district: 1, party: Democrat}
      - {type: gov, start: '2017-01-03', end: '2019-01-03', state: OH, party: Democrat}
      - {type: rep, start: '2019-01-03', end: '2021-01-03', state: Ohio, district: 1, party: Democrat}
      - {type: rep, start: '2021-01-03', end: '2023-01-03', state: OH, district: 1}
      - type: rep
        start: '2023-01-03'
        end: '2025-01-03'
        state: OH
        district: 1
        party: Democrat
        party_affiliations:
        - {start: '2023-01-03', end: '2024-01-01', party: Democrat}
        - {start: '2024-01-02', end: '2025-06-01', party: Independent}
    """)


def test_hand_file_split_and_rejects(tmp_path):
    p = tmp_path / "terms.yaml"
    p.write_text(HAND)
    res = read_legislator_terms(p)
    a = res.accepted
    # A: 1 + 2 (split) + 1 accepted periods; B: bad date, bad type, bad state, no party, and
    # one of its two affiliation periods out of its term
    assert res.rows_read == 10 and len(a) == 5 and len(res.rejects) == 5
    alpha = a[a["bioguide_id"] == "A000001"]
    assert list(alpha["party"]) == ["Democrat", "Democrat", "Republican", "Republican"]
    assert list(alpha["start"].dt.strftime("%Y-%m-%d")) == [
        "2015-01-03", "2017-01-03", "2018-03-02", "2019-01-03"]
    assert list(alpha["end"].dt.strftime("%Y-%m-%d")) == [
        "2017-01-03", "2018-03-02", "2019-01-03", "2025-01-03"]
    assert list(alpha["chamber"]) == ["house"] * 3 + ["senate"]
    assert alpha["district"].iloc[-1] is pd.NA
    reasons = " | ".join(res.rejects["reason"])
    for why in ("YYYY-MM-DD", "type 'gov'", "state 'Ohio'", "no party", "outside its term"):
        assert why in reasons
    assert set(res.rejects["source_row"]) == {2}
    assert (res.rejects["file"] == str(p)).all()
    beta = a[a["bioguide_id"] == "B000002"]
    assert list(beta["party"]) == ["Democrat"]   # the 2023 Democrat segment survives
    assert beta["end"].iloc[0] == pd.Timestamp("2024-01-02")   # where the next one starts


@pytest.mark.parametrize("text, row, what", [
    ("- id: {bioguide: X1}\n  terms: []\n", 1, "bioguide"),
    ("- id: {bioguide: A000001}\n  terms: []\n", 1, "terms"),
    ("- id: {bioguide: A000001}\n  terms: [{type: rep}]\n- name: nobody\n", 2, "bioguide"),
    ("a: 1\n", None, "list of members"),
    ("- id: {bioguide: A000001\n  terms: [\n", None, "unreadable YAML"),
])
def test_structure_errors_name_file_and_row(tmp_path, text, row, what):
    p = tmp_path / "bad.yaml"
    p.write_text(text)
    with pytest.raises(DataError) as err:
        read_legislator_terms(p)
    assert err.value.file == str(p) and what in str(err.value)
    if row is not None:
        assert err.value.row == row


# ------------------------------------------------------------------------------ dating trades

def _trades(rows):
    df = pd.DataFrame(rows, columns=["trade_id", "bioguide_id", "transaction_date", "party",
                                     "state", "chamber"])
    df["transaction_date"] = pd.to_datetime(df["transaction_date"])
    return df.astype({c: "string" for c in ("trade_id", "bioguide_id", "party", "state",
                                            "chamber")})


def test_van_drew_hand_trades_before_and_after_switch(real_terms):
    # resolution left the CSV's last-term values (Republican) on every trade
    trades = _trades([
        ("t1", VAN_DREW, "2019-06-03", "Republican", "NJ", "house"),
        ("t2", VAN_DREW, "2019-12-18", "Republican", "NJ", "house"),   # last Democrat day
        ("t3", VAN_DREW, "2019-12-19", "Republican", "NJ", "house"),   # first Republican day
        ("t4", VAN_DREW, "2020-06-01", "Republican", "NJ", "house"),
        ("t5", VAN_DREW, "2018-06-01", "Republican", "NJ", "house"),   # before his first term
        ("t6", VAN_DREW, None, "Republican", "NJ", "house"),           # no transaction date
        ("t7", "Z999999", "2019-06-03", "Whig", "ZZ", "senate"),       # not in the YAML
        ("t8", None, "2019-06-03", None, "NJ", "house"),               # unresolved
    ])
    out = date_trades_by_term(trades, real_terms.accepted)
    assert list(out["party"]) == ["Democrat", "Democrat", "Republican", "Republican",
                                  "Republican", "Republican", "Whig", pd.NA]
    assert list(out["party_source"]) == ["term"] * 4 + ["last_term"] * 3 + [pd.NA]
    assert list(out["state"])[:7] == ["NJ"] * 6 + ["ZZ"]
    assert list(out["chamber"])[6] == "senate"
    pd.testing.assert_frame_equal(trades, _trades([
        ("t1", VAN_DREW, "2019-06-03", "Republican", "NJ", "house"),
        ("t2", VAN_DREW, "2019-12-18", "Republican", "NJ", "house"),
        ("t3", VAN_DREW, "2019-12-19", "Republican", "NJ", "house"),
        ("t4", VAN_DREW, "2020-06-01", "Republican", "NJ", "house"),
        ("t5", VAN_DREW, "2018-06-01", "Republican", "NJ", "house"),
        ("t6", VAN_DREW, None, "Republican", "NJ", "house"),
        ("t7", "Z999999", "2019-06-03", "Whig", "ZZ", "senate"),
        ("t8", None, "2019-06-03", None, "NJ", "house"),
    ]))  # the input is not modified
    counts = dating_counts(out)
    assert counts[("house", "term")] == 4 and counts[("house", "unresolved")] == 1


def test_chamber_follows_the_term(real_terms):
    # Maria Cantwell (C000127): House 1993-1995, Senate from 2001
    trades = _trades([("a", "C000127", "1994-03-01", "Democrat", "WA", "senate"),
                      ("b", "C000127", "1998-03-01", "Democrat", "WA", "senate"),
                      ("c", "C000127", "2012-03-01", "Democrat", "WA", "senate")])
    out = date_trades_by_term(trades, real_terms.accepted)
    assert list(out["chamber"]) == ["house", "senate", "senate"]
    assert list(out["party_source"]) == ["term", "last_term", "term"]


def covering_reference(trades, terms):
    """Plain loop: the period with start <= day < end of the same member, else None."""
    rows = list(zip(terms["bioguide_id"], terms["start"], terms["end"], strict=True))
    out = []
    for b, d in zip(trades["bioguide_id"], trades["transaction_date"], strict=True):
        hit = None
        if not pd.isna(b) and not pd.isna(d):
            for i, (tb, start, end) in enumerate(rows):
                if tb == b and start <= d < end:
                    assert hit is None, "periods overlap"
                    hit = i
        out.append(hit)
    return out


def test_dating_equals_plain_loop(real_terms, seed):
    rng = np.random.default_rng(seed)
    terms = real_terms.accepted
    members = rng.choice(terms["bioguide_id"].unique(), size=40, replace=False)
    sub = terms[terms["bioguide_id"].isin(members)].reset_index(drop=True)
    n = 400
    days = pd.Timestamp("1990-01-01") + pd.to_timedelta(rng.integers(0, 13_000, n), unit="D")
    # land some trades exactly on period boundaries
    edges = sub[["start", "end"]].to_numpy().ravel()
    days = days.where(rng.random(n) > 0.15, pd.DatetimeIndex(rng.choice(edges, n)))
    bio = pd.Series(rng.choice(list(members) + ["Z999999", None], size=n), dtype="string")
    days = pd.Series(days).where(rng.random(n) > 0.05)   # some missing dates
    trades = pd.DataFrame({"trade_id": [f"t{i}" for i in range(n)], "bioguide_id": bio,
                           "transaction_date": days, "party": "P", "state": "SS",
                           "chamber": "senate"}).astype({"party": "string", "state": "string",
                                                         "chamber": "string"})
    out = date_trades_by_term(trades, sub)
    ref = covering_reference(trades, sub)
    for i, r in enumerate(ref):
        if r is None:
            assert out.at[i, "party"] == "P" and out.at[i, "chamber"] == "senate"
            want = pd.NA if pd.isna(bio[i]) else "last_term"
            assert out.at[i, "party_source"] is want or out.at[i, "party_source"] == want
        else:
            assert out.at[i, "party_source"] == "term"
            for c in ("party", "state", "chamber"):
                assert out.at[i, c] == sub.at[r, c]
    assert sum(r is not None for r in ref) > 50   # the draw exercised the lookup


def test_empty_inputs():
    empty = pd.DataFrame({c: pd.Series(dtype=t) for c, t in LEGISLATOR_TERM_COLUMNS.items()})
    trades = _trades([("a", "A000001", "2020-01-02", "Democrat", "NJ", "house")])
    out = date_trades_by_term(trades, empty)
    assert list(out["party_source"]) == ["last_term"] and list(out["party"]) == ["Democrat"]
    none = date_trades_by_term(trades.iloc[:0], empty)
    assert len(none) == 0 and "party_source" in none.columns
