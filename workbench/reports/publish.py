"""Executed notebook -> offline HTML report; reports -> ``index.html``.

HTML reports hide code, keep plotly figures interactive with no network, and start with a header
of the run's parameters, data provenance, package versions, git commit and run time. plotly.js is
either shipped once beside the reports (``plotly.min.js``, default) or inlined once per report
(``plotlyjs="inline"``: one self-contained file to e-mail). No CDN is referenced: the template
drops nbconvert's require.js, MathJax, mermaid and widget-manager scripts.

Every string that reaches the header or the index is escaped with :func:`html.escape`. Cell
outputs are escaped by their producers (pandas ``to_html``, plotly JSON, nbconvert for text).
"""

from __future__ import annotations

import html
import json
import platform
import re
import subprocess
import threading
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path

import nbformat

from workbench.reports.assets import (
    CSS,
    ITABLES_FILE,
    PLOTLYJS_FILE,
    itables_tag,
    plotlyjs_tag,
    publish_text,
    write_itables_js,
    write_plotlyjs,
)
from workbench.reports.extract import extract_provenance
from workbench.reports.index_page import INDEX_JSON, read_index, write_index
from workbench.reports.tables import ITABLES_MARKER, LIVE_ONLY, REPORT_PLACEHOLDER

__all__ = ["render_html", "header_html", "extract_provenance", "package_versions", "git_commit",
           "write_plotlyjs", "write_itables_js", "write_index", "read_index", "publish_text",
           "PLOTLYJS_FILE", "ITABLES_FILE", "INDEX_JSON", "table_of_contents", "prune_dead_links"]

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
VERSIONED_PACKAGES = ("workbench", "numpy", "pandas", "scipy", "statsmodels", "plotly", "duckdb",
                      "papermill", "nbconvert", "dask", "torch", "itables")

_CSS = CSS  # kept for callers of the old private name

_TEMPLATE = r"""{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{{ resources.wb_plotlyjs }}{{ resources.wb_itables }}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}<style type="text/css">{{ resources.wb_css }}</style>{%- endblock extra_css -%}
{%- block body_header -%}{{ super() }}{{ resources.wb_header }}{%- endblock body_header -%}
"""


def package_versions(names: Iterable[str] = VERSIONED_PACKAGES) -> dict[str, str]:
    """Installed versions of ``names`` (``"absent"`` when not installed) plus Python's."""
    out = {"python": platform.python_version()}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "absent"
    return out


def git_commit(root: str | Path | None = None) -> str:
    """``HEAD`` commit of the checkout at ``root`` (``+dirty`` when tracked files changed)."""
    from workbench.config import project_root

    root = Path(root) if root is not None else project_root()
    try:
        sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                             text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=root, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{sha}+dirty" if dirty else sha


def _rows(pairs: Iterable[tuple[object, object]]) -> str:
    return "".join(f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>"
                   for k, v in pairs)


def header_html(*, title: str, parameters: Mapping[str, object], provenance: dict | None,
                versions: Mapping[str, str], commit: str, started: str, duration_s: float,
                status: str = "ok", banner: str = "") -> str:
    """The header block of a report (escaped).

    Parameters
    ----------
    parameters : mapping
        Effective parameter values (declared defaults overridden by the injected ones).
    provenance : dict or None
        ``{"source": ..., "items": [[item, value], ...]}`` from :func:`extract_provenance`.
    started : str
        ISO-8601 UTC start of the run; ``duration_s`` its wall time in seconds.
    banner : str
        Text of a "simulated data" banner shown above the header ("" for none); escaped.
    """
    prov = ([("source", provenance["source"]), *provenance["items"]] if provenance
            else [("source", "not recorded by the notebook")])
    run = _rows([("run started (UTC)", started), ("duration", f"{duration_s:.1f} s"),
                 ("git commit", commit)])
    top = (f'<div class="wb-banner wb-synthetic-banner"><strong>Simulated data.</strong> '
           f"{html.escape(banner)}</div>" if banner else "")
    return (
        f'{top}<header class="wb-header">'
        f"<h2>{html.escape(title)} <small class=\"wb-status-{html.escape(status)}\">"
        f"{html.escape(status)}</small></h2>"
        f"<table>{run}</table>"
        f"<details><summary>Parameters</summary><table>{_rows(parameters.items())}</table>"
        "</details>"
        f"<details><summary>Data provenance</summary><table>{_rows(prov)}</table></details>"
        f"<details><summary>Package versions</summary><table>{_rows(versions.items())}</table>"
        "</details></header>")


def _strip_live_only(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop widget state, widget views that have a static fallback (HTML has no kernel) and
    outputs marked live-only (the DataTables loader of a live notebook)."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if "outputs" not in cell:
            continue
        cell.outputs = [o for o in cell.outputs if not o.get("metadata", {}).get(LIVE_ONLY)]
        for out in cell.outputs:
            data = out.get("data")
            if data and WIDGET_MIME in data:
                data.pop(WIDGET_MIME)
                if set(data) <= {"text/plain"}:
                    data["text/plain"] = "(interactive widget: open the notebook in JupyterLab)"
    return nb


_HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)(?:<a class="anchor-link"[^>]*>.*?</a>)?'
                      r"</h\1>", re.S)
_FINDINGS_END = re.compile(r'<div class="wb-findings">.*?</ul></div>', re.S)


def table_of_contents(page: str) -> str:
    """``<nav>`` listing the page's h2 sections (h3 nested), ``""`` with fewer than two."""
    items: list[tuple[int, str, str]] = []
    for level, anchor, inner in _HEADING.findall(page):
        text = re.sub(r"<[^>]+>", "", inner).strip()
        if text and text.lower() != "findings":
            items.append((int(level), anchor, text))
    if sum(1 for lv, _, _ in items if lv == 2) < 2:
        return ""
    # anchor and text come from nbconvert's own escaped heading HTML
    lis = "".join(f'<li><a href="#{a}">{t}</a></li>' for lv, a, t in items if lv == 2)
    return f'<nav class="wb-toc"><strong>Contents</strong><ol>{lis}</ol></nav>'


def _finish_page(page: str, report_key: str, prefix: str) -> str:
    """Download links point at this report's data; the contents follow the findings."""
    page = page.replace(f"data/{REPORT_PLACEHOLDER}/", f"{prefix}data/{report_key}/")
    if prefix:  # table links are relative to the reports' root
        page = page.replace('<a class="wb-link" href="', f'<a class="wb-link" href="{prefix}')
    toc = table_of_contents(page)
    if not toc:
        return page
    m = _FINDINGS_END.search(page)
    if m:
        return page[:m.end()] + toc + page[m.end():]
    return page.replace("</header>", "</header>" + toc, 1)


_EXPORTERS = threading.local()


def _exporter():
    """This thread's HTML exporter, built once: its Jinja templates compile on first use
    (~0.15-0.25 s a page when a new exporter is built per page). Everything that varies per
    page goes through ``resources``; the exporter holds no page state between calls."""
    exporter = getattr(_EXPORTERS, "html", None)
    if exporter is None:
        from jinja2 import DictLoader
        from nbconvert import HTMLExporter
        from traitlets.config import Config

        cfg = Config()
        cfg.TagRemovePreprocessor.enabled = True
        cfg.TagRemovePreprocessor.remove_cell_tags = ("remove_cell",)
        cfg.TagRemovePreprocessor.remove_all_outputs_tags = ("remove_output",)
        exporter = HTMLExporter(config=cfg, template_name="lab",
                                extra_loaders=[DictLoader({"wb_report.html.j2": _TEMPLATE})],
                                template_file="wb_report.html.j2", exclude_input=True,
                                exclude_input_prompt=True, exclude_output_prompt=True)
        _EXPORTERS.html = exporter
    return exporter


def render_html(nb: nbformat.NotebookNode, *, title: str, header: str = "",
                plotlyjs: str = "file", report_key: str = "report", prefix: str = "") -> str:
    """Export an executed notebook to HTML with code hidden.

    Parameters
    ----------
    nb : NotebookNode
        Executed notebook.
    title : str
        ``<title>`` of the page.
    header : str
        Trusted HTML inserted at the top of the body (see :func:`header_html`).
    plotlyjs : {"file", "inline"}
        Reference ``plotly.min.js`` (and ``itables.bundle.js`` when the page has interactive
        tables) beside the reports, or embed them once in the page.
    report_key : str
        Safe name of the report: its downloads live in ``data/<report_key>/``.
    prefix : str
        Path from the page to the reports' root (``"../"`` for ``politicians/<id>.html``).

    Notes
    -----
    Cells tagged ``remove_cell`` are dropped and cells tagged ``remove_output`` lose their output.
    A table of contents of the h2 sections follows the findings block.
    """
    exporter = _exporter()
    nb = _strip_live_only(nb)
    nb.metadata["title"] = title
    uses_tables = any(ITABLES_MARKER in str(o.get("data", {}).get("text/html", ""))
                      for c in nb.cells for o in c.get("outputs", []))
    resources = {"wb_plotlyjs": plotlyjs_tag(plotlyjs, prefix),
                 "wb_itables": itables_tag(plotlyjs, prefix) if uses_tables else "",
                 "wb_header": header, "wb_css": CSS}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return _finish_page(body, report_key, prefix)


_LINK = re.compile(r'<a class="wb-link" href="([^"]+)">(.*?)</a>', re.S)


def prune_dead_links(page: str | Path) -> int:
    """Unlink table links (``wb-link``) whose target page does not exist; returns how many.

    Table cells may link to pages another part of the build produces (a politician's profile);
    once the build is over, links to pages that were not built become plain text.
    """
    page = Path(page)
    text = page.read_text(encoding="utf-8")
    dead = 0

    def fix(m: re.Match) -> str:
        nonlocal dead
        if (page.parent / html.unescape(m.group(1))).exists():
            return m.group(0)
        dead += 1
        return m.group(2)

    new = _LINK.sub(fix, text)
    if dead:
        publish_text(page, new)
    return dead
