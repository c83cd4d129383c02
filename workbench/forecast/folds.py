"""Purged, embargoed walk-forward folds over decision dates (Lopez de Prado).

One object, :class:`PurgedWalkForward`, yields ``(train_idx, test_idx)`` integer arrays over
samples that carry a *decision date* (the last session whose data a sample may use). Every
model, baseline and the ensemble's meta-learner is scored on the same folds by reusing it.

Layout over the sorted unique decision dates ``D[0..m-1]``: the last ``test_fraction`` of the
dates is cut into ``n_splits`` consecutive test blocks; fold ``k`` tests on block ``k`` and
trains on every sample whose decision date lies at least ``gap = purge + embargo`` sessions
before the block's first date (expanding window). A label of a sample at ``D[j]`` covers
sessions ``D[j+1] .. D[j+h]``; with ``purge = h`` no training label overlaps a test label
(``j + h < a`` for a test block starting at ``D[a]``), and ``embargo`` adds further sessions for
serial correlation of features. Training samples never follow test samples (walk-forward), so
the embargo after a test block of the textbook K-fold version does not arise.

References
----------
Lopez de Prado, M. (2018). Advances in Financial Machine Learning, ch. 7 (purging and
embargo). Wiley. ISBN 978-1-119-48208-6.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

__all__ = ["PurgedWalkForward", "validation_split"]


def _date_codes(dates) -> tuple[np.ndarray, pd.DatetimeIndex]:
    """Position of each sample's date among the sorted unique dates, and those dates."""
    d = pd.DatetimeIndex(pd.to_datetime(np.asarray(dates)))
    uniq = d.unique().sort_values()
    return uniq.get_indexer(d), uniq


class PurgedWalkForward:
    """Expanding walk-forward folds with a purge/embargo gap between train and test.

    Parameters
    ----------
    n_splits : int
        Number of test blocks (folds).
    purge : int
        Sessions removed between the last training decision date and the first test date;
        set it to the forecast horizon ``h`` (labels span ``h`` sessions).
    embargo : int
        Extra sessions added to the gap.
    test_fraction : float
        Share of the unique decision dates covered by the test blocks (the last ones).

    Examples
    --------
    >>> folds = PurgedWalkForward(n_splits=3, purge=5)
    >>> for train, test in folds.split(dates):  # doctest: +SKIP
    ...     model.fit(X[train]); model.predict(X[test])
    """

    def __init__(self, n_splits: int = 4, purge: int = 5, embargo: int = 0,
                 test_fraction: float = 0.4):
        self.n_splits = n_splits
        self.purge = purge
        self.embargo = embargo
        self.test_fraction = test_fraction

    @property
    def gap(self) -> int:
        return int(self.purge) + int(self.embargo)

    def _check(self, m: int) -> None:
        if self.n_splits < 1:
            raise ValueError("n_splits must be >= 1")
        if self.purge < 0 or self.embargo < 0:
            raise ValueError("purge and embargo must be >= 0")
        if not 0.0 < self.test_fraction < 1.0:
            raise ValueError("test_fraction must be in (0, 1)")
        n_test = int(round(m * self.test_fraction))
        if n_test < self.n_splits or m - n_test <= self.gap:
            raise ValueError(f"{m} decision dates are too few for {self.n_splits} test blocks "
                             f"and a gap of {self.gap} sessions")

    def blocks(self, m: int) -> list[tuple[int, int]]:
        """``(first, stop)`` date positions of each test block among ``m`` unique dates."""
        self._check(m)
        n_test = int(round(m * self.test_fraction))
        edges = np.linspace(m - n_test, m, self.n_splits + 1).round().astype(int)
        return [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:], strict=True)]

    def split(self, dates) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield ``(train_idx, test_idx)`` sample positions, fold by fold, in time order."""
        code, uniq = _date_codes(dates)
        for a, b in self.blocks(len(uniq)):
            train = np.flatnonzero(code < a - self.gap)
            test = np.flatnonzero((code >= a) & (code < b))
            yield train, test

    def get_n_splits(self, dates=None) -> int:
        return int(self.n_splits)

    def development(self, dates) -> np.ndarray:
        """Samples usable for model selection: those that train the first fold.

        Hyperparameters tuned on these never see a test block of any fold.
        """
        return next(iter(self.split(dates)))[0]

    def layout(self, dates) -> pd.DataFrame:
        """One row per fold and set: ``fold, set (train/gap/test), start, end, n_dates``."""
        code, uniq = _date_codes(dates)
        rows = []
        for k, (a, b) in enumerate(self.blocks(len(uniq))):
            cut = a - self.gap
            if cut > 0:
                rows.append((k, "train", uniq[0], uniq[cut - 1], cut))
            rows.append((k, "gap", uniq[max(cut, 0)], uniq[a - 1], a - max(cut, 0)))
            rows.append((k, "test", uniq[a], uniq[b - 1], b - a))
        return pd.DataFrame(rows, columns=["fold", "set", "start", "end", "n_dates"])


def validation_split(dates, train_idx: np.ndarray, fraction: float = 0.2,
                     gap: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Split training samples in time: the last ``fraction`` of their dates validate.

    Used for early stopping and tuning inside a training fold. Samples whose decision date
    falls within ``gap`` sessions before the first validation date are dropped (purged), as
    between train and test.
    """
    train_idx = np.asarray(train_idx)
    d = pd.DatetimeIndex(pd.to_datetime(np.asarray(dates)))[train_idx]
    code, uniq = _date_codes(d)
    m = len(uniq)
    n_val = max(1, int(round(m * fraction)))
    first = m - n_val
    if first - gap <= 0:
        raise ValueError(f"{m} training dates are too few for a validation split with gap {gap}")
    fit = train_idx[code < first - gap]
    val = train_idx[code >= first]
    return fit, val
