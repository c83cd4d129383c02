"""Publisher: offline HTML (code hidden, plotly.js once, no CDN), escaping, header, index."""

from __future__ import annotations

import json
import re

import nbformat
import pandas as pd
import plotly.graph_objects as go
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from report_helpers import NOTEBOOKS, PAYLOAD, index_rows

from workbench.plotting.theme import WorkbenchRenderer
from workbench.reports.notebook import PROVENANCE_MIME, Provenance
from workbench.reports.publish import (
    extract_provenance,
    header_html,
    render_html,
    write_index,
    write_plotlyjs,
)

# One xdist worker runs every test that shares the session smoke build (built once).
pytestmark = pytest.mark.xdist_group("reports")

EXTERNAL = re.compile(r"""<(?:script|link|img|iframe)[^>]+(?:src|href)=["']?(?:https?:)?//""", re.I)


def executed_notebook() -> nbformat.NotebookNode:
    """A notebook as papermill would leave it: outputs with a figure, a table, a widget."""
    fig = go.Figure(go.Bar(x=["a", PAYLOAD], y=[1, 2]))
    fig_bundle = WorkbenchRenderer().to_mimebundle(fig.to_plotly_json())
    table = pd.DataFrame({"asset_description": [PAYLOAD]})
    prov = Provenance(source="synthetic", items=(("seed", "7"), ("note", PAYLOAD)))
    cells = [new_markdown_cell("# Title"),
             new_code_cell("SECRET_SOURCE_CODE = 1", outputs=[
                 new_output("display_data", data=fig_bundle)]),
             new_code_cell("table", outputs=[new_output(
                 "execute_result", data={"text/html": table._repr_html_(),
                                         "text/plain": "table"}, execution_count=1)]),
             new_code_cell("prov", outputs=[new_output(
                 "display_data", data=prov._repr_mimebundle_())]),
             new_code_cell("widget", outputs=[new_output("display_data", data={
                 "application/vnd.jupyter.widget-view+json": {"model_id": "abc",
                                                              "version_major": 2,
                                                              "version_minor": 0},
                 "text/plain": "VBox()"})])]
    nb = new_notebook(cells=cells)
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    return nb


def test_render_html_offline_hidden_code_and_escaped():
    html = render_html(executed_notebook(), title="t", header="<header>H</header>")
    assert "SECRET_SOURCE_CODE" not in html  # code hidden
    assert not EXTERNAL.findall(html), EXTERNAL.findall(html)  # no CDN / network resource
    assert "require.min.js" not in html and "MathJax.js" not in html and "tex-" not in html
    assert html.count('<script src="plotly.min.js"></script>') == 1
    assert "<script>document.title" not in html  # pandas escaped the table cell
    assert "&lt;script&gt;document.title" in html
    assert "widget-view+json" not in html and "widget-state" not in html
    assert "<header>H</header>" in html and html.index("<header>") < html.index(">Title<")
    assert 'class="wb-provenance"' in html


def test_render_html_inline_embeds_plotly_once():
    from plotly.offline import get_plotlyjs

    html = render_html(executed_notebook(), title="t", plotlyjs="inline")
    js = get_plotlyjs()
    assert html.count(js[:200]) == 1 and js[-200:] in html
    assert 'src="plotly.min.js"' not in html


def test_figure_payload_cannot_close_script():
    bundle = WorkbenchRenderer().to_mimebundle(go.Figure(go.Bar(x=[PAYLOAD], y=[1]))
                                               .to_plotly_json())
    assert "application/vnd.plotly.v1+json" in bundle
    html = bundle["text/html"]
    assert "</script" not in html.split("<script", 1)[1].rsplit("</script>", 1)[0]
    assert "\\u003cscript\\u003e" in html
    # deterministic ids: same figure twice -> same hash, consecutive counter
    ids = re.findall(r'id="(wbfig-\d+-[0-9a-f]+)"', html)
    assert len(ids) == 1


def test_header_and_index_escape(tmp_path):
    prov = extract_provenance(executed_notebook())
    assert prov == {"source": "synthetic", "items": [["seed", "7"], ["note", PAYLOAD]]}
    h = header_html(title="n<i>", parameters={"p": PAYLOAD}, provenance=prov,
                    versions={"pandas": "x"}, commit="abc", started="2024-01-01T00:00:00Z",
                    duration_s=1.25)
    assert PAYLOAD not in h and "<i>" not in h and "1.2 s" in h
    assert h.count("&lt;script&gt;") == 2
    (tmp_path / "a.html").write_text("x")
    rows = [{"name": "a", "status": "ok", "parameters": {"p": PAYLOAD}, "duration_s": 1.0,
             "started": "s", "error": "", "provenance": {"source": PAYLOAD, "items": []}},
            {"name": "b", "status": "failed", "parameters": {}, "duration_s": 2.0,
             "started": "s", "error": PAYLOAD, "provenance": None}]
    index = write_index(tmp_path, rows, commit="c").read_text()
    assert PAYLOAD not in index and index.count("&lt;script&gt;") == 3
    assert 'href="a.html">a<' in index and "b.html" not in index
    # a later partial build keeps the other rows
    write_index(tmp_path, [dict(rows[0], status="ok", duration_s=3.0)])
    assert set(index_rows(tmp_path)) == {"a", "b"}


def test_write_plotlyjs_is_idempotent(tmp_path):
    p = write_plotlyjs(tmp_path)
    mtime = p.stat().st_mtime_ns
    assert write_plotlyjs(tmp_path).stat().st_mtime_ns == mtime
    assert p.stat().st_size > 1_000_000 and oct(p.stat().st_mode & 0o777) == "0o644"


def test_smoke_build_publishes_every_notebook(smoke_build, seed):
    out = smoke_build.out_dir
    stems = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb") if p.stem != "12_politician")
    reports = [o for o in smoke_build.outcomes if o.kind == "report"]
    assert [o.name for o in reports] == stems
    assert len([o for o in smoke_build.outcomes if o.kind == "profile"]) == 3
    failed = {o.name: o.error for o in smoke_build.outcomes if o.status != "ok"}
    assert not failed, failed
    rows = index_rows(out)
    index = (out / "index.html").read_text()
    for stem in stems:
        html = (out / f"{stem}.html").read_text()
        assert not EXTERNAL.findall(html), (stem, EXTERNAL.findall(html))
        assert html.count('<script src="plotly.min.js"></script>') == 1
        for needle in ("Parameters", "Data provenance", "Package versions", "git commit",
                       "run started (UTC)", "smoke", str(seed)):
            assert needle in html, (stem, needle)
        assert rows[stem]["status"] == "ok" and rows[stem]["parameters"]["smoke"] is True
        assert f'href="{stem}.html"' in index
        executed = nbformat.read(str(out / "ipynb" / f"{stem}.ipynb"), as_version=4)
        assert any("injected-parameters" in c.metadata.get("tags", []) for c in executed.cells)
    assert (out / "plotly.min.js").exists()


def test_every_report_offers_its_tables_for_download(smoke_build):
    """Each report writes at least one key table beside it (CSV and Parquet), links it from
    the page and from the index (09 once showed plain DataFrames with no downloads)."""
    out = smoke_build.out_dir
    rows = index_rows(out)
    index = (out / "index.html").read_text()
    for o in smoke_build.outcomes:
        if o.kind != "report":
            continue
        files = rows[o.name]["downloads"]
        assert any(f.endswith(".csv") for f in files), o.name
        assert {f.rsplit(".", 1)[0] for f in files if f.endswith(".csv")} == \
            {f.rsplit(".", 1)[0] for f in files if f.endswith(".parquet")}, o.name
        html = (out / f"{o.name}.html").read_text()
        for f in files:
            assert (out / f).is_file(), (o.name, f)
            assert f'href="{f}"' in html, (o.name, f)
            if f.endswith(".csv"):
                assert f'href="{f}"' in index, (o.name, f)


def test_every_synthetic_page_opens_with_one_banner(smoke_build):
    """On the synthetic source each page carries exactly one "simulated data" banner, at the
    top: before the header and the findings (09, 10 and 11 once showed theirs further down,
    where their notebooks display it)."""
    out = smoke_build.out_dir
    for o in smoke_build.outcomes:
        page = out / (f"politicians/{o.name}.html" if o.kind == "profile" else f"{o.name}.html")
        html = page.read_text()
        banner = html.find('class="wb-banner wb-synthetic-banner"')
        assert html.count('class="wb-banner wb-synthetic-banner"') == 1, o.name
        header, findings = html.find('<header class="wb-header"'), html.find('class="wb-findings"')
        assert 0 <= banner < header < findings, (o.name, banner, header, findings)


def test_overview_report_content(smoke_build, seed):
    html = (smoke_build.out_dir / "00_data_overview.html").read_text()
    row = index_rows(smoke_build.out_dir)["00_data_overview"]
    assert row["provenance"]["source"] == "synthetic"
    assert ["seed", str(seed)] in row["provenance"]["items"]
    for title in ("Trades per chamber and transaction year", "Trades per month",
                  "Most active traders", "Most traded tickers", "Asset types",
                  "Disclosed amount brackets", "45-day deadline", "Price coverage",
                  "Unresolved names", "Latest filers", "wb-explorer-static"):
        assert title in html, title
    executed = nbformat.read(str(smoke_build.out_dir / "ipynb" / "00_data_overview.ipynb"), 4)
    mimes = [m for c in executed.cells for o in c.get("outputs", []) for m in o.get("data", {})]
    assert mimes.count("application/vnd.plotly.v1+json") >= 9  # live JupyterLab rendering
    assert PROVENANCE_MIME in mimes
    assert json.loads(json.dumps(row))  # index row is plain JSON


@pytest.mark.shared
def test_overview_on_store_built_from_shared_data(shared_path, tmp_path):
    """00_data_overview on a store ingested from ../shared/data: runs, and its numbers hold."""
    from workbench.data.store import ingest
    from workbench.reports.runner import build_reports

    files = [shared_path(p) for p in (
        "legislators/legislators-current.csv", "legislators/legislators-historical.csv",
        "senate/all_daily_summaries.json", "house/all_transactions.json",
        "prices/sp500_daily_2010_2021.parquet", "prices/sp500_constituents.csv")]
    store = tmp_path / "real.duckdb"
    ingest(files, store)
    res = build_reports(NOTEBOOKS, tmp_path / "out", parameters={"source": str(store)},
                        only=["00_data_overview"], workers=1)
    (outcome,) = res.outcomes
    assert outcome.status == "ok", outcome.error
    assert outcome.provenance["source"] == str(store)
    assert any("sha256=" in v for _, v in outcome.provenance["items"])  # file hashes in header
    html = (res.out_dir / "00_data_overview.html").read_text()
    assert "all_daily_summaries.json" in html
    nb = nbformat.read(str(res.out_dir / "ipynb" / "00_data_overview.ipynb"), as_version=4)
    assert any("overview.summary().to_frame()" in c.source for c in nb.cells)
    # the summary table's raw values, downloaded beside the report
    summary = pd.read_csv(res.out_dir / "data" / "00_data_overview" / "summary.csv")
    n = int(summary.set_index(summary.columns[0]).loc["trades"].iloc[0])
    assert 14_000 <= n <= 14_572  # 8,030 Senate + 6,542 House rows, minus rejects
    assert "data/00_data_overview/summary.csv" in html
