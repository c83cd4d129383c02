"""estimate_effect (DoWhy) with fixed effects, refuters, and the committee-relevance frame."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from naive_causal import ols_with_dummies

from workbench.causal.committee import committee_effect, committee_frame
from workbench.causal.effect import REFUTERS, estimate_effect
from workbench.factors.inputs import entry_sessions


def _confounded(seed, effect, n=1500, groups=40):
    """Trader effects drive both treatment and outcome: only within-trader comparison is right."""
    rng = np.random.default_rng(seed)
    g = rng.integers(0, groups, n)
    fe = rng.normal(0, 0.05, groups)[g]
    t = rng.random(n) < 1 / (1 + np.exp(-fe / 0.02))
    x = rng.normal(size=n)
    y = effect * t + fe + 0.01 * x + rng.normal(0, 0.03, n)
    return pd.DataFrame({"treated": t, "y": y, "politician": [f"p{i}" for i in g], "x": x,
                         "sector": rng.choice(["a", "b", "c"], n)})


@pytest.mark.parametrize("effect", [0.0, 0.01])
def test_fixed_effects_estimate_equals_dummy_regression(seed, effect):
    df = _confounded(seed, effect)
    res = estimate_effect(df, "treated", "y", ["x"], fixed_effects="politician",
                          num_simulations=10, random_state=seed)
    ref = ols_with_dummies(df.assign(treated=df["treated"].astype(float)), "treated", "y",
                           "politician", numeric=["x"])
    assert res.estimate["effect"] == pytest.approx(ref, abs=1e-10)
    lo = res.estimate["effect"] - 3 * res.estimate["se_clustered"]
    hi = res.estimate["effect"] + 3 * res.estimate["se_clustered"]
    assert lo <= effect <= hi
    assert list(res.refutations["refuter"]) == list(REFUTERS)
    # Placebo: the effect vanishes; random cause and subsets: it does not move.
    ref_rows = res.refutations.set_index("refuter")
    se = res.estimate["se_clustered"]
    assert abs(ref_rows.loc["placebo_treatment_refuter", "new_effect"]) < 3 * se
    for r in ("random_common_cause", "data_subset_refuter"):
        assert ref_rows.loc[r, "new_effect"] == pytest.approx(res.estimate["effect"], abs=se)
    assert res.to_frame()["refuter"].iloc[0] == "estimate" and len(res.to_frame()) == 4


def test_without_fixed_effects_the_confounded_estimate_is_biased(seed):
    df = _confounded(seed, 0.0, n=3000)
    naive = estimate_effect(df, "treated", "y", ["x"], refuters=(), random_state=seed)
    fe = estimate_effect(df, "treated", "y", ["x"], fixed_effects="politician", refuters=(),
                         random_state=seed)
    assert naive.estimate["low"] > 0.005        # trader effects leak into the naive estimate
    assert abs(fe.estimate["effect"]) < 3 * fe.estimate["se_clustered"]


def test_categorical_common_causes_are_encoded(seed):
    df = _confounded(seed, 0.01)
    res = estimate_effect(df, "treated", "y", ["x", "sector"], fixed_effects="politician",
                          refuters=("placebo_treatment_refuter",), num_simulations=5)
    ref = ols_with_dummies(pd.concat([df.assign(treated=df["treated"].astype(float)),
                                      pd.get_dummies(df["sector"], drop_first=True, dtype=float)],
                                     axis=1), "treated", "y", "politician", numeric=["x", "b", "c"])
    assert res.estimate["effect"] == pytest.approx(ref, abs=1e-10)
    with pytest.raises(ValueError):
        estimate_effect(df, "treated", "y", ["nope"])


def test_committee_frame_enters_after_disclosure(small):
    frame = committee_frame(small, horizon=10)
    assert len(frame) > 100 and frame["committee_relevant"].dtype == bool
    # Entry session = first session after the disclosure date (no look-ahead).
    exp = entry_sessions(frame, entry="disclosure")
    assert (frame["entry_date"].to_numpy() == exp.to_numpy()).all()
    assert (frame["entry_date"] > frame["disclosure_date"]).all()


def test_committee_effect_within_trader_is_null(small):
    """Nothing is planted on relevance within a trader (informed traders earn on every buy)."""
    frame = committee_frame(small, horizon=10)
    res = committee_effect(frame, num_simulations=5)
    e = res.estimate
    assert abs(e["effect"]) <= 3 * e["se_clustered"]
    assert e["n_groups"] == frame["politician"].nunique()
