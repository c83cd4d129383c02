"""What one service process serves: a universe, a model, a predictor, and their epoch.

A :class:`ServingState` is built once at start-up (universe loaded, champion model loaded,
predictor precomputed). Its :attr:`~ServingState.epoch` names the data and model:
``synthetic:<seed>:<params>`` or ``store:<ingests>:<last ingest>:<trades>``, plus the model
version. :class:`StateHolder` checks, on every request, whether that is still current:

- the store file's size and modification time (one ``stat``, microseconds);
- the registry file's, at most every ``epoch_check_seconds``.

Only when a file changed does a background thread open the store read-only (ingests and
trades counted) or ask the registry for the champion's version; when the epoch moved (new
trades ingested, a new champion promoted) that thread builds a new state while the old one
keeps serving. The swap clears the in-process cache, and every cache key carries the epoch,
so no prediction of an old state is served after the swap. A failed rebuild keeps the old
state serving and is reported in ``GET /health`` (``last_error``).
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
        """Per request: two ``stat`` calls at most. Anything slower (opening the store,
        asking the registry, rebuilding) runs in one background thread at a time."""
        store_sig = _file_sig(self._store) if self._store is not None else None
        store_changed = self._store is not None and store_sig != self._store_sig
        registry_changed = False
        now = time.monotonic()
        if now >= self._next_registry_check:
            self._next_registry_check = now + self.settings.epoch_check_seconds
            registry_sig = _file_sig(self._registry)
            registry_changed = registry_sig != self._registry_sig
        else:
            registry_sig = self._registry_sig
        if store_changed or registry_changed:
            self._start(self._probe, store_sig if store_changed else None,
                        registry_sig if registry_changed else None)

    def _start(self, target, *args) -> bool:
        """Run ``target`` in the background thread; False when that thread is busy (the
        file signatures are then left alone, so the next request looks again)."""
        with self._lock:
            if self._building is not None and self._building.is_alive():
                return False
            self._building = threading.Thread(target=target, args=args, name="wb-epoch",
                                              daemon=True)
            self._building.start()
            return True

    def _probe(self, store_sig, registry_sig) -> None:
        """Did the data or the champion really change? Rebuild if so (background thread)."""
        try:
            data_moved = False
            if store_sig is not None:
                try:
                    data_moved = store_epoch(self._store) != self.state.data_epoch
                except Exception:   # the store is being written (lock held): look again later
                    store_sig = None
            model_moved = (registry_sig is not None
                           and champion_version(self._uri) != self.state.model.version)
            if data_moved or model_moved:
                why = "new data in the store" if data_moved else "new champion in the registry"
                log.info("rebuilding the serving state: %s", why)
                new = self._rebuild(None if data_moved else self.state.universe)
                self.state = new
                self.swaps += 1
                self.last_error = None
                if self.cache is not None:
                    self.cache.clear()
            if store_sig is not None:
                self._store_sig = store_sig
            if registry_sig is not None:
                self._registry_sig = registry_sig
        except Exception as exc:
            self.last_error = f"rebuild failed: {type(exc).__name__}: {exc}"
            log.warning("rebuild failed: %s", exc)

    def wait_rebuild(self, timeout: float | None = None) -> bool:
        """Block until a running rebuild has finished (tests and shutdown)."""
        t = self._building
        if t is not None:
            t.join(timeout)
            return not t.is_alive()
        return True
