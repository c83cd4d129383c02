"""Feature importance and selection against the forward abnormal return of each trade.

Target: the trade's signed market-adjusted return over ``horizon`` sessions after its entry
(the close of the session after the decision session, i.e. after the disclosure; see
:func:`workbench.features.history.trade_outcomes`) — strictly after every feature's date.
Only public features (no ``*_tx``) are used.

Split by time: trades sorted by disclosure date, the first ``1 - test_share`` train, the rest
test; training trades whose outcome is not complete before the first test decision session are
purged (no overlap of outcome windows). Imputation medians come from the training rows only.

- mutual information (scikit-learn's k-NN estimator) on the training rows, one row per distinct
  outcome (copies of a trade disclosed together would inflate it);
- permutation importance of a gradient-boosted model fitted on train, measured on test, with the
  model's test R^2 against the baseline of predicting the training mean, and a Diebold-Mariano
  test of their squared errors (losses averaged per decision date, ``horizon - 1`` Newey-West
  lags): the model "beats the baseline" only when its loss is lower at the 5% level;
- redundancy: features clustered by absolute Spearman correlation (average linkage, cut at
  ``1 - corr_threshold``); the selected subset keeps, per cluster, the feature with the highest
  mutual information, among those with positive information.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["ImportanceResult", "feature_importance"]


@dataclass(frozen=True)
class ImportanceResult:
    """Importance of each feature and the selected subset.

    Attributes
    ----------
    table : DataFrame
        ``feature, group, mutual_info, perm_importance, perm_std, cluster, selected`` sorted by
        mutual information.
    test_r2, baseline_r2 : float
        Out-of-sample R^2 of the gradient-boosted model and of the training-mean baseline (0 by
        construction up to the mean shift).
    dm_p : float
        One-sided Diebold-Mariano p-value for "the model's squared error is lower than the
        baseline's" on the test trades.
    n_train, n_test : int
    horizon : int
    """

    table: pd.DataFrame
    test_r2: float
    baseline_r2: float
    dm_p: float
    n_train: int
    n_test: int
    horizon: int

    @property
    def selected(self) -> list[str]:
        return self.table.loc[self.table["selected"], "feature"].tolist()

    @property
    def beats_baseline(self) -> bool:
        """Lower out-of-sample loss than the training mean, significant at 5% (DM test)."""
        return bool(self.test_r2 > self.baseline_r2 and self.dm_p < 0.05)

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> pd.Series:
        return pd.Series({"features": len(self.table), "clusters": self.table["cluster"].nunique(),
                          "selected": int(self.table["selected"].sum()),
                          "test_r2": self.test_r2, "baseline_r2": self.baseline_r2,
                          "dm_p": self.dm_p, "beats_baseline": self.beats_baseline,
                          "n_train": self.n_train, "n_test": self.n_test})


def feature_importance(features, universe, *, horizon: int = 21, test_share: float = 0.3,
                       max_train: int = 4000, corr_threshold: float = 0.8,
                       n_repeats: int = 3, random_state: int = 0) -> ImportanceResult:
    """Mutual information, permutation importance, redundancy clusters (module docstring)."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.feature_selection import mutual_info_regression
    from sklearn.inspection import permutation_importance
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):   # deterministic, and no OpenMP spinning on a busy machine
        return _importance(features, universe, horizon, test_share, max_train, corr_threshold,
                           n_repeats, random_state, fcluster, linkage, squareform,
                           HistGradientBoostingRegressor, mutual_info_regression,
                           permutation_importance)


def _importance(features, universe, horizon, test_share, max_train, corr_threshold, n_repeats,
                random_state, fcluster, linkage, squareform, HistGradientBoostingRegressor,
                mutual_info_regression, permutation_importance) -> ImportanceResult:
    from workbench.features.context import _wide, build_context
    from workbench.metrics.comparison import diebold_mariano
    from workbench.features.history import trade_outcomes

    ctx = build_context(universe)
    close = _wide(universe.prices, "adj_close", ctx.sessions, list(ctx.tickers)).to_numpy()
    y_all, known = trade_outcomes(ctx, close, horizon)
    y_all = pd.Series(y_all, index=ctx.trades["trade_id"].astype(str).to_numpy())
    known = pd.Series(known, index=y_all.index)
    dpos = pd.Series(ctx.dpos, index=y_all.index)
    X = features.public()
    ok = y_all.reindex(X.index).notna() & (features.frame.notna().mean(axis=1) > 0.5)
    X = X.loc[ok]
    order = dpos.loc[X.index].sort_values(kind="stable").index
    X, y = X.loc[order], y_all.loc[order]
    n_test = int(round(test_share * len(X)))
    test_idx = X.index[len(X) - n_test:]
    first_test = dpos.loc[test_idx].min()
    train_idx = X.index[: len(X) - n_test]
    train_idx = train_idx[(known.loc[train_idx] < first_test).to_numpy()]   # purge
    keep = X.loc[train_idx].notna().mean() > 0.5
    keep &= X.loc[train_idx].std() > 0
    X = X.loc[:, keep]
    med = X.loc[train_idx].median()
    Xtr, Xte = X.loc[train_idx].fillna(med), X.loc[test_idx].fillna(med)
    ytr, yte = y.loc[train_idx], y.loc[test_idx]
    rng = np.random.default_rng(random_state)
    sub = train_idx if len(train_idx) <= max_train else pd.Index(
        rng.choice(train_idx, max_train, replace=False))
    # trades of one ticker disclosed together share every price feature and the outcome:
    # keep one of each, or the k-NN estimator mistakes the copies for information
    sub = pd.Index(ytr.loc[sub].drop_duplicates().index)
    mi = mutual_info_regression(Xtr.loc[sub].to_numpy(), ytr.loc[sub].to_numpy(),
                                random_state=random_state)
    model = HistGradientBoostingRegressor(max_iter=150, learning_rate=0.05,
                                          random_state=random_state).fit(Xtr, ytr)
    perm = permutation_importance(model, Xte, yte, n_repeats=n_repeats,
                                  random_state=random_state)
    r2 = float(model.score(Xte, yte))
    base = float(1.0 - ((yte - ytr.mean()) ** 2).sum() / ((yte - yte.mean()) ** 2).sum())
    test_dates = ctx.sessions[dpos.loc[test_idx].to_numpy()]
    dm = diebold_mariano((yte.to_numpy() - model.predict(Xte)) ** 2,
                         (yte.to_numpy() - ytr.mean()) ** 2, test_dates, horizon)
    corr = Xtr.loc[sub].rank().corr().abs().fillna(0.0).to_numpy().copy()
    np.fill_diagonal(corr, 1.0)
    dist = np.clip(1.0 - (corr + corr.T) / 2, 0.0, None)
    np.fill_diagonal(dist, 0.0)
    clusters = fcluster(linkage(squareform(dist, checks=False), "average"),
                        t=1.0 - corr_threshold, criterion="distance")
    cat = features.catalog.set_index("name")["group"]
    table = pd.DataFrame({"feature": X.columns, "group": cat.reindex(X.columns).to_numpy(),
                          "mutual_info": mi, "perm_importance": perm.importances_mean,
                          "perm_std": perm.importances_std, "cluster": clusters})
    best = table.sort_values(["mutual_info", "feature"], ascending=[False, True]).groupby(
        "cluster").head(1)
    table["selected"] = table.index.isin(best.index) & (table["mutual_info"] > 0)
    table = table.sort_values(["mutual_info", "feature"], ascending=[False, True],
                              ignore_index=True)
    return ImportanceResult(table=table, test_r2=r2, baseline_r2=base,
                            dm_p=float(dm.p_value), n_train=len(train_idx),
                            n_test=len(test_idx), horizon=horizon)
