"""The meta-learner: a regularized linear combiner of member predictions.

Fitted on out-of-sample member predictions (:mod:`workbench.ensemble.samples`), on training
samples only (scalers included):

- **Return**: non-negative ridge regression (scikit-learn) of the label on the member values, each divided
  by its root-mean-square on the training samples (not centred, so an unavailable member,
  entered as 0, means "no view"), without an intercept by default (``fit_intercept``). The
  ridge penalty is chosen on a purged time-ordered validation split of the training dates
  (:func:`workbench.forecast.folds.validation_split`). ``weights_`` are the coefficients in
  return units: the prediction is ``intercept_ + sum_j weights_[j] * value_j`` and
  ``weights_[j] * value_j`` is member ``j``'s attribution.
- **Direction**: multinomial logistic regression on the same scaled values plus the log of
  the RiskMetrics volatility over the horizon (standardized on the training samples).
  Probabilities are then tempered by ``temperature_`` (fitted by the walk-forward evaluation
  on earlier folds' out-of-sample predictions; 1 until then).
- **Volatility**: non-negative least squares of the squared label on the squared RiskMetrics
  volatility and the squared member uncertainties (an unavailable uncertainty takes the
  RiskMetrics value).

Predictions use the stored coefficients with plain numpy, so a meta-learner read back from
JSON (:meth:`to_dict` / :meth:`from_dict`) predicts identically and fast.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["MetaLearner", "softmax", "temper", "fit_temperature"]

ALPHAS = (1.0, 10.0, 100.0, 1000.0, 10000.0, 100000.0)
CS = (0.001, 0.01, 0.1, 1.0)


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def temper(proba: np.ndarray, temperature: float) -> np.ndarray:
    """Probabilities with their log-odds divided by ``temperature`` (1: unchanged)."""
    p = np.clip(np.asarray(proba, float), 1e-12, 1.0)
    return softmax(np.log(p) / float(temperature))


def fit_temperature(proba: np.ndarray, y: np.ndarray) -> float:
    """Temperature minimizing the log loss of ``temper(proba, T)`` on labels ``y`` (0..2)."""
    from scipy.optimize import minimize_scalar

    y = np.asarray(y, int)
    if len(y) < 50:
        return 1.0

    def loss(logt):
        q = temper(proba, np.exp(logt))
        return -np.mean(np.log(np.clip(q[np.arange(len(y)), y], 1e-12, 1.0)))

    res = minimize_scalar(loss, bounds=(np.log(0.2), np.log(5.0)), method="bounded")
    return float(np.exp(res.x))


class MetaLearner:
    """Stacking combiner (module notes); scikit-learn estimator conventions.

    Parameters
    ----------
    alphas : tuple of float
        Ridge penalties tried on the validation split (on members scaled to unit RMS).
    Cs : tuple of float
        Inverse regularizations of the logistic regression tried on the same split.
    val_fraction : float
        Share of the training dates that validates ``alphas`` and ``Cs`` (one-standard-error
        rule: the most regularized value within one standard error of the best).
    gap : int
        Grid dates purged between the fit and validation parts.
    fit_intercept : bool
        Fit an intercept of the return. Off by default: the training-sample mean of ``h``-session
        returns is a poor forecast out of sample (it loses to zero on the synthetic universe),
        and the members carry whatever drift they estimate; the combiner only weighs them.
    positive : bool
        Non-negative weights (Breiman 1996, "Stacked regressions", Machine Learning 24(1),
        49-64, doi:10.1007/BF00117832): a member is used as a predictor or not at all, which
        keeps the weights stable across folds when every member is weak.
    random_state : int
    """

    def __init__(self, alphas=ALPHAS, Cs=CS, val_fraction: float = 0.25, gap: int = 1,
                 fit_intercept: bool = False, positive: bool = True, random_state: int = 0):
        self.alphas = alphas
        self.Cs = Cs
        self.fit_intercept = fit_intercept
        self.positive = positive
        self.val_fraction = val_fraction
        self.gap = gap
        self.random_state = random_state

    # -- fitting ---------------------------------------------------------------------------
    def fit(self, X, U, y, direction, base_vol, dates) -> MetaLearner:

        X, U = np.asarray(X, float), np.asarray(U, float)
        y, base_vol = np.asarray(y, float), np.asarray(base_vol, float)
        direction = np.asarray(direction, int)
        n, m = X.shape
        if n < 20:
            raise ValueError(f"{n} training samples are too few for the meta-learner")
        avail = np.isfinite(X)
        x0 = np.where(avail, X, 0.0)
        rms = np.sqrt((x0 ** 2).sum(axis=0) / np.maximum(avail.sum(axis=0), 1))
        self.scale_ = np.where(rms > 0, rms, 1.0)
        Z = x0 / self.scale_
        lv = np.log(np.maximum(base_vol, 1e-8))
        self.lv_mean_, self.lv_sd_ = float(lv.mean()), float(lv.std() or 1.0)
        F = np.column_stack([Z, (lv - self.lv_mean_) / self.lv_sd_])
        split = self._split(dates, n)
        self.alpha_ = self._choose(
            sorted(self.alphas, reverse=True), split, dates,
            lambda a, tr, te: (self._ridge(a).fit(Z[tr], y[tr]).predict(Z[te]) - y[te]) ** 2)
        ridge = self._ridge(self.alpha_).fit(Z, y)
        self.coef_ = ridge.coef_.astype(float)
        self.weights_ = self.coef_ / self.scale_
        self.intercept_ = float(ridge.intercept_) if self.fit_intercept else 0.0

        def logloss(c, tr, te):
            w, b = _fit_logistic(F[tr], direction[tr], c, self.random_state)
            p = softmax(F[te] @ w.T + b)
            return -np.log(np.clip(p[np.arange(len(te)), direction[te]], 1e-12, 1.0))

        self.C_ = self._choose(sorted(self.Cs), split, dates, logloss)
        self.logit_coef_, self.logit_intercept_ = _fit_logistic(F, direction, self.C_,
                                                                self.random_state)
        self.var_coef_ = self._fit_variance(U, y, base_vol)
        self.temperature_ = 1.0
        self.members_ = m
        self.n_train_ = n
        return self

    def _ridge(self, alpha: float):
        from sklearn.linear_model import Ridge

        return Ridge(alpha=alpha, fit_intercept=self.fit_intercept, positive=self.positive)

    def _split(self, dates, n: int):
        from workbench.forecast.folds import validation_split

        try:
            fit, val = validation_split(dates, np.arange(n), self.val_fraction, self.gap)
        except ValueError:
            return None
        return (fit, val) if len(fit) >= 20 and len(val) >= 20 else None

    @staticmethod
    def _choose(candidates, split, dates, losses) -> float:
        """One-standard-error rule on the validation split: the first (most regularized)
        candidate whose mean loss is within one standard error of the best (Hastie,
        Tibshirani and Friedman 2009, sec. 7.10); losses are averaged per date first."""
        cands = list(candidates)
        if len(cands) == 1 or split is None:
            return float(cands[len(cands) // 2])
        fit, val = split
        d = np.asarray(dates)[val]
        per_date = []
        for c in cands:
            loss = np.asarray(losses(c, fit, val), float)
            per_date.append(pd.Series(loss).groupby(pd.DatetimeIndex(d).asi8).mean().to_numpy())
        means = np.array([x.mean() for x in per_date])
        best = int(np.argmin(means))
        se = per_date[best].std(ddof=1) / np.sqrt(max(len(per_date[best]), 1))
        ok = np.flatnonzero(means <= means[best] + se)
        return float(cands[int(ok[0])])

    @staticmethod
    def _fit_variance(U, y, base_vol) -> np.ndarray:
        from scipy.optimize import nnls

        V = _variance_inputs(U, base_vol)
        coef, _ = nnls(V, y ** 2)
        if not coef.any():
            coef[0] = 1.0
        return coef

    # -- prediction ------------------------------------------------------------------------
    def _check(self):
        if not hasattr(self, "weights_"):
            raise RuntimeError("MetaLearner is not fitted")

    def predict(self, X, U, base_vol) -> dict:
        """``ret``, ``vol``, ``proba`` (n, 3: down, flat, up) and ``attribution`` (n, members)."""
        self._check()
        X, U = np.atleast_2d(np.asarray(X, float)), np.atleast_2d(np.asarray(U, float))
        base_vol = np.atleast_1d(np.asarray(base_vol, float))
        x0 = np.where(np.isfinite(X), X, 0.0)
        attribution = x0 * self.weights_
        ret = self.intercept_ + attribution.sum(axis=1)
        lv = np.log(np.maximum(base_vol, 1e-8))
        F = np.column_stack([x0 / self.scale_, (lv - self.lv_mean_) / self.lv_sd_])
        proba = temper(softmax(F @ self.logit_coef_.T + self.logit_intercept_),
                       self.temperature_)
        var = _variance_inputs(U, base_vol) @ self.var_coef_
        return {"ret": ret, "vol": np.sqrt(np.maximum(var, 0.0)), "proba": proba,
                "attribution": attribution}

    # -- persistence -----------------------------------------------------------------------
    def to_dict(self) -> dict:
        self._check()
        return {"params": {"alphas": list(self.alphas), "Cs": list(self.Cs),
                           "val_fraction": self.val_fraction, "gap": self.gap,
                           "fit_intercept": self.fit_intercept, "positive": self.positive,
                           "random_state": self.random_state}, "C": self.C_,
                "scale": self.scale_.tolist(), "alpha": self.alpha_,
                "coef": self.coef_.tolist(), "intercept": self.intercept_,
                "lv_mean": self.lv_mean_, "lv_sd": self.lv_sd_,
                "logit_coef": self.logit_coef_.tolist(),
                "logit_intercept": self.logit_intercept_.tolist(),
                "var_coef": self.var_coef_.tolist(), "temperature": self.temperature_,
                "n_train": self.n_train_}

    @classmethod
    def from_dict(cls, d: dict) -> MetaLearner:
        p = d["params"]
        self = cls(alphas=tuple(p["alphas"]), Cs=tuple(p["Cs"]),
                   val_fraction=p["val_fraction"], gap=p["gap"],
                   fit_intercept=p["fit_intercept"], positive=p["positive"],
                   random_state=p["random_state"])
        self.C_ = float(d["C"])
        self.scale_ = np.asarray(d["scale"], float)
        self.alpha_ = float(d["alpha"])
        self.coef_ = np.asarray(d["coef"], float)
        self.weights_ = self.coef_ / self.scale_
        self.intercept_ = float(d["intercept"])
        self.lv_mean_, self.lv_sd_ = float(d["lv_mean"]), float(d["lv_sd"])
        self.logit_coef_ = np.asarray(d["logit_coef"], float)
        self.logit_intercept_ = np.asarray(d["logit_intercept"], float)
        self.var_coef_ = np.asarray(d["var_coef"], float)
        self.temperature_ = float(d["temperature"])
        self.members_ = len(self.coef_)
        self.n_train_ = int(d["n_train"])
        return self


def _fit_logistic(F, direction, C: float, random_state: int) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic coefficients (3, features) and intercepts (3,); classes absent
    from the training labels get probability ~0."""
    from sklearn.linear_model import LogisticRegression

    present = np.unique(direction)
    coef = np.zeros((3, F.shape[1]))
    icpt = np.full(3, -30.0)
    if len(present) == 1:
        icpt[present[0]] = 0.0
        return coef, icpt
    clf = LogisticRegression(C=C, max_iter=1000, random_state=random_state)
    clf.fit(F, direction)
    w, b = clf.coef_, clf.intercept_
    if len(present) == 2:   # binary: scikit-learn returns one row for class 1 vs 0
        w = np.vstack([-w / 2, w / 2])
        b = np.array([-b[0] / 2, b[0] / 2])
    coef[present] = w
    icpt[present] = b
    return coef, icpt


def _variance_inputs(U, base_vol) -> np.ndarray:
    U = np.atleast_2d(np.asarray(U, float))
    bv = np.atleast_1d(np.asarray(base_vol, float))
    filled = np.where(np.isfinite(U), U, bv[:, None])
    return np.column_stack([bv ** 2, filled ** 2])
