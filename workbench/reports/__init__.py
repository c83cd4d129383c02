"""Reports: papermill-executed notebooks published as offline HTML with an index.

Public names are imported lazily so that ``import workbench.reports`` (done by notebooks for
:func:`provenance`) stays cheap.
"""

from __future__ import annotations

from workbench._lazy import lazy_getattr

_EXPORTS = {
    "provenance": "workbench.reports.notebook",
    "Provenance": "workbench.reports.notebook",
    "load_universe": "workbench.reports.notebook",
    "build_reports": "workbench.reports.runner",
    "run_report": "workbench.reports.runner",
    "discover_notebooks": "workbench.reports.runner",
    "ReportJob": "workbench.reports.runner",
    "ReportOutcome": "workbench.reports.runner",
    "BuildResult": "workbench.reports.runner",
    "read_parameters": "workbench.reports.parameters",
    "NotebookParameter": "workbench.reports.parameters",
    "render_html": "workbench.reports.publish",
    "write_index": "workbench.reports.publish",
    "run_on_dask": "workbench.reports.distributed",
    "show_table": "workbench.reports.tables",
    "Table": "workbench.reports.tables",
    "format_frame": "workbench.reports.formatting",
    "Finding": "workbench.reports.findings",
    "render_findings": "workbench.reports.findings",
    "planted_vs_recovered": "workbench.reports.findings",
    "synthetic_banner": "workbench.reports.findings",
    "check_bioguide_id": "workbench.reports.profiles",
}

__all__ = sorted(_EXPORTS)

__getattr__ = lazy_getattr(__name__, _EXPORTS)
