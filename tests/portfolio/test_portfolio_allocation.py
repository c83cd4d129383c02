"""Allocation rules against their defining properties, the agent's timing, the comparison."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.portfolio.agent import PolicyGradientAllocator, state_features
from workbench.portfolio.allocation import (
    mean_variance_weights,
    risk_contributions,
    risk_parity_weights,
)
from workbench.portfolio.compare import compare_allocations, drifted_targets


def random_cov(rng, n):
    a = rng.normal(size=(n, n))
    return a @ a.T / n + np.diag(rng.uniform(0.01, 0.1, n))


def test_risk_parity_equal_contributions(seed):
    rng = np.random.default_rng(seed)
    for n in (2, 5, 12):
        S = random_cov(rng, n)
        w = risk_parity_weights(S)
        assert w.sum() == pytest.approx(1.0) and (w > 0).all()
        np.testing.assert_allclose(risk_contributions(w, S), 1.0 / n, atol=1e-6)


def test_risk_parity_diagonal_is_inverse_vol():
    sd = np.array([0.1, 0.2, 0.4])
    w = risk_parity_weights(pd.DataFrame(np.diag(sd ** 2), index=list("abc"), columns=list("abc")))
    np.testing.assert_allclose(w.to_numpy(), (1 / sd) / (1 / sd).sum(), atol=1e-7)
    assert list(w.index) == list("abc")


def test_mean_variance_weights_bounds_and_tilt(seed):
    rng = np.random.default_rng(seed)
    r = pd.DataFrame(rng.normal(0.0, 0.01, (252, 6)), columns=list("abcdef"))
    r["a"] += 0.003                               # a much higher mean return
    w = mean_variance_weights(r, max_weight=0.35)
    assert w.sum() == pytest.approx(1.0, abs=1e-6)
    assert (w >= -1e-9).all() and (w <= 0.35 + 1e-6).all()
    assert w.idxmax() == "a"


def test_drifted_targets_match_loop(seed):
    rng = np.random.default_rng(seed)
    R = rng.normal(0, 0.02, (30, 3))
    dec = {2: np.array([0.5, 0.5, 0.0]), 10: np.array([0.2, 0.3, 0.5])}
    W = drifted_targets(dec, R)
    cur = np.zeros(3)
    for t in range(30):
        if t in dec:
            cur = dec[t]
        elif cur.any():
            cur = cur * (1 + R[t]) / (cur * (1 + R[t])).sum()
        np.testing.assert_allclose(W[t], cur, atol=1e-12)


def test_agent_uses_only_the_past(seed):
    """Allocations decided at t do not change when returns after t are replaced."""
    rng = np.random.default_rng(seed)
    T, k = 400, 6
    R = rng.normal(0.0003, 0.015, (T, k))
    sel = np.ones((T, k), dtype=bool)
    rows = np.arange(150, T, 21)
    agent = PolicyGradientAllocator(hold=21, refit_every=63, train_window=200, steps=30)
    a = agent.allocate(R, sel, rows)
    cut = 300
    R2 = R.copy()
    R2[cut + 1:] = rng.normal(0.0, 0.05, (T - cut - 1, k))
    b = PolicyGradientAllocator(hold=21, refit_every=63, train_window=200,
                                steps=30).allocate(R2, sel, rows)
    early = rows <= cut
    np.testing.assert_allclose(a[early], b[early], atol=1e-6)
    np.testing.assert_allclose(a.sum(axis=1), 1.0, atol=1e-6)
    assert len(agent.losses_) >= 2
    f = state_features(R)
    assert f[62, 0, 2] != f[62, 0, 2]                    # 63-session return needs 63 sessions
    assert f[63, 0, 2] == pytest.approx(np.log1p(R[1:64, 0]).sum())


def test_compare_allocations_equal_weight_path(small_universe):
    u = small_universe
    c = compare_allocations(u.trades, u.prices, u.factors, top_n=5, lookback=63,
                            agent=PolicyGradientAllocator(hold=21, steps=20))
    assert set(c.metrics.index) == {"equal", "mean_variance", "risk_parity", "agent"}
    eq = c.results["equal"]
    held = eq.weights.to_numpy()
    on = held.sum(axis=1) > 0
    np.testing.assert_allclose(held[on].sum(axis=1), 1.0, atol=1e-9)
    # costs are charged: net = gross - cost, equity compounds net
    np.testing.assert_allclose(eq.returns, eq.gross_returns - eq.costs, atol=1e-12)
    assert c.metrics.loc["equal", "total_cost"] > 0
    assert c.n_trials == 4 and c.metrics["dsr"].between(0, 1).all()
    assert len(c.findings()) == 3


def test_allocation_figures(small_universe):
    from workbench.plotting.portfolio import allocation_table, plot_allocation_equity

    u = small_universe
    c = compare_allocations(u.trades, u.prices, u.factors, top_n=4, lookback=63,
                            agent=PolicyGradientAllocator(hold=21, steps=5))
    fig = plot_allocation_equity(c)
    assert len(fig.data) == 4 and fig.data[0].y[0] == pytest.approx(1.0)
    t = allocation_table(c)
    assert list(t["method"])[:1] == ["equal weight"] and t["p vs equal"].iloc[0] == ""
