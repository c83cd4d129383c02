"""What one service process serves: a universe, a model, a predictor, and their epoch.

A :class:`ServingState` is built once at start-up (universe loaded, champion model loaded,
predictor precomputed). Its :attr:`~ServingState.epoch` names the data and model:
``synthetic:<seed>:<params>`` or ``store:<ingests>:<last ingest>:<trades>``, plus the model
version. :class:`StateHolder` checks, on every request, whether that is still current:

- the store file's size and modification time (one ``stat``, microseconds); only when they
  changed is the store opened read-only to count its ingests and trades;
- the registry's champion version, at most every ``epoch_check_seconds`` and only when the
  registry file changed since the last look.

When the epoch moved (new trades ingested, a new champion promoted) a new state is built in a
background thread while the old one keeps serving; the swap clears the in-process cache, and
every cache key carries the epoch, so no prediction of an old state is served after the swap.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from workbench.api.serving import ServingModel, champion_version, load_serving_model, registry_file
from workbench.config import default_seed
from workbench.config import mlflow_uri as default_mlflow_uri

__all__ = ["ServingState", "StateHolder", "build_state", "data_epoch", "load_source"]

log = logging.getLogger(__name__)


def load_source(settings):
    """The universe of ``settings.source`` (synthetic: seeded, ``smoke`` sizes if asked)."""
    from workbench.reports.notebook import load_universe

    seed = default_seed() if settings.seed is None else int(settings.seed)
    if settings.source == "synthetic":
        return load_universe("synthetic", seed=seed, smoke=settings.smoke)
    return load_universe(settings.source)


def _file_sig(path: Path | None):
    try:
        st = path.stat()
        return (st.st_size, st.st_mtime_ns)
    except (OSError, AttributeError):
        return None


def data_epoch(universe, source: str) -> str:
    """Name of the data a universe holds (changes when trades are ingested)."""
    if source == "synthetic" or not Path(source).exists():
        prov = universe.provenance
        text = json.dumps(prov.astype(str).values.tolist()) if len(prov) else "empty"
        return "synthetic:" + hashlib.sha256(text.encode()).hexdigest()[:12]
    return store_epoch(Path(source))


def store_epoch(path: Path) -> str:
    """``store:<ingests>:<last ingest id>:<trades>`` read from the store (read-only)."""
    from workbench.data.store.db import connected

    with connected(path, read_only=True) as con:
        n, last = con.execute("SELECT count(*), coalesce(max(ingest_id), 0) FROM ingests"
                              ).fetchone()
        trades = con.execute("SELECT count(*) FROM trades").fetchone()[0]
    return f"store:{n}:{last}:{trades}"


@dataclass
class ServingState:
    """One consistent set of data, model and predictor (see module notes)."""

    universe: object
    model: ServingModel
    predictor: object
    predictor_reason: str
    data_epoch: str
    built_at: float
    build_seconds: float
    sessions: pd.DatetimeIndex = field(repr=False)
    tickers: frozenset = field(repr=False)
    priced: frozenset = field(repr=False)
    days: tuple = field(repr=False)            # sessions as "YYYY-MM-DD" (cache keys)
    bioguide: dict = field(repr=False)
    _lazy: dict = field(default_factory=dict, repr=False)
    _locks: dict = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def epoch(self) -> str:
        return f"{self.data_epoch}|{self.model.label}"

    def lazy(self, name: str, build):
        """``build()`` computed once per state and name (thread-safe; one lock per name)."""
        with self._lock:
            lock = self._locks.setdefault(name, threading.Lock())
        with lock:
            if name not in self._lazy:
                self._lazy[name] = build()
            return self._lazy[name]

    def decision_pos(self, as_of) -> int:
        """Position of the last session on or before ``as_of`` (-1: before the history)."""
        if as_of is None:
            return len(self.sessions) - 1
        ts = pd.Timestamp(as_of).as_unit("ns")
        return int(self.sessions.asi8.searchsorted(ts.value, "right")) - 1


def build_state(settings, universe=None, model: ServingModel | None = None,
                predictor_factory=None) -> ServingState:
    """Load (or take) the universe and model, and build the predictor."""
    from workbench.api.predictors import make_predictor

    t0 = time.perf_counter()
    universe = universe if universe is not None else load_source(settings)
    model = model if model is not None else load_serving_model(settings.mlflow_uri)
    if predictor_factory is None:
        predictor, why = make_predictor(universe, model, settings.predictor)
    else:
        predictor, why = predictor_factory(universe, model)
    priced = set(universe.prices["ticker"].astype(str).unique())
    tickers = priced | set(universe.trades["ticker"].dropna().astype(str).unique())
    sessions = pd.DatetimeIndex(predictor.sessions)
    t = universe.trades.dropna(subset=["bioguide_id"])
    bioguide = t.groupby(t["bioguide_id"].astype(str))["politician"].first().to_dict()
    return ServingState(
        universe=universe, model=model, predictor=predictor, predictor_reason=why,
        data_epoch=data_epoch(universe, settings.source), built_at=time.time(),
        build_seconds=time.perf_counter() - t0, sessions=sessions,
        tickers=frozenset(tickers), priced=frozenset(priced), bioguide=bioguide,
        days=tuple(sessions.strftime("%Y-%m-%d")))


class StateHolder:
    """The current :class:`ServingState` and the per-request epoch check."""

    def __init__(self, settings, state: ServingState, cache=None, rebuild=None):
        self.settings = settings
        self.state = state
        self.cache = cache
        # rebuild(universe or None): a model-only change keeps the loaded universe
        self._rebuild = rebuild or (lambda universe: build_state(settings, universe=universe))
        self._store = None if settings.source == "synthetic" else Path(settings.source)
        self._store_sig = _file_sig(self._store)
        self._uri = settings.mlflow_uri or default_mlflow_uri()
        self._registry = registry_file(self._uri)
        self._registry_sig = _file_sig(self._registry)
        self._next_registry_check = 0.0
        self._lock = threading.Lock()
        self._building: threading.Thread | None = None
        self.last_error: str | None = None
        self.swaps = 0

    def current(self) -> ServingState:
        """The state to serve this request with (starts a rebuild if the epoch moved)."""
        try:
            self._check()
        except Exception as exc:  # a failed check keeps the current state serving
            self.last_error = f"epoch check failed: {type(exc).__name__}"
            log.warning("epoch check failed: %s", exc)
        return self.state

    def _check(self) -> None:
        sig = _file_sig(self._store)
        if self._store is not None and sig != self._store_sig:
            try:
                moved = store_epoch(self._store) != self.state.data_epoch
            except Exception:   # the store is being written (lock held): look again later
                return
            if not moved or self._start_rebuild("new data in the store", keep_data=False):
                self._store_sig = sig
            if moved:
                return
        now = time.monotonic()
        if now >= self._next_registry_check:
            self._next_registry_check = now + self.settings.epoch_check_seconds
            rsig = _file_sig(self._registry)
            if rsig != self._registry_sig:
                moved = champion_version(self._uri) != self.state.model.version
                if not moved or self._start_rebuild("new champion in the registry",
                                                    keep_data=True):
                    self._registry_sig = rsig

    def _start_rebuild(self, why: str, keep_data: bool) -> bool:
        """Start a rebuild in a thread; False when one is already running."""
        with self._lock:
            if self._building is not None and self._building.is_alive():
                return False
            log.info("rebuilding the serving state: %s", why)
            universe = self.state.universe if keep_data else None
            self._building = threading.Thread(target=self._do_rebuild, args=(universe,),
                                              name="wb-rebuild", daemon=True)
            self._building.start()
            return True

    def _do_rebuild(self, universe) -> None:
        try:
            new = self._rebuild(universe)
        except Exception as exc:
            self.last_error = f"rebuild failed: {type(exc).__name__}: {exc}"
            log.warning("rebuild failed: %s", exc)
            return
        self.state = new
        self.swaps += 1
        self.last_error = None
        if self.cache is not None:
            self.cache.clear()

    def wait_rebuild(self, timeout: float | None = None) -> bool:
        """Block until a running rebuild has finished (tests and shutdown)."""
        t = self._building
        if t is not None:
            t.join(timeout)
            return not t.is_alive()
        return True
