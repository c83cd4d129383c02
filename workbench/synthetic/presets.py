"""Named sets of ``SynthParams`` overrides: ``load_universe("synthetic", preset="realistic")``.

``default``
    Today's universe (no overrides). Its planted effects are large on purpose: every recovery
    test passes at every seed, far above what the detectors need (see the MDE table in
    benchmarks/RESULTS.md, "Detection power").
``realistic``
    A harder universe whose planted effects sit near each detector's minimum detectable effect
    (80% power) measured by the power study (:mod:`workbench.validation`, notebook 13_power):
    reports built on it show partial recovery - some effects found, some missed - as real data
    would. The sizes, and the measured power of each detector at them, are listed in
    benchmarks/RESULTS.md. Explicit overrides win over a preset's.
"""

from __future__ import annotations

from types import MappingProxyType

__all__ = ["PRESETS", "preset_overrides", "preset_names"]

PRESETS = MappingProxyType({
    "default": MappingProxyType({}),
    "realistic": MappingProxyType({
        # informed buys: 1.5% CAR over 21 sessions (~18%/yr while held) instead of 6%
        "informed_car": 0.015,
        # activity cycles: log-intensity amplitudes near each period's MDE
        "weekly_amplitude": 0.05,
        "monthly_amplitude": 0.05,
        "quarterly_amplitude": 0.05,
        "annual_amplitude": 0.05,
        "election_amplitude": 0.05,
        # regimes: state volatilities pulled halfway to their common mean
        "regime_vol_spread": 0.5,
        # communities: 40% of a community's trades random; followers' lag noisy
        "community_mixing": 0.4,
        "leader_lag_noise": 8.0,
        # squeezes and motifs: weaker setups, noisier repeats
        "squeeze_strength": 0.5,
        "motif_noise": 1.0,
    }),
})


def preset_names() -> list[str]:
    return list(PRESETS)


def preset_overrides(name: str | None) -> dict:
    """The ``SynthParams`` overrides of a preset (``None`` or ``""``: the default, none)."""
    if not name:
        return {}
    try:
        return dict(PRESETS[name])
    except KeyError:
        raise ValueError(f"unknown synthetic preset {name!r}; known: {list(PRESETS)}") from None
