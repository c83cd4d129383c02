"""The detector registry of the power study: one small adapter per analysis.

A :class:`Detector` names the analysis, the :class:`~workbench.synthetic.truth.SynthParams`
field that sizes what it should find (its *dial*), the dial value at which nothing is planted
(its *null*), and a ``run`` function that takes one synthetic universe and returns an
:class:`Outcome`: how many planted units there were and how many it recovered, scored exactly
as the analysis' own tests score recovery. Adding a detector is one adapter function and one
:func:`register_detector` call (see :mod:`workbench.validation.adapters`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field

__all__ = ["Outcome", "Detector", "register_detector", "get_detector", "detector_names",
           "DETECTORS"]

DETECTORS: dict[str, Detector] = {}


@dataclass(frozen=True)
class Outcome:
    """What one detector recovered in one synthetic universe.

    Attributes
    ----------
    trials : int
        Planted units scored (informed politicians, leaders, or 1 for a whole-universe score).
    detected : int
        Units recovered by the criterion of the analysis' tests.
    score : float
        The tests' continuous recovery score (AUC, ARI, accuracy, recall, t-statistic ...),
        averaged over units; NaN when it is undefined (e.g. nothing detected to measure).
    estimate, se, expected, df : float
        For detectors that are a t-test of an effect: the estimate, its standard error, the
        value the planted truth implies and the test's degrees of freedom (NaN otherwise).
        ``expected / se`` is the noncentrality of the closed-form power calculation.
    """

    trials: int
    detected: int
    score: float = math.nan
    estimate: float = math.nan
    se: float = math.nan
    expected: float = math.nan
    df: float = math.nan

    def __post_init__(self):
        if not 0 <= self.detected <= self.trials:
            raise ValueError(f"detected={self.detected} must be within 0..trials={self.trials}")

    def to_dict(self) -> dict:
        return {k: (None if isinstance(v, float) and math.isnan(v) else v)
                for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, d: Mapping) -> Outcome:
        return cls(**{k: (math.nan if v is None else v) for k, v in d.items()})


@dataclass(frozen=True)
class Detector:
    """One analysis seen as a detector of a planted effect.

    Attributes
    ----------
    name : str
        Registry key (``informed_politician``, ``cycles_monthly`` ...).
    param : str
        The ``SynthParams`` field that sizes the planted effect (the dial).
    null : float
        Dial value at which nothing is planted: detection there is a false positive. May be
        ``inf`` for noise dials (infinite noise removes the effect).
    increasing : bool
        True when the effect grows with the dial (amplitudes, alphas); False for noise and
        mixing dials, where it shrinks.
    run : callable
        ``run(universe) -> Outcome``; a module-level function (pickled by reference for Dask).
    criterion : str
        The recovery criterion in words (the analysis' tests use the same).
    level : float
        The false-positive rate the criterion claims, or 0.05 where it is a threshold on a
        score rather than a test (then 5% is the most a null universe should pass).
    sizes, smoke_sizes : tuple of float
        Dial values of the full study and of smoke runs (the null first).
    base : mapping
        ``SynthParams`` overrides always applied (none by default: curves are for the default
        universe's size).
    market_only : bool
        The detector needs only the factors and the regime truth: the study simulates the
        market alone (:func:`workbench.validation.universes.market_universe`).
    display_scale, unit : float, str
        The x axis shows ``dial x display_scale`` in ``unit`` (e.g. the informed CAR per buy
        as an annualized alpha).
    modules : tuple of str
        Packages whose source is part of the cache fingerprint of this detector's results.
    version : str
        Bump to invalidate cached results when the adapter changes meaning.
    """

    name: str
    param: str
    null: float
    increasing: bool
    run: Callable
    criterion: str
    label: str = ""
    level: float = 0.05
    sizes: tuple = ()
    smoke_sizes: tuple = ()
    base: Mapping = field(default_factory=dict)
    market_only: bool = False
    display_scale: float = 1.0
    unit: str = ""
    modules: tuple = ()
    version: str = "1"

    def __post_init__(self):
        from workbench.synthetic.truth import SynthParams

        if not re.fullmatch(r"[a-z][a-z0-9_]{0,63}", self.name):
            raise ValueError(f"detector name {self.name!r}: lower-case letters, digits, _")
        if self.param not in SynthParams.__dataclass_fields__:
            raise ValueError(f"{self.name}: {self.param!r} is not a SynthParams field")
        object.__setattr__(self, "base", dict(self.base))  # a copy (plain dict: picklable)

    def overrides(self, size: float) -> dict:
        """``SynthParams`` overrides of one point of the curve (base plus the dial)."""
        return {**self.base, self.param: float(size)}

    def effect_order(self, sizes) -> list[float]:
        """Sizes from the null outwards (weakest effect first)."""
        return sorted((float(s) for s in sizes), reverse=not self.increasing)


def register_detector(detector: Detector, *, replace: bool = False) -> Detector:
    """Add a detector to the registry (``replace=True`` to redefine one)."""
    if detector.name in DETECTORS and not replace:
        raise ValueError(f"detector {detector.name!r} is already registered")
    DETECTORS[detector.name] = detector
    return detector


def get_detector(name: str | Detector) -> Detector:
    """A registered detector by name (a :class:`Detector` is returned as is).

    The built-in adapters register when :mod:`workbench.validation` is imported.
    """
    if isinstance(name, Detector):
        return name
    try:
        return DETECTORS[name]
    except KeyError:
        raise KeyError(f"unknown detector {name!r}; known: {sorted(DETECTORS)}") from None


def detector_names() -> list[str]:
    """Registered detectors, in registration order."""
    return list(DETECTORS)
