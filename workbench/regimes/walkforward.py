"""Walk-forward regime probabilities: what a regime model could say at each session.

:meth:`RegimeDetector.filter_proba` is a forward filter, but a detector fitted on the whole
sample has seen the future through its parameters and feature scaling. Here the model is refitted
on an expanding window every ``refit_every`` sessions, and each session's probabilities come from
the latest model fitted on sessions strictly before the refit, filtered forward up to that
session. Use this form wherever a regime probability is an input to a decision or a feature.

Notes
-----
Hamilton, J. D. (1989). A new approach to the economic analysis of nonstationary time series and
the business cycle. Econometrica 57(2), 357-384. doi:10.2307/1912559
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from hmmlearn.hmm import GaussianHMM
from scipy.optimize import linear_sum_assignment
from threadpoolctl import threadpool_limits

from workbench.exceptions import DataError
from workbench.regimes.detector import RegimeDetector, _rank, label_states, quiet_hmm

__all__ = ["WalkForwardRegimes", "walk_forward_regimes", "walk_forward_proba"]


@dataclass(frozen=True)
class WalkForwardRegimes:
    """Walk-forward regime probabilities and the refits behind them.

    Attributes
    ----------
    proba : DataFrame
        Per session (the features' index): probability of each regime given the features up to
        that session, under the model of the session's last refit (fitted on sessions strictly
        before the refit date). NaN before the first refit. Columns are regime names, named from
        each refit's state statistics as in :class:`RegimeDetector`.
    refits : DataFrame
        One row per refit: ``date`` (first session the model is used for), ``train_end`` (last
        session it was fitted on), ``n_train`` (sessions), ``log_likelihood`` (per session, on the
        training window), ``start`` (``warm``: EM continued from the previous model; ``fresh``:
        new restarts won), ``relabelled`` (matching the new states to the previous refit's
        would name them differently than their statistics do: a regime changed meaning),
        ``label_cost`` (cost of that matching, 0 for the first refit).
    detectors : tuple of RegimeDetector
        The fitted model of each refit (``labels_`` in the column order of ``proba``).
    """

    proba: pd.DataFrame
    refits: pd.DataFrame
    detectors: tuple

    def to_frame(self) -> pd.DataFrame:
        """``proba`` plus ``regime`` (most probable regime, missing before the first refit)."""
        out = self.proba.copy()
        known = out.notna().all(axis=1)
        out["regime"] = pd.Series(pd.NA, index=out.index, dtype=object)
        out.loc[known, "regime"] = out.loc[known, list(self.proba.columns)].idxmax(axis=1)
        return out

    def summary(self) -> pd.DataFrame:
        return self.refits.copy()


def _default_names(n: int) -> list[str]:
    names = label_states(np.arange(n, dtype=float), np.arange(n, dtype=float))
    return sorted(names, key=_rank)


def _match(prev: RegimeDetector, new: RegimeDetector) -> tuple[list[str], float]:
    """Names of the nearest ``prev`` state for each of ``new``'s states (Hungarian matching).

    Both signatures are put on the new model's feature scale so the cost compares like with like.
    """
    def sig(det):
        m = det.model_
        mean = m.means_ * det.scale_ + det.center_
        sd = np.sqrt(np.stack([np.diag(c) for c in m.covars_])) * det.scale_
        return np.hstack([mean / new.scale_, np.log(sd)])

    a, b = sig(new), sig(prev)
    cost = ((a[:, None, :] - b[None, :, :]) ** 2).sum(axis=2)
    rows, cols = linear_sum_assignment(cost)
    names = [""] * len(rows)
    for i, j in zip(rows, cols, strict=True):
        names[i] = prev.labels_[j]
    return names, float(cost[rows, cols].sum())


def _warm_fit(prev: RegimeDetector, X: pd.DataFrame, n_iter: int, seed: int | None
              ) -> RegimeDetector:
    """Continue EM from ``prev``'s parameters, re-expressed on the new training scaling."""
    det = RegimeDetector(prev.n_states_, covariance_type=prev.covariance_type, n_restarts=1,
                         n_iter=n_iter, standardize=prev.standardize, random_state=seed)
    arr = X.to_numpy(dtype=float)
    det.feature_names_ = [str(c) for c in X.columns]
    det.center_ = arr.mean(axis=0) if det.standardize else np.zeros(arr.shape[1])
    scale = arr.std(axis=0) if det.standardize else np.ones(arr.shape[1])
    det.scale_ = np.where(scale > 0, scale, 1.0)
    Z = (arr - det.center_) / det.scale_
    r = prev.scale_ / det.scale_
    pm = prev.model_
    n = pm.n_components
    model = GaussianHMM(n_components=n, covariance_type=det.covariance_type, n_iter=n_iter,
                        tol=1e-4, random_state=seed, init_params="", params="stmc",
                        min_covar=1e-6)
    model.startprob_ = pm.startprob_
    model.transmat_ = pm.transmat_
    model.means_ = pm.means_ * r + (prev.center_ - det.center_) / det.scale_
    covs = pm.covars_ * np.outer(r, r)[None]
    model.covars_ = covs if det.covariance_type == "full" else np.array(
        [np.diag(c) for c in covs])
    with quiet_hmm():
        model.fit(Z)
    det._set_model(model, Z)
    det.n_states_ = n
    det.n_features_in_ = arr.shape[1]
    det.log_likelihood_ = float(det.model_.score(Z))
    det.bic_ = pd.Series({n: det.model_.bic(Z)}, name="bic").rename_axis("n_states")
    return det


def walk_forward_regimes(features: pd.DataFrame, *, n_states: int = 4, refit_every: int = 63,
                         min_train: int = 504, random_state: int | None = 0,
                         n_restarts: int = 1, n_iter: int = 100, warm_start: bool = True,
                         covariance_type: str = "full") -> WalkForwardRegimes:
    """Walk-forward regime probabilities with the refits behind them.

    Parameters
    ----------
    features : DataFrame
        Sessions x features, first column the daily return (decimals), as from
        :func:`~workbench.regimes.regime_features` (trailing windows, so a row uses data up to
        its session). Dated by the index; no NaN.
    n_states : int
        Regimes of every refit (fixed, so the columns are the same throughout).
    refit_every : int
        Sessions between refits.
    min_train : int
        Sessions of the first training window; the first refit is at session ``min_train``
        (0-based), refits follow every ``refit_every`` sessions.
    random_state : int, optional
        Seed; refit ``j`` uses ``random_state + j``.
    n_restarts, n_iter : int
        EM restarts and iterations of each fresh fit (few: refits are many).
    warm_start : bool
        Also continue EM from the previous refit's parameters and keep whichever of the warm and
        fresh fits has the higher training likelihood.
    covariance_type : {"full", "diag"}

    Returns
    -------
    WalkForwardRegimes

    Notes
    -----
    A refit at session ``k`` is fitted (parameters and feature scaling) on sessions ``0..k-1``;
    sessions ``k`` to the next refit get the forward-filtered probabilities of that model over
    sessions ``0..t``, i.e. ``P(state_t | x_0..x_t; model fitted before k)``.

    Labels: an HMM's state indices are arbitrary and switch between fits, so each refit names its
    states from their statistics (:func:`~workbench.regimes.label_states`, as
    :class:`RegimeDetector` does) and a column always holds the regime with that profile (most
    volatile = ``high_vol`` ...). Carrying names over by matching states to the previous refit
    instead was tried and rejected: on the synthetic universe the first 504-session window holds
    two high-volatility states, its ``bull`` is one of them, and matching would keep that wrong
    name for good (filtered accuracy 36% against 90%+). ``refits.relabelled`` flags where the
    two rules disagree. Dates are those of the features (sessions); no trade dates are involved.
    """
    if not isinstance(features, pd.DataFrame):
        raise TypeError("features must be a DataFrame indexed by session")
    if refit_every < 1 or min_train < 50:
        raise ValueError("need refit_every >= 1 and min_train >= 50")
    n = len(features)
    arr = features.to_numpy(dtype=float)
    if not np.isfinite(arr).all():
        bad = int(np.argwhere(~np.isfinite(arr))[0, 0])
        raise DataError("features contain NaN/inf (drop warm-up rows)", row=bad + 1)
    starts = list(range(min_train, n, refit_every))
    names = _default_names(n_states)
    proba = np.full((n, n_states), np.nan)
    rows, dets = [], []
    prev = None
    # Tiny matrices: BLAS threads only contend with each other (8x slower on a busy 2-core box).
    with threadpool_limits(limits=1, user_api="blas"):
        for j, k in enumerate(starts):
            train = features.iloc[:k]
            seed = None if random_state is None else int(random_state) + j
            det = RegimeDetector(n_states, covariance_type=covariance_type,
                                 n_restarts=n_restarts, n_iter=n_iter,
                                 random_state=seed).fit(train)
            how = "fresh"
            if prev is not None and warm_start:
                warm = _warm_fit(prev, train, n_iter, seed)
                if warm.log_likelihood_ >= det.log_likelihood_:
                    det, how = warm, "warm"
            if prev is None:
                names, carried, cost = list(det.labels_), list(det.labels_), 0.0
            else:
                carried, cost = _match(prev, det)
            stop = starts[j + 1] if j + 1 < len(starts) else n
            proba[k:stop] = det.filter_proba(features.iloc[:stop])[names].to_numpy()[k:stop]
            rows.append({"date": features.index[k], "train_end": features.index[k - 1],
                         "n_train": k, "log_likelihood": det.log_likelihood_ / k,
                         "start": how, "relabelled": carried != det.labels_,
                         "label_cost": cost})
            dets.append(det)
            prev = det
    refits = pd.DataFrame(rows, columns=["date", "train_end", "n_train", "log_likelihood",
                                         "start", "relabelled", "label_cost"])
    out = pd.DataFrame(proba, index=features.index, columns=names)
    return WalkForwardRegimes(out, refits, tuple(dets))


def walk_forward_proba(features: pd.DataFrame, *, n_states: int = 4, refit_every: int = 63,
                       min_train: int = 504, random_state: int | None = 0,
                       **kwargs) -> pd.DataFrame:
    """Regime probabilities as they could be known at each session (walk-forward).

    Index = the features' sessions; columns = regime names (stable across refits, as in
    :class:`RegimeDetector`); rows before the first refit are NaN. Each row uses only a model
    fitted on sessions strictly before its last refit date, filtered forward up to the row's
    session. Extra keyword arguments (``n_restarts``, ``n_iter``, ``warm_start``,
    ``covariance_type``) go to :func:`walk_forward_regimes`, which also returns the refits.
    """
    return walk_forward_regimes(features, n_states=n_states, refit_every=refit_every,
                                min_train=min_train, random_state=random_state,
                                **kwargs).proba
