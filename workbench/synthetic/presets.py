"""Named sets of ``SynthParams`` overrides: ``load_universe("synthetic", preset="realistic")``.

``default``
    Today's universe (no overrides). Most planted effects are several times their minimum
    detectable effect (informed alpha about 2.5x the per-politician MDE, communities and
    motifs far from their limits); the weekly cycle sits just above its MDE and the two-year
    election cycle below it (found at 2 of 3 seeds). See the MDE table in
    benchmarks/RESULTS.md, "Detection power".
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
        # Each value sits near the dial's MDE measured by the power study (default universe
        # size, seeds 20120101-03; benchmarks/RESULTS.md, "Detection power"); the power
        # measured there is in brackets.
        # informed buys earn 2% over 21 sessions (24%/yr while held) instead of 6%: the
        # per-politician BH test flags about half of the informed (0.56), the pooled
        # calendar-time portfolio is found at every seed (1.0)
        "informed_car": 0.02,
        # activity cycles and the August recess at 30% of their default log-amplitudes:
        # quarterly (1.0) and annual (~0.8) found, monthly sometimes (~0.4), weekly and the
        # two-year election cycle not (0)
        "cycle_scale": 0.3,
        # state volatilities pulled towards their common mean (max/min ratio 6^0.8 = 4.2):
        # HMM regimes ~0.7, variance change points ~0.5
        "regime_vol_spread": 0.8,
        # 60% of a community's trades random (~0.67); followers' lag noisy by 10 sessions
        # s.d. (0.75 of leaders found)
        "community_mixing": 0.6,
        "leader_lag_noise": 10.0,
        # squeeze chains 40% of the way from ordinary to the planted setup (~0.5); motifs
        # under 0.65 of the original path's noise (~0.67)
        "squeeze_strength": 0.4,
        "motif_noise": 0.65,
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
