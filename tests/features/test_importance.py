"""Importance and selection, the committee return test, and the figures built from them."""

from __future__ import annotations

import numpy as np

from workbench.features import committee_return_test, feature_importance, trade_features


def test_importance_uses_public_features_and_selects_one_per_cluster(small_universe):
    fs = trade_features(small_universe, groups=("time", "returns", "history"))
    r = feature_importance(fs, small_universe, n_repeats=2)
    t = r.table
    assert not t["feature"].str.endswith("_tx").any()
    assert (t["mutual_info"] >= 0).all()
    sel = t[t["selected"]]
    assert len(sel) >= 1 and sel["cluster"].is_unique
    # the selected feature of each cluster has the cluster's highest mutual information
    best = t.groupby("cluster")["mutual_info"].max()
    assert np.allclose(sel.set_index("cluster")["mutual_info"], best.loc[sel["cluster"]])
    s = r.summary()
    assert s["n_train"] > s["n_test"] > 100
    assert isinstance(s["beats_baseline"], bool)


def test_committee_return_test_and_figures(small_universe):
    import workbench.plotting.anomalies as pa
    import workbench.plotting.features as pf
    from workbench.data.committees import relevance_by_member

    ct = committee_return_test(small_universe)
    s = ct.summary()
    assert 0 < s["share_relevant"] < 1 and 0 <= s["p_welch"] <= 1 and 0 <= s["p_clustered"] <= 1
    assert s["ci_low"] <= s["difference"] <= s["ci_high"]
    assert np.isclose(s["difference"], s["mean_relevant"] - s["mean_other"])
    fs = trade_features(small_universe, groups=("time", "history"))
    assert len(pf.plot_catalog_summary(fs).data) == 2
    assert len(pf.plot_coverage(fs.coverage()).data) == 2
    bm = relevance_by_member(small_universe)
    fig = pa.plot_committee_share(bm, small_universe.legislators.set_index("bioguide_id")[
        "full_name"])
    assert len(fig.data[0].y) == min(30, len(bm))
