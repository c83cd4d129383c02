"""The report's study on the small synthetic universe: findings, recovery rows, figures."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from workbench.causal.findings import causal_findings, causal_recovery
from workbench.causal.study import resolve_event, run_causal_study
from workbench.plotting import causal as plots


@pytest.fixture(scope="module")
def study(small, seed):
    return run_causal_study(small, smoke=True, random_state=seed)


def test_study_runs_every_method(study, small):
    ev = small.truth.events.set_index("kind")
    assert study.event_date == ev.at["intensity", "date"]
    assert set(study.group) == set(ev.at["intensity", "group"].split(","))
    assert study.ticker == ev.at["price_level", "ticker"]
    for name in ("activity", "placebo", "synth_activity", "did", "price", "synth_price",
                 "effect", "effect_naive"):
        assert getattr(study, name) is not None, (name, study.skipped)
    table = study.to_frame()
    assert len(table) == 7 and (table["low"] <= table["high"]).all()


def test_findings_and_recovery(study, small):
    findings = causal_findings(study)
    assert findings[0].headline.startswith("After ") and findings[0].verdict == "significant"
    rows = {r["detector"]: r for r in causal_recovery(study, small.truth)}
    assert rows["causal impact: selling after the event"]["verdict"] == "recovered"
    assert rows["DoWhy: committee relevance within trader"]["verdict"] in (
        "recovered", "not recovered")
    assert causal_recovery(study, None) == []


def test_resolve_event_with_parameters(small):
    date, group, note = resolve_event(small, "2020-03-02", "Prescott")
    assert date.strftime("%Y-%m-%d") == "2020-03-02"
    assert group and all(g.endswith("Prescott") for g in group)
    assert "parameter" in note


def test_figures(study):
    figs = [plots.plot_impact(study.activity, tail=30), plots.plot_placebo(study.placebo),
            plots.plot_synth_paths(study.synth_price), plots.plot_synth_weights(study.synth_price),
            plots.plot_event_study(study.did)]
    for fig in figs:
        assert isinstance(fig, go.Figure) and len(fig.data) >= 1
    impact = figs[0]
    names = {t.name for t in impact.data}
    assert {"observed", "counterfactual"} <= names
    n_weights = len(figs[3].data[0].x)
    assert n_weights == min(15, len(study.synth_price.weights))
    placeholder = plots.plot_impact(None, title="nothing")
    assert placeholder.layout.annotations[0].text.startswith("not run")
