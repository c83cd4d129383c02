"""Inputs of the causal questions: activity counts against a plain loop, controls chosen
without looking past the event, name matching."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.causal.series import activity_panel, group_outcomes, match_politicians, price_inputs
from workbench.data.calendar import roll_forward


def test_activity_panel_counts_like_a_loop(small):
    t = small.trades
    panel = activity_panel(t, side="sell", sessions=small.sessions())
    stock_sells = t[(t["side"] == "sell") & (t["asset_type"] == "stock")]
    for who in panel.columns[:5]:
        days = roll_forward(stock_sells.loc[stock_sells["politician"] == who,
                                            "transaction_date"])
        expect = pd.Series(1.0, index=pd.DatetimeIndex(days)).groupby(level=0).sum()
        got = panel[who][panel[who] > 0]
        pd.testing.assert_series_equal(got, expect.reindex(got.index), check_names=False,
                                       check_freq=False)
        assert panel[who].sum() == len(days)
    weekly = activity_panel(t, side="sell", sessions=small.sessions(), freq="week")
    assert weekly.to_numpy().sum() == panel.to_numpy().sum()
    assert (weekly.index.day_of_week == 4).all()


def test_group_outcomes_averages_the_group(small):
    panel = activity_panel(small.trades, side="buy", sessions=small.sessions(), freq="week")
    group = list(panel.columns[:3])
    out = group_outcomes(panel, group)
    np.testing.assert_allclose(out["treated group"], panel[group].mean(axis=1))
    assert not set(group) & set(out.columns[1:])


def test_price_controls_never_look_past_the_event(small):
    ev = small.truth.events.set_index("kind").loc["price_level"]
    y, X = price_inputs(small.prices, ev["ticker"], ev["date"], n_controls=10)
    scrambled = small.prices.copy()
    after = scrambled["date"] >= ev["date"]
    rng = np.random.default_rng(0)
    scrambled.loc[after, "adj_close"] *= rng.uniform(0.5, 1.5, int(after.sum()))
    _, X2 = price_inputs(scrambled, ev["ticker"], ev["date"], n_controls=10)
    assert list(X.columns) == list(X2.columns) and len(X.columns) == 10


def test_match_politicians():
    names = ["Jim Inhofe", "Kelly Loeffler", "David Perdue", "Thomas R Carper"]
    assert match_politicians(names, ["Loeffler", "inhofe"]) == ["Jim Inhofe", "Kelly Loeffler"]
    assert match_politicians(names, ["Carper"]) == ["Thomas R Carper"]
    assert match_politicians(names, ["Burr"]) == []
