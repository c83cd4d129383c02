"""One executed notebook -> the published page and what the index says about it.

:func:`build_page` runs where the notebook ran (this process or a Dask worker): it writes
nothing, it returns the HTML and the index fields of :class:`~workbench.reports.jobs.
ReportOutcome`.
"""

from __future__ import annotations

import copy

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


def _without_banners(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` without the "simulated data" banners its cells displayed (a live
    notebook shows one where the notebook computed it; the page carries one at the top)."""
    def is_banner(o) -> bool:
        return "wb-synthetic-banner" in str(o.get("data", {}).get("text/html", ""))

    if not any(is_banner(o) for c in nb.cells for o in c.get("outputs", [])):
        return nb
    nb = copy.deepcopy(nb)
    for c in nb.cells:
        if "outputs" in c:
            c.outputs = [o for o in c.outputs if not is_banner(o)]
    return nb


def build_page(executed: nbformat.NotebookNode, job: ReportJob, *, effective: dict,
               provenance: dict | None, started: str, duration_s: float, title: str) -> dict:
    """HTML page and index fields (``html, title, description, headline, downloads``).

    On synthetic data the page opens with the "simulated data" banner, above the header; a
    banner the notebook displayed further down is then left out of the page (one banner, at
    the top). Profiles live one folder down, so their links start with ``../``.
    """
    from workbench.reports.publish import header_html, package_versions, render_html

    synthetic = bool(provenance) and provenance.get("source") == "synthetic"
    seed = next((v for k, v in (provenance or {}).get("items", []) if k == "seed"), None)
    banner = synthetic_banner_text(seed) if synthetic else ""
    if banner:
        executed = _without_banners(executed)
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
