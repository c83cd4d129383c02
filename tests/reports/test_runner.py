"""Runner: parameter parsing, notebook discovery, path safety, failures, the CLI group."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from report_helpers import TINY_FAIL, TINY_MIN, TINY_OK, index_rows, make_notebook

from workbench.cli import main
from workbench.exceptions import ReportError
from workbench.reports.parameters import (
    coerce_value,
    parse_assignments,
    read_parameters,
    resolve_parameters,
)
from workbench.reports.runner import build_reports, discover_notebooks, make_jobs, safe_name


def naive_parameters(source: str) -> list[tuple[str, str, str, str]]:
    """Reference parser by string splitting: (name, type, default, help) per line."""
    out = []
    for line in source.splitlines():
        code, _, help_ = line.partition("#")
        if "=" not in code:
            continue
        left, _, default = code.partition("=")
        name, _, typ = left.partition(":")
        out.append((name.strip(), typ.strip(), default.strip(), help_.strip()))
    return out


def test_read_parameters_matches_naive_reference(tmp_path):
    path = make_notebook(tmp_path / "a.ipynb", ["1"])
    got = [(p.name, p.type, p.default_text, p.help) for p in read_parameters(path)]
    src = nbformat.read(str(path), as_version=4).cells[1].source
    assert got == naive_parameters(src)
    p = {q.name: q for q in read_parameters(path)}
    assert p["seed"].default == 1 and p["smoke"].default is False and p["note"].default == "hi"


def test_overview_parameters_are_documented():
    params = {p.name: p for p in read_parameters(
        Path(__file__).parents[2] / "notebooks" / "00_data_overview.ipynb")}
    assert {"source", "seed", "smoke", "chamber", "start", "end"} <= set(params)
    assert params["chamber"].default == "all" and params["start"].default == ""
    assert all(p.help and p.type for p in params.values())


def test_parameters_cell_errors(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    nbformat.write(nb, str(tmp_path / "none.ipynb"))
    with pytest.raises(ReportError, match="exactly one cell tagged 'parameters'"):
        read_parameters(tmp_path / "none.ipynb")
    make_notebook(tmp_path / "bad.ipynb", [], params="x: int = (")
    with pytest.raises(ReportError, match="parameters cell line"):
        read_parameters(tmp_path / "bad.ipynb")


@pytest.mark.parametrize(("text", "typ", "want"), [
    ("3", "int", 3), ("2.5", "float", 2.5), ("true", "bool", True), ("0", "bool", False),
    ("No", "bool", False), ("../../x", "str", "../../x"), ("a=b", "", "a=b")])
def test_coerce_value(text, typ, want):
    got = coerce_value(text, typ)
    assert got == want and type(got) is type(want)


@pytest.mark.parametrize(("text", "typ"), [("x", "int"), ("1e", "float"), ("maybe", "bool")])
def test_coerce_value_rejects(text, typ):
    with pytest.raises(ReportError, match="parameter"):
        coerce_value(text, typ, name="p")


def test_parse_assignments_and_resolve(tmp_path):
    assert parse_assignments(["a=1", "b=x=y"]) == {"a": "1", "b": "x=y"}
    for bad in (["novalue"], ["1a=3"], ["=3"]):
        with pytest.raises(ReportError):
            parse_assignments(bad)
    declared = read_parameters(make_notebook(tmp_path / "a.ipynb", []))
    assert resolve_parameters(declared, {"seed": "7", "smoke": "yes", "other": "z"}) == \
        {"seed": 7, "smoke": True}


def test_safe_name_and_discovery(tmp_path):
    assert safe_name("../../x") == "x"
    assert safe_name("a b/c") == "a_b_c"
    assert safe_name("..") == "report"
    for stem in ("00_alpha", "01_beta", ".hidden"):
        make_notebook(tmp_path / f"{stem}.ipynb", [])
    assert [p.stem for p in discover_notebooks(tmp_path)] == ["00_alpha", "01_beta"]
    assert [p.stem for p in discover_notebooks(tmp_path, ["beta"])] == ["01_beta"]
    assert [p.stem for p in discover_notebooks(tmp_path, ["00_alpha"])] == ["00_alpha"]
    with pytest.raises(ReportError, match="no notebook named"):
        discover_notebooks(tmp_path, ["gamma"])


def test_make_jobs_rejects_unknown_parameter(tmp_path):
    path = make_notebook(tmp_path / "a.ipynb", [])
    with pytest.raises(ReportError, match="unknown parameter"):
        make_jobs([path], {"nope": "1"})
    (job,) = make_jobs([path], {"seed": "4"})
    assert job.parameters == {"seed": 4} and job.defaults["note"] == "hi"


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def test_parameter_cannot_redirect_output(tmp_path):
    """Built through the CLI: ``-p note=../../x`` reaches the notebook only as data."""
    nbdir = tmp_path / "nb"
    make_notebook(nbdir / "01_tiny.ipynb", TINY_OK)
    out = tmp_path / "deep" / "out"
    out.parent.mkdir()
    before = _tree(tmp_path)
    rc = main(["reports", "build", "--notebooks", str(nbdir), "--out", str(out), "--workers",
               "1", "--seed", "9", "-p", "note=../../x", "--smoke", "--no-progress"])
    assert rc == 0
    created = _tree(tmp_path) - before
    assert created, "nothing written"
    assert all(c.startswith(os.path.join("deep", "out")) for c in created), created
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["01_tiny.html", "index.html", "index.json", "ipynb", "itables.bundle.js",
         "plotly.min.js"])
    html = (out / "01_tiny.html").read_text()
    assert "../../x 9 True" in html  # the notebook printed the injected values
    row = index_rows(out)["01_tiny"]
    assert row["parameters"] == {"source": "synthetic", "seed": 9, "smoke": True,
                                 "note": "../../x"}


def test_failing_notebook_keeps_previous_report_and_marks_index(tmp_path):
    nbdir = tmp_path / "nb"
    make_notebook(nbdir / "01_tiny.ipynb", TINY_MIN)
    make_notebook(nbdir / "02_other.ipynb", TINY_MIN)
    out = tmp_path / "out"
    assert build_reports(nbdir, out, workers=1).ok
    good = (out / "01_tiny.html").read_bytes()
    make_notebook(nbdir / "01_tiny.ipynb", TINY_FAIL)  # same report, now broken
    res = build_reports(nbdir, out, workers=1)
    status = {o.name: o.status for o in res.outcomes}
    assert status == {"01_tiny": "failed", "02_other": "ok"}  # the other one still ran
    assert (out / "01_tiny.html").read_bytes() == good
    row = index_rows(out)["01_tiny"]
    assert row["status"] == "failed" and "ValueError: boom" in row["error"]
    index = (out / "index.html").read_text()
    assert "boom &lt;b&gt;bold&lt;/b&gt;" in index and "<b>bold</b>" not in index
    assert 'href="01_tiny.html">01_tiny</a> (previous report)' in index
    assert (out / "ipynb" / "01_tiny.failed.ipynb").exists()
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]  # no temporaries left


def test_cli_list_and_bad_parameter(tmp_path, capsys):
    nbdir = tmp_path / "nb"
    make_notebook(nbdir / "01_tiny.ipynb", TINY_OK)
    assert main(["reports", "list", "--notebooks", str(nbdir)]) == 0
    text = capsys.readouterr().out
    assert "01_tiny" in text
    assert "note" in text and "str" in text and '"hi"' in text and "free text" in text
    out = tmp_path / "out"
    assert main(["reports", "build", "--notebooks", str(nbdir), "--out", str(out),
                 "-p", "seed=x", "--workers", "1"]) == 2  # ReportError -> exit 2
    assert main(["reports", "build", "--notebooks", str(nbdir), "--out", str(out),
                 "-p", "nope=1", "--workers", "1"]) == 2
    assert not out.exists()  # refused before anything was written
