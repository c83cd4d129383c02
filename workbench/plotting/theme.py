"""The workbench plotly look and the notebook renderer that keeps reports offline.

Every notebook calls :func:`setup_notebook` in its first code cell. It registers

- the ``"workbench"`` template (fonts, colour way, margins) layered on ``plotly_white`` and makes
  it the default, so figure builders need not style anything;
- the ``"workbench"`` renderer: each figure is emitted as ``application/vnd.plotly.v1+json``
  (JupyterLab renders it natively) plus ``text/html`` holding a ``<div>`` and a call to the
  global ``Plotly`` object, *without* plotly.js. The report publisher supplies plotly.js once per
  report (inline or as ``plotly.min.js`` beside the reports), so no CDN is ever contacted.

Figure data travels as JSON produced by plotly's encoder, which escapes ``<``, ``>`` and ``/``,
so text from the data (names, asset descriptions) cannot close the script tag.

Figure ``<div>`` ids are derived from a per-kernel counter and the figure's content, so executing
the same notebook twice gives identical outputs (reports can be compared run to run).
"""

from __future__ import annotations

import hashlib
import itertools
import json

import plotly.graph_objects as go
import plotly.io as pio
from plotly.io._base_renderers import MimetypeRenderer

__all__ = ["TEMPLATE_NAME", "RENDERER_NAME", "COLORWAY", "PARTY_COLORS", "SIDE_COLORS",
           "CHAMBER_COLORS", "workbench_template", "register", "setup_notebook",
           "WorkbenchRenderer", "figure_html", "party_color"]

TEMPLATE_NAME = "workbench"
RENDERER_NAME = "workbench"

# Okabe-Ito palette: distinguishable under the common colour-vision deficiencies.
COLORWAY = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
            "#000000")
PARTY_COLORS = {"D": "#1f5fbf", "R": "#c8323c", "I": "#7a7a7a", "Democrat": "#1f5fbf",
                "Republican": "#c8323c", "Independent": "#7a7a7a", "unknown": "#b0b0b0"}
SIDE_COLORS = {"buy": "#009E73", "sell": "#D55E00", "exchange": "#7a7a7a"}
CHAMBER_COLORS = {"senate": "#0072B2", "house": "#E69F00", "unknown": "#b0b0b0"}

_PLOTLY_CONFIG = {"displaylogo": False, "responsive": True,
                  "modeBarButtonsToRemove": ["sendDataToCloud"]}


def party_color(party: object) -> str:
    """Colour of a party label (``D``/``Democrat``...); grey for unknown labels."""
    return PARTY_COLORS.get(str(party), PARTY_COLORS["unknown"])


def workbench_template() -> go.layout.Template:
    """The workbench layout template (use layered: ``"plotly_white+workbench"``)."""
    return go.layout.Template(layout=go.Layout(
        font={"family": "Inter, 'Helvetica Neue', Arial, sans-serif", "size": 13,
              "color": "#222"},
        title={"x": 0.0, "xanchor": "left", "font": {"size": 16}},
        colorway=list(COLORWAY),
        margin={"l": 60, "r": 20, "t": 60, "b": 50},
        hoverlabel={"namelength": -1},
        # Right of the plot area, top-aligned: never over the title (which sits above the plot
        # area) nor over axis titles; long legends scroll inside their box.
        legend={"orientation": "v", "yanchor": "top", "y": 1, "xanchor": "left", "x": 1.02},
        height=420,
    ))


_counter = itertools.count(1)


def figure_html(fig_dict: dict, *, div_id: str | None = None, height: int | str = 420) -> str:
    """``<div>`` + script drawing the figure with the page's global ``Plotly`` (no plotly.js).

    Parameters
    ----------
    fig_dict : dict
        ``fig.to_plotly_json()`` or a plotly Figure.
    div_id : str, optional
        Deterministic by default: a per-process counter plus a hash of the figure JSON.
    """
    if isinstance(fig_dict, go.Figure):
        fig_dict = fig_dict.to_plotly_json()
    if div_id is None:
        payload = pio.to_json(fig_dict, validate=False, engine="json")
        digest = hashlib.sha1(payload.encode("utf-8")).hexdigest()[:10]
        div_id = f"wbfig-{next(_counter)}-{digest}"
    return pio.to_html(fig_dict, config=_PLOTLY_CONFIG, include_plotlyjs=False,
                       include_mathjax=False, full_html=False, div_id=div_id,
                       default_width="100%", default_height=height, validate=False)


class WorkbenchRenderer(MimetypeRenderer):
    """Plotly renderer: plotly JSON for JupyterLab + offline HTML (no plotly.js) for reports."""

    def to_mimebundle(self, fig_dict):
        # Round-trip through plotly's encoder: numpy/pandas values become plain JSON.
        data = json.loads(pio.to_json(fig_dict, validate=False, engine="json"))
        return {"application/vnd.plotly.v1+json": {"data": data.get("data", []),
                                                   "layout": data.get("layout", {}),
                                                   "config": _PLOTLY_CONFIG},
                "text/html": figure_html(fig_dict)}


def register() -> None:
    """Register the ``workbench`` template and renderer with plotly (idempotent)."""
    pio.templates[TEMPLATE_NAME] = workbench_template()
    pio.renderers[RENDERER_NAME] = WorkbenchRenderer()


def setup_notebook() -> None:
    """Make the workbench template and the offline renderer plotly's defaults.

    Call once at the top of every notebook. It changes plotly's global defaults in the running
    kernel (that is its purpose) and loads DataTables offline for the interactive tables of
    :mod:`workbench.reports.tables`; library code never calls it.
    """
    from workbench.reports.tables import init_notebook_tables

    register()
    pio.templates.default = f"plotly_white+{TEMPLATE_NAME}"
    pio.renderers.default = RENDERER_NAME
    init_notebook_tables()  # DataTables for interactive tables (live notebooks; reports ship it)
