"""Study tables, findings and figures on hand-made outcomes (no universe is generated)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from workbench.plotting.validation import plot_alpha_mde, plot_power_curve, plot_power_grid
from workbench.validation import Outcome
from workbench.validation.power import assemble, prepare
from workbench.validation.study import PowerStudy, format_size


def fake_curve(name, detected_by_size, trials=4, seeds=(1, 2)):
    """A PowerResult whose outcomes are given: ``{size: detected per seed}``."""
    det, sizes = prepare(name, sizes=list(detected_by_size))
    t_test = {}
    if name == "informed_calendar":   # a t-test: SE 0.05/yr, planted alpha = 12 x CAR
        t_test = {"se": 0.05, "df": 500.0}
    outcomes = {(det.name, s, sd): Outcome(trials, d, score=d / trials,
                                           **({"expected": 12 * s} | t_test if t_test else {}))
                for s in sizes for sd, d in zip(seeds, detected_by_size[s], strict=True)}
    return assemble((det, sizes), seeds, outcomes)


@pytest.fixture
def study():
    up = fake_curve("informed_calendar", {0.0: (0, 0), 0.01: (1, 1), 0.06: (1, 1)}, trials=1)
    down = fake_curve("leaders", {0.0: (4, 4), 8.0: (3, 3), math.inf: (0, 1)})
    return PowerStudy((up, down), (1, 2))


def test_mde_interpolation_and_null(study):
    up, down = study.curves
    # 0 -> 0.01: power 0 -> 1 (2 seeds x 1 trial): 80% at 0.008
    assert up.mde == pytest.approx(0.008)
    assert up.curve["power"].tolist() == [0.0, 1.0, 1.0]
    # leaders: from the infinite null, 1/8 -> 6/8 -> 8/8; 80% between 8 and 0 sessions
    assert list(down.curve["size"]) == [math.inf, 8.0, 0.0]
    assert down.mde == pytest.approx(8.0 - (0.8 - 0.75) / 0.25 * 8.0)
    assert down.mde_low <= down.mde <= down.mde_high or math.isnan(down.mde_low)
    fp = down.false_positive()
    assert (fp["trials"], fp["detected"], fp["holds_level"]) == (8, 1, True)
    assert up.is_monotone() and down.is_monotone()
    falling = fake_curve("informed_calendar", {0.0: (4, 4), 0.01: (0, 0)})
    assert not falling.is_monotone()
    assert not falling.false_positive()["holds_level"]     # 8/8 at the null


def test_tables_and_findings(study):
    mde = study.mde_table()
    assert list(mde["detector"]) == ["Informed traders, calendar-time portfolio",
                                     "Community leaders (lead-lag)"]
    assert mde["MDE (80% power)"].iloc[0] == "at least 9.6%"     # 0.008 x 12 /yr
    assert mde["MDE (80% power)"].iloc[1].startswith("at most ")
    fp = study.false_positive_table()
    assert fp["holds level"].tolist() == [True, True]
    assert fp["null"].tolist() == ["0", "no limit"]
    rows = study.planted_rows("realistic")
    assert [r["verdict"] for r in rows][0] == "recovered"       # default CAR 0.06: power 1
    assert rows[1]["verdict"] == "recovered"                    # default noise 0: power 1
    f = study.findings()
    assert len(f) == 3 and f[-1].verdict == "not significant"
    assert "at least 9.6%" in f[0].headline
    assert study.provenance.set_index("item").loc["seeds", "value"] == "1, 2"


def test_dial_without_a_true_null_is_left_out_of_the_false_positive_verdict():
    """A detector found at its dial's null (the dial does not remove what it detects) gives
    no MDE and no false-positive rate: the verdict covers the others and names it."""
    up = fake_curve("informed_calendar", {0.0: (0, 0), 0.01: (1, 1), 0.06: (1, 1)}, trials=1)
    always = fake_curve("leaders", {0.0: (4, 4), 8.0: (4, 4), math.inf: (4, 4)})
    study = PowerStudy((up, always), (1, 2))
    f = study.findings()
    assert "gives no MDE" in f[1].headline
    assert f[-1].verdict == "not significant"
    assert "every detector with a true null" in f[-1].headline
    assert "Left out: Community leaders (lead-lag)" in f[-1].detail
    assert study.planted_rows("realistic")[1]["detail"].startswith("no MDE")
    assert study.planted_rows("realistic")[0]["detail"].startswith("MDE ")
    assert study.mde_table()["MDE (80% power)"].iloc[1].startswith("not defined")


def test_format_size():
    assert format_size(0.123456, "planted alpha (%/yr)") == "12.3%"
    assert format_size(math.inf) == "no limit"
    assert format_size(float("nan")) == "beyond the sizes run"
    assert format_size(0.0001234) == "0.000123"


def test_figures(study):
    up, down = study.curves
    fig = plot_power_curve(up)
    assert fig.data[0].y.tolist() == [0.0, 1.0, 1.0]
    assert len(fig.data) == 2                           # rate and the closed form
    assert fig.data[1].y[0] == pytest.approx(0.05)      # the test's level at the null
    assert up.curve["closed_form_power"].iloc[-1] == pytest.approx(1.0)   # 0.72/0.05 = 14 SE
    xs = [s.x0 for s in fig.layout.shapes if s.type == "line" and s.x0 == s.x1]
    assert up.mde * up.detector.display_scale in xs
    g = plot_power_grid(study, cols=2)
    assert len(g.layout.annotations) == 2
    ticks = [ax.ticktext for ax in (g.layout.xaxis, g.layout.xaxis2) if ax.ticktext]
    assert ticks and ticks[0][0] == "null"


def test_alpha_mde_figure():
    import pandas as pd

    from workbench.data.calendar import trading_days
    from workbench.validation.realdata import alpha_mde

    rng = np.random.default_rng(0)
    idx = trading_days("2016-01-04", "2019-12-31")
    f = pd.DataFrame(rng.normal(0, 0.01, (len(idx), 5)),
                     columns=["Mkt-RF", "SMB", "HML", "RMW", "CMA"], index=idx).assign(RF=0.0)
    y = f["Mkt-RF"] + rng.normal(0, 0.01, len(idx))
    res = alpha_mde(y, f, n_boot=300)
    fig = plot_alpha_mde(res)
    assert [t.name for t in fig.data] == ["95% interval", "block bootstrap",
                                          "normal approximation"]
    assert fig.layout.shapes[-1].x0 == pytest.approx(100 * res.mde)
    empty = plot_alpha_mde(None)          # no real data: a figure that says so
    assert not empty.data and "No real-data store" in empty.layout.annotations[0].text


def test_every_registered_detector_is_well_formed():
    """Names, dials, nulls among the study sizes, and a run function pickled by reference."""
    import pickle

    from workbench.synthetic.truth import SynthParams
    from workbench.validation import detector_names, get_detector

    names = detector_names()
    assert {"informed_politician", "informed_calendar", "cycles_weekly", "regimes",
            "change_points", "communities", "leaders", "squeezes", "motifs", "anomalies",
            "event_sells", "volatility_forecast"} <= set(names)
    for name in names:
        d = get_detector(name)
        assert d.param in SynthParams.__dataclass_fields__
        assert d.null in d.sizes and d.null in d.smoke_sizes, name
        default = getattr(SynthParams(), d.param)
        assert min(d.sizes) <= default <= max(d.sizes) or d.param == "event_sell_factor", name
        assert pickle.loads(pickle.dumps(d)).name == name


def test_detected_at_the_null_gives_no_mde():
    """A dial whose null still shows the effect (e.g. volatility forecasts at an equal-volatility
    regime spread) gets no MDE: the table and the finding say so instead of "at least 0"."""
    flat = fake_curve("volatility_forecast", {0.0: (1, 1), 0.5: (1, 1), 1.0: (1, 1)}, trials=1)
    study = PowerStudy((flat,), (1, 2))
    assert flat.mde == 0.0                                   # the crossing is at the null
    assert study.mde_table()["MDE (80% power)"].iloc[0] == (
        "not defined (detected at the null: 100%)")
    text = study.findings()[0].headline
    assert "including the dial's null" in text and "no MDE" in text and "at least 0" not in text
