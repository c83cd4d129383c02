"""Detectors of the second wave: anomalies (issue 9), the planted causal event (issue 11) and
volatility forecasts (issue 10), each scored as its own tests score recovery.

Each runs on the universe its recovery tests use (named in ``base``), so its MDE is for that
universe: a shorter history than the default for all three (the anomaly features, the causal
fits and the walk-forward training are the costly parts).
"""

from __future__ import annotations

import math

from workbench.validation.detectors import Detector, Outcome, register_detector

__all__ = ["run_anomalies", "run_event_sells", "run_volatility_forecast", "ANOMALY_UNIVERSE",
           "EVENT_UNIVERSE", "FORECAST_UNIVERSE"]

# The universes of tests/anomalies (other seeds), tests/causal (sweep) and tests/forecast.
ANOMALY_UNIVERSE = {"start": "2016-01-04", "n_tickers": 60}
EVENT_UNIVERSE = {"start": "2019-01-02", "n_tickers": 60}
FORECAST_UNIVERSE = {"start": "2019-01-02", "n_tickers": 60}
FORECAST_TRAINER = {"hidden": 8, "heads": 2, "max_epochs": 8, "patience": 3, "batch_size": 256}


def run_anomalies(universe) -> Outcome:
    """Precision at k >= 0.7 of the anomaly ranking, k = the number planted.

    :func:`workbench.anomalies.detect_anomalies` (isolation forest on the disclosure-time
    features) and :func:`workbench.anomalies.precision_at_k`, as
    tests/anomalies/test_anomalies.py. Score: precision at k.
    """
    from workbench.anomalies import detect_anomalies, precision_at_k

    planted = universe.truth.anomalies
    res = detect_anomalies(universe, k=len(planted), n_explain=10)
    p = float(precision_at_k(res, planted)["precision_at_k"])
    return Outcome(1, int(p >= 0.7), score=p)


def run_event_sells(universe, level: float = 0.05) -> Outcome:
    """Causal impact of the planted event on the group's weekly stock sells: p < 0.05.

    :func:`workbench.causal.impact.causal_impact` on :func:`workbench.causal.series.
    activity_inputs` (others' sells and buys as controls, 12 post weeks), as
    tests/causal/test_sweep_recovery.py. Estimate: the cumulative effect (sells); expected:
    the sells the generator added. Score: the p-value.
    """
    from workbench.causal.impact import causal_impact
    from workbench.causal.series import activity_inputs

    ev = universe.truth.events.set_index("kind")
    if "intensity" not in ev.index:
        return Outcome(1, 0)
    it = ev.loc["intensity"]
    y, X = activity_inputs(universe.trades, it["group"].split(","), freq="week",
                           sessions=universe.sessions())
    stats = causal_impact(y, X, it["date"], post=12).stats
    return Outcome(1, int(stats["p_value"] < level), score=float(stats["p_value"]),
                   estimate=float(stats.get("cumulative_effect", math.nan)),
                   expected=float(it["n_changed"]))


def run_volatility_forecast(universe) -> Outcome:
    """The LSTM's volatility head beats trailing volatility out of sample: Diebold-Mariano
    p < 0.05 and QLIKE loss below 0.9 x the baseline's.

    Purged walk-forward (3 folds, purge 5) on 12 tickers with no planted price signal, the
    small trainer of tests/forecast/test_forecast_recovery.py (its volatility check; the
    direction-leakage check is not a recovery score). Score: the loss ratio.
    """
    from workbench.forecast.dataset import build_dataset
    from workbench.forecast.folds import PurgedWalkForward
    from workbench.forecast.walkforward import walk_forward

    truth = universe.truth
    planted = set(truth.informed_trades["ticker"].astype(str))
    planted |= set(truth.motifs["ticker"].astype(str)) if len(truth.motifs) else set()
    planted |= set(truth.squeezes["ticker"].astype(str)) if len(truth.squeezes) else set()
    tickers = [t for t in sorted(universe.prices["ticker"].astype(str).unique())
               if t not in planted][:12]
    data = build_dataset(universe.prices, horizon=5, window=21, tickers=tickers)
    res = walk_forward(data, PurgedWalkForward(3, purge=5), model="lstm",
                       trainer_params=FORECAST_TRAINER, random_state=0)
    vol = res.comparisons().set_index(["task", "loss", "baseline"]).loc[
        ("volatility", "QLIKE", "trailing")]
    ratio = float(vol["model_loss"] / vol["baseline_loss"])
    return Outcome(1, int(vol["dm_p"] < 0.05 and ratio < 0.9), score=ratio)


def _register() -> None:
    register_detector(Detector(
        "anomalies", "anomaly_magnitude", 0.0, True, run_anomalies,
        "precision at k >= 0.7 (k = anomalies planted)", label="Anomalous trades",
        sizes=(0.0, 0.25, 0.4, 0.55, 0.7, 1.0), smoke_sizes=(0.0, 0.5, 1.0),
        base=ANOMALY_UNIVERSE, unit="anomaly magnitude (1 = default)",
        modules=("workbench.anomalies", "workbench.features")))
    register_detector(Detector(
        "event_sells", "event_sell_factor", 1.0, True, run_event_sells,
        "causal impact on the group's weekly sells, p < 0.05",
        label="Causal event: group selling", sizes=(1.0, 1.25, 1.5, 1.75, 2.0, 3.0),
        smoke_sizes=(1.0, 2.0, 3.0), base=EVENT_UNIVERSE,
        unit="sell-intensity factor (3 = default)", modules=("workbench.causal",)))
    register_detector(Detector(
        "volatility_forecast", "regime_vol_spread", 0.0, True, run_volatility_forecast,
        "LSTM volatility beats trailing volatility: DM p < 0.05, QLIKE < 0.9x",
        label="Volatility forecast (LSTM)", sizes=(0.0, 0.25, 0.5, 0.75, 1.0),
        smoke_sizes=(0.0, 0.5, 1.0), base=FORECAST_UNIVERSE,
        unit="volatility spread exponent (1 = default)", modules=("workbench.forecast",)))


_register()
