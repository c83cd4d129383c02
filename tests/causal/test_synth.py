"""Synthetic control: weights against an exact QP, batched placebos against the per-donor loop,
recovery of the planted effects."""

from __future__ import annotations

import numpy as np
import pytest
from naive_causal import simplex_weights

from workbench.causal.series import activity_panel, group_outcomes
from workbench.causal.synth import (
    fit_weights,
    placebo_weights,
    placebo_weights_loop,
    synthetic_control,
)


def _paths(rng, T, U):
    Y = rng.standard_normal((T, U)).cumsum(axis=0) * 0.02 + rng.standard_normal((1, U))
    return Y - Y.mean(axis=0)


@pytest.mark.parametrize("T,U", [(30, 4), (60, 12), (120, 40)])
def test_weights_match_an_exact_simplex_qp(seed, T, U):
    rng = np.random.default_rng(seed)
    Y = _paths(rng, T, U + 1)
    w = fit_weights(Y[:, 0], Y[:, 1:])
    ref = simplex_weights(Y[:, 0], Y[:, 1:])
    assert w.min() >= 0 and w.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(w, ref, atol=1e-5)
    # The objective is no worse than the exact optimum's (up to the penalty's slack).
    obj = lambda v: np.sum((Y[:, 0] - Y[:, 1:] @ v) ** 2)  # noqa: E731
    assert obj(w) <= obj(ref) * (1 + 1e-6) + 1e-12


@pytest.mark.parametrize("T,U", [(20, 3), (50, 8), (150, 40), (250, 101)])
def test_batched_placebos_equal_the_loop(seed, T, U):
    rng = np.random.default_rng(seed + U)
    Y = _paths(rng, T, U)
    Wb, Wl = placebo_weights(Y), placebo_weights_loop(Y)
    np.testing.assert_allclose(Wb, Wl, atol=1e-6)
    assert np.all(np.diag(Wb) == 0)
    np.testing.assert_allclose(Wb.sum(axis=1), 1.0, atol=1e-12)


def test_loop_and_batched_give_the_same_result(small):
    ev = small.truth.events.set_index("kind").loc["price_level"]
    logp = np.log(small.prices_wide("adj_close"))
    a = synthetic_control(logp, ev["ticker"], ev["date"], pre=120, post=20, center="last")
    b = synthetic_control(logp, ev["ticker"], ev["date"], pre=120, post=20, center="last",
                          placebo_method="loop")
    np.testing.assert_allclose(a.gaps.to_numpy(), b.gaps.to_numpy(), atol=1e-6)
    assert a.stats["p_value"] == b.stats["p_value"]


@pytest.mark.parametrize("which", ["small", "small_other"])
def test_planted_price_shift_is_recovered(which, request):
    u = request.getfixturevalue(which)
    ev = u.truth.events.set_index("kind").loc["price_level"]
    logp = np.log(u.prices_wide("adj_close"))
    # Log prices are random walks: index them to the eve of the event. 99% interval: the
    # ticker's own idiosyncratic drift after the event is part of the realized gap.
    res = synthetic_control(logp, ev["ticker"], ev["date"], pre=60, post=10, center="last",
                            alpha=0.01)
    s = res.stats
    assert s["low"] <= np.log1p(ev["size"]) <= s["high"]
    assert res.weights.sum() == pytest.approx(1.0)
    assert res.placebos["treated"].sum() == 1 and s["n_donors"] == logp.shape[1] - 1


@pytest.mark.parametrize("which", ["small", "small_other"])
def test_planted_selling_is_recovered(which, request):
    u = request.getfixturevalue(which)
    ev = u.truth.events.set_index("kind").loc["intensity"]
    group = ev["group"].split(",")
    weekly = activity_panel(u.trades, side="sell", sessions=u.sessions(), freq="week")
    res = synthetic_control(group_outcomes(weekly, group), "treated group", ev["date"],
                            pre=52, post=12)
    # Planted: added sells per group member per week of the window (60 sessions = 12 weeks).
    truth = ev["n_changed"] / len(group) / 12
    s = res.stats
    assert s["low"] <= truth <= s["high"]
