"""The synthetic universe: a seeded market, trades, option chains and the truth planted in them.

It sits above :mod:`workbench.data` and :mod:`workbench.options` (the option chains are priced
with the project's own Black-Scholes and GEX code) and nothing below imports it:
``load_universe("synthetic")`` reaches :func:`generate_universe` through the universe-source
registry of :mod:`workbench.data.universe`.

``generator``  :func:`generate_universe`, assembling the parts below
``market``     regime-switching prices, sectors, factors
``trades``     politicians, communities, leaders, informed traders, activity cycles, anomalies
``options``    option chains with planted squeeze setups
``truth``      :class:`SynthParams` (every planted size is a parameter) and :class:`SyntheticTruth`
``presets``    named sets of overrides: ``load_universe("synthetic", preset="realistic")``
"""

from __future__ import annotations

from workbench._lazy import lazy_getattr

_EXPORTS = {
    "generate_universe": "workbench.synthetic.generator",
    "SynthParams": "workbench.synthetic.truth",
    "SyntheticTruth": "workbench.synthetic.truth",
    "REGIME_NAMES": "workbench.synthetic.truth",
}

__all__ = sorted(_EXPORTS)

__getattr__ = lazy_getattr(__name__, _EXPORTS)


def load_synthetic(seed: int | None = None, preset: str | None = None, **params):
    """The universe source registered as ``"synthetic"`` (seed defaults to ``WORKBENCH_SEED``).

    ``preset`` names a set of overrides (:mod:`workbench.synthetic.presets`, e.g.
    ``"realistic"``); explicit ``params`` win over the preset's.
    """
    from workbench.config import default_seed
    from workbench.synthetic.generator import generate_universe
    from workbench.synthetic.presets import preset_overrides

    return generate_universe(default_seed() if seed is None else int(seed),
                             **{**preset_overrides(preset), **params})
