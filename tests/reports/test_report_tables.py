"""Tables for people (formatting, escaping, links), downloads beside the report, the contents,
the findings copy in the outputs, dead links, and the build's universe cache."""

from __future__ import annotations

import json
import re

import nbformat
import numpy as np
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output
from report_helpers import PAYLOAD

from workbench.reports.extract import (
    extract_findings,
    extract_tables,
    notebook_description,
    write_downloads,
)
from workbench.reports.findings import (
    FINDINGS_MIME,
    Finding,
    planted_vs_recovered,
    render_findings,
)
from workbench.reports.formatting import fmt, fmt_interval, fmt_p, format_frame
from workbench.reports.publish import prune_dead_links, render_html, table_of_contents
from workbench.reports.tables import TABLE_MIME, check_table_name, show_table

FLOAT = re.compile(r"[-+]?\d[\d,]*\.\d+(?:e[-+]?\d+)?")


def raw_floats(text: str) -> list[str]:
    """Numbers printed with more than 6 significant digits (the layout test's rule)."""
    return [t for t in FLOAT.findall(text)
            if len(t.lstrip("+-").split("e")[0].replace(",", "").replace(".", "").lstrip("0"))
            > 6]


def test_fmt_kinds():
    assert fmt(0.09523, "pct") == "9.5%"
    assert fmt(0.09523, "pct_signed") == "+9.5%"
    assert fmt(-0.0391, "pct_signed") == "-3.9%"
    assert fmt(60664951.5) == "60,664,952"
    assert fmt(21505.0) == "21,505"
    assert fmt(0.0000123) == "1.23e-05"
    assert fmt(pd.Timestamp("2012-01-12")) == "2012-01-12"
    assert fmt(pd.Timestamp("2012-01-12 13:05")) == "2012-01-12 13:05"
    assert fmt(0.74, "ratio") == "x0.74"
    assert fmt(12_345_678, "usd_m") == "$12.3M" and fmt(-5, "usd") == "-$5"
    assert fmt(np.nan) == "n/a" and fmt(True) == "yes"
    assert fmt_p(0.0004) == "<0.001" and fmt_p(0.03249) == "0.032"
    assert fmt_p(1 / 201, floor=1 / 201) == "<=0.00498 (floor)"
    assert fmt_interval(-0.01, 0.052) == "[-1.0%, 5.2%]"
    with pytest.raises(ValueError):
        fmt(1, "percent")


def test_format_frame_leaves_no_raw_float_or_midnight():
    df = pd.DataFrame({"when": pd.to_datetime(["2012-01-12", "2013-02-01"]),
                       "volume": [60664951.5, 1.5e-9], "p": [2.190653e-27, 0.5],
                       "n": pd.array([3, None], dtype="Int64"), "name": ["a", None]})
    out = format_frame(df, labels={"volume": "volume, $"})
    text = out.to_string()
    assert "00:00:00" not in text and not raw_floats(text), text
    assert list(out.columns) == ["when", "volume, $", "p", "n", "name"]
    assert out.loc[0, "p"] == "<0.001" and out.loc[1, "n"] == "" and out.loc[1, "name"] == ""


def test_values_that_round_to_zero_have_no_minus_sign():
    assert fmt(-0.00001, "pct") == "0.0%" and fmt(-0.00001, "pct_signed") == "+0.0%"
    assert fmt(-0.000001, "pct2") == "0.00%" and fmt(-0.0001, "num2") == "0.00"
    assert fmt(-0.0012, "pct2") == "-0.12%" and fmt(-0.012, "pct_signed") == "-1.2%"


def test_format_frame_years_and_ids_have_no_thousands_separator():
    df = pd.DataFrame({"year": [2012, 2020], "filing_year": [2019, 2021], "doc_id": [10012, 9],
                       "n_trades": [1475, 12]})
    out = format_frame(df)
    assert out["year"].tolist() == ["2012", "2020"]
    assert out["filing_year"].tolist() == ["2019", "2021"]
    assert out["doc_id"].tolist() == ["10012", "9"]
    assert out["n_trades"].tolist() == ["1,475", "12"]


def test_show_table_escapes_and_links_only_safe_urls():
    df = pd.DataFrame({"politician": [PAYLOAD, "Ann", "Bob"],
                       "profile": ["politicians/A000001.html", "javascript:alert(1)",
                                   "../../etc/passwd.html"],
                       "alpha": [0.1, -0.2, 0.3]})
    t = show_table(df, "people", links={"politician": "profile"}, hide=("profile",),
                   formats={"alpha": "pct"})
    html = t.to_html()
    assert "<script>document.title" not in html and "&lt;script&gt;" in html
    assert html.count('class="wb-link"') == 1 and 'href="politicians/A000001.html"' in html
    assert "javascript:" not in html and "etc/passwd" not in html
    assert "profile" not in t.display.columns and "profile" in t.data.columns
    assert not t.interactive
    long = show_table(pd.concat([df] * 10), "people_long", links={"politician": "profile"})
    assert long.interactive and "wb-itable" in long.to_html()
    assert "<script>document.title" not in long.to_html()
    assert "&lt;script&gt;document.title" in long.to_html()
    for bad in ("../x", "Bad", "a b", "x" * 70, ""):
        with pytest.raises(ValueError):
            check_table_name(bad)


def notebook_with(*bundles) -> nbformat.NotebookNode:
    cells = [new_code_cell("x", outputs=[new_output("display_data", data=b)]) for b in bundles]
    nb = new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "# Title\n\nWhat it does: one sentence. Then more."), *cells,
        nbformat.v4.new_markdown_cell("## Part one"), nbformat.v4.new_markdown_cell("## Part two")])
    return nb


def test_downloads_round_trip(tmp_path):
    data = pd.DataFrame({"when": pd.to_datetime(["2012-01-12", "2020-12-31"]),
                         "alpha": [0.0952, -0.0391], "n": [3, 4], "name": [PAYLOAD, "x"]})
    t = show_table(data, "alphas")
    assert t._repr_mimebundle_()[TABLE_MIME]["name"] == "alphas"
    nb = notebook_with(t._repr_mimebundle_(), show_table(data.head(1), "alphas")
                       ._repr_mimebundle_())  # second with the same name: first wins
    tables = extract_tables(nb)
    assert list(tables) == ["alphas"] and len(tables["alphas"]) == 2
    written = write_downloads(tmp_path, "04_factors", tables)
    assert written == ["data/04_factors/alphas.csv", "data/04_factors/alphas.parquet"]
    back = pd.read_parquet(tmp_path / "data/04_factors/alphas.parquet")
    pd.testing.assert_frame_equal(back.reset_index(drop=True), data, check_dtype=False,
                                  check_exact=False, rtol=1e-12)
    csv = pd.read_csv(tmp_path / "data/04_factors/alphas.csv")
    assert np.allclose(csv["alpha"], data["alpha"], rtol=1e-12) and csv["name"][0] == PAYLOAD


def test_page_has_findings_then_contents_and_download_links(tmp_path):
    block = render_findings([Finding("Buys beat sells by 1.0%/yr [0.2%, 1.8%]", "significant")])
    nb = notebook_with(block._repr_mimebundle_(), show_table(pd.DataFrame({"a": [1]}), "tab")
                       ._repr_mimebundle_())
    assert extract_findings(nb)[0]["verdict"] == "significant"
    assert notebook_description(nb) == "What it does: one sentence."
    page = render_html(nb, title="t", report_key="04_factors")
    assert 'href="data/04_factors/tab.csv"' in page and "__WB_REPORT__" not in page
    toc = page.index('class="wb-toc"')
    assert page.index('class="wb-findings"') < toc < page.index('id="Part-one"')
    assert table_of_contents(page).count("<li>") == 2
    sub = render_html(nb, title="t", report_key="politicians/A000001", prefix="../")
    assert 'href="../data/politicians/A000001/tab.csv"' in sub
    assert FINDINGS_MIME in block._repr_mimebundle_()


def test_prune_dead_links(tmp_path):
    (tmp_path / "politicians").mkdir()
    (tmp_path / "politicians" / "A000001.html").write_text("x")
    page = tmp_path / "04.html"
    page.write_text('<a class="wb-link" href="politicians/A000001.html">Ann</a> '
                    '<a class="wb-link" href="politicians/B000002.html">Bob</a>')
    assert prune_dead_links(page) == 1
    text = page.read_text()
    assert 'href="politicians/A000001.html">Ann<' in text and "B000002" not in text
    assert "Bob" in text


def test_planted_table_on_real_data_says_so():
    rows = [{"detector": "d", "planted": "p", "recovered": "r", "verdict": "recovered"}]
    synthetic = planted_vs_recovered(rows)
    assert TABLE_MIME in synthetic._repr_mimebundle_()
    real = type("U", (), {"source": "store.duckdb", "truth": None})()
    note = planted_vs_recovered([], real)._repr_mimebundle_()
    assert "nothing was planted" in note["text/html"]
    with pytest.raises(ValueError):
        planted_vs_recovered([{"verdict": "great"}])


def test_build_cache_returns_the_same_universe(tmp_path, monkeypatch, seed):
    from workbench.reports.notebook import UNIVERSE_CACHE_ENV, load_universe

    fresh = load_universe("synthetic", seed=seed, smoke=True)
    monkeypatch.setenv(UNIVERSE_CACHE_ENV, str(tmp_path))
    first = load_universe("synthetic", seed=seed, smoke=True)
    assert len(list(tmp_path.glob("synthetic-*.pkl"))) == 1
    cached = load_universe("synthetic", seed=seed, smoke=True)
    for u in (first, cached):
        pd.testing.assert_frame_equal(u.trades, fresh.trades)
        pd.testing.assert_frame_equal(u.prices, fresh.prices)
        assert u.truth.seed == fresh.truth.seed
    other = load_universe("synthetic", seed=seed + 1, smoke=True)
    assert len(list(tmp_path.glob("synthetic-*.pkl"))) == 2
    assert not other.trades["trade_id"].equals(fresh.trades["trade_id"])
    (next(tmp_path.glob("synthetic-*.pkl"))).write_bytes(b"garbage")  # a bad file regenerates
    assert len(load_universe("synthetic", seed=seed, smoke=True).trades) == len(fresh.trades)
    assert json.dumps(str(tmp_path))  # the directory is a plain path


def test_long_interactive_table_keeps_every_row():
    """itables downsampled tables over 64 KB (a profile showed 418 of 903 trades)."""
    n = 3000
    df = pd.DataFrame({"ticker": [f"T{i:04d}" for i in range(n)],
                       "asset": ["Juniper Fef Industries - Common Stock"] * n,
                       "amount": [float(i) for i in range(n)]})
    page = show_table(df, "long").to_html()
    assert "downsampled" not in page
    assert all(f"T{i:04d}" in page for i in (0, n // 2, n - 1))
