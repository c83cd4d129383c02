"""The power study: every detector's curve, the MDE table, false positives, findings.

:func:`power_study` runs :func:`~workbench.validation.power.power_curve` for each detector
(serially or on one Dask client; every (detector, dial values, seed) cached), and the
:class:`PowerStudy` it returns holds the tables the notebook and the benchmark publish.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.validation.cache import ResultCache
from workbench.validation.detectors import detector_names
from workbench.validation.power import PowerResult, assemble, collect, prepare, seed_list

__all__ = ["PowerStudy", "power_study", "format_size", "notebook_study", "SMOKE_DETECTORS"]

# Notebook 13 in smoke mode: three cheap detectors (market-only change points, the informed
# portfolio, communities) on the one-year smoke universe, 2 seeds x 3 sizes.
SMOKE_DETECTORS = ("change_points", "informed_calendar", "communities")


def format_size(value: float, unit: str = "") -> str:
    """A dial value for text: percentages for alphas, ``inf`` spelled out, 3 significant digits."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "beyond the sizes run"
    if math.isinf(value):
        return "no limit" if value > 0 else "-inf"
    if "%/yr" in unit:
        return f"{100 * value:.3g}%"
    return f"{value:.3g}"


@dataclass(frozen=True)
class PowerStudy:
    """Power curves of several detectors.

    Attributes
    ----------
    curves : tuple of PowerResult
        One per detector, in the order run.
    seeds : tuple of int
    smoke : bool
        Whether the smoke universe and sizes were used.
    """

    curves: tuple
    seeds: tuple
    smoke: bool = False

    @property
    def source(self) -> str:
        """Always ``"synthetic"`` (for :func:`workbench.reports.findings.is_synthetic`)."""
        return "synthetic"

    @property
    def provenance(self) -> pd.DataFrame:
        """``item, value`` rows for :func:`workbench.reports.provenance`."""
        from workbench import __version__
        from workbench.validation.power import SMOKE_UNIVERSE

        universe = ("smoke: " + ", ".join(f"{k}={v}" for k, v in SMOKE_UNIVERSE.items())
                    if self.smoke else "default SynthParams (2012-2020, 160 tickers, 96 "
                                       "politicians)")
        return pd.DataFrame({"item": ["seeds", "detectors", "universe", "workbench_version"],
                             "value": [", ".join(map(str, self.seeds)),
                                       ", ".join(c.detector.name for c in self.curves),
                                       universe, __version__]})

    def curve(self, name: str) -> PowerResult:
        for c in self.curves:
            if c.detector.name == name:
                return c
        raise KeyError(name)

    def to_frame(self) -> pd.DataFrame:
        """Every curve point: ``detector`` plus the columns of :attr:`PowerResult.curve`."""
        return pd.concat([c.curve.assign(detector=c.detector.name) for c in self.curves],
                         ignore_index=True)

    def mde_table(self) -> pd.DataFrame:
        """One row per detector: the dial, the MDE at the target power and its interval."""
        rows = []
        for c in self.curves:
            s = c.summary()
            if _detected_at_null(c):
                mde = (f"not defined (detected at the null: "
                       f"{c.false_positive()['rate']:.0%})")
            elif math.isnan(s["mde"]):
                top = c.curve.iloc[-1]
                mde = (f"not reached ({top['power']:.0%} at "
                       f"{format_size(top['display_size'], s['unit'])})")
            else:
                mde = f"{s['direction']} {format_size(s['mde'], s['unit'])}"
            rows.append({"detector": s["label"], "dial": s["param"], "MDE (80% power)": mde,
                         "interval": f"{format_size(s['mde_low'], s['unit'])} to "
                                     f"{format_size(s['mde_high'], s['unit'])}",
                         "unit": s["unit"], "seeds": s["seeds"], "monotone": s["monotone"],
                         "criterion": s["criterion"], "mde": s["mde"], "mde_low": s["mde_low"],
                         "mde_high": s["mde_high"]})
        return pd.DataFrame(rows)

    def false_positive_table(self) -> pd.DataFrame:
        """Detection rate at each detector's null, its interval, the stated level, verdict."""
        rows = []
        for c in self.curves:
            fp = c.false_positive()
            rows.append({"detector": c.detector.label or c.detector.name,
                         "null": format_size(c.detector.null), "trials": fp["trials"],
                         "false positives": fp["detected"], "rate": fp["rate"],
                         "ci_low": fp["ci_low"], "ci_high": fp["ci_high"],
                         "level": fp["level"], "holds level": fp["holds_level"]})
        return pd.DataFrame(rows)

    def planted_vs_recovered(self, preset: str = "realistic") -> pd.DataFrame:
        """Per detector: the dial's default and preset values and the measured power there.

        Power at a value is the curve's, linearly interpolated between the dial values run
        (NaN outside them).
        """
        from workbench.synthetic.presets import preset_overrides
        from workbench.synthetic.truth import SynthParams

        over = preset_overrides(preset)
        rows = []
        for c in self.curves:
            d = c.detector
            default = getattr(SynthParams(), d.param)
            chosen = over.get(d.param, default)
            rows.append({"detector": d.label or d.name, "dial": d.param,
                         "planted (default)": format_size(default * d.display_scale, d.unit),
                         "power at default": _interp_power(c, default),
                         f"planted ({preset})": format_size(chosen * d.display_scale, d.unit),
                         f"power at {preset}": _interp_power(c, chosen),
                         "MDE": format_size(c.mde * d.display_scale, d.unit)})
        return pd.DataFrame(rows)

    def planted_rows(self, preset: str = "realistic") -> list[dict]:
        """Rows for :func:`workbench.reports.findings.planted_vs_recovered`: per detector, the
        default planted size and the power measured there, and the same at ``preset``."""
        table = self.planted_vs_recovered(preset)
        rows = []
        for (_, r), c in zip(table.iterrows(), self.curves, strict=True):
            p0, p1 = r["power at default"], r[f"power at {preset}"]
            verdict = ("info" if np.isnan(p0) else "recovered" if p0 >= c.target
                       else "partly recovered" if p0 > 0 else "not recovered")
            mde = ("no MDE (detected at the dial's null too)" if _detected_at_null(c)
                   else f"MDE {r['MDE']}")
            rows.append({
                "detector": f"{r['detector']}: {c.detector.unit or c.detector.param}",
                "planted": f"{r['planted (default)']} ({preset}: {r[f'planted ({preset})']})",
                "recovered": f"{_pct(p0)} of seeds at the default, {_pct(p1)} at {preset}",
                "verdict": verdict,
                "detail": f"{mde}; {c.detector.criterion}"})
        return rows

    def findings(self) -> list:
        """Findings for :func:`workbench.reports.findings.render_findings`."""
        from workbench.reports.findings import Finding

        out = []
        for c in self.curves:
            s = c.summary()
            unit = s["unit"]
            n = int(c.curve["trials"].iloc[0])
            how = f"{s['criterion']}; {s['seeds']} seeds x {len(c.curve)} sizes ({n} trials " \
                  f"per size), exact binomial 95% intervals."
            if _detected_at_null(c):
                out.append(Finding(
                    f"{s['label']}: detected at every size run, including the dial's null "
                    f"({unit or s['param']} {format_size(_null_display(c), unit)}, "
                    f"{c.false_positive()['rate']:.0%} of seeds): this dial does not remove "
                    f"what the detector finds, so it gives no MDE.", "info", how))
                continue
            if math.isnan(s["mde"]):
                top = c.curve["power"].iloc[-1]
                out.append(Finding(
                    f"{s['label']}: 80% power not reached within the sizes run (power "
                    f"{top:.0%} at {unit or s['param']} "
                    f"{format_size(c.curve['display_size'].iloc[-1], unit)}).",
                    "not recovered", how))
                continue
            lo, hi = (format_size(v, unit) for v in (s["mde_low"], s["mde_high"]))
            out.append(Finding(
                f"{s['label']}: detected with 80% power when {unit or s['param']} is "
                f"{s['direction']} {format_size(s['mde'], unit)} (interval {lo} to {hi}).",
                "info", how))
        # A dial whose null still carries the effect (reported above) measures no false
        # positives: its "null" is not one, so it is left out of this verdict and named.
        not_null = {c.detector.label or c.detector.name for c in self.curves
                    if _detected_at_null(c)}
        fp = self.false_positive_table()
        known = fp[(fp["trials"] > 0) & ~fp["detector"].isin(not_null)]
        bad = known[known["holds level"] == False]  # noqa: E712  (None: no null point)
        if len(known):
            worst = known.loc[known["rate"].idxmax()]
            verdict = "not significant" if bad.empty else "significant"
            text = ("False-positive rates at the null hold their stated level for every "
                    "detector with a true null" if bad.empty else
                    f"False-positive rate above its level for {', '.join(bad['detector'])}")
            left_out = (f" Left out: {', '.join(sorted(not_null))} (its dial's null keeps "
                        "the effect, see above)." if not_null else "")
            out.append(Finding(
                f"{text} (highest: {worst['detector']}, {worst['rate']:.0%} "
                f"[{worst['ci_low']:.0%}, {worst['ci_high']:.0%}]).", verdict,
                f"{int(known['trials'].sum())} null trials over {len(known)} "
                f"detectors.{left_out}"))
        return out


def _detected_at_null(curve: PowerResult) -> bool:
    """The null point's detection rate reaches the target: the dial's null is not one."""
    row = curve.null_row
    return row is not None and row["power"] >= curve.target


def _null_display(curve: PowerResult) -> float:
    """The detector's null dial value on its display scale."""
    return curve.detector.null * curve.detector.display_scale


def _pct(x: float) -> str:
    return "n/a" if np.isnan(x) else f"{x:.0%}"


def _interp_power(curve: PowerResult, value: float) -> float:
    x = curve.curve["size"].to_numpy(dtype=float)
    y = curve.curve["power"].to_numpy(dtype=float)
    hit = np.flatnonzero(x == value)
    if len(hit):
        return float(y[hit[0]])
    finite = np.isfinite(x)
    x, y = x[finite], y[finite]
    order = np.argsort(x)
    x, y = x[order], y[order]
    if not len(x) or value < x[0] or value > x[-1]:
        return math.nan
    return float(np.interp(value, x, y))


def power_study(detectors=None, seeds=4, *, sizes: dict | None = None, client=None,
                cache_dir=None, smoke: bool = False, target: float = 0.8,
                first_seed: int | None = None) -> PowerStudy:
    """Power curves of several detectors (all registered ones by default).

    Parameters
    ----------
    detectors : sequence of str, or a comma-separated str, optional
    seeds : int or sequence of int
        Seeds per dial value (see :func:`~workbench.validation.power.seed_list`).
    sizes : dict, optional
        ``{detector: sizes}`` to override a detector's dial values.
    client, cache_dir, smoke, target, first_seed
        As in :func:`~workbench.validation.power.power_curve`. With a client, every detector's
        missing points are submitted together, so the cluster stays busy across detectors.
    """
    if isinstance(detectors, str):
        detectors = [d.strip() for d in detectors.split(",") if d.strip()]
    names = list(detectors) if detectors else detector_names()
    sizes = sizes or {}
    plans = [prepare(n, sizes.get(n), smoke) for n in names]
    seeds = seed_list(seeds, first_seed)
    outcomes = collect(plans, seeds, ResultCache(cache_dir), client)
    return PowerStudy(tuple(assemble(p, seeds, outcomes, target) for p in plans), seeds, smoke)


def notebook_study(detectors: str = "", seeds_per_point: int = 3, smoke: bool = False,
                   seed: int | None = None) -> PowerStudy:
    """The study notebook 13 shows: all detectors (or ``detectors``), ``seeds_per_point`` seeds
    from ``seed`` on; with ``smoke``, :data:`SMOKE_DETECTORS` (unless named), 2 seeds and the
    smoke sizes and universe. Results come from the default cache when present."""
    names = detectors or (",".join(SMOKE_DETECTORS) if smoke else None)
    return power_study(names, 2 if smoke else seeds_per_point, smoke=smoke, first_seed=seed)
