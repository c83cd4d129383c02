"""Figure builders of workbench.plotting.factors carry the numbers of their results."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.factors import (
    calendar_time_portfolio,
    compare_groups,
    fit_factor_model,
    group_portfolios,
)
from workbench.plotting import factors as pf


def test_factor_figures(market):
    trades, px, f = market
    g = group_portfolios(trades, px, by="party", side="buy", holding_days=10)
    fig = pf.plot_cumulative(g.returns)
    assert [t.name for t in fig.data] == ["Democrat", "Republican"]
    np.testing.assert_allclose(fig.data[0].y[-1],
                               (1 + g.returns["Democrat"].fillna(0)).prod() - 1)
    cmp = compare_groups(g.returns, f, "capm")
    ex = pf.plot_exposures(cmp)
    assert len(ex.data) == 2 and list(ex.data[0].x) == ["alpha", "Mkt-RF"]
    fit = fit_factor_model(calendar_time_portfolio(trades, px, "buy", 10).returns, f, "ff3")
    wf = pf.plot_attribution(fit)
    assert wf.data[0].y[-1] == pytest.approx(fit.attribution["total"])
