"""One-shot regime analysis: fit, label, decode and tabulate spells (beside RegimeDetector)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.regimes.detector import RegimeDetector

__all__ = ["RegimeResult", "fit_regimes", "regime_history"]


def regime_history(path: pd.Series) -> pd.DataFrame:
    """Spells of a regime path: ``regime, start, end, length`` (sessions), in time order."""
    if len(path) == 0:
        return pd.DataFrame(columns=["regime", "start", "end", "length"])
    vals = path.to_numpy()
    new = np.r_[True, vals[1:] != vals[:-1]]
    starts = np.flatnonzero(new)
    ends = np.r_[starts[1:], len(vals)]
    return pd.DataFrame({"regime": vals[starts], "start": path.index[starts],
                         "end": path.index[ends - 1], "length": ends - starts})


@dataclass(frozen=True)
class RegimeResult:
    """A fitted regime model applied to its sample.

    Attributes
    ----------
    regimes : DataFrame
        Per session: ``regime`` (Viterbi path, uses the whole sample), ``regime_filtered``
        (argmax of the filtered probabilities), then ``p_<name>`` filtered and ``s_<name>``
        smoothed probabilities. Filtered means the forward recursion stops at the session, but
        the model was fitted on the whole sample: this is history, not what was knowable then
        (that is :func:`~workbench.regimes.walk_forward_proba`).
    stats : DataFrame
        :meth:`RegimeDetector.state_stats`.
    transition : DataFrame
        Daily transition probabilities, from (rows) -> to (columns).
    history : DataFrame
        Spells of the Viterbi path (:func:`regime_history`).
    bic : Series
        BIC per state count tried.
    """

    regimes: pd.DataFrame
    stats: pd.DataFrame
    transition: pd.DataFrame
    history: pd.DataFrame
    bic: pd.Series

    def to_frame(self) -> pd.DataFrame:
        return self.regimes.copy()

    def summary(self) -> pd.DataFrame:
        spells = self.history.groupby("regime")["length"].agg(["count", "mean", "median", "max"])
        spells.columns = ["spells", "mean_spell", "median_spell", "longest_spell"]
        return self.stats.set_index("regime").join(spells).reset_index()


def fit_regimes(features: pd.DataFrame, n_states: int | None = 4, *, n_restarts: int = 5,
                random_state: int | None = None, **kwargs) -> RegimeResult:
    """Fit a :class:`RegimeDetector` on ``features`` and decode the same sample.

    ``features`` comes from :func:`~workbench.regimes.regime_features` (first column the daily
    return). ``n_states=None`` selects the count by BIC. Extra keyword arguments go to
    :class:`RegimeDetector`.
    """
    det = RegimeDetector(n_states, n_restarts=n_restarts, random_state=random_state,
                         **kwargs).fit(features)
    path = det.predict(features)
    filt = det.filter_proba(features)
    smooth = det.predict_proba(features)
    reg = pd.DataFrame({"regime": path, "regime_filtered": filt.idxmax(axis=1)})
    reg = reg.join(filt.add_prefix("p_")).join(smooth.add_prefix("s_"))
    trans = pd.DataFrame(det.transmat_, index=pd.Index(det.labels_, name="from"),
                         columns=pd.Index(det.labels_, name="to"))
    return RegimeResult(reg, det.state_stats(features), trans, regime_history(path), det.bic_)
