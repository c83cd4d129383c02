"""Layout of every built report in headless Chromium at 1400 px (tests/reports/layout_check.js).

Fails, naming the report and the element, when

- a table or figure runs past the page edge outside a scrolling container (the page scrolls
  sideways, columns are cut);
- a plotly legend's box covers the figure's title or an axis title;
- a table cell shows a raw float with more than 6 significant digits or a ``00:00:00`` time
  (also checked on the rows of interactive tables that are not on the first page: they are
  read from the table's data in the HTML).

Runs on the session smoke build (every notebook in notebooks/, whoever wrote it, plus the
politician profiles it builds) and on the index.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from test_browser import CHROMIUM, chromium  # noqa: F401  (fixture)

pytestmark = pytest.mark.xdist_group("reports")

CHECK_JS = (Path(__file__).parent / "layout_check.js").read_text()
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1400,5000", "--virtual-time-budget=20000",
         "--hide-scrollbars", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
         "--dump-dom"]
RAW_FLOAT = re.compile(r"(?<![\w.])[-+]?\d[\d,]*\.\d+(?:[eE][-+]?\d+)?")
DATA_JSON = re.compile(r'"data_json": ("(?:[^"\\]|\\.)*")')


def significant_digits(token: str) -> int:
    mant = token.lstrip("+-").split("e")[0].split("E")[0].replace(",", "")
    return len(mant.replace(".", "").lstrip("0"))


def test_significant_digits():
    assert significant_digits("60664951.5") == 9
    assert significant_digits("2.150500e+04") == 7
    assert significant_digits("-0.0952") == 3
    assert significant_digits("1,234.5") == 5


def layout_problems(chromium_path: str, page: Path, tmp_path: Path) -> list[dict]:
    """Problems reported by layout_check.js for one page (a copy with the script added)."""
    probe = page.with_name(f".layout-{page.name}")
    text = page.read_text(encoding="utf-8")
    probe.write_text(text.replace("</body>", f"<script>{CHECK_JS}</script></body>", 1),
                     encoding="utf-8")
    profile = tmp_path / f"chrome-{page.parent.name}-{page.stem}"
    profile.mkdir(exist_ok=True)
    try:
        proc = subprocess.run([chromium_path, *FLAGS, f"--user-data-dir={profile}",
                               probe.resolve().as_uri()], capture_output=True, text=True,
                              timeout=180)
    finally:
        probe.unlink(missing_ok=True)
    m = re.search(r'<pre id="wb-layout-result"[^>]*>(.*?)</pre>', proc.stdout, re.S)
    assert m, f"{page.name}: the layout check did not run\n{proc.stderr[-1500:]}"
    import html

    result = json.loads(html.unescape(m.group(1)))
    problems = result["problems"]
    # rows of interactive tables that are not on the first page exist only as data in the HTML
    for raw in DATA_JSON.findall(text):
        for row in json.loads(json.loads(raw)):
            for cell in row:
                cell = str(cell)
                if "00:00:00" in cell:
                    problems.append({"check": "time", "element": "interactive table",
                                     "detail": f"cell {cell!r}"})
                for tok in RAW_FLOAT.findall(cell):
                    if significant_digits(tok) > 6:
                        problems.append({"check": "float", "element": "interactive table",
                                         "detail": f"raw float {tok!r} in cell {cell[:60]!r}"})
    return problems


def pages(build) -> list[Path]:
    out = build.out_dir
    found = [out / o.html_path for o in build.outcomes if o.status == "ok"]
    return [*found, out / "index.html"]


def test_reports_layout(chromium, smoke_build, tmp_path):  # noqa: F811
    failures = []
    checked = 0
    for page in pages(smoke_build):
        for p in layout_problems(chromium, page, tmp_path):
            failures.append(f"{page.relative_to(smoke_build.out_dir)}: [{p['check']}] "
                            f"{p['element']}: {p['detail']}")
        checked += 1
    assert checked >= 9
    assert not failures, "layout problems:\n" + "\n".join(failures)


def test_layout_check_catches_defects(chromium, tmp_path):  # noqa: F811
    """The checker itself: a wide bare table, a legend over the title, a raw float, a midnight."""
    cells = "".join(f"<td>column value {i} that is long</td>" for i in range(40))
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><body><table><tr><th>a</th></tr><tr>" + cells + "</tr>"
        "<tr><td>60664951.5</td><td>2012-01-12 00:00:00</td></tr></table></body></html>")
    problems = layout_problems(chromium, page, tmp_path)
    checks = {p["check"] for p in problems}
    assert {"overflow", "float", "time"} <= checks, problems
    assert any("table [a]" in p["element"] for p in problems), problems


def test_layout_check_catches_legend_over_title(chromium, tmp_path):  # noqa: F811
    import plotly.graph_objects as go

    from workbench.plotting.theme import figure_html
    from workbench.reports.publish import write_plotlyjs

    write_plotlyjs(tmp_path)
    traces = [go.Scatter(x=[1, 2], y=[i, i + 1], name=f"series number {i}") for i in range(12)]
    bad = go.Figure(traces).update_layout(
        title="A title the legend covers", legend={"orientation": "h", "y": 1.02,
                                                    "yanchor": "bottom", "x": 0})
    good = go.Figure(traces).update_layout(title="A title left alone")
    page = tmp_path / "legend.html"
    page.write_text('<!DOCTYPE html><html><head><script src="plotly.min.js"></script></head>'
                    f"<body>{figure_html(bad)}{figure_html(good)}</body></html>")
    problems = [p for p in layout_problems(chromium, page, tmp_path) if p["check"] == "legend"]
    assert problems and all("A title the legend covers" in p["element"] for p in problems), \
        problems
