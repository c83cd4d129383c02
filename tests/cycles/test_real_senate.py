"""Real Senate disclosures (shared data): the monthly filing cycle by disclosure date."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.cycles import detect_cycles, estimate_deadline_effect, trade_activity

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def senate(shared_path):
    from workbench.data import read_senate_daily_summaries

    return read_senate_daily_summaries(shared_path("senate/all_daily_summaries.json")).accepted


def test_disclosures_follow_a_monthly_cycle(senate):
    act = trade_activity(senate, date="disclosure_date", start="2014-01-02",
                         end="2020-12-31")["total"]
    sig = detect_cycles(act).significant
    assert len(sig) >= 1
    assert np.abs(sig["period"].iloc[0] - 21.0) / 21.0 < 0.05  # measured 20.99 sessions
    assert sig["calendar_label"].iloc[0] == "monthly"


def test_late_share_matches_documented_quirk(senate):
    res = estimate_deadline_effect(senate)
    assert 0.04 <= res.late_share <= 0.08  # README: about 6% disclosed after 45 days
