"""``index.html`` and ``index.json``: every report with its one-line description, its headline
finding, its status and its data downloads; politician profiles in a section of their own.

Rows (``index.json``) are merged across builds: a partial build keeps the rows of the reports
it did not rebuild. Every string is escaped (names, errors and findings come from data).
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from workbench.reports.assets import CSS, publish_text

__all__ = ["INDEX_JSON", "read_index", "write_index", "SYNTHETIC_INDEX_BANNER"]

INDEX_JSON = "index.json"
SYNTHETIC_INDEX_BANNER = (
    "Reports marked synthetic run on the seeded synthetic universe: politicians, tickers and "
    "trades are invented, and effects were planted so that their recovery can be checked. "
    "Their numbers describe the simulation, not Congress.")


def read_index(out_dir: str | Path) -> dict[str, dict]:
    """Rows of the previous index (``index.json``) keyed by report name; ``{}`` when absent."""
    path = Path(out_dir) / INDEX_JSON
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(r["name"]): r for r in rows if isinstance(r, dict) and "name" in r}


def _e(x) -> str:
    return html.escape(str(x))


def _source(r: Mapping) -> str:
    prov = r.get("provenance") or {}
    return str(prov.get("source", "")) if isinstance(prov, dict) else ""


def _headline(r: Mapping) -> str:
    text = str(r.get("headline") or "")
    if not text:
        return '<span class="wb-note">no findings recorded</span>'
    if len(text) > 200:
        text = text[:199].rsplit(" ", 1)[0] + "…"
    verdict, _, rest = text.partition("] ")
    if text.startswith("[") and rest:
        v = verdict[1:]
        return (f'<span class="wb-verdict wb-{_e(v.replace(" ", "-"))}">{_e(v)}</span> '
                f"{_e(rest)}")
    return _e(text)


def _downloads(r: Mapping) -> str:
    files = [str(f) for f in r.get("downloads") or [] if str(f).endswith(".csv")]
    if not files:
        return "&mdash;"
    return " ".join(f'<a href="{_e(f)}">{_e(Path(f).stem)}</a>' for f in files)


def _link(r: Mapping, out_dir: Path, profile: bool = False) -> str:
    default = (f"politicians/{r['name']}.html" if r.get("kind") == "profile"
               else f"{r['name']}.html")
    target = str(r.get("html") or default)
    if not (out_dir / target).exists():
        return _e(r["name"])
    title = str(r.get("title") or r["name"])
    if profile:  # "Politician profile: Name (ID)" -> "Name (ID)"
        title = title.split(": ", 1)[-1]
    label = _e(title)
    stale = "" if r.get("status") == "ok" else " (previous report)"
    return f'<a href="{_e(target)}">{label}</a>{stale}'


def _report_row(r: Mapping, out_dir: Path) -> str:
    status = str(r.get("status", ""))
    params = ", ".join(f"{k}={v}" for k, v in dict(r.get("parameters", {})).items())
    err = str(r.get("error") or "")
    desc = _e(r.get("description") or "")
    return (f"<tr><td><strong>{_link(r, out_dir)}</strong><br><small>{_e(r['name'])}</small>"
            f'<div class="wb-desc">{desc}</div></td>'
            f"<td>{_headline(r)}</td>"
            f'<td class="wb-status-{_e(status)}">{_e(status)}'
            f"<br><small>{float(r.get('duration_s', 0.0)):.1f} s</small></td>"
            f"<td>{_e(_source(r))}</td><td>{_downloads(r)}</td>"
            f"<td><details><summary>parameters</summary><code>{_e(params)}</code>"
            f"<br><small>started {_e(r.get('started', ''))}</small></details>"
            f"{f'<pre>{_e(err)}</pre>' if err else ''}</td></tr>")


def write_index(out_dir: str | Path, rows: Iterable[Mapping], *, commit: str = "",
                title: str = "Workbench reports") -> Path:
    """Merge ``rows`` into the index and write ``index.json`` and ``index.html`` atomically.

    Each row: ``name, status, parameters, duration_s, started, html, error, provenance`` and,
    when known, ``title, description, headline, downloads, kind`` (``"report"`` or
    ``"profile"``). A failed report links to its previous good HTML when that file exists.
    """
    out_dir = Path(out_dir)
    merged = read_index(out_dir)
    for row in rows:
        merged[str(row["name"])] = dict(row)
    ordered = [merged[k] for k in sorted(merged)]
    publish_text(out_dir / INDEX_JSON, json.dumps(ordered, indent=1, default=str))
    reports = [r for r in ordered if r.get("kind", "report") != "profile"]
    profiles = [r for r in ordered if r.get("kind") == "profile"]
    synthetic = any(_source(r) == "synthetic" for r in ordered)
    banner = (f'<div class="wb-banner wb-synthetic-banner"><strong>Simulated data.</strong> '
              f"{_e(SYNTHETIC_INDEX_BANNER)}</div>" if synthetic else "")
    head = ("<tr><th>report</th><th>headline finding</th><th>status</th><th>data</th>"
            "<th>downloads (CSV; Parquet beside)</th><th>run</th></tr>")
    body = "".join(_report_row(r, out_dir) for r in reports)
    prof = ""
    if profiles:
        items = "".join(
            f"<tr><td>{_link(r, out_dir, profile=True)}<br><small>{_e(r['name'])}</small></td>"
            f"<td>{_headline(r)}</td><td class=\"wb-status-{_e(r.get('status', ''))}\">"
            f"{_e(r.get('status', ''))}</td><td>{_downloads(r)}</td></tr>" for r in profiles)
        prof = ('<h2 id="politician-profiles">Politician profiles</h2><div class="wb-scroll">'
                '<table class="wb-index"><thead><tr><th>member</th><th>headline finding</th>'
                f"<th>status</th><th>downloads</th></tr></thead><tbody>{items}</tbody></table>"
                "</div>")
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    page = (
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{_e(title)}</title><style>{CSS}"
        "body{font-family:Inter,'Helvetica Neue',Arial,sans-serif;margin:24px;max-width:1600px}"
        "table.wb-index{border-collapse:collapse;width:100%}table.wb-index td,table.wb-index th{"
        "border-bottom:1px solid #ddd;padding:6px 10px;text-align:left;vertical-align:top}"
        ".wb-desc{color:#444;font-size:13px;max-width:28em;margin-top:3px}"
        "pre{white-space:pre-wrap;max-width:40em;margin:0;font-size:12px}</style></head><body>"
        f"<h1>{_e(title)}</h1>{banner}<p>Index written {_e(now)}; git commit "
        f"<code>{_e(commit)}</code>.</p>"
        f'<div class="wb-scroll"><table class="wb-index"><thead>{head}</thead>'
        f"<tbody>{body}</tbody></table></div>{prof}</body></html>")
    path = out_dir / "index.html"
    publish_text(path, page)
    return path
