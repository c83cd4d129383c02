"""Recovery of planted anomalies (several seeds), the null false-positive rate, explanations,
the estimator contract and late filers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import DETECTOR_GROUPS, SMALL

from workbench.anomalies import AnomalyDetector, detect_anomalies, late_filers, precision_at_k
from workbench.exceptions import NotFittedError

STATED_FPR = 0.015     # AnomalyDetector docstring: threshold 5 flags at most 1.5% of null trades


@pytest.fixture(scope="module")
def result(universe, anomaly_features):
    return detect_anomalies(universe, features=anomaly_features, k=len(universe.truth.anomalies))


def test_precision_at_k_default_seed(result, universe, seed):
    planted = universe.truth.anomalies
    rec = precision_at_k(result, planted)
    print(f"seed {seed}: precision@{result.k} = {rec['precision_at_k']:.3f}\n"
          f"recall (top k) by kind:\n{rec['recall_top_k']}\nrecall (flagged):\n"
          f"{rec['recall_flagged']}")
    assert rec["precision_at_k"] >= 0.7
    assert (rec["recall_top_k"] >= 0.5).all()
    assert (rec["recall_flagged"] >= 0.9).all()


@pytest.mark.parametrize("offset", [1, 2])
def test_precision_at_k_other_seeds(seed, offset):
    from workbench.data import load_universe
    from workbench.features import trade_features

    u = load_universe("synthetic", seed=seed + offset, **SMALL)
    planted = u.truth.anomalies
    fs = trade_features(u, groups=DETECTOR_GROUPS)
    r = detect_anomalies(u, features=fs, k=len(planted), n_explain=10)
    rec = precision_at_k(r, planted)
    print(f"seed {seed + offset}: precision@{r.k} = {rec['precision_at_k']:.3f}")
    assert rec["precision_at_k"] >= 0.7


def test_null_universe_flags_within_stated_rate(seed):
    from workbench.data import load_universe
    from workbench.features import trade_features

    u = load_universe("synthetic", seed=seed, anomaly_rate=0.0, **SMALL)
    fs = trade_features(u, groups=DETECTOR_GROUPS)
    r = detect_anomalies(u, features=fs, n_explain=5)
    # the generator plants at least 3 anomalies even at rate 0: leave them out
    t = r.table[~r.table["trade_id"].isin(u.truth.anomalies["trade_id"])]
    share = t["flagged"].mean()
    print(f"null flagged share {share:.4f} (stated at most {STATED_FPR})")
    assert share <= STATED_FPR


def test_table_and_explanations(result):
    t = result.table
    assert list(t["rank"]) == list(range(1, len(t) + 1))
    assert t["score"].is_monotonic_decreasing and t["score"].between(0, 1).all()
    top = t.head(result.k)
    assert top["kind"].isin(["amount", "lag", "timing", "ticker", "committee"]).all()
    assert top["explanation"].str.contains("usual").all()
    assert set(result.shap_values.index) == set(top["trade_id"])
    # SHAP values of an isolation forest add up to the model output minus the base value:
    # the most anomalous trades have the most negative sums
    sums = result.shap_values.sum(axis=1).loc[top["trade_id"]]
    assert sums.iloc[:10].mean() < sums.iloc[-10:].mean()


def test_explained_kind_matches_planted_kind(result, universe):
    planted = universe.truth.anomalies.set_index("trade_id")["kind"]
    top = result.table.head(result.k).set_index("trade_id")
    both = top.index.intersection(planted.index)
    agree = (top.loc[both, "kind"] == planted.loc[both]).mean()
    print(f"kind guess agrees with the planted kind on {agree:.2%} of recovered anomalies")
    assert agree >= 0.8


def test_estimator_contract_and_determinism(anomaly_features, universe):
    X = anomaly_features.frame[["log_lag", "log_amount_mid", "abn_first_after_tx"]].iloc[:3000]
    det = AnomalyDetector(n_estimators=20, epochs=20, random_state=3)
    with pytest.raises(NotFittedError):
        det.score(X)
    assert det.fit(X) is det
    a = det.score(X)
    b = AnomalyDetector(n_estimators=20, epochs=20, random_state=3).fit(X).score(X)
    pd.testing.assert_series_equal(a, b)
    assert a.between(0, 1).all()


def test_late_filers_against_own_history():
    rows = []
    day = pd.Timestamp("2015-01-05")
    for year, lags in ((2015, [10] * 20), (2016, [10] * 20), (2017, [90] * 10 + [10] * 10)):
        for i, lag in enumerate(lags):
            tx = pd.Timestamp(f"{year}-02-01") + pd.Timedelta(days=i)
            rows.append({"politician": "A", "transaction_date": tx,
                         "disclosure_date": tx + pd.Timedelta(days=lag)})
    del day
    out = late_filers(pd.DataFrame(rows))
    row = out[(out["politician"] == "A") & (out["year"] == 2017)].iloc[0]
    assert row["n_late"] == 10 and row["reference"] == "own earlier years"
    assert row["unusual"] and row["p_value"] < 1e-6
    assert not out[out["year"] == 2016]["unusual"].any()
    assert np.isclose(row["reference_share"], 1 / 42)


def test_figures_and_findings(result, universe):
    import workbench.plotting.anomalies as pa
    from workbench.anomalies.findings import anomaly_findings, recovery_rows

    assert len(pa.plot_score_distribution(result).data) == 2
    bar = pa.plot_shap_bar(result)
    assert len(bar.data[0].x) == min(10, result.shap_values.shape[1])
    rows = recovery_rows(result, universe)
    assert {r["detector"].split(" ")[0] for r in rows} >= {"amount", "lag", "timing"}
    f = anomaly_findings(result, universe)
    assert any("Precision at k" in x.headline for x in f)


def test_walk_forward_fits_on_earlier_disclosures(seed):
    from workbench.data import load_universe
    from workbench.features import trade_features

    u = load_universe("synthetic", seed=seed, start="2018-01-02", n_tickers=60)
    fs = trade_features(u, groups=DETECTOR_GROUPS)
    r = detect_anomalies(u, features=fs, walk_forward=True, n_explain=5,
                         detector=AnomalyDetector(n_estimators=20, epochs=10))
    year = pd.to_datetime(r.table["disclosure_date"]).dt.year
    last = r.table[year == year.max()]
    assert (last["fit"] == f"fitted on disclosures before {year.max()}").all()
    assert r.table["score"].between(0, 1).all()
