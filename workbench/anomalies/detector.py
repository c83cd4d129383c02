"""AnomalyDetector: isolation forest + autoencoder + robust z-scores, combined by rank averaging.

Three views of "unusual":

- an :class:`~sklearn.ensemble.IsolationForest` (few random splits isolate the point);
- a small torch autoencoder (reconstruction error of the standardized features);
- robust z-scores against the trader's and the ticker's own norms: for every feature,
  ``|x - median_g| / (1.4826 MAD_g)`` with ``g`` the trade's politician, then its ticker
  (groups with fewer than ``min_group`` training rows use the global median and MAD; a MAD
  below ``mad_floor`` times the global scale is raised to it; a feature whose global MAD is 0
  is scaled by its standard deviation); the component score is the largest of these.

Each component's raw score is turned into its percentile among the training scores, and the
combined :meth:`~AnomalyDetector.score` is the mean of the three percentiles (rank averaging),
in [0, 1]. Flagging uses an absolute scale instead (so that data without anomalies flags almost
nothing): each component score is robust-standardized against the training scores
(``(s - median) / (1.4826 MAD)``) and a trade is flagged when the median of the three
standardized scores exceeds ``threshold`` (at least two of the three views agree). The
documented threshold is ``threshold=5``; its stated false-positive rate is **at most 1.5% of
trades** on anomaly-free synthetic universes (``anomaly_rate=0``; measured 0.7-1.0%, asserted
in tests/anomalies), while the planted anomalies are flagged at 99-100%.

Everything is deterministic on CPU for a fixed ``random_state`` (torch is seeded and runs
single-threaded inside :meth:`fit`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.exceptions import NotFittedError

__all__ = ["AnomalyDetector", "COMPONENTS"]

COMPONENTS = ("isolation_forest", "autoencoder", "robust_z")


def _robust_scale(v: np.ndarray) -> tuple[float, float]:
    med = float(np.median(v))
    mad = float(np.median(np.abs(v - med))) * 1.4826
    return med, mad if mad > 0 else float(np.std(v) or 1.0)


class AnomalyDetector:
    """Unsupervised detector of unusual trades (module docstring).

    Parameters
    ----------
    n_estimators : int
        Trees of the isolation forest.
    hidden : int
        Width of the autoencoder's bottleneck (the encoder is ``d -> 2*hidden -> hidden``).
    epochs : int
        Autoencoder training epochs (full-batch Adam, learning rate 1e-2).
    min_group : int
        Training rows a politician or ticker needs for its own median/MAD.
    mad_floor : float
        A group's MAD is at least this share of the global MAD.
    threshold : float
        Flag when the median robust-standardized component score exceeds it.
    random_state : int
    """

    def __init__(self, *, n_estimators: int = 100, hidden: int = 4, epochs: int = 150,
                 min_group: int = 10, mad_floor: float = 1.0, threshold: float = 5.0,
                 random_state: int = 0):
        self.n_estimators = n_estimators
        self.hidden = hidden
        self.epochs = epochs
        self.min_group = min_group
        self.mad_floor = mad_floor
        self.threshold = threshold
        self.random_state = random_state

    # -- preprocessing -------------------------------------------------------------------
    def _matrix(self, X: pd.DataFrame) -> np.ndarray:
        a = X[self.features_].to_numpy(dtype=float)
        a = np.where(np.isfinite(a), a, self.fill_[None, :])
        return a

    def _standard(self, a: np.ndarray) -> np.ndarray:
        return np.clip((a - self.center_) / self.scale_, -10, 10)

    # -- components ----------------------------------------------------------------------
    def _fit_group_norms(self, a: np.ndarray, labels: pd.Series | None):
        if labels is None:
            return None
        lab = labels.astype("string").fillna("").to_numpy()
        norms = {}
        for g in np.unique(lab):
            rows = lab == g
            if g == "" or rows.sum() < self.min_group:
                continue
            med = np.median(a[rows], axis=0)
            mad = np.median(np.abs(a[rows] - med), axis=0) * 1.4826
            norms[g] = (med, mad)
        return norms

    def _robust_z(self, a: np.ndarray, groups: pd.DataFrame | None) -> np.ndarray:
        gmed, gmad = self.global_norm_
        floor = np.maximum(self.mad_floor * gmad, 1e-9)
        best = np.abs(a - gmed) / np.maximum(gmad, floor)
        z = np.zeros(len(a))
        for key, norms in self.group_norms_.items():
            if norms is None or groups is None or key not in groups.columns:
                continue
            lab = groups[key].astype("string").fillna("").to_numpy()
            med = np.tile(gmed, (len(a), 1))
            mad = np.tile(gmad, (len(a), 1))
            for g, (m, s) in norms.items():
                rows = lab == g
                med[rows], mad[rows] = m, s
            zg = np.abs(a - med) / np.maximum(mad, floor)
            z = np.maximum(z, zg.max(axis=1))
        if not self.group_norms_ or all(v is None for v in self.group_norms_.values()):
            z = best.max(axis=1)
        return z

    def _fit_autoencoder(self, s: np.ndarray):
        import torch

        from workbench.anomalies.autoencoder import Autoencoder, train_autoencoder

        torch.manual_seed(self.random_state)
        model = Autoencoder(s.shape[1], self.hidden)
        train_autoencoder(model, s, epochs=self.epochs, seed=self.random_state)
        return model

    def _ae_error(self, s: np.ndarray) -> np.ndarray:
        from workbench.anomalies.autoencoder import reconstruction_error

        return reconstruction_error(self.autoencoder_, s)

    def _raw(self, X: pd.DataFrame, groups: pd.DataFrame | None) -> np.ndarray:
        a = self._matrix(X)
        s = self._standard(a)
        return np.column_stack([-self.forest_.score_samples(a), self._ae_error(s),
                                self._robust_z(a, groups)])

    # -- public API ----------------------------------------------------------------------
    def fit(self, X: pd.DataFrame, y=None, *, groups: pd.DataFrame | None = None):
        """Fit on ``X`` (trades x features, NaN allowed) and optional ``groups`` with
        ``politician`` and ``ticker`` columns (same rows) for the robust z-scores."""
        from sklearn.ensemble import IsolationForest

        if not isinstance(X, pd.DataFrame):
            X = pd.DataFrame(np.asarray(X, dtype=float))
        if len(X) < 20:
            raise ValueError("need at least 20 training rows")
        self.features_ = list(X.columns)
        raw = X.to_numpy(dtype=float)
        fill = np.nanmedian(np.where(np.isfinite(raw), raw, np.nan), axis=0)
        self.fill_ = np.where(np.isfinite(fill), fill, 0.0)
        a = self._matrix(X)
        self.center_ = np.median(a, axis=0)
        q75, q25 = np.percentile(a, [75, 25], axis=0)
        scale = (q75 - q25) / 1.349
        sd = a.std(axis=0)
        self.scale_ = np.where(scale > 0, scale, np.where(sd > 0, sd, 1.0))
        self.forest_ = IsolationForest(n_estimators=self.n_estimators,
                                       random_state=self.random_state).fit(a)
        self.autoencoder_ = self._fit_autoencoder(self._standard(a))
        gmed = np.median(a, axis=0)
        gmad = np.median(np.abs(a - gmed), axis=0) * 1.4826
        # a feature that is constant for most trades (MAD 0) is scaled by its std instead
        sd = a.std(axis=0)
        self.global_norm_ = (gmed, np.where(gmad > 0, gmad, np.where(sd > 0, sd, 1.0)))
        self.group_norms_ = {}
        for key in ("politician", "ticker"):
            lab = groups[key] if groups is not None and key in groups.columns else None
            self.group_norms_[key] = self._fit_group_norms(a, lab)
        raw_scores = self._raw(X, groups)
        self.train_scores_ = np.sort(raw_scores, axis=0)
        self.norms_ = [_robust_scale(raw_scores[:, j]) for j in range(raw_scores.shape[1])]
        return self

    def _check(self):
        if not hasattr(self, "forest_"):
            raise NotFittedError("AnomalyDetector is not fitted; call fit first")

    def components(self, X: pd.DataFrame, *, groups: pd.DataFrame | None = None) -> pd.DataFrame:
        """Raw, percentile and robust-standardized score of each component per row."""
        self._check()
        raw = self._raw(X, groups)
        out = {}
        n = self.train_scores_.shape[0]
        for j, name in enumerate(COMPONENTS):
            out[name] = raw[:, j]
            out[f"{name}_pct"] = np.searchsorted(self.train_scores_[:, j], raw[:, j],
                                                 side="right") / n
            med, mad = self.norms_[j]
            out[f"{name}_z"] = (raw[:, j] - med) / mad
        return pd.DataFrame(out, index=X.index)

    def score(self, X: pd.DataFrame, *, groups: pd.DataFrame | None = None) -> pd.Series:
        """Rank-averaged anomaly score in [0, 1] (higher = more unusual)."""
        c = self.components(X, groups=groups)
        return c[[f"{n}_pct" for n in COMPONENTS]].mean(axis=1).rename("score")

    def flag(self, X: pd.DataFrame, *, groups: pd.DataFrame | None = None) -> pd.Series:
        """True where the median robust-standardized component score exceeds ``threshold``."""
        c = self.components(X, groups=groups)
        z = c[[f"{n}_z" for n in COMPONENTS]].median(axis=1)
        return (z > self.threshold).rename("flagged")
