"""Politician profiles: bioguide ids validated (hostile values refused with a clear error,
nothing written), the 3-profile smoke build, the index and 04's table linking them."""

from __future__ import annotations

import re

import nbformat
import pytest
from report_helpers import NOTEBOOKS, index_rows

from workbench.cli import main
from workbench.exceptions import ReportError
from workbench.reports.profiles import (
    check_bioguide_id,
    parse_politicians,
    profile_html_path,
    resolve_politicians,
    top_politicians,
)

pytestmark = pytest.mark.xdist_group("reports")

HOSTILE = ["../x", "<script>", "<script>alert(1)</script>", "A00001", "a000001", "A0000011",
           "A000001/../x", "", "top:0", "top:-1", "../../etc/passwd", "A000001,../x"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_politician_refused(value):
    with pytest.raises(ReportError, match="bioguide id|top:N"):
        parse_politicians(value)
    if not value.startswith("top") and "," not in value:
        with pytest.raises(ReportError, match="is not a bioguide id"):
            check_bioguide_id(value)


def test_check_is_exact():
    for value in ("A000001\n", " A000001", "A000001 ", 123, None):
        with pytest.raises(ReportError, match="is not a bioguide id"):
            check_bioguide_id(value)
    assert check_bioguide_id("A000001") == "A000001"


def test_valid_ids_and_paths():
    assert parse_politicians("top:20") == 20
    assert parse_politicians("P000197, S000148,P000197") == ["P000197", "S000148"]
    assert profile_html_path("R900000") == "politicians/R900000.html"
    with pytest.raises(ReportError):
        profile_html_path("../R900000")
    with pytest.raises(ReportError, match="no trades"):
        resolve_politicians("A000001", known={"B000002"})


@pytest.mark.parametrize("args", [["--politicians", "../x"], ["--politicians", "<script>"],
                                  ["-p", "politician=../x"], ["-p", "politician=<script>"]])
def test_cli_refuses_hostile_politician_before_running(tmp_path, capsys, args):
    out = tmp_path / "out"
    rc = main(["reports", "build", "--out", str(out), "--workers", "1", "--no-progress",
               "--only", "12_politician", *args])
    assert rc == 2
    err = capsys.readouterr().err
    assert "is not a bioguide id" in err and "P000197" in err
    assert not out.exists() or not any(out.rglob("*.html"))


def test_profile_notebook_validates_its_parameter():
    nb = nbformat.read(str(NOTEBOOKS / "12_politician.ipynb"), as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "check_bioguide_id(" in code and "politician or" in code


def test_three_profiles_built_and_linked(smoke_build, seed):
    from workbench.reports.notebook import load_universe

    out = smoke_build.out_dir
    profiles = [o for o in smoke_build.outcomes if o.kind == "profile"]
    ids = top_politicians(load_universe("synthetic", seed=seed, smoke=True).trades, 3)
    assert sorted(o.name for o in profiles) == sorted(ids)
    index = (out / "index.html").read_text()
    rows = index_rows(out)
    for pid in ids:
        page = out / "politicians" / f"{pid}.html"
        assert page.exists() and rows[pid]["status"] == "ok", rows[pid].get("error")
        assert f'href="politicians/{pid}.html"' in index
        html = page.read_text()
        assert 'class="wb-findings"' in html and "Simulated data." in html
        assert 'src="../plotly.min.js"' in html
        assert (out / "data" / "politicians" / pid / "trades.csv").exists()
        assert f"data/politicians/{pid}/trades.csv" in rows[pid]["downloads"]
        assert (out / "ipynb" / "politicians" / f"{pid}.ipynb").exists()
    # 04's per-politician tables link profiles; links to profiles not built were removed
    factors = (out / "04_factors.html").read_text()
    links = re.findall(r'<a class="wb-link" href="([^"]+)"', factors)
    assert links and all((out / h).exists() for h in links), links
    assert {f"politicians/{pid}.html" for pid in ids} >= set(links)


def test_member_context_cache_equals_fresh_computation(seed):
    """Profiles from the per-universe cache equal profiles from a freshly computed context
    (the reference), and the cache serves the same universe content only."""
    from dataclasses import replace

    from pandas.testing import assert_frame_equal

    from workbench.member import member_profile
    from workbench.member.context import universe_context, universe_fingerprint
    from workbench.reports.notebook import load_universe

    u = load_universe("synthetic", seed=seed, smoke=True)
    assert universe_context(u) is universe_context(u)  # computed once
    again = load_universe("synthetic", seed=seed, smoke=True)  # a new object, same content
    assert universe_context(again) is universe_context(u)
    fresh = universe_context(u, cache=False)
    ids = top_politicians(u.trades, 2)
    frames = ("trades", "monthly", "performance", "sectors", "committees", "neighbours",
              "returns")
    for pid in ids:
        got, want = member_profile(u, pid), member_profile(u, pid, context=fresh)
        for name in frames:
            assert_frame_equal(getattr(got, name), getattr(want, name), check_exact=True)
        assert got.lag.keys() == want.lag.keys()
        for k, v in want.lag.items():
            assert got.lag[k] == pytest.approx(v, rel=0, abs=0, nan_ok=True), k
    # the same universe with one member's trades removed is another universe
    smaller = replace(u, trades=u.trades[u.trades["bioguide_id"] != ids[0]])
    assert universe_fingerprint(smaller) != universe_fingerprint(u)
    ctx = universe_context(smaller)
    assert ctx is not universe_context(u)
    gone = str(u.trades.loc[u.trades["bioguide_id"] == ids[0], "politician"].iloc[0])
    assert gone in list(universe_context(u).similarity.politicians)
    assert gone not in list(ctx.similarity.politicians)
    assert ctx.everyone_late_share == pytest.approx(
        universe_context(smaller, cache=False).everyone_late_share, rel=0, abs=0)
    with pytest.raises(ValueError, match="another universe"):
        member_profile(smaller, ids[1], context=fresh)
    got = member_profile(smaller, ids[1])
    want = member_profile(smaller, ids[1], context=universe_context(smaller, cache=False))
    for name in frames:
        assert_frame_equal(getattr(got, name), getattr(want, name), check_exact=True)
    # another seed: another fingerprint
    other = load_universe("synthetic", seed=seed + 1, smoke=True)
    assert universe_fingerprint(other) != universe_fingerprint(u)
