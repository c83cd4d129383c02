"""What notebooks call besides the analyses: load the data for a report, show its provenance.

Every notebook starts with::

    workbench.plotting.theme.setup_notebook()
    universe = workbench.reports.load_universe(source, seed=seed, smoke=smoke)
    workbench.reports.provenance(universe)

:func:`load_universe` is :func:`workbench.data.load_universe` plus the ``smoke`` switch (a small
synthetic universe for CI). :func:`provenance` returns an object that displays as an HTML table
in Jupyter and also carries a machine-readable copy under :data:`PROVENANCE_MIME`, which
:mod:`workbench.reports.publish` reads back from the executed notebook to fill the header of the
HTML report and the index.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

__all__ = ["PROVENANCE_MIME", "SMOKE_SYNTH_PARAMS", "Provenance", "provenance", "load_universe"]

PROVENANCE_MIME = "application/vnd.workbench.provenance+json"

# Smoke runs: two years and 60 tickers load in about 1.5 s instead of about 5 s for the default
# universe, with every planted structure still present (communities, informed traders, ...).
SMOKE_SYNTH_PARAMS = {"start": "2019-01-02", "n_tickers": 60}


@dataclass(frozen=True)
class Provenance:
    """Where a report's data came from.

    Attributes
    ----------
    source : str
        ``"synthetic"`` or the store path.
    items : tuple of (str, str)
        ``(item, value)`` pairs from ``Universe.provenance``: seed and parameter hash for the
        synthetic universe, ingested files and their sha256 for a store.
    """

    source: str
    items: tuple[tuple[str, str], ...]

    def to_frame(self) -> pd.DataFrame:
        """``item, value`` rows, ``source`` first."""
        rows = [("source", self.source), *self.items]
        return pd.DataFrame(rows, columns=["item", "value"])

    def summary(self) -> pd.Series:
        return self.to_frame().set_index("item")["value"]

    def to_html(self) -> str:
        """Escaped HTML table (every value comes from data or paths), folded: the report header
        already shows it, so in the body it stays one line until opened."""
        rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
                       for k, v in [("source", self.source), *self.items])
        return (f"<details><summary>Data provenance: {html.escape(self.source)}</summary>"
                f'<table class="wb-provenance">{rows}</table></details>')

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.to_html(),
                "text/plain": self.to_frame().to_string(index=False),
                PROVENANCE_MIME: {"source": self.source,
                                  "items": [list(pair) for pair in self.items]}}


def provenance(universe) -> Provenance:
    """Provenance of a :class:`~workbench.data.universe.Universe` (its ``provenance`` frame).

    Parameters
    ----------
    universe : Universe
        Anything with ``source`` and a ``provenance`` frame of ``item, value`` columns.
    """
    frame = getattr(universe, "provenance", None)
    items: list[tuple[str, str]] = []
    if isinstance(frame, pd.DataFrame) and {"item", "value"} <= set(frame.columns):
        items = [(str(i), str(v)) for i, v in zip(frame["item"], frame["value"], strict=True)
                 if str(i) != "source"]  # shown once, from Universe.source
    return Provenance(source=str(getattr(universe, "source", "unknown")), items=tuple(items))


def load_universe(source: str = "synthetic", *, seed: int | None = None, smoke: bool = False,
                  **synth_params):
    """:func:`workbench.data.load_universe` with the notebooks' ``smoke`` switch.

    Parameters
    ----------
    source : str
        ``"synthetic"`` or a store path.
    seed : int, optional
        Synthetic seed (default ``$WORKBENCH_SEED`` or the project default).
    smoke : bool
        Synthetic only: apply :data:`SMOKE_SYNTH_PARAMS` (2019-2020, 60 tickers) unless
        overridden in ``synth_params``. A store is always read whole.
    """
    from workbench.data import load_universe as _load

    if str(source) == "synthetic":
        params = {**(SMOKE_SYNTH_PARAMS if smoke else {}), **synth_params}
        return _load("synthetic", seed=seed, **params)
    return _load(source)
