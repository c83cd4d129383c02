"""What every published page shares: the stylesheet, atomic writes, and the JavaScript shipped
beside the reports (plotly.js, and DataTables for interactive tables).

Nothing is ever fetched from a CDN. In ``"file"`` mode each library is written once beside the
reports (``plotly.min.js``, ``itables.bundle.js``) and referenced by a relative ``<script src>``;
pages in a sub-folder (``politicians/``) reference them with ``../``. In ``"inline"`` mode each
page embeds what it uses (one self-contained file).
"""

from __future__ import annotations

from pathlib import Path

from workbench.data.atomic import atomic_write_bytes

__all__ = ["CSS", "PLOTLYJS_FILE", "ITABLES_FILE", "publish_text", "publish_bytes",
           "write_plotlyjs", "write_itables_js", "plotlyjs_tag", "itables_tag"]

PLOTLYJS_FILE = "plotly.min.js"
ITABLES_FILE = "itables.bundle.js"

CSS = """
.wb-header{font-family:Inter,'Helvetica Neue',Arial,sans-serif;font-size:13px;border:1px solid #ddd;
 border-radius:6px;padding:10px 14px;margin:12px 0 20px;background:#fafafa}
.wb-header h2{font-size:15px;margin:0 0 8px}.wb-header details{margin:4px 0}
.wb-header table{border-collapse:collapse;margin:4px 0}.wb-header th,.wb-header td{
 text-align:left;padding:2px 10px 2px 0;vertical-align:top;font-weight:normal}
.wb-header th{color:#666}.wb-status-ok{color:#1a7f37}.wb-status-failed{color:#c62828}
.jp-RenderedHTMLCommon table{font-size:12px}
.wb-banner{font-family:Inter,'Helvetica Neue',Arial,sans-serif;font-size:14px;margin:10px 0 14px;
 padding:10px 14px;border-radius:6px;background:#fff4e5;border:1px solid #f0b35a;color:#5a3b00}
.wb-findings{border-left:4px solid #0072B2;background:#f4f8fb;padding:6px 16px 8px;margin:6px 0 14px}
.wb-findings h2{margin:6px 0}.wb-findings ul{margin:4px 0;padding-left:18px}
.wb-findings li{margin:4px 0;line-height:1.45}.wb-detail{color:#555;font-size:12px}
.wb-verdict{display:inline-block;font-size:11px;font-weight:600;padding:1px 6px;
 border-radius:3px;margin-right:4px;background:#e8e8e8;color:#333;white-space:nowrap}
.wb-significant,.wb-beats-baseline,.wb-recovered{background:#dff3e4;color:#14532d}
.wb-not-significant,.wb-does-not-beat-baseline,.wb-not-recovered{background:#fde8e8;color:#7f1d1d}
.wb-partly-recovered{background:#fff4e5;color:#5a3b00}
.wb-synthetic-note{color:#5a3b00;font-size:12px;margin:2px 0}
.wb-toc{font-family:Inter,'Helvetica Neue',Arial,sans-serif;font-size:13px;margin:0 0 16px}
.wb-toc ol{margin:4px 0;padding-left:22px;columns:2}.wb-toc li{margin:2px 0}
.wb-table{margin:6px 0 14px;max-width:100%}
.wb-table-caption{font-weight:600;font-size:13px;margin:4px 0}
.wb-scroll{overflow-x:auto;max-width:100%}
table.wb-plain{border-collapse:collapse;font-size:12px}
table.wb-plain th,table.wb-plain td{padding:3px 10px;border-bottom:1px solid #e3e3e3;
 text-align:right;white-space:normal;max-width:34em}
table.wb-plain th{background:#f6f6f6;font-weight:600}
table.wb-plain td:first-child,table.wb-plain th:first-child{text-align:left}
.wb-downloads{font-size:12px;color:#555;margin:3px 0}
.wb-note{color:#555;font-style:italic}
"""


def publish_bytes(path: str | Path, data: bytes) -> None:
    """Atomic write; the file gets ordinary permissions (reports are meant to be shared)."""
    atomic_write_bytes(Path(path), data)


def publish_text(path: str | Path, text: str) -> None:
    """Write a published file atomically (temporary file + ``os.replace``), mode 0644."""
    publish_bytes(Path(path), text.encode("utf-8"))


def _write_once(path: Path, data: bytes) -> Path:
    if not path.exists() or path.stat().st_size != len(data) or path.read_bytes() != data:
        publish_bytes(path, data)
    return path


def write_plotlyjs(out_dir: str | Path) -> Path:
    """Write ``plotly.min.js`` from the installed plotly package beside the reports (once)."""
    from plotly.offline import get_plotlyjs

    return _write_once(Path(out_dir) / PLOTLYJS_FILE, get_plotlyjs().encode("utf-8"))


def write_itables_js(out_dir: str | Path) -> Path:
    """Write ``itables.bundle.js`` (DataTables, offline) beside the reports (once)."""
    from workbench.reports.tables import itables_loader_js

    return _write_once(Path(out_dir) / ITABLES_FILE, itables_loader_js().encode("utf-8"))


def plotlyjs_tag(mode: str, prefix: str = "") -> str:
    """``<script>`` tags giving a page plotly.js (``prefix``: path to the reports' root)."""
    # MathJaxConfig 'local': plotly.js would otherwise warn on the console that MathJax (which
    # would come from a CDN) is absent.
    config = "<script>window.PlotlyConfig = {MathJaxConfig: 'local'};</script>"
    if mode == "inline":
        from plotly.offline import get_plotlyjs

        # plotly.min.js contains no "</script"; guard anyway so the page cannot break out.
        return config + "<script>" + get_plotlyjs().replace("</script", "<\\/script") + \
            "</script>"
    if mode == "file":
        return config + f'<script src="{prefix}{PLOTLYJS_FILE}"></script>'
    raise ValueError(f"plotlyjs must be 'file' or 'inline', got {mode!r}")


def itables_tag(mode: str, prefix: str = "") -> str:
    """``<script>`` giving a page DataTables for its interactive tables."""
    if mode == "inline":
        from workbench.reports.tables import itables_loader_js

        return "<script>" + itables_loader_js().replace("</script", "<\\/script") + "</script>"
    if mode == "file":
        return f'<script src="{prefix}{ITABLES_FILE}"></script>'
    raise ValueError(f"mode must be 'file' or 'inline', got {mode!r}")
