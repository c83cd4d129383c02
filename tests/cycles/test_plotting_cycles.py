"""Figure builders of the cycle analyses."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from workbench.cycles import (
    decompose_seasonal,
    detect_cycles,
    estimate_calendar_effects,
    estimate_deadline_effect,
    forecast_cycles,
)
from workbench.data.calendar import trading_days
from workbench.plotting.cycles import (
    plot_activity,
    plot_calendar_effects,
    plot_deadline,
    plot_decomposition,
    plot_forecast,
    plot_periodogram,
)


def test_cycle_figures(seed):
    rng = np.random.default_rng(seed)
    idx = trading_days("2016-01-01", "2019-12-31")
    t = np.arange(len(idx))
    y = pd.Series(rng.poisson(np.exp(1.5 + 0.4 * np.cos(2 * np.pi * t / 21))), index=idx)
    res = detect_cycles(y)
    fig = plot_periodogram(res)
    assert isinstance(fig, go.Figure)
    assert [tr.name for tr in fig.data][:2] == ["power", "ar1 null (mean)"]
    assert fig.layout.xaxis.type == "log"
    cyc = next(tr for tr in fig.data if tr.name == "cycles")
    assert any(abs(p - 21) / 21 < 0.05 for p in cyc.x)
    dec = decompose_seasonal(y, periods=(5, 21))
    assert len(plot_decomposition(dec).data) == 2 + len(dec.periods) + 1
    eff = estimate_calendar_effects(y)
    assert len(plot_calendar_effects(eff).data[0].y) == len(eff.effects) - 1
    fc = forecast_cycles(y, res, horizon=21)
    assert len(plot_forecast(y, fc.forecast).data) == 4
    assert len(plot_activity(y.to_frame("total")).data) == 1
    trades = pd.DataFrame({"transaction_date": idx[:50], "disclosure_date": idx[:50] + pd.Timedelta(days=40)})
    assert plot_deadline(estimate_deadline_effect(trades)).data[0].y[40] == 50
