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

import hashlib
import html
import json
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = ["PROVENANCE_MIME", "SMOKE_SYNTH_PARAMS", "UNIVERSE_CACHE_ENV", "Provenance",
           "provenance", "load_universe"]

PROVENANCE_MIME = "application/vnd.workbench.provenance+json"
# Set by ``build_reports`` to a directory private to one build: every notebook of the build
# (and every politician profile) then loads the same synthetic universe from one pickle instead
# of generating it again. Unset (the default) means no caching.
UNIVERSE_CACHE_ENV = "WORKBENCH_UNIVERSE_CACHE"

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
        cache = os.environ.get(UNIVERSE_CACHE_ENV)
        if cache:
            return _cached_synthetic(Path(cache), seed, params)
        return _load("synthetic", seed=seed, **params)
    return _load(source)


def _cache_key(seed: int, params: dict) -> str:
    import numpy as np

    from workbench import __version__

    text = json.dumps({"seed": int(seed), "params": params, "workbench": __version__,
                       "numpy": np.__version__, "pandas": pd.__version__}, sort_keys=True,
                      default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def _cached_synthetic(cache: Path, seed: int | None, params: dict):
    """The synthetic universe through the build's cache (a pickle per seed and parameters).

    The cache directory belongs to one build (same code for every reader), so a key of seed,
    parameters and library versions is enough. Any cache failure falls back to generating.
    """
    from workbench.config import default_seed
    from workbench.data import load_universe as _load
    from workbench.data.atomic import atomic_write_bytes

    seed = default_seed() if seed is None else int(seed)
    path = cache / f"synthetic-{_cache_key(seed, params)}.pkl"
    try:
        return pickle.loads(path.read_bytes())
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        pass
    universe = _load("synthetic", seed=seed, **params)
    try:
        atomic_write_bytes(path, pickle.dumps(universe, protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, pickle.PicklingError):
        pass
    return universe
