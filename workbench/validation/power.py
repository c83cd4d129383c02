"""Power curves: how often a detector recovers a planted effect of a given size.

For each dial value (a ``SynthParams`` field) and each seed, the synthetic universe is generated,
the detector run and its recovery scored (:mod:`workbench.validation.adapters`). Detections are
pooled per dial value into a rate with an exact binomial interval; the minimum detectable effect
(MDE) is where the curve first reaches the target power, moving from the null outwards, linearly
interpolated between dial values; its interval is where the interval bounds reach it (the lower
bound gives the larger MDE). Points run serially or as Dask tasks, and each (detector, dial
values, seed) result is cached on disk (:mod:`workbench.validation.cache`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from workbench.validation.cache import ResultCache
from workbench.validation.detectors import Detector, Outcome, get_detector
from workbench.validation.universes import build_universe

__all__ = ["PowerResult", "power_curve", "run_point", "binomial_interval", "crossing",
           "t_test_power", "seed_list", "prepare", "collect", "assemble", "run_group",
           "SMOKE_UNIVERSE"]


# Smoke studies: one year, 60 tickers, 60 politicians (about 1 s per universe, every planted
# structure still present). Power measured on it is for that small universe, not the default.
SMOKE_UNIVERSE = {"start": "2020-01-02", "n_tickers": 60, "n_politicians": 60}


def seed_list(seeds, first: int | None = None) -> tuple[int, ...]:
    """Seeds as given, or ``n`` seeds from ``first`` on (default ``$WORKBENCH_SEED``: the
    default seed comes first)."""
    if isinstance(seeds, int | np.integer):
        from workbench.config import default_seed

        start = default_seed() if first is None else int(first)
        return tuple(start + i for i in range(int(seeds)))
    return tuple(int(s) for s in seeds)


def binomial_interval(detected, trials, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Clopper-Pearson) interval of a detection rate (vectorized).

    Exact rather than Wilson because curves have few trials per point and the false-positive
    check is a test: with the exact interval, a detector at its level is flagged at most
    ``(1 - confidence) / 2`` of the time, at any number of trials.
    """
    lo, hi = proportion_confint(np.asarray(detected), np.asarray(trials), alpha=1 - confidence,
                                method="beta")
    return np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)


def t_test_power(effect, se, df, level: float = 0.05) -> np.ndarray:
    """Power of a two-sided t-test at ``level``: noncentral t with noncentrality effect / se.

    ``P(|T| > t_crit)`` with ``T ~ nct(df, effect / se)``; at ``effect = 0`` it equals ``level``.
    """
    effect, se, df = np.broadcast_arrays(np.asarray(effect, float), np.asarray(se, float),
                                         np.asarray(df, float))
    crit = stats.t.ppf(1 - level / 2, df)
    nc = effect / se
    # P(T < -c | nc) = P(T > c | -nc): both tails through sf, which stays finite where
    # scipy's nct.cdf returns NaN (large noncentrality)
    return stats.nct.sf(crit, df, nc) + stats.nct.sf(crit, df, -nc)


def crossing(x, y, target: float) -> float:
    """First ``x`` where ``y`` reaches ``target``, linear between points; NaN if it never does.

    ``x`` runs from the null outwards. If the first point already reaches the target the
    result is that point (the MDE is at most there).
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    for i in range(len(y)):
        if y[i] >= target:
            if i == 0 or not np.isfinite(x[i]) or not np.isfinite(x[i - 1]):
                return float(x[i])
            w = (target - y[i - 1]) / (y[i] - y[i - 1])
            return float(x[i - 1] + w * (x[i] - x[i - 1]))
    return math.nan


def run_point(detector: Detector, size: float, seed: int) -> Outcome:
    """Generate the universe of one (dial value, seed) and score the detector on it."""
    universe = build_universe(seed, detector.overrides(size), detector.market_only)
    return detector.run(universe)


def run_group(detectors: list[Detector], overrides: dict, seed: int,
              market_only: bool) -> list[dict]:
    """Score several detectors on one universe (they share its dial values and seed)."""
    universe = build_universe(seed, overrides, market_only)
    return [d.run(universe).to_dict() for d in detectors]


@dataclass(frozen=True)
class PowerResult:
    """A detector's power curve.

    Attributes
    ----------
    detector : Detector
    param : str
        The dial (``SynthParams`` field).
    curve : DataFrame
        One row per dial value, from the null outwards: ``size, display_size, seeds, trials,
        detected, power, ci_low, ci_high`` (exact binomial), ``mean_score``, and for
        detectors that are t-tests ``closed_form_power``: the mean over seeds of the
        noncentral-t power at each seed's expected / se.
    runs : DataFrame
        One row per (size, seed): the :class:`Outcome` fields.
    target : float
        Power at which the MDE is read (0.8).
    mde, mde_low, mde_high : float
        Dial value of the MDE and its interval (NaN where the curve or a bound never reaches
        the target within the sizes run).
    confidence : float
        Level of the binomial intervals.
    """

    detector: Detector
    param: str
    curve: pd.DataFrame
    runs: pd.DataFrame
    target: float
    mde: float
    mde_low: float
    mde_high: float
    confidence: float = 0.95

    @property
    def null_row(self) -> pd.Series | None:
        rows = self.curve[self.curve["size"] == self.detector.null]
        return rows.iloc[0] if len(rows) else None

    def false_positive(self) -> pd.Series:
        """Detection rate at the null with its interval, and whether it holds the level.

        ``holds_level`` is True when the interval's lower bound is at most the stated level
        (the rate is not significantly above it).
        """
        row = self.null_row
        if row is None:
            return pd.Series({"detector": self.detector.name, "trials": 0, "detected": 0,
                              "rate": math.nan, "ci_low": math.nan, "ci_high": math.nan,
                              "level": self.detector.level, "holds_level": None})
        return pd.Series({"detector": self.detector.name, "trials": int(row["trials"]),
                          "detected": int(row["detected"]), "rate": row["power"],
                          "ci_low": row["ci_low"], "ci_high": row["ci_high"],
                          "level": self.detector.level,
                          "holds_level": bool(row["ci_low"] <= self.detector.level)})

    def is_monotone(self) -> bool:
        """Power does not fall with effect size beyond the intervals: for every pair of dial
        values, the stronger one's upper bound is at least the weaker one's lower bound."""
        lo, hi = self.curve["ci_low"].to_numpy(), self.curve["ci_high"].to_numpy()
        return all(hi[j] >= lo[i] for i in range(len(lo)) for j in range(i + 1, len(hi)))

    def to_frame(self) -> pd.DataFrame:
        return self.curve

    def summary(self) -> pd.Series:
        d = self.detector
        s = d.display_scale
        fp = self.false_positive()
        return pd.Series({
            "detector": d.name, "label": d.label or d.name, "param": self.param,
            "unit": d.unit, "criterion": d.criterion, "seeds": int(self.curve["seeds"].max()),
            "sizes": len(self.curve), "mde": self.mde * s, "mde_low": self.mde_low * s,
            "mde_high": self.mde_high * s, "mde_param": self.mde,
            "direction": "at least" if d.increasing else "at most",
            "fp_rate": fp["rate"], "fp_ci_high": fp["ci_high"], "level": d.level,
            "holds_level": fp["holds_level"], "monotone": self.is_monotone()})


def _curve(detector: Detector, sizes, seeds, outcomes: dict, confidence: float,
           level: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows, run_rows = [], []
    for size in sizes:
        outs = [outcomes[(size, seed)] for seed in seeds]
        for seed, o in zip(seeds, outs, strict=True):
            run_rows.append({"size": size, "seed": seed, **o.to_dict()})
        trials = sum(o.trials for o in outs)
        detected = sum(o.detected for o in outs)
        row = {"size": size, "display_size": size * detector.display_scale,
               "seeds": len(outs), "trials": trials, "detected": detected,
               "power": detected / trials if trials else math.nan,
               "mean_score": float(np.nanmean([o.score for o in outs]))
               if any(np.isfinite(o.score) for o in outs) else math.nan}
        t_tests = [o for o in outs if np.isfinite(o.se) and o.se > 0 and np.isfinite(o.expected)]
        if t_tests:
            row["closed_form_power"] = float(np.mean(t_test_power(
                [o.expected for o in t_tests], [o.se for o in t_tests],
                [o.df if np.isfinite(o.df) else 1e6 for o in t_tests], level)))
        rows.append(row)
    curve = pd.DataFrame(rows)
    lo, hi = binomial_interval(curve["detected"], curve["trials"], confidence)
    curve.insert(curve.columns.get_loc("power") + 1, "ci_low", lo)
    curve.insert(curve.columns.get_loc("ci_low") + 1, "ci_high", hi)
    return curve, pd.DataFrame(run_rows)


def power_curve(detector: str | Detector, param: str | None = None, sizes=None, seeds=4, *,
                client=None, cache_dir=None, target: float = 0.8,
                confidence: float = 0.95, smoke: bool = False,
                first_seed: int | None = None) -> PowerResult:
    """Detection rate of one detector at each planted size, with its MDE.

    Parameters
    ----------
    detector : str or Detector
        A registered detector (:func:`workbench.validation.detector_names`).
    param : str, optional
        The dial; must be the detector's own (``SynthParams`` field). Default: the detector's.
    sizes : sequence of float, optional
        Dial values; default the detector's study sizes (``smoke_sizes`` when ``smoke``).
    seeds : int or sequence of int
        Seeds per dial value (an int ``n``: ``n`` seeds from ``first_seed``, default
        ``$WORKBENCH_SEED``, on).
    client : dask.distributed.Client, optional
        Run each (size, seed) not in the cache as a Dask task; serial without.
    cache_dir : path, False or None
        Where results are cached (None: :func:`workbench.validation.cache.default_cache_dir`;
        False: no cache).
    target : float
        Power at which the MDE is read.
    smoke : bool
        Smoke sizes (unless sizes are given) on :data:`SMOKE_UNIVERSE`.

    Returns
    -------
    PowerResult
    """
    plan = prepare(detector, sizes, smoke, param)
    seeds = seed_list(seeds, first_seed)
    outcomes = collect([plan], seeds, ResultCache(cache_dir), client)
    return assemble(plan, seeds, outcomes, target, confidence)


def prepare(detector, sizes=None, smoke: bool = False, param: str | None = None):
    """``(detector, sizes)`` of one curve: the smoke base applied, sizes from the null out."""
    det = get_detector(detector)
    if param is not None and param != det.param:
        raise ValueError(f"detector {det.name!r} reads the dial {det.param!r}, not {param!r}")
    if smoke:
        from dataclasses import replace

        det = replace(det, base={**SMOKE_UNIVERSE, **det.base})
    return det, det.effect_order(sizes if sizes is not None else
                                 (det.smoke_sizes if smoke else det.sizes))


def collect(plans, seeds, cache: ResultCache, client=None) -> dict:
    """Outcomes of every (detector, size, seed) of ``plans``: cached, else computed.

    Missing points that share a universe (same overrides and seed, e.g. the five cycle
    detectors, or regimes and change points) are scored on one generated universe. Groups run
    serially, or all at once as Dask tasks on ``client``; each result is cached as it arrives.
    """
    outcomes: dict = {}
    groups: dict = {}
    for det, sizes in plans:
        for size in sizes:
            for seed in seeds:
                over = det.overrides(size)
                hit = cache.get(det, over, seed)
                if hit is not None:
                    outcomes[(det.name, size, seed)] = hit
                    continue
                key = (det.market_only, tuple(sorted(over.items())), int(seed))
                groups.setdefault(key, []).append((det, size))
    keys = list(groups)

    def store(key, results):
        for (det, size), d in zip(groups[key], results, strict=True):
            out = Outcome.from_dict(d)
            cache.put(det, det.overrides(size), key[2], out)
            outcomes[(det.name, size, key[2])] = out

    if client is None:
        for key in keys:
            store(key, run_group([d for d, _ in groups[key]], dict(key[1]), key[2], key[0]))
        return outcomes
    from dask.distributed import as_completed

    futures = client.map(run_group, [[d for d, _ in groups[k]] for k in keys],
                         [dict(k[1]) for k in keys], [k[2] for k in keys], [k[0] for k in keys],
                         pure=False)
    where = {f.key: k for f, k in zip(futures, keys, strict=True)}
    for fut in as_completed(futures):
        store(where[fut.key], fut.result())
    return outcomes


def assemble(plan, seeds, outcomes: dict, target: float = 0.8,
             confidence: float = 0.95) -> PowerResult:
    """The :class:`PowerResult` of one planned curve from collected outcomes."""
    det, sizes = plan
    mine = {(size, seed): outcomes[(det.name, size, seed)] for size in sizes for seed in seeds}
    curve, runs = _curve(det, sizes, seeds, mine, confidence, det.level)
    x = curve["size"].to_numpy()
    # The upper bound reaches the target nearest the null, the lower bound farthest from it.
    near, far = crossing(x, curve["ci_high"], target), crossing(x, curve["ci_low"], target)
    low, high = (near, far) if det.increasing else (far, near)
    return PowerResult(det, det.param, curve, runs, target,
                       mde=crossing(x, curve["power"], target), mde_low=low, mde_high=high,
                       confidence=confidence)
