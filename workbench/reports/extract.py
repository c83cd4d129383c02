"""Read back what an executed notebook displayed: provenance, findings, tables, description;
write its tables beside the report (CSV and Parquet).

The notebook side (:mod:`workbench.reports.notebook`, :mod:`workbench.reports.findings`,
:mod:`workbench.reports.tables`) puts a machine-readable copy of each of these in the outputs
under its own MIME type; nothing here parses HTML.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import nbformat
import pandas as pd

from workbench.reports.assets import publish_bytes, publish_text
from workbench.reports.findings import FINDINGS_MIME
from workbench.reports.notebook import PROVENANCE_MIME
from workbench.reports.tables import DOWNLOAD_DIR, TABLE_MIME, check_table_name

__all__ = ["extract_provenance", "extract_findings", "findings_title", "extract_tables",
           "notebook_description", "write_downloads", "download_paths"]


def _outputs(nb: nbformat.NotebookNode):
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            yield out.get("data", {}) or {}


def extract_provenance(nb: nbformat.NotebookNode) -> dict | None:
    """The provenance record a notebook displayed (first one found), else ``None``."""
    for data in _outputs(nb):
        if PROVENANCE_MIME in data:
            rec = data[PROVENANCE_MIME]
            return {"source": str(rec.get("source", "")),
                    "items": [[str(a), str(b)] for a, b in rec.get("items", [])]}
    return None


def extract_findings(nb: nbformat.NotebookNode) -> list[dict]:
    """Findings of the first findings block (``headline, verdict, detail`` dicts), or ``[]``."""
    for data in _outputs(nb):
        if FINDINGS_MIME in data:
            rec = data[FINDINGS_MIME]
            return [{"headline": str(f.get("headline", "")), "verdict": str(f.get("verdict", "")),
                     "detail": str(f.get("detail", ""))} for f in rec.get("findings", [])]
    return []


def findings_title(nb: nbformat.NotebookNode) -> str:
    """Title of the first findings block (``"Findings: <member>"`` on a profile), or ``""``."""
    for data in _outputs(nb):
        if FINDINGS_MIME in data:
            return str(data[FINDINGS_MIME].get("title", ""))
    return ""


def extract_tables(nb: nbformat.NotebookNode) -> dict[str, pd.DataFrame]:
    """Downloadable tables by name (first occurrence of a name wins; bad names are skipped)."""
    out: dict[str, pd.DataFrame] = {}
    for data in _outputs(nb):
        rec = data.get(TABLE_MIME)
        if not rec:
            continue
        name = str(rec.get("name", ""))
        try:
            check_table_name(name)
        except ValueError:
            continue
        if name in out:
            continue
        payload = rec.get("data")
        text = payload if isinstance(payload, str) else json.dumps(payload)
        out[name] = pd.read_json(io.StringIO(text), orient="table")
    return out


def notebook_description(nb: nbformat.NotebookNode, limit: int = 220) -> str:
    """One line describing a report: the first sentence after the title in its first cell."""
    if not nb.cells or nb.cells[0].cell_type != "markdown":
        return ""
    lines = [ln.strip() for ln in nb.cells[0].source.splitlines()]
    body = " ".join(ln for ln in lines if ln and not ln.startswith("#"))
    body = re.sub(r"[*`_]{1,2}", "", body)
    sentence = re.split(r"(?<=[.?!])\s", body, maxsplit=1)[0] if body else ""
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rsplit(" ", 1)[0] + "…"
    return sentence


def download_paths(report: str, names) -> list[str]:
    """Relative paths (from the reports' root) of the CSV and Parquet files of ``names``."""
    return [f"{DOWNLOAD_DIR}/{report}/{n}.{ext}" for n in names for ext in ("csv", "parquet")]


def _parquet_bytes(df: pd.DataFrame) -> bytes:
    frame = df.copy()
    for col in frame.columns:
        if frame[col].dtype == object:
            frame[col] = frame[col].map(lambda v: None if v is None else str(v))
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    return buf.getvalue()


def write_downloads(out_dir: str | Path, report: str, tables: dict[str, pd.DataFrame]
                    ) -> list[str]:
    """Write ``data/<report>/<name>.csv`` and ``.parquet`` atomically; relative paths back.

    ``report`` must already be a safe name (the runner's ``safe_name``); table names are
    checked again here.
    """
    out_dir = Path(out_dir)
    written = []
    for name, df in tables.items():
        check_table_name(name)
        base = out_dir / DOWNLOAD_DIR / report
        publish_text(base / f"{name}.csv", df.to_csv(index=False))
        publish_bytes(base / f"{name}.parquet", _parquet_bytes(df))
        written += download_paths(report, [name])
    return written
