"""Difference-in-differences with two-way fixed effects, and the event study of leads and lags.

Panel: units (politicians, tickers) observed over periods (sessions, weeks). Treated units are
treated from one common ``event_date`` on. The DiD estimate is the coefficient of
``treated x post`` in a regression with unit and period fixed effects; the event study replaces
it with ``treated x 1[period - event = k]`` for leads ``k < 0`` (``k = -1`` is the reference)
and lags ``k >= 0``, which shows the pre-trends the DiD assumes away. Standard errors are
clustered by unit. Fitting uses ``linearmodels.PanelOLS`` (entity and time effects, clustered
covariance).

Staggered adoption (units treated at different dates) is not for this function: with
heterogeneous effects over time two-way fixed effects then compare late-treated units with
already-treated ones and can even flip sign (Goodman-Bacon 2021, doi:10.1016/j.jeconom.2021.03.014;
Sun & Abraham 2021, doi:10.1016/j.jeconom.2020.09.006). It has no argument for unit-specific
dates so that it cannot be misused; use :func:`workbench.causal.staggered.staggered_did`
(Callaway & Sant'Anna 2021, doi:10.1016/j.jeconom.2020.12.001) for those.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["DiDResult", "difference_in_differences", "panel_from_wide"]

STAGGERED_NOTE = ("one common event date for all treated units (for staggered adoption "
                  "use staggered_did, Callaway-Sant'Anna)")


@dataclass(frozen=True)
class DiDResult:
    """Two-way fixed-effects DiD and its event study.

    Attributes
    ----------
    estimate : Series
        ``coef, se, t, p_value, low, high, n_obs, n_units, n_treated, n_periods`` of
        ``treated x post`` (outcome units per unit-period), errors clustered by unit.
    event_study : DataFrame
        Indexed by relative bin ``k`` (``k = -1`` is the reference, zero by construction):
        ``coef, se, low, high, p_value``.
    pretrend : Series
        Joint Wald test that all leads other than the reference are zero: ``stat, df,
        p_value``.
    alpha : float
    note : str
        What the design assumes (see the module notes on staggered adoption).
    """

    estimate: pd.Series
    event_study: pd.DataFrame
    pretrend: pd.Series
    alpha: float
    note: str = STAGGERED_NOTE

    def to_frame(self) -> pd.DataFrame:
        return self.event_study

    def summary(self) -> pd.Series:
        return self.estimate


def panel_from_wide(wide: pd.DataFrame, name: str = "outcome") -> pd.DataFrame:
    """Long ``unit, period, <name>`` panel from a period x unit frame."""
    long = wide.rename_axis(index="period", columns="unit").stack(future_stack=True)
    return long.rename(name).reset_index()[["unit", "period", name]]


def _fit(frame: pd.DataFrame, outcome: str, regressors: list[str]):
    from linearmodels.panel import PanelOLS
    from threadpoolctl import threadpool_limits

    data = frame.set_index(["unit", "period"])
    model = PanelOLS(data[outcome], data[regressors], entity_effects=True, time_effects=True,
                     drop_absorbed=True, check_rank=False)
    with threadpool_limits(1, user_api="blas"):  # small problems: threads only add waiting
        return model.fit(cov_type="clustered", cluster_entity=True)


def difference_in_differences(panel: pd.DataFrame, treated: Iterable[str], event_date, *,
                              outcome: str = "outcome", leads: int = 4, lags: int = 8,
                              bin_size: int = 1, alpha: float = 0.05) -> DiDResult:
    """TWFE difference-in-differences and event study around one event date.

    Parameters
    ----------
    panel : DataFrame
        Long panel with ``unit``, ``period`` (sorted values, e.g. session dates) and
        ``outcome`` columns; a balanced panel is expected (missing cells are dropped).
    treated : iterable of str
        Units treated from ``event_date`` on; every other unit is a control.
    event_date : date-like
        First treated period (periods before it are pre-treatment).
    leads, lags : int
        Event-study bins before (``-leads .. -1``) and from (``0 .. lags``) the event. The panel
        is restricted to that window, so the DiD compares the same periods.
    bin_size : int
        Periods per event-study bin (e.g. 5 sessions = one week).
    alpha : float
        Confidence intervals are ``1 - alpha``.

    Returns
    -------
    DiDResult

    Notes
    -----
    The DiD coefficient is the average post-event change of the treated units relative to
    the controls, per unit-period, under parallel trends; the leads test that assumption in
    the window. See the module notes for staggered adoption.
    """
    if leads < 2 or lags < 0 or bin_size < 1:
        raise ValueError("need leads >= 2 (the reference is -1), lags >= 0, bin_size >= 1")
    df = panel[["unit", "period", outcome]].dropna().copy()
    periods = pd.Index(df["period"].unique()).sort_values()
    key = pd.Timestamp(event_date) if isinstance(periods, pd.DatetimeIndex) else event_date
    t0 = int(periods.searchsorted(key))
    lo, hi = t0 - leads * bin_size, t0 + (lags + 1) * bin_size
    if lo < 0 or hi > len(periods):
        raise ValueError(f"window of {leads} leads and {lags} lags x {bin_size} periods does "
                         f"not fit: {t0} periods before the event, {len(periods) - t0} from it")
    pos = pd.Series(np.arange(len(periods)), index=periods)
    df["rel"] = pos.reindex(df["period"]).to_numpy() - t0
    df = df[(df["rel"] >= lo - t0) & (df["rel"] < hi - t0)]
    treated = set(map(str, treated))
    df["unit"] = df["unit"].astype(str)
    is_t = df["unit"].isin(treated).to_numpy()
    if not is_t.any() or is_t.all():
        raise ValueError("need treated and control units in the panel")
    df["treat_post"] = (is_t & (df["rel"] >= 0)).astype(float)
    df["bin"] = np.floor_divide(df["rel"].to_numpy(), bin_size)
    bins = [k for k in range(-leads, lags + 1) if k != -1]
    names = [f"k{k}" for k in bins]
    for k, n in zip(bins, names, strict=True):
        df[n] = (is_t & (df["bin"] == k)).astype(float)
    z = stats.norm.ppf(1 - alpha / 2)

    res = _fit(df, outcome, ["treat_post"])
    b, se = float(res.params["treat_post"]), float(res.std_errors["treat_post"])
    estimate = pd.Series({"coef": b, "se": se, "t": b / se if se > 0 else np.nan,
                          "p_value": float(res.pvalues["treat_post"]), "low": b - z * se,
                          "high": b + z * se, "n_obs": int(res.nobs),
                          "n_units": int(df["unit"].nunique()),
                          "n_treated": int(df.loc[is_t, "unit"].nunique()),
                          "n_periods": int(df["period"].nunique())})

    es = _fit(df, outcome, names)
    coef = es.params.reindex(names).to_numpy()
    ses = es.std_errors.reindex(names).to_numpy()
    table = pd.DataFrame({"coef": coef, "se": ses, "low": coef - z * ses, "high": coef + z * ses,
                          "p_value": es.pvalues.reindex(names).to_numpy()},
                         index=pd.Index(bins, name="k"))
    table.loc[-1] = [0.0, 0.0, 0.0, 0.0, np.nan]
    table = table.sort_index()
    lead_names = [n for k, n in zip(bins, names, strict=True) if k < -1]
    bl = es.params.reindex(lead_names).to_numpy()
    V = es.cov.loc[lead_names, lead_names].to_numpy()
    stat = float(bl @ np.linalg.pinv(V) @ bl)
    pretrend = pd.Series({"stat": stat, "df": len(lead_names),
                          "p_value": float(stats.chi2.sf(stat, len(lead_names)))})
    return DiDResult(estimate, table, pretrend, alpha)
