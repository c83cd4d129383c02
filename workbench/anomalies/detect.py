"""detect_anomalies: score every priced stock trade, flag, guess the kind, explain with SHAP.

The detector (:class:`~workbench.anomalies.detector.AnomalyDetector`) reads the public features
of :data:`DETECTOR_FEATURES` (all known at the disclosure: nothing here uses a ``*_tx``
feature), grouped by the kind of anomaly they speak to. By default it is fitted on all the
trades it scores (a retrospective screen of the record); ``walk_forward=True`` instead fits on
the trades disclosed before each calendar year and scores that year (what could have been
flagged at the time).

Explanations come from shap's ``TreeExplainer`` on the isolation forest: the features whose
SHAP values push the trade's path length down the most (most anomalous), with the trade's value
and the politician's usual (median) value. The kind guess is the kind whose features carry the
largest total SHAP contribution.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.anomalies.detector import COMPONENTS, AnomalyDetector

__all__ = ["AnomalyResult", "detect_anomalies", "DETECTOR_FEATURES", "KIND_OF", "precision_at_k"]

DETECTOR_FEATURES = {
    "amount": ("log_amount_mid", "log_amount_minus_own_median"),
    "lag": ("log_lag", "lag_minus_own_median"),
    "timing": ("signed_abn_first_after_tx", "abn_first_after_tx"),
    "ticker": ("pol_first_time_ticker", "pol_ticker_share"),
    "committee": ("committee_relevant", "pol_committee_share_prior"),
}
KIND_OF = {f: k for k, fs in DETECTOR_FEATURES.items() for f in fs}
_GROUPS = ("time", "returns", "liquidity", "disclosure_flow", "history", "committee")


@dataclass(frozen=True)
class AnomalyResult:
    """Scored trades, the flagged ones with explanations, and late filers.

    Attributes
    ----------
    table : DataFrame
        One row per scored trade, by decreasing score: ``trade_id, politician, ticker,
        transaction_date, disclosure_date, score, rank`` (1 = most unusual), ``flagged``,
        ``in_top_k``, ``kind`` (guess), ``explanation``, the three component percentiles.
    shap_values : DataFrame
        SHAP values of the isolation forest for the top-k trades (rows) by feature; negative
        values make a trade more anomalous (shorter paths).
    features : DataFrame
        The detector's inputs for the scored trades (indexed by trade_id).
    late_trades : DataFrame
        Trades disclosed after the 45-day deadline.
    late_filers : DataFrame
        Politicians by lateness: trades, late share, median lag, and a test of whether their
        latest year's late share is unusual against their own earlier record.
    k : int
    threshold : float
    """

    table: pd.DataFrame
    shap_values: pd.DataFrame
    features: pd.DataFrame
    late_trades: pd.DataFrame
    late_filers: pd.DataFrame
    k: int
    threshold: float

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def top(self, n: int | None = None) -> pd.DataFrame:
        return self.table.head(self.k if n is None else n)

    def summary(self) -> pd.Series:
        t = self.table
        return pd.Series({"scored": len(t), "k": self.k, "flagged": int(t["flagged"].sum()),
                          "flagged_share": float(t["flagged"].mean()) if len(t) else np.nan,
                          "threshold": self.threshold,
                          "late_trades": len(self.late_trades),
                          "late_filers_unusual": int(self.late_filers["unusual"].sum())
                          if len(self.late_filers) else 0})


def precision_at_k(result: AnomalyResult, planted: pd.DataFrame, k: int | None = None) -> dict:
    """Precision of the top-k against planted anomalies (``trade_id, kind``), recall per kind."""
    k = result.k if k is None else k
    top = set(result.table["trade_id"].head(k))
    hit = planted["trade_id"].isin(top)
    flagged = set(result.table.loc[result.table["flagged"], "trade_id"])
    per_kind = planted.assign(hit=hit, flagged=planted["trade_id"].isin(flagged)).groupby(
        "kind")[["hit", "flagged"]].mean()
    return {"precision_at_k": float(hit.sum() / max(k, 1)), "recall_top_k": per_kind["hit"],
            "recall_flagged": per_kind["flagged"]}


def _explain(values: pd.DataFrame, shap_row: pd.Series, usual: pd.Series, n: int = 3) -> str:
    parts = []
    for f in shap_row.sort_values().index[:n]:
        v, u = values[f], usual.get(f, np.nan)
        parts.append(f"{f} = {v:.3g} (usual {u:.3g})")
    return "; ".join(parts)


def detect_anomalies(universe, *, k: int | None = None, contamination: float = 0.01,
                     features=None, as_of=None, walk_forward: bool = False,
                     detector: AnomalyDetector | None = None, random_state: int = 0,
                     n_explain: int | None = None) -> AnomalyResult:
    """Score, flag and explain unusual stock trades (module docstring).

    Parameters
    ----------
    universe : Universe
    k : int, optional
        Size of the top list (default ``contamination`` times the trades scored, at least 1).
    contamination : float
        Expected share of anomalies; sets the default ``k``.
    features : FeatureSet, optional
        Precomputed :func:`workbench.features.trade_features` (else computed for the groups
        the detector reads).
    as_of : date-like, optional
        Only trades disclosed on or before it (and data up to it).
    walk_forward : bool
        Fit on trades disclosed before each calendar year, score that year (the first year
        with too little history is fitted in-sample and says so in ``table["fit"]``).
    detector : AnomalyDetector, optional
        Unfitted detector to use (default ``AnomalyDetector(random_state=random_state)``).
    n_explain : int, optional
        Top trades explained with SHAP (default ``k``); the others get no kind or text.
    """
    from workbench.features import trade_features

    if features is None:
        features = trade_features(universe, as_of=as_of, groups=_GROUPS)
    trades = universe.trades.set_index("trade_id")
    if as_of is not None:
        trades = trades[pd.to_datetime(trades["disclosure_date"]) <= pd.Timestamp(as_of)]
    cols = [c for fs in DETECTOR_FEATURES.values() for c in fs if c in features.frame.columns]
    priced = set(universe.prices["ticker"].astype(str))
    pool = trades[(trades["asset_type"] == "stock") & trades["ticker"].astype(str).isin(priced)
                  & trades["disclosure_date"].notna()]
    pool = pool.loc[pool.index.intersection(features.frame.index)]
    X = features.frame.loc[pool.index, cols]
    X = X.loc[:, X.notna().any()]
    groups = pool[["politician", "ticker"]].astype(str)
    make = (lambda: AnomalyDetector(random_state=random_state)) if detector is None else (
        lambda: _clone(detector))
    fit_label = pd.Series("in-sample", index=X.index)
    if walk_forward:
        comp, flagged, det = _walk_forward(X, groups, pool, make, fit_label)
    else:
        det = make().fit(X, groups=groups)
        comp = det.components(X, groups=groups)
        flagged = (comp[[f"{n}_z" for n in COMPONENTS]].median(axis=1) > det.threshold)
    score = comp[[f"{n}_pct" for n in COMPONENTS]].mean(axis=1)
    k = max(1, int(round(contamination * len(X)))) if k is None else int(k)
    order = score.sort_values(ascending=False, kind="stable").index
    table = pd.DataFrame({
        "trade_id": order, "politician": pool.loc[order, "politician"].to_numpy(),
        "ticker": pool.loc[order, "ticker"].to_numpy(),
        "transaction_date": pool.loc[order, "transaction_date"].to_numpy(),
        "disclosure_date": pool.loc[order, "disclosure_date"].to_numpy(),
        "score": score.loc[order].to_numpy(), "rank": np.arange(1, len(order) + 1),
        "flagged": flagged.loc[order].to_numpy(dtype=bool),
        "in_top_k": np.arange(len(order)) < k, "fit": fit_label.loc[order].to_numpy()})
    for n in COMPONENTS:
        table[f"{n}_pct"] = comp.loc[order, f"{n}_pct"].to_numpy()
    n_exp = k if n_explain is None else int(n_explain)
    explain_ids = list(order[:n_exp])
    shap_df = _shap_values(det, X.loc[explain_ids])
    usual = X.groupby(groups["politician"]).median()
    kind = pd.Series("", index=order, dtype=object)
    text = pd.Series("", index=order, dtype=object)
    for tid in explain_ids:
        row = shap_df.loc[tid]
        contrib = (-row).clip(lower=0).groupby(row.index.map(KIND_OF)).sum()
        kind[tid] = str(contrib.idxmax()) if contrib.max() > 0 else "unclear"
        text[tid] = _explain(X.loc[tid], row, usual.loc[pool.at[tid, "politician"]])
    table["kind"] = kind.loc[order].to_numpy()
    table["explanation"] = text.loc[order].to_numpy()
    from workbench.anomalies.late import late_filers, late_trades

    return AnomalyResult(table=table, shap_values=shap_df, features=X,
                         late_trades=late_trades(trades.reset_index()),
                         late_filers=late_filers(trades.reset_index()), k=k,
                         threshold=float(det.threshold))


def _clone(det: AnomalyDetector) -> AnomalyDetector:
    return AnomalyDetector(**{k: getattr(det, k) for k in (
        "n_estimators", "hidden", "epochs", "min_group", "mad_floor", "threshold",
        "random_state")})


def _shap_values(det: AnomalyDetector, X: pd.DataFrame) -> pd.DataFrame:
    import shap

    if len(X) == 0:
        return pd.DataFrame(columns=X.columns, dtype=float)
    explainer = shap.TreeExplainer(det.forest_)
    vals = explainer.shap_values(det._matrix(X))
    return pd.DataFrame(np.asarray(vals, dtype=float), index=X.index, columns=X.columns)


def _walk_forward(X, groups, pool, make, fit_label):
    year = pd.to_datetime(pool["disclosure_date"]).dt.year
    comps, flags = [], []
    det = None
    for y in sorted(year.unique()):
        test = (year == y).to_numpy()
        train = (year < y).to_numpy()
        if train.sum() < 500:
            train = (year <= y).to_numpy()
            fit_label[test] = "in-sample (too little history)"
        else:
            fit_label[test] = f"fitted on disclosures before {y}"
        det = make().fit(X[train], groups=groups[train])
        c = det.components(X[test], groups=groups[test])
        comps.append(c)
        flags.append(c[[f"{n}_z" for n in COMPONENTS]].median(axis=1) > det.threshold)
    return pd.concat(comps).loc[X.index], pd.concat(flags).loc[X.index], det
