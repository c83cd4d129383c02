"""Causal inference: what an event changed, against a counterfactual, with its assumptions tested.

- :mod:`~workbench.causal.impact`: :func:`causal_impact`, a structural time-series
  counterfactual (Brodersen et al. 2015) with pointwise and cumulative effects;
  :mod:`~workbench.causal.placebo`: its placebo test at fake event dates.
- :mod:`~workbench.causal.synth`: :func:`synthetic_control` with in-space placebos (batched).
- :mod:`~workbench.causal.did`: two-way fixed-effects DiD and the event study of leads and lags
  (one common event date); :mod:`~workbench.causal.staggered`: Callaway-Sant'Anna for
  staggered adoption (``differences``).
- :mod:`~workbench.causal.effect`: :func:`estimate_effect`, DoWhy identify -> estimate ->
  refute; :mod:`~workbench.causal.committee`: the committee-relevance question on trades.
- :mod:`~workbench.causal.series`: activity panels and control series; the COVID-19 briefing.
- :mod:`~workbench.causal.findings`: findings and planted-vs-recovered tables for reports.
"""

from __future__ import annotations

from workbench._lazy import lazy_getattr

_EXPORTS = {
    "ImpactResult": "workbench.causal.impact",
    "causal_impact": "workbench.causal.impact",
    "PlaceboResult": "workbench.causal.placebo",
    "placebo_test": "workbench.causal.placebo",
    "SynthControlResult": "workbench.causal.synth",
    "synthetic_control": "workbench.causal.synth",
    "DiDResult": "workbench.causal.did",
    "difference_in_differences": "workbench.causal.did",
    "panel_from_wide": "workbench.causal.did",
    "StaggeredResult": "workbench.causal.staggered",
    "staggered_did": "workbench.causal.staggered",
    "EffectResult": "workbench.causal.effect",
    "estimate_effect": "workbench.causal.effect",
    "committee_frame": "workbench.causal.committee",
    "committee_effect": "workbench.causal.committee",
    "trade_abnormal_returns": "workbench.causal.committee",
    "COVID_BRIEFING": "workbench.causal.series",
    "EventSpec": "workbench.causal.series",
    "activity_panel": "workbench.causal.series",
    "activity_inputs": "workbench.causal.series",
    "group_outcomes": "workbench.causal.series",
    "price_inputs": "workbench.causal.series",
    "match_politicians": "workbench.causal.series",
}

__all__ = sorted(_EXPORTS)

__getattr__ = lazy_getattr(__name__, _EXPORTS)
