"""Tables for people in reports: formatted cells, a scrolling container, search and pages
offline, and the data to take away (CSV and Parquet beside the report).

A notebook shows a table with::

    workbench.reports.tables.show_table(frame, "politician_alphas",
                                        formats={"alpha": "pct_signed", "q": "p"},
                                        labels={"alpha": "alpha, %/yr"},
                                        caption="Per-politician FF5 alpha")

- cells are formatted by :func:`workbench.reports.formatting.format_frame` (percent, dates,
  thousands; units go in the headers through ``labels``);
- a table with more rows than ``page_length`` (or ``interactive=True``) is searchable and
  paginated with `itables <https://mwouts.github.io/itables/>`_ in offline mode (DataTables is
  shipped with the report, never fetched), any other table is plain HTML; both sit in a
  container that scrolls sideways instead of overflowing the page;
- the raw values (not the formatted text) travel with the output under :data:`TABLE_MIME`; the
  report builder writes them to ``data/<report>/<name>.csv`` and ``.parquet`` beside the HTML
  and fills in the links under the table (:data:`REPORT_PLACEHOLDER`).

``name`` becomes a file name: lowercase letters, digits and ``_`` only (checked).

Interactive tables need DataTables in the page: :func:`init_notebook_tables` (called by
``workbench.plotting.theme.setup_notebook``) loads it in a live notebook; that output is marked
live-only and the report publisher replaces it by one copy per report (``itables.bundle.js``
beside the reports, or inline for self-contained reports).
"""

from __future__ import annotations

import hashlib
import html
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from workbench.reports.formatting import format_frame

__all__ = ["TABLE_MIME", "LIVE_ONLY", "REPORT_PLACEHOLDER", "DOWNLOAD_DIR", "Table",
           "show_table", "init_notebook_tables", "itables_loader_js", "ITABLES_MARKER",
           "check_table_name"]

TABLE_MIME = "application/vnd.workbench.table+json"
# Output metadata key: the output only matters in a live notebook (dropped from HTML reports).
LIVE_ONLY = "workbench_live_only"
# Replaced by the report's name when the HTML is published (links to the downloads).
REPORT_PLACEHOLDER = "__WB_REPORT__"
DOWNLOAD_DIR = "data"
# Present in every interactive table's HTML: the publisher adds the DataTables loader then.
ITABLES_MARKER = "wb-itable"
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
# Relative links to other pages of the report site only (no scheme, no "..", no query).
_SAFE_URL = re.compile(r"^(?:\.\./)?[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*\.html$")
LINK_CLASS = "wb-link"
_counter = itertools.count(1)

# Largest table, in bytes of cell data, shown whole in a report (see Table._body_html).
MAX_TABLE_BYTES = 2 * 1024 * 1024


def check_table_name(name: str) -> str:
    """``name`` when it is a safe file stem (``[a-z][a-z0-9_]*``, at most 64 characters)."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"table name {name!r}: use lowercase letters, digits and '_' "
                         "(it becomes a file name)")
    return name


def _itables_version_key() -> str:
    from itables.version import __version__

    return "_itables_" + re.sub(r"[^0-9A-Za-z]", "_", __version__)


def itables_loader_js() -> str:
    """Classic script that loads DataTables (itables' offline bundle) once per page.

    Same mechanism as ``itables.init_notebook_mode(connected=False)``: the bundle is embedded
    base64-encoded and imported from a ``blob:`` URL, which works from ``file://`` pages.
    """
    import itables.options as opt
    from itables.javascript import generate_init_offline_itables_html

    block = generate_init_offline_itables_html(opt.dt_bundle)
    match = re.search(r"<script>(.*?)</script>", block, flags=re.S)
    if match is None:  # pragma: no cover - itables changed its template
        raise RuntimeError("itables offline template without a <script> block")
    return match.group(1)


def init_notebook_tables() -> None:
    """Load DataTables into a live notebook (offline); a no-op outside IPython.

    The displayed output is marked live-only: HTML reports get their own single copy.
    """
    try:
        from IPython import get_ipython
        from IPython.display import HTML, display
    except ImportError:  # pragma: no cover
        return
    if get_ipython() is None:
        return
    display(HTML(f"<script>{itables_loader_js()}</script>"), metadata={LIVE_ONLY: True})


@dataclass(frozen=True)
class Table:
    """A table as shown in a report, with its raw data for downloads.

    Attributes
    ----------
    data : DataFrame
        Raw values (written to CSV / Parquet), hidden columns included.
    display : DataFrame
        Formatted text, headers with units (what the reader sees).
    name : str
        Download file stem.
    caption : str
    interactive : bool
        Searchable and paginated (itables) or plain HTML.
    page_length : int
    download : bool
        Offer CSV / Parquet under the table.
    links : tuple of (column, url column)
    numeric : tuple of str
        Shown columns holding numbers or dates (right-aligned).
    shown : tuple of str
        Columns displayed, in order (``display`` has them with their labels).
    """

    data: pd.DataFrame
    display: pd.DataFrame
    name: str
    caption: str = ""
    interactive: bool = False
    page_length: int = 15
    download: bool = True
    links: tuple = ()
    numeric: tuple = ()
    shown: tuple = ()

    def to_frame(self) -> pd.DataFrame:
        return self.data

    def _table_id(self) -> str:
        digest = hashlib.sha1(self.display.to_json().encode("utf-8")).hexdigest()[:8]
        return f"wb_{self.name}_{next(_counter)}_{digest}"

    def _cells(self) -> pd.DataFrame:
        """Escaped cell HTML; link columns wrapped in ``<a>`` when their URL is safe."""
        out = self.display.map(html.escape)
        out.columns = [html.escape(str(c)) for c in self.display.columns]
        for col, url_col in self.links:
            j = list(self.shown or self.data.columns).index(col)
            urls = self.data[url_col].tolist()
            cells = out.iloc[:, j].tolist()
            out.iloc[:, j] = [f'<a class="{LINK_CLASS}" href="{u}">{c}</a>'
                              if isinstance(u, str) and _SAFE_URL.match(u) else c
                              for c, u in zip(cells, urls, strict=True)]
        return out

    def _body_html(self) -> str:
        cells = self._cells()
        if not self.interactive:
            return cells.to_html(index=False, escape=False, border=0, classes="wb-plain",
                                 na_rep="")
        from itables import to_html_datatable

        left = [j for j, c in enumerate(self.shown or self.data.columns)
                if c not in self.numeric]
        inner = to_html_datatable(
            cells, connected=False, table_id=self._table_id(), showIndex=False,
            pageLength=self.page_length, display_logo_when_loading=False, allow_html=True,
            # itables' default (64 KB) silently showed 418 of a member's 903 trades; every row
            # up to 2 MiB of cell text (larger tables are downsampled, itables says so)
            maxBytes=MAX_TABLE_BYTES,
            classes="display compact cell-border", lengthMenu=[10, 15, 25, 50, 100],
            columnDefs=[{"className": "dt-left", "targets": left}] if left else [],
            style="table-layout:auto;width:100%;margin:0;caption-side:bottom")
        return f'<div class="{ITABLES_MARKER}">{inner}</div>'

    def to_html(self) -> str:
        cap = (f'<div class="wb-table-caption">{html.escape(self.caption)}</div>'
               if self.caption else "")
        links = ""
        if self.download:
            base = f"{DOWNLOAD_DIR}/{REPORT_PLACEHOLDER}/{self.name}"
            links = (f'<div class="wb-downloads">Data: <a href="{base}.csv" download>CSV</a> '
                     f'&middot; <a href="{base}.parquet" download>Parquet</a> '
                     f"({len(self.data):,} rows)</div>")
        return (f'<div class="wb-table" data-wb-table="{self.name}">{cap}'
                f'<div class="wb-scroll" style="overflow-x:auto;max-width:100%">'
                f"{self._body_html()}</div>{links}</div>")

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/html": self.to_html(),
                  "text/plain": (f"{self.caption}\n" if self.caption else "")
                  + self.display.to_string(index=False, max_rows=40)}
        if self.download:
            bundle[TABLE_MIME] = {"name": self.name, "caption": self.caption,
                                  "data": _table_json(self.data)}
        return bundle

    def __repr__(self) -> str:
        return f"Table({self.name!r}, {len(self.data)} rows)"


def _table_json(df: pd.DataFrame) -> str:
    """Raw values as pandas' ``orient="table"`` JSON (keeps dtypes through the notebook)."""
    frame = df.copy()
    frame.columns = [str(c) for c in frame.columns]
    for col in frame.columns:
        if frame[col].dtype == object:
            frame[col] = frame[col].map(lambda v: v if v is None or isinstance(v, str | bool |
                                                                            int | float)
                                        else str(v))
    return frame.reset_index(drop=True).to_json(orient="table", index=False, date_unit="s")


def show_table(df: pd.DataFrame | pd.Series, name: str, *,
               formats: Mapping[str, str] | None = None,
               labels: Mapping[str, str] | None = None, caption: str = "",
               index: bool = False, interactive: bool | None = None, page_length: int = 15,
               download: bool = True, links: Mapping[str, str] | None = None,
               hide: tuple[str, ...] = ()) -> Table:
    """A table for a report (see the module docstring).

    Parameters
    ----------
    df : DataFrame or Series
        Raw values; a Series becomes a two-column frame (index, value).
    name : str
        File stem of the downloads (``[a-z][a-z0-9_]*``); unique within a notebook.
    formats : mapping, optional
        Column -> kind of :mod:`workbench.reports.formatting` (``pct``, ``p``, ``date``...).
    labels : mapping, optional
        Column -> header shown; put units here.
    caption : str
        One line above the table (escaped).
    index : bool
        Show (and download) the index as columns.
    interactive : bool, optional
        Default: searchable and paginated when the table has more than ``page_length`` rows.
    download : bool
        Write the data beside the report and link it (default).
    links : mapping, optional
        Shown column -> column holding a relative URL (``politicians/P000197.html``): the cell
        becomes a link when the URL is a plain relative ``.html`` path (others stay text).
        Links to pages that the build did not produce are removed when the build ends.
    hide : tuple of str
        Columns left out of the display (still in the download), e.g. the URL columns.
    """
    check_table_name(name)
    if isinstance(df, pd.Series):
        df = df.rename(df.name if df.name is not None else "value").to_frame()
        index = True
    data = df.reset_index() if index else df.reset_index(drop=True)
    shown = data[[c for c in data.columns if c not in set(hide)]]
    display = format_frame(shown, formats, labels=labels)
    links = tuple((c, u) for c, u in (links or {}).items() if c in shown.columns)
    numeric = tuple(c for c in shown.columns
                    if pd.api.types.is_numeric_dtype(shown[c])
                    and not pd.api.types.is_bool_dtype(shown[c])
                    or pd.api.types.is_datetime64_any_dtype(shown[c]))
    if interactive is None:
        interactive = len(data) > page_length
    return Table(data=data, display=display, name=name, caption=caption,
                 interactive=bool(interactive), page_length=int(page_length),
                 download=bool(download), links=links, numeric=numeric,
                 shown=tuple(shown.columns))
