"""Slow, obviously-right references for workbench.causal."""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm


def simplex_weights(y1: np.ndarray, Y0: np.ndarray) -> np.ndarray:
    """Exact convex weights (w >= 0, sum 1) minimizing ||y1 - Y0 w|| with cvxpy."""
    import cvxpy as cp

    w = cp.Variable(Y0.shape[1])
    prob = cp.Problem(cp.Minimize(cp.sum_squares(y1 - Y0 @ w)), [w >= 0, cp.sum(w) == 1])
    prob.solve(solver=cp.CLARABEL, tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12)
    return np.asarray(w.value).clip(0)


def did_dummies(panel: pd.DataFrame, treated, event_date, window: tuple[int, int]):
    """TWFE DiD by plain OLS with unit and period dummies, errors clustered by unit."""
    df = panel.copy()
    periods = pd.Index(np.sort(df["period"].unique()))
    t0 = periods.searchsorted(pd.Timestamp(event_date))
    keep = periods[t0 + window[0]:t0 + window[1]]
    df = df[df["period"].isin(keep)].reset_index(drop=True)
    d = ((df["unit"].isin(list(treated))) & (df["period"] >= periods[t0])).astype(float)
    X = pd.concat([d.rename("d"),
                   pd.get_dummies(df["unit"], prefix="u", drop_first=True, dtype=float),
                   pd.get_dummies(df["period"].astype(str), prefix="t", drop_first=True,
                                  dtype=float)], axis=1)
    X = sm.add_constant(X)
    fit = sm.OLS(df["outcome"].astype(float), X).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(df["unit"])[0]})
    return float(fit.params["d"]), float(fit.bse["d"])


def ols_with_dummies(frame: pd.DataFrame, treatment: str, outcome: str, group: str,
                     numeric=()) -> float:
    """Coefficient of the treatment with one dummy per group (the fixed-effects regression)."""
    X = pd.concat([frame[[treatment, *numeric]].astype(float),
                   pd.get_dummies(frame[group].astype(str), drop_first=True, dtype=float)],
                  axis=1)
    return float(sm.OLS(frame[outcome].astype(float), sm.add_constant(X)).fit().params[treatment])
