"""One executed notebook -> the published page and what the index says about it.

:func:`build_page` runs where the notebook ran (this process or a Dask worker): it writes
nothing, it returns the HTML and the index fields of :class:`~workbench.reports.jobs.
ReportOutcome`.
"""

from __future__ import annotations

import nbformat

from workbench.reports.extract import (
    download_paths,
    extract_findings,
    extract_tables,
    findings_title,
    notebook_description,
)
from workbench.reports.findings import synthetic_banner_text
from workbench.reports.jobs import ReportJob

__all__ = ["build_page"]


def _has_banner(nb: nbformat.NotebookNode) -> bool:
    return any("wb-synthetic-banner" in str(o.get("data", {}).get("text/html", ""))
               for c in nb.cells for o in c.get("outputs", []))


def build_page(executed: nbformat.NotebookNode, job: ReportJob, *, effective: dict,
               provenance: dict | None, started: str, duration_s: float, title: str) -> dict:
    """HTML page and index fields (``html, title, description, headline, downloads``).

    On synthetic data the header carries the "simulated data" banner unless the notebook
    displayed one itself. Profiles live one folder down, so their links start with ``../``.
    """
    from workbench.reports.publish import header_html, package_versions, render_html

    synthetic = bool(provenance) and provenance.get("source") == "synthetic"
    seed = next((v for k, v in (provenance or {}).get("items", []) if k == "seed"), None)
    banner = synthetic_banner_text(seed) if synthetic and not _has_banner(executed) else ""
    if job.kind == "profile":
        key, prefix = f"politicians/{job.name}", "../"
        # the member's name, from the findings block the profile displayed
        member = findings_title(executed).removeprefix("Findings:").strip()
        title = f"{title}: {member}" if member else title
        shown = title if member else f"{title} ({job.name})"
    else:
        key, prefix = job.name, ""
        shown = f"{title} ({job.name})"
    header = header_html(title=shown, parameters=effective,
                         provenance=provenance, versions=package_versions(), commit=job.commit,
                         started=started, duration_s=duration_s, banner=banner)
    html = render_html(executed, title=title, header=header, plotlyjs=job.plotlyjs,
                       report_key=key, prefix=prefix)
    findings = extract_findings(executed)
    headline = (f"[{findings[0]['verdict']}] {findings[0]['headline']}" if findings else "")
    return {"html": html, "title": title, "description": notebook_description(executed),
            "headline": headline,
            "downloads": tuple(download_paths(key, extract_tables(executed)))}
