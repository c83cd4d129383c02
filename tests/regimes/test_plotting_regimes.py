"""Figure builders of the regime analyses."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from workbench.plotting.regimes import (
    plot_change_points,
    plot_regime_prices,
    plot_regime_probabilities,
    plot_transition_matrix,
)
from workbench.regimes import detect_change_points, fit_regimes


def test_regime_figures(seed):
    rng = np.random.default_rng(seed)
    sig = np.r_[np.full(150, 0.005), np.full(150, 0.02), np.full(150, 0.008)]
    r = pd.Series(rng.normal(0.0003, sig), index=pd.bdate_range("2019-01-01", periods=450))
    res = fit_regimes(r.to_frame("ret"), 2, n_restarts=1, random_state=seed)
    fig = plot_regime_prices((1 + r).cumprod(), res.history)
    assert isinstance(fig, go.Figure)
    assert len(fig.layout.shapes) == len(res.history)
    heat = plot_transition_matrix(res.transition)
    np.testing.assert_allclose(np.asarray(heat.data[0].z), res.transition.to_numpy())
    probs = plot_regime_probabilities(res.regimes)
    total = sum(np.asarray(tr.y) for tr in probs.data)
    np.testing.assert_allclose(total, 1.0, atol=1e-9)
    cps = detect_change_points(r)
    f = plot_change_points(r, cps)
    assert len(f.layout.shapes) == len(cps.change_points)
