"""Real Senate disclosures (shared data): the January 2020 COVID-19 briefing group."""

from __future__ import annotations

import pytest

from workbench.causal.impact import causal_impact
from workbench.causal.series import COVID_BRIEFING, activity_inputs, match_politicians
from workbench.data.calendar import trading_days

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def senate(shared_path):
    from workbench.data import read_senate_daily_summaries

    return read_senate_daily_summaries(shared_path("senate/all_daily_summaries.json")).accepted


def test_briefing_group_sold_more_than_its_counterfactual(senate):
    group = match_politicians(senate["politician"].dropna().unique(), COVID_BRIEFING.politicians)
    # Burr and Feinstein have no electronic trade reports in this data (measured).
    assert sorted(g.split()[-1] for g in group) == ["Inhofe", "Loeffler"]
    sessions = trading_days("2014-01-02", "2020-06-30")
    y, X = activity_inputs(senate, group, side="sell", freq="week", sessions=sessions)
    res = causal_impact(y, X, COVID_BRIEFING.date, post=12)
    s = res.stats
    # Measured: 122 sells in 12 weeks against about 6 expected.
    assert s["actual_mean"] * s["n_post"] == 122
    assert s["cumulative_low"] > 50 and res.significant
