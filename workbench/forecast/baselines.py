"""Baselines every forecasting network is scored against, on the same folds.

Each baseline is fitted on a fold's training samples only and predicts its test samples:

- return: ``zero`` (0), ``mean`` (training-fold mean of the ``h``-session log return),
  ``trailing_mean`` (``h`` times the mean daily log return over the input window);
- volatility: ``trailing`` (realized daily volatility of the last ``h`` sessions, the same
  statistic as the target, measured before the decision date) and ``ewma`` (RiskMetrics,
  lambda 0.94);
- direction: ``majority`` (the most frequent training class, probabilities = training class
  shares) and ``logistic`` (multinomial logistic regression, scikit-learn, on the features of
  the decision date plus the trailing mean and volatility, standardized on the training fold).
"""

from __future__ import annotations

import numpy as np

from workbench.forecast.dataset import ForecastData

__all__ = ["RETURN_BASELINES", "VOL_BASELINES", "DIRECTION_BASELINES", "fit_predict_baselines"]

RETURN_BASELINES = ("zero", "mean", "trailing_mean")
VOL_BASELINES = ("trailing", "ewma")
DIRECTION_BASELINES = ("majority", "logistic")


def _logistic_inputs(data: ForecastData, idx: np.ndarray) -> np.ndarray:
    return np.column_stack([data.last_rows(idx), data.trailing_mean[idx],
                            np.log(np.maximum(data.trailing_vol[idx], 1e-8)),
                            np.log(np.maximum(data.ewma_vol[idx], 1e-8))])


def fit_predict_baselines(data: ForecastData, train_idx, test_idx,
                          random_state: int = 0) -> dict[str, np.ndarray]:
    """Baseline forecasts of ``test_idx`` fitted on ``train_idx``.

    Returns
    -------
    dict
        ``ret_<name>`` and ``vol_<name>`` arrays (n,), ``proba_<name>`` arrays (n, 3).
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    tr, te = np.asarray(train_idx), np.asarray(test_idx)
    h = data.horizon
    out: dict[str, np.ndarray] = {
        "ret_zero": np.zeros(len(te)),
        "ret_mean": np.full(len(te), float(np.mean(data.ret[tr]))),
        "ret_trailing_mean": h * data.trailing_mean[te],
        "vol_trailing": data.trailing_vol[te].astype(float),
        "vol_ewma": data.ewma_vol[te].astype(float),
    }
    counts = np.bincount(data.direction[tr], minlength=3).astype(float)
    shares = (counts + 1.0) / (counts.sum() + 3.0)     # Laplace: no zero probability
    out["proba_majority"] = np.tile(shares, (len(te), 1))
    present = np.unique(data.direction[tr])
    clf = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500, C=1.0,
                                                             random_state=random_state))
    clf.fit(_logistic_inputs(data, tr), data.direction[tr])
    p = np.zeros((len(te), 3))
    p[:, present] = clf.predict_proba(_logistic_inputs(data, te))
    out["proba_logistic"] = p
    return out
