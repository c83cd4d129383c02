"""Staggered adoption: Callaway & Sant'Anna group-time effects, via the ``differences`` package.

When units are treated at different dates, two-way fixed effects compare late-treated units
with already-treated ones and can be badly biased under effects that change over time
(Goodman-Bacon 2021, doi:10.1016/j.jeconom.2021.03.014). Callaway & Sant'Anna (2021,
doi:10.1016/j.jeconom.2020.12.001) estimate one 2x2 comparison per cohort ``g`` (first treated
period) and period ``t``: ``ATT(g, t) = E[Y_t - Y_base | G = g] - E[Y_t - Y_base | control]``
(controls: never-treated or not-yet-treated units; base: ``g - 1`` after treatment, ``t - 1``
before it), then aggregate them (simple average, by event time). The estimation is
``differences.ATTgt`` (maintained; outcome regression without covariates here, analytic
standard errors); this module maps dated panels onto its integer periods and returns frames.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["StaggeredResult", "staggered_did"]


@dataclass(frozen=True)
class StaggeredResult:
    """Callaway-Sant'Anna estimates.

    Attributes
    ----------
    att : Series
        Simple aggregate: ``att, se, low, high`` (average of the post-treatment ATT(g, t)
        weighted by cohort size), ``n_units, n_cohorts``.
    event : DataFrame
        Indexed by relative period ``e = t - g``: ``att, se, low, high``.
    group_time : DataFrame
        One row per cohort and period: ``cohort, period, att, se, low, high`` (``cohort`` and
        ``period`` are the panel's own period labels).
    control_group : str
    """

    att: pd.Series
    event: pd.DataFrame
    group_time: pd.DataFrame
    control_group: str

    def to_frame(self) -> pd.DataFrame:
        return self.event

    def summary(self) -> pd.Series:
        return self.att


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out.columns = [c[-1] if isinstance(c, tuple) else c for c in out.columns]
    return out.rename(columns={"ATT": "att", "std_error": "se", "lower": "low",
                               "upper": "high"})[["att", "se", "low", "high"]]


def staggered_did(panel: pd.DataFrame, adoption: pd.Series, *, outcome: str = "outcome",
                  control_group: str = "never_treated", alpha: float = 0.05) -> StaggeredResult:
    """Callaway-Sant'Anna difference-in-differences with units adopting at different dates.

    Parameters
    ----------
    panel : DataFrame
        Long ``unit, period, <outcome>`` panel (balanced).
    adoption : Series
        Unit -> first treated period label (a period value or a date; rolled forward to the
        first period on or after it). Units absent or NaT/NaN are never treated.
    control_group : {"never_treated", "not_yet_treated"}
    alpha : float
        Pointwise intervals are ``1 - alpha``.

    Returns
    -------
    StaggeredResult
    """
    from differences import ATTgt

    df = panel[["unit", "period", outcome]].dropna().copy()
    periods = pd.Index(df["period"].unique()).sort_values()
    df["t"] = periods.get_indexer(df["period"])
    adopt = adoption.dropna()
    first = pd.Series(periods.searchsorted(adopt.to_numpy()), index=adopt.index.astype(str))
    first = first[first < len(periods)]
    df["unit"] = df["unit"].astype(str)
    df["cohort"] = df["unit"].map(first).astype(float)
    if df["cohort"].notna().sum() == 0:
        raise ValueError("no unit adopts inside the panel's periods")
    data = df.set_index(["unit", "t"])[[outcome, "cohort"]].rename(columns={outcome: "y"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # differences warns about defaults it then applies
        model = ATTgt(data=data, cohort_column="cohort")
        fitted = model.fit(formula="y", control_group=control_group, alpha=alpha,
                           progress_bar=False)
        gt = _flat(fitted.to_pandas() if hasattr(fitted, "to_pandas") else model.results())
        simple = _flat(model.aggregate("simple", alpha=alpha)).iloc[0]
        event = _flat(model.aggregate("event", alpha=alpha))
    gt = gt.reset_index()
    gt = gt.assign(cohort=periods[gt["cohort"].astype(int).to_numpy()],
                   period=periods[gt["time"].astype(int).to_numpy()])
    event.index = pd.Index(event.index.astype(int), name="e")
    att = pd.Series({"att": float(simple["att"]), "se": float(simple["se"]),
                     "low": float(simple["low"]), "high": float(simple["high"]),
                     "n_units": int(df["unit"].nunique()),
                     "n_cohorts": int(np.unique(df["cohort"].dropna()).size)})
    return StaggeredResult(att, event, gt[["cohort", "period", "att", "se", "low", "high"]],
                           control_group)
