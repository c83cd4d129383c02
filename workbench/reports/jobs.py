"""The units of a report build: a job (one notebook to run), its outcome, the whole build.

Plain frozen dataclasses, picklable (jobs travel to Dask workers and outcomes come back).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["ReportJob", "ReportBatch", "ReportOutcome", "BuildResult", "safe_name"]

_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def safe_name(stem: str) -> str:
    """File-name-safe report name from a notebook stem (never a path, never hidden)."""
    name = _SAFE.sub("_", stem).strip("._") or "report"
    return name


@dataclass(frozen=True)
class ReportJob:
    """One notebook to execute: picklable, carries the notebook text (for remote workers).

    Attributes
    ----------
    name : str
        Report name (sanitized notebook stem); output files are ``<name>.html``.
    notebook_json : str
        The notebook file's content.
    parameters : dict
        Values to inject (already coerced to the declared types).
    defaults : dict
        Declared defaults, for the header (effective parameters = defaults | parameters).
    cwd : str or None
        Working directory of the kernel (the notebook's directory when it exists on the worker).
    kernel_name : str or None
        Jupyter kernel; ``None`` uses the notebook's kernelspec (``python3``: this interpreter).
    timeout : float or None
        Per-cell timeout in seconds.
    plotlyjs : {"file", "inline"}
    commit : str
        Git commit of the checkout, for the header.
    kind : {"report", "profile"}
        A profile's ``name`` is the member's bioguide id; it is published as
        ``politicians/<name>.html``.
    """

    name: str
    notebook_json: str
    parameters: dict = field(default_factory=dict)
    defaults: dict = field(default_factory=dict)
    cwd: str | None = None
    kernel_name: str | None = None
    timeout: float | None = None
    plotlyjs: str = "file"
    commit: str = "unknown"
    kind: str = "report"


@dataclass(frozen=True)
class ReportBatch:
    """Jobs executed one after another in ONE kernel (one Dask task).

    See :func:`workbench.reports.execute.run_batch`. ``build_reports`` no longer deals the
    profiles into batches: on Dask each profile is a task and a worker's profiles share the
    kernel it keeps (:func:`workbench.reports.execute.run_in_session`), which balances the
    workers to the end; a batch remains for callers that want a fixed set in one kernel.

    Attributes
    ----------
    name : str
        Label of the task (``profiles-0``...).
    jobs : tuple of ReportJob
        Sharing kernel and working directory.
    """

    name: str
    jobs: tuple[ReportJob, ...]


@dataclass(frozen=True)
class ReportOutcome:
    """Result of one notebook run (the row of the index, plus the produced documents).

    ``html`` and ``executed`` hold the documents' text (``html`` empty when failed);
    :func:`publish_outcome` writes them. ``kind`` is ``"report"`` or ``"profile"`` (a
    politician profile, published as ``politicians/<name>.html``); ``title``, ``description``,
    ``headline`` (first finding) and ``downloads`` (relative paths of the tables' CSV and
    Parquet files) fill the index.
    """

    name: str
    status: str
    parameters: dict
    duration_s: float
    started: str
    error: str = ""
    provenance: dict | None = None
    html: str = field(default="", repr=False)
    executed: str = field(default="", repr=False)
    kind: str = "report"
    title: str = ""
    description: str = ""
    headline: str = ""
    downloads: tuple = ()

    @property
    def html_path(self) -> str:
        """Where the HTML is published, relative to the reports' root (never from a worker's
        text: report names are re-sanitized, profile names re-validated)."""
        if self.kind == "profile":
            from workbench.reports.profiles import profile_html_path

            return profile_html_path(self.name)
        return f"{safe_name(self.name)}.html"

    @property
    def data_key(self) -> str:
        """Folder of the downloads under ``data/``."""
        return self.html_path[: -len(".html")]

    def index_row(self) -> dict:
        row = asdict(self)
        row.pop("html")
        row.pop("executed")
        row["downloads"] = list(self.downloads)
        row["html"] = self.html_path if self.status == "ok" else ""
        return row


@dataclass(frozen=True)
class BuildResult:
    """What a build produced.

    Attributes
    ----------
    out_dir : Path
    outcomes : tuple of ReportOutcome
        One per notebook, sorted by name.
    index : Path
        ``index.html``.
    """

    out_dir: Path
    outcomes: tuple[ReportOutcome, ...]
    index: Path

    @property
    def ok(self) -> bool:
        return all(o.status == "ok" for o in self.outcomes)

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame([{k: v for k, v in o.index_row().items() if k != "provenance"}
                             for o in self.outcomes])

    def summary(self) -> str:
        n_ok = sum(o.status == "ok" for o in self.outcomes)
        lines = [f"{n_ok}/{len(self.outcomes)} reports ok -> {self.index}"]
        for o in self.outcomes:
            extra = "" if o.status == "ok" else f"  {o.error.splitlines()[0] if o.error else ''}"
            lines.append(f"  {o.status:6s} {o.duration_s:6.1f} s  {o.name}{extra}")
        return "\n".join(lines)


