"""On-disk cache of power-study results: one small JSON file per (detector, dial values, seed).

Results, not universes, are cached. The key holds the detector's name and version, every
``SynthParams`` override of the point, the seed, and a fingerprint of the source code that
produced the result (the synthetic generator, the adapters and the analysis packages the
detector names), so that editing any of them invalidates the entry instead of serving a stale
number. Writes are atomic; two processes computing the same point write the same file.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from functools import lru_cache
from pathlib import Path

from workbench.validation.detectors import Detector, Outcome

__all__ = ["ResultCache", "default_cache_dir", "code_fingerprint"]

# Source that every result depends on, besides the detector's adapter module and analysis
# packages: the generator (its presets only name overrides, which are in the key already) and
# how universes are built, sessions counted and trades entered.
ALWAYS = ("workbench.synthetic", "workbench.validation.universes", "workbench.data.calendar",
          "workbench.data.entries", "workbench.factors.inputs")
NOT_RESULTS = ("presets.py",)


def default_cache_dir() -> Path:
    """``$WORKBENCH_POWER_CACHE`` or ``benchmarks/.cache/power`` under the project root."""
    from workbench.config import project_root

    env = os.environ.get("WORKBENCH_POWER_CACHE")
    return Path(env) if env else project_root() / "benchmarks" / ".cache" / "power"


def _sources(module: str) -> list[Path]:
    import importlib.util

    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return []
    origin = Path(spec.origin)
    if origin.name == "__init__.py":
        return sorted(p for p in origin.parent.rglob("*.py") if p.name not in NOT_RESULTS)
    return [origin]


@lru_cache(maxsize=64)
def code_fingerprint(modules: tuple[str, ...]) -> str:
    """sha256 over the source files of ``modules`` (packages: every ``.py`` below them)."""
    h = hashlib.sha256()
    for module in sorted(set(ALWAYS) | set(modules)):
        for path in _sources(module):
            h.update(str(path.name).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def _clean(v):
    if isinstance(v, float) and math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


class ResultCache:
    """Get and put :class:`Outcome` values; ``ResultCache(False)`` caches nothing."""

    def __init__(self, cache_dir=None):
        self.dir = None if cache_dir is False else Path(cache_dir or default_cache_dir())

    def key(self, detector: Detector, overrides: dict, seed: int) -> str:
        run = getattr(detector.run, "func", detector.run)       # functools.partial
        modules = (*detector.modules, run.__module__)
        material = {"detector": detector.name, "version": detector.version,
                    "params": {k: _clean(v) for k, v in sorted(overrides.items())},
                    "seed": int(seed), "code": code_fingerprint(tuple(modules))}
        return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()[:32]

    def path(self, detector: Detector, overrides: dict, seed: int) -> Path | None:
        if self.dir is None:
            return None
        # the file name is a hash: nothing from the caller reaches the path
        return self.dir / detector.name / f"{self.key(detector, overrides, seed)}.json"

    def get(self, detector: Detector, overrides: dict, seed: int) -> Outcome | None:
        path = self.path(detector, overrides, seed)
        if path is None or not path.exists():
            return None
        try:
            return Outcome.from_dict(json.loads(path.read_text(encoding="utf-8"))["outcome"])
        except (ValueError, KeyError, TypeError):
            return None  # a damaged entry is recomputed

    def put(self, detector: Detector, overrides: dict, seed: int, outcome: Outcome) -> None:
        path = self.path(detector, overrides, seed)
        if path is None:
            return
        from workbench.data.atomic import atomic_write_text

        record = {"detector": detector.name, "seed": int(seed),
                  "params": {k: _clean(v) for k, v in sorted(overrides.items())},
                  "outcome": outcome.to_dict()}
        atomic_write_text(path, json.dumps(record, sort_keys=True))
