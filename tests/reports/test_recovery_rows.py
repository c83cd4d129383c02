"""Planted-vs-recovered rows of the reports, on hand-made results with known answers: they
count what a detector found against what was planted (and say "not testable" or give the
misses rather than hide them)."""

from __future__ import annotations

import types

import numpy as np
import pandas as pd

from workbench.cycles.findings import cycle_recovery, deadline_finding
from workbench.regimes.findings import change_point_recovery, regime_recovery
from workbench.reports.findings import VERDICTS


def ns(**kw):
    return types.SimpleNamespace(**kw)


SESSIONS = pd.bdate_range("2019-01-01", periods=300)


def test_change_points_recall_and_precision():
    truth = ns(regimes=pd.DataFrame({"date": SESSIONS}),
               change_points=SESSIONS[[50, 120, 200]])
    found = ns(change_points=SESSIONS[[53, 118, 260, 261]])  # two hits, two false alarms
    (row,) = change_point_recovery(found, truth, tolerance=5)
    assert row["verdict"] == "partly recovered"
    assert "2 found within 5 sessions (recall 66.7%)" in row["recovered"]
    assert "4 detected, precision 50.0%" in row["recovered"]
    assert change_point_recovery(found, None) == []


def test_regime_labels_agreement():
    planted = ["bull"] * 150 + ["bear"] * 150
    truth = ns(regimes=pd.DataFrame({"date": SESSIONS, "name": planted}),
               regime_stats=pd.DataFrame({"name": ["bull", "bear"], "mu": [0.001, -0.001]}))
    found = ns(regimes=pd.DataFrame({"regime": ["bull"] * 150 + ["bear"] * 75 + ["bull"] * 75},
                                    index=SESSIONS))
    (row,) = regime_recovery(found, truth)
    assert "75.0% of 300 sessions" in row["recovered"] and row["verdict"] == "recovered"
    assert "bear: 50.0%" in row["detail"] and "bull: 100.0%" in row["detail"]


def test_cycles_recovered_missed_and_untestable():
    found = pd.DataFrame({"period": [21.5, 62.0, 5.0], "q_value": [0.001, 0.002, 0.2],
                          "significant": [True, True, False]})
    cycles = ns(to_frame=lambda: found, n_obs=600)
    truth = ns(cycles=pd.DataFrame({"name": ["weekly", "monthly", "quarterly", "election",
                                             "august_recess"],
                                    "period_days": [5, 21, 63, 504, 252],
                                    "amplitude": [0.25, 0.3, 0.35, 0.3, -0.5]}),
               params=ns(august_recess_factor=0.6))
    effects = ns(to_frame=lambda: pd.DataFrame({"term": ["month_Aug"], "estimate": [0.3],
                                                "ci_low": [0.2], "ci_high": [0.4],
                                                "p_value": [1e-6]}))
    rows = {r["detector"]: r for r in cycle_recovery(cycles, effects, truth)}
    assert rows["cycle: weekly"]["verdict"] == "not recovered"  # not significant
    assert rows["cycle: monthly"]["verdict"] == "recovered"
    assert rows["cycle: quarterly"]["verdict"] == "recovered"
    assert rows["cycle: election"]["verdict"] == "info"  # 600 sessions < 2 x 504
    assert "not testable" in rows["cycle: election"]["recovered"]
    assert rows["August recess (calendar effect)"]["verdict"] == "recovered"
    assert all(r["verdict"] in VERDICTS for r in rows.values())


def test_deadline_finding_says_deficit_not_pile_up():
    d = ns(rate_ratio=0.74, ci_low=0.67, ci_high=0.82, p_value=1e-8, late_share=0.06)
    f = deadline_finding(d)
    assert "a deficit (26.0% fewer), not a pile-up" in f.headline
    assert "x0.74 [x0.67, x0.82]" in f.headline and f.verdict == "significant"
    up = deadline_finding(ns(rate_ratio=1.3, ci_low=1.1, ci_high=1.5, p_value=0.001,
                             late_share=0.06))
    assert up.headline.endswith("a pile-up")
    none = deadline_finding(ns(rate_ratio=np.nan, ci_low=np.nan, ci_high=np.nan,
                               p_value=np.nan, late_share=np.nan))
    assert none.verdict == "info"
