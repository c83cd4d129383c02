"""Callaway-Sant'Anna via differences: group-time effects equal plain 2x2 means; under
dynamic effects TWFE is biased and the group-time average is not."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.causal.staggered import staggered_did


def _staggered(seed, units=90, periods=24, dynamic=0.0):
    rng = np.random.default_rng(seed)
    idx = pd.bdate_range("2019-01-07", periods=periods, freq="W-MON")
    cohort = np.select([np.arange(units) < units // 3, np.arange(units) < 2 * units // 3],
                       [8, 15], -1)
    rows = []
    for i in range(units):
        a = rng.normal()
        for t in range(periods):
            on = cohort[i] >= 0 and t >= cohort[i]
            eff = (1.0 + dynamic * (t - cohort[i])) if on else 0.0
            rows.append((f"u{i}", idx[t], a + 0.05 * t + eff + rng.normal(0, 0.5)))
    panel = pd.DataFrame(rows, columns=["unit", "period", "outcome"])
    adoption = pd.Series({f"u{i}": idx[c] for i, c in enumerate(cohort) if c >= 0})
    return panel, adoption, idx


def test_group_time_effects_are_the_2x2_means(seed):
    panel, adoption, idx = _staggered(seed)
    res = staggered_did(panel, adoption)
    wide = panel.pivot(index="period", columns="unit", values="outcome")
    never = [u for u in wide.columns if u not in adoption.index]
    for g in (8, 15):
        members = adoption.index[adoption == idx[g]]
        for t in (g, g + 3, g - 3):
            base = g - 1 if t >= g else t - 1     # varying base period before treatment
            manual = ((wide.loc[idx[t], members] - wide.loc[idx[base], members]).mean()
                      - (wide.loc[idx[t], never] - wide.loc[idx[base], never]).mean())
            row = res.group_time[(res.group_time["cohort"] == idx[g])
                                 & (res.group_time["period"] == idx[t])]
            assert row["att"].iloc[0] == pytest.approx(manual, abs=1e-9)


def test_simple_att_covers_the_planted_effect(seed):
    panel, adoption, _ = _staggered(seed + 1)
    res = staggered_did(panel, adoption)
    assert res.att["low"] <= 1.0 <= res.att["high"]
    assert res.att["n_cohorts"] == 2
    pre = res.event.loc[res.event.index < 0]
    assert ((pre["low"] <= 0) & (0 <= pre["high"])).mean() >= 0.8
