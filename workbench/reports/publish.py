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
import subprocess
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import nbformat

from workbench.data.atomic import atomic_write_bytes
from workbench.reports.notebook import PROVENANCE_MIME

__all__ = ["render_html", "header_html", "extract_provenance", "package_versions", "git_commit",
           "write_plotlyjs", "write_index", "read_index", "publish_text", "PLOTLYJS_FILE", "INDEX_JSON"]

PLOTLYJS_FILE = "plotly.min.js"
INDEX_JSON = "index.json"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
VERSIONED_PACKAGES = ("workbench", "numpy", "pandas", "scipy", "statsmodels", "plotly", "duckdb",
                      "papermill", "nbconvert", "dask", "torch")

_CSS = """
.wb-header{font-family:Inter,'Helvetica Neue',Arial,sans-serif;font-size:13px;border:1px solid #ddd;
 border-radius:6px;padding:10px 14px;margin:12px 0 20px;background:#fafafa}
.wb-header h2{font-size:15px;margin:0 0 8px}.wb-header details{margin:4px 0}
.wb-header table{border-collapse:collapse;margin:4px 0}.wb-header th,.wb-header td{
 text-align:left;padding:2px 10px 2px 0;vertical-align:top;font-weight:normal}
.wb-header th{color:#666}.wb-status-ok{color:#1a7f37}.wb-status-failed{color:#c62828}
.jp-RenderedHTMLCommon table{font-size:12px}
"""

_TEMPLATE = r"""{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{{ resources.wb_plotlyjs }}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}<style type="text/css">{{ resources.wb_css }}</style>{%- endblock extra_css -%}
{%- block body_header -%}{{ super() }}{{ resources.wb_header }}{%- endblock body_header -%}
"""


def _publish_bytes(path: Path, data: bytes) -> None:
    """Atomic write; the file gets ordinary permissions (reports are meant to be shared)."""
    atomic_write_bytes(path, data)


def publish_text(path: str | Path, text: str) -> None:
    """Write a published file atomically (temporary file + ``os.replace``), mode 0644."""
    _publish_bytes(Path(path), text.encode("utf-8"))


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


def extract_provenance(nb: nbformat.NotebookNode) -> dict | None:
    """The provenance record a notebook displayed (first one found), else ``None``."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if PROVENANCE_MIME in data:
                rec = data[PROVENANCE_MIME]
                return {"source": str(rec.get("source", "")),
                        "items": [[str(a), str(b)] for a, b in rec.get("items", [])]}
    return None


def _rows(pairs: Iterable[tuple[object, object]]) -> str:
    return "".join(f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>"
                   for k, v in pairs)


def header_html(*, title: str, parameters: Mapping[str, object], provenance: dict | None,
                versions: Mapping[str, str], commit: str, started: str, duration_s: float,
                status: str = "ok") -> str:
    """The header block of a report (escaped).

    Parameters
    ----------
    parameters : mapping
        Effective parameter values (declared defaults overridden by the injected ones).
    provenance : dict or None
        ``{"source": ..., "items": [[item, value], ...]}`` from :func:`extract_provenance`.
    started : str
        ISO-8601 UTC start of the run; ``duration_s`` its wall time in seconds.
    """
    prov = ([("source", provenance["source"]), *provenance["items"]] if provenance
            else [("source", "not recorded by the notebook")])
    run = _rows([("run started (UTC)", started), ("duration", f"{duration_s:.1f} s"),
                 ("git commit", commit)])
    return (
        '<header class="wb-header">'
        f"<h2>{html.escape(title)} <small class=\"wb-status-{html.escape(status)}\">"
        f"{html.escape(status)}</small></h2>"
        f"<table>{run}</table>"
        f"<details open><summary>Parameters</summary><table>{_rows(parameters.items())}</table>"
        "</details>"
        f"<details open><summary>Data provenance</summary><table>{_rows(prov)}</table></details>"
        f"<details><summary>Package versions</summary><table>{_rows(versions.items())}</table>"
        "</details></header>")


def _plotlyjs_tag(mode: str) -> str:
    # MathJaxConfig 'local': plotly.js would otherwise warn on the console that MathJax (which
    # would come from a CDN) is absent.
    return ("<script>window.PlotlyConfig = {MathJaxConfig: 'local'};</script>"
            + _plotlyjs_script(mode))


def _plotlyjs_script(mode: str) -> str:
    if mode == "inline":
        from plotly.offline import get_plotlyjs

        # plotly.min.js contains no "</script"; guard anyway so the page cannot break out.
        return "<script>" + get_plotlyjs().replace("</script", "<\\/script") + "</script>"
    if mode == "file":
        return f'<script src="{PLOTLYJS_FILE}"></script>'
    raise ValueError(f"plotlyjs must be 'file' or 'inline', got {mode!r}")


def _strip_live_only(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop widget state and widget views that have a static fallback (HTML has no kernel)."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data")
            if data and WIDGET_MIME in data:
                data.pop(WIDGET_MIME)
                if set(data) <= {"text/plain"}:
                    data["text/plain"] = "(interactive widget: open the notebook in JupyterLab)"
    return nb


def render_html(nb: nbformat.NotebookNode, *, title: str, header: str = "",
                plotlyjs: str = "file") -> str:
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
        Reference ``plotly.min.js`` beside the report, or embed plotly.js once in the page.

    Notes
    -----
    Cells tagged ``remove_cell`` are dropped and cells tagged ``remove_output`` lose their output.
    """
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
    nb = _strip_live_only(nb)
    nb.metadata["title"] = title
    resources = {"wb_plotlyjs": _plotlyjs_tag(plotlyjs), "wb_header": header, "wb_css": _CSS}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def write_plotlyjs(out_dir: str | Path) -> Path:
    """Write ``plotly.min.js`` from the installed plotly package beside the reports (once)."""
    from plotly.offline import get_plotlyjs

    path = Path(out_dir) / PLOTLYJS_FILE
    data = get_plotlyjs().encode("utf-8")
    if not path.exists() or path.stat().st_size != len(data) or path.read_bytes() != data:
        _publish_bytes(path, data)
    return path


def read_index(out_dir: str | Path) -> dict[str, dict]:
    """Rows of the previous index (``index.json``) keyed by report name; ``{}`` when absent."""
    path = Path(out_dir) / INDEX_JSON
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(r["name"]): r for r in rows if isinstance(r, dict) and "name" in r}


def write_index(out_dir: str | Path, rows: Iterable[Mapping], *, commit: str = "",
                title: str = "Workbench reports") -> Path:
    """Merge ``rows`` into the index and write ``index.json`` and ``index.html`` atomically.

    Each row: ``name, status, parameters, duration_s, started, html, error, provenance``.
    Rows of reports not rebuilt this time are kept from the previous index. A failed report
    links to its previous good HTML when that file exists.
    """
    out_dir = Path(out_dir)
    merged = read_index(out_dir)
    for row in rows:
        merged[str(row["name"])] = dict(row)
    ordered = [merged[k] for k in sorted(merged)]
    publish_text(out_dir / INDEX_JSON, json.dumps(ordered, indent=1, default=str))
    body = []
    for r in ordered:
        name = html.escape(str(r["name"]))
        status = str(r.get("status", ""))
        target = f"{r['name']}.html"
        exists = (out_dir / target).exists()
        if exists:
            label = "open" if status == "ok" else "previous report"
            link = f'<a href="{html.escape(target)}">{label}</a>'
        else:
            link = "&mdash;"
        params = ", ".join(f"{k}={v}" for k, v in dict(r.get("parameters", {})).items())
        prov = r.get("provenance") or {}
        source = prov.get("source", "") if isinstance(prov, dict) else ""
        err = str(r.get("error") or "")
        body.append(
            f"<tr><td>{name}</td><td><code>{html.escape(params)}</code></td>"
            f'<td class="wb-status-{html.escape(status)}">{html.escape(status)}</td>'
            f"<td>{float(r.get('duration_s', 0.0)):.1f} s</td>"
            f"<td>{html.escape(str(r.get('started', '')))}</td><td>{html.escape(source)}</td>"
            f"<td>{link}</td><td><pre>{html.escape(err)}</pre></td></tr>")
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    page = (
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title><style>{_CSS}"
        "body{font-family:Inter,'Helvetica Neue',Arial,sans-serif;margin:24px}"
        "table.wb-index{border-collapse:collapse}table.wb-index td,table.wb-index th{"
        "border-bottom:1px solid #ddd;padding:6px 10px;text-align:left;vertical-align:top}"
        "pre{white-space:pre-wrap;max-width:50em;margin:0;font-size:12px}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><p>Index written {html.escape(now)}; git commit "
        f"<code>{html.escape(commit)}</code>.</p>"
        '<table class="wb-index"><thead><tr><th>report</th><th>parameters</th><th>status</th>'
        "<th>duration</th><th>run started (UTC)</th><th>data</th><th>link</th><th>error</th>"
        f"</tr></thead><tbody>{''.join(body)}</tbody></table></body></html>")
    path = out_dir / "index.html"
    publish_text(path, page)
    return path
