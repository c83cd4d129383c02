"""Market regimes with a Gaussian hidden Markov model (hmmlearn), labelled from their statistics.

Features are per session; ``regime_features`` builds them from daily returns (decimals) and,
optionally, volume, using only data up to each session (trailing windows).

Notes
-----
Hamilton, J. D. (1989). A new approach to the economic analysis of nonstationary time series and
the business cycle. Econometrica 57(2), 357-384. doi:10.2307/1912559
"""

from __future__ import annotations

import contextlib
import logging
import warnings

import numpy as np
import pandas as pd
from hmmlearn.hmm import GaussianHMM
from scipy.stats import multivariate_normal

from workbench.exceptions import DataError, NotFittedError
from workbench.synthetic.truth import REGIME_NAMES

__all__ = ["regime_features", "RegimeDetector", "label_states", "expected_durations"]


@contextlib.contextmanager
def quiet_hmm():
    """Silence hmmlearn during a fit: its warnings and its "Model is not converging" log lines
    (an EM step that lowers the likelihood by round-off; restarts are compared by likelihood
    anyway), which otherwise print as stderr boxes in every report that fits an HMM."""
    log = logging.getLogger("hmmlearn.base")
    old = log.level
    log.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        log.setLevel(old)


def regime_features(returns: pd.Series, volume: pd.Series | None = None, *,
                    include: tuple[str, ...] = ("ret",), vol_window: int = 10,
                    momentum_window: int = 21, periods_per_year: int = 252) -> pd.DataFrame:
    """Per-session features for regime detection (trailing windows: no look-ahead).

    Parameters
    ----------
    returns : Series
        Daily returns in decimals (e.g. Fama-French Mkt-RF or an equal-weight index).
    volume : Series, optional
        Daily volume; enters as the log volume relative to its trailing 63-session mean.
    include : tuple of str
        Which of ``ret``, ``log_vol``, ``momentum``, ``volume`` to return (``ret`` first). The
        default is the return alone: trailing-window features are autocorrelated by
        construction, which breaks the HMM's conditional independence and delays every switch by
        about half the window (on the synthetic universe, smoothed accuracy 93% with ``ret``
        alone against 78% with ``ret`` + ``log_vol`` (10 sessions)).
    vol_window : int
        Sessions of the trailing realized volatility (annualized, ``log`` of it is used).
    momentum_window : int
        Sessions of the trailing cumulative return.

    Returns
    -------
    DataFrame with ``ret`` (daily return), ``log_vol`` (log annualized trailing volatility),
    ``momentum`` (trailing sum of returns) and optionally ``volume``; the warm-up rows are
    dropped.
    """
    r = returns.astype(float)
    out = pd.DataFrame({"ret": r}, index=r.index)
    vol = r.rolling(vol_window, min_periods=vol_window).std() * np.sqrt(periods_per_year)
    out["log_vol"] = np.log(vol.clip(lower=1e-6))
    out["momentum"] = r.rolling(momentum_window, min_periods=momentum_window).sum()
    if volume is not None:
        lv = np.log(volume.astype(float).reindex(r.index).clip(lower=1.0))
        out["volume"] = lv - lv.rolling(63, min_periods=21).mean()
    unknown = set(include) - set(out.columns)
    if unknown:
        raise DataError(f"unknown or unavailable features {sorted(unknown)}")
    return out.dropna()[list(include)]


def expected_durations(transmat: np.ndarray) -> np.ndarray:
    """Expected spell length of each state in sessions, ``1 / (1 - p_ii)``."""
    p = np.clip(np.diag(np.asarray(transmat)), 0.0, 1 - 1e-12)
    return 1.0 / (1.0 - p)


def label_states(means: np.ndarray, vols: np.ndarray) -> list[str]:
    """Names from state statistics (mean and volatility of the first feature, the return).

    Four states: the most volatile is ``high_vol``, the calmest ``low_vol``, of the other two
    the higher mean is ``bull`` and the lower ``bear``. Three: most volatile ``high_vol``, others
    bull/bear by mean. Two: ``bull``/``bear`` by mean. Five or more: the four above, then
    ``state_<k>`` for the remaining middle-volatility states.
    """
    n = len(means)
    order = np.argsort(vols)
    names = [""] * n
    if n == 1:
        return ["all"]
    if n == 2:
        hi = int(np.argmax(means))
        names[hi], names[1 - hi] = "bull", "bear"
        return names
    names[order[-1]] = "high_vol"
    rest = list(order[:-1])
    if n >= 4:
        names[order[0]] = "low_vol"
        rest = list(order[1:-1])
    by_mean = sorted(rest, key=lambda i: means[i])
    names[by_mean[-1]] = "bull"
    names[by_mean[0]] = "bear"
    for k, i in enumerate(by_mean[1:-1]):
        names[i] = f"state_{k + 4}"
    return names


def _rank(name: str) -> int:
    return REGIME_NAMES.index(name) if name in REGIME_NAMES else len(REGIME_NAMES) + int(
        name.split("_")[-1]) if name.startswith("state_") else 99


class RegimeDetector:
    """Gaussian HMM regime detector with BIC model selection and labelled states.

    Parameters
    ----------
    n_states : int, optional
        Number of regimes; chosen by BIC over ``candidates`` when ``None``.
    candidates : tuple of int
        State counts tried when ``n_states`` is None.
    covariance_type : {"full", "diag"}
    n_restarts : int
        Random restarts per state count; the best log-likelihood wins.
    n_iter : int
        EM iterations per restart.
    standardize : bool
        Scale features to unit variance before fitting (means/vols are reported unscaled).
    random_state : int, optional

    Attributes
    ----------
    n_states_ : int
    model_ : hmmlearn GaussianHMM (states reordered so that index = label order)
    labels_ : list of str
        Regime name of each state (bull, bear, high_vol, low_vol order first).
    transmat_ : ndarray
        Daily transition probabilities, rows = from.
    durations_ : ndarray
        Expected spell lengths in sessions.
    bic_ : Series
        BIC per candidate state count.
    feature_names_ : list of str
    """

    def __init__(self, n_states: int | None = None, *, candidates: tuple[int, ...] = (2, 3, 4, 5),
                 covariance_type: str = "full", n_restarts: int = 5, n_iter: int = 200,
                 standardize: bool = True, random_state: int | None = None):
        self.n_states = n_states
        self.candidates = candidates
        self.covariance_type = covariance_type
        self.n_restarts = n_restarts
        self.n_iter = n_iter
        self.standardize = standardize
        self.random_state = random_state

    # -- fitting ---------------------------------------------------------------------------
    def _prepare(self, X, check_names: bool = True) -> tuple[np.ndarray, pd.Index, list[str]]:
        if isinstance(X, pd.Series):
            X = X.to_frame()
        if isinstance(X, pd.DataFrame):
            index, names = X.index, [str(c) for c in X.columns]
            arr = X.to_numpy(dtype=float)
        else:
            arr = np.asarray(X, dtype=float)
            arr = arr[:, None] if arr.ndim == 1 else arr
            index, names = pd.RangeIndex(len(arr)), [f"x{i}" for i in range(arr.shape[1])]
        if not np.isfinite(arr).all():
            bad = int(np.argwhere(~np.isfinite(arr))[0, 0])
            raise DataError("features contain NaN/inf (drop warm-up rows)", row=bad + 1)
        if check_names and hasattr(self, "feature_names_") and names != self.feature_names_:
            raise DataError(f"features {names} differ from those fitted {self.feature_names_}")
        return arr, index, names

    def _fit_one(self, Z: np.ndarray, n: int, rng: np.random.Generator, first: bool
                 ) -> GaussianHMM:
        """One EM run from a volatility-ordered start.

        Returns cluster by volatility, not by sign, so k-means starts (hmmlearn's default) split
        days into up/down groups and EM then settles on non-persistent states. We start from
        groups of sessions ranked by the trailing mean absolute first feature (window 10, or a
        random 5-30 with jittered quantile edges on later restarts) and a sticky transition
        matrix (p_ii = 0.98).
        """
        window = 10 if first else int(rng.integers(5, 31))
        act = pd.Series(np.abs(Z[:, 0])).rolling(window, min_periods=1).mean().to_numpy()
        qs = np.linspace(0, 1, n + 1)[1:-1]
        if not first:
            qs = np.sort(np.clip(qs + rng.normal(0, 0.05, len(qs)), 0.02, 0.98))
        grp = np.digitize(act, np.quantile(act, qs))
        f = Z.shape[1]
        means = np.array([Z[grp == g].mean(0) if (grp == g).sum() > f else Z.mean(0)
                          for g in range(n)])
        covs = np.array([np.cov(Z[grp == g].T).reshape(f, f) if (grp == g).sum() > f + 1
                         else np.cov(Z.T).reshape(f, f) for g in range(n)]) + 1e-6 * np.eye(f)
        model = GaussianHMM(n_components=n, covariance_type=self.covariance_type,
                            n_iter=self.n_iter, tol=1e-4, random_state=int(rng.integers(2**31)),
                            init_params="s", params="stmc", min_covar=1e-6)
        model.means_ = means
        model.covars_ = covs if self.covariance_type == "full" else np.array(
            [np.diag(c) for c in covs])
        off = 0.02 / (n - 1) if n > 1 else 0.0
        model.transmat_ = np.full((n, n), off) + np.eye(n) * (1.0 - n * off)
        with quiet_hmm():
            model.fit(Z)
        return model

    def fit(self, X, y=None) -> RegimeDetector:
        """Fit on a features frame (sessions x features; first column = the return)."""
        arr, index, names = self._prepare(X, check_names=False)
        if len(arr) < 50:
            raise DataError(f"need at least 50 sessions, got {len(arr)}")
        self.feature_names_ = names
        self.center_ = arr.mean(axis=0) if self.standardize else np.zeros(arr.shape[1])
        self.scale_ = arr.std(axis=0) if self.standardize else np.ones(arr.shape[1])
        self.scale_ = np.where(self.scale_ > 0, self.scale_, 1.0)
        Z = (arr - self.center_) / self.scale_
        rng = np.random.default_rng(self.random_state)
        counts = (self.n_states,) if self.n_states else tuple(self.candidates)
        best_by_n, bic = {}, {}
        for n in counts:
            best, best_ll = None, -np.inf
            for r in range(max(1, self.n_restarts)):
                m = self._fit_one(Z, n, rng, first=r == 0)
                ll = m.score(Z)
                if np.isfinite(ll) and ll > best_ll:
                    best, best_ll = m, ll
            if best is None:
                raise DataError(f"HMM with {n} states failed to converge on every restart")
            best_by_n[n] = best
            bic[n] = best.bic(Z)
        self.bic_ = pd.Series(bic, name="bic").rename_axis("n_states")
        n = int(self.bic_.idxmin())
        self._set_model(best_by_n[n], Z)
        self.n_states_ = n
        self.n_features_in_ = arr.shape[1]
        self.log_likelihood_ = float(self.model_.score(Z))
        return self

    def _set_model(self, model: GaussianHMM, Z: np.ndarray) -> None:
        means = model.means_[:, 0] * self.scale_[0] + self.center_[0]
        vols = np.sqrt(model.covars_[:, 0, 0]) * self.scale_[0]
        names = label_states(means, vols)
        perm = sorted(range(len(names)), key=lambda i: _rank(names[i]))
        n = len(perm)
        new = GaussianHMM(n_components=n, covariance_type=self.covariance_type)
        new.n_features = model.n_features
        new.startprob_ = model.startprob_[perm]
        new.transmat_ = model.transmat_[np.ix_(perm, perm)]
        new.means_ = model.means_[perm]
        new.covars_ = (model.covars_[perm] if self.covariance_type == "full"
                       else np.array([np.diag(c) for c in model.covars_[perm]]))
        self.model_ = new
        self.labels_ = [names[i] for i in perm]
        self.transmat_ = new.transmat_.copy()
        self.durations_ = expected_durations(self.transmat_)

    # -- inference -------------------------------------------------------------------------
    def _check(self) -> None:
        if not hasattr(self, "model_"):
            raise NotFittedError("RegimeDetector is not fitted; call fit(X) first")

    def _z(self, X) -> tuple[np.ndarray, pd.Index]:
        self._check()
        arr, index, _ = self._prepare(X)
        return (arr - self.center_) / self.scale_, index

    def predict(self, X) -> pd.Series:
        """Most likely regime path (Viterbi; uses the whole sample, i.e. looks ahead)."""
        Z, index = self._z(X)
        states = self.model_.predict(Z)
        return pd.Series(np.asarray(self.labels_)[states], index=index, name="regime")

    def predict_proba(self, X) -> pd.DataFrame:
        """Smoothed probabilities P(state_t | all data): for history, not for trading."""
        Z, index = self._z(X)
        return pd.DataFrame(self.model_.predict_proba(Z), index=index, columns=self.labels_)

    def filter_proba(self, X) -> pd.DataFrame:
        """Filtered probabilities P(state_t | x_0..x_t) under this model (forward algorithm).

        The recursion reads no later session, but the parameters and feature scaling are those
        fitted in :meth:`fit`: on a sample that extends past ``t`` they carry later information.
        For probabilities as they were knowable at each session use
        :func:`~workbench.regimes.walk_forward_proba`.
        """
        Z, index = self._z(X)
        m = self.model_
        cov = m.covars_ if self.covariance_type == "full" else m.covars_
        logb = np.column_stack([multivariate_normal(m.means_[j], cov[j], allow_singular=True)
                                .logpdf(Z) for j in range(m.n_components)])
        logb = logb.reshape(len(Z), m.n_components)
        # Scaled forward recursion in probability space; emissions rescaled per session by
        # their max (cancels in the normalization), so nothing underflows.
        b = np.exp(logb - logb.max(axis=1, keepdims=True))
        A = m.transmat_
        out = np.empty_like(b)
        a = m.startprob_ * b[0]
        out[0] = a / a.sum()
        for t in range(1, len(Z)):
            a = (out[t - 1] @ A) * b[t]
            total = a.sum()
            out[t] = a / total if total > 0 else b[t] / b[t].sum()  # extreme outlier guard
        return pd.DataFrame(out, index=index, columns=self.labels_)

    def score(self, X, y=None) -> float:
        """Log-likelihood of the (standardized) features."""
        Z, _ = self._z(X)
        return float(self.model_.score(Z))

    def state_stats(self, X) -> pd.DataFrame:
        """Per regime: ``mean``/``vol`` of the first feature (daily, in its units), ``share`` of
        sessions (Viterbi), ``expected_duration`` (sessions) and ``persistence`` (p_ii)."""
        self._check()
        path = self.predict(X)
        first = (X.iloc[:, 0] if isinstance(X, pd.DataFrame) else pd.Series(np.asarray(X)[:, 0]
                                                                           if np.ndim(X) > 1
                                                                           else np.asarray(X)))
        first = pd.Series(first.to_numpy(), index=path.index)
        rows = []
        for j, name in enumerate(self.labels_):
            sel = first[path == name]
            rows.append({"regime": name, "mean": float(self.model_.means_[j, 0] * self.scale_[0]
                                                       + self.center_[0]),
                         "vol": float(np.sqrt(self.model_.covars_[j, 0, 0]) * self.scale_[0]),
                         "realized_mean": float(sel.mean()) if len(sel) else np.nan,
                         "realized_vol": float(sel.std()) if len(sel) > 1 else np.nan,
                         "share": float((path == name).mean()),
                         "persistence": float(self.transmat_[j, j]),
                         "expected_duration": float(self.durations_[j])})
        return pd.DataFrame(rows)
