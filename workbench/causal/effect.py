"""Trade-level effect estimates with DoWhy: identify -> estimate -> refute.

:func:`estimate_effect` states the causal graph through its common causes (back-door
adjustment), estimates the average effect of a binary treatment on an outcome by linear
regression, and runs DoWhy's refuters beside the estimate:

- ``placebo_treatment_refuter`` (treatment permuted: the effect should vanish);
- ``random_common_cause`` (an independent random confounder added: the effect should not move);
- ``data_subset_refuter`` (random 80% subsets: the effect should not move).

A refuter *passes* when DoWhy's test finds its simulated effects consistent with what they
should be (``is_statistically_significant`` false). Fixed effects (e.g. the trader) are
absorbed by the within transformation: outcome, treatment and numeric common causes are demeaned
within each group before DoWhy sees them. For linear regression this gives exactly the
coefficient of the dummy-variable regression (Frisch-Waugh-Lovell) at a fraction of the cost
of one-hot encoding inside every refuter simulation; the standard error beside it is clustered
by that group (statsmodels), since trades of one politician are not independent.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["EffectResult", "estimate_effect", "REFUTERS"]

REFUTERS = ("placebo_treatment_refuter", "random_common_cause", "data_subset_refuter")
_REFUTER_KW = {"placebo_treatment_refuter": {"placebo_type": "permute"},
               "data_subset_refuter": {"subset_fraction": 0.8}}


@dataclass(frozen=True)
class EffectResult:
    """A DoWhy estimate and its refutations.

    Attributes
    ----------
    estimate : Series
        ``effect, low, high, p_value`` (DoWhy's linear-regression estimate and interval),
        ``se_clustered, p_clustered`` (errors clustered by the fixed-effect group, NaN
        without one), ``n, n_treated, n_groups``.
    refutations : DataFrame
        One row per refuter: ``refuter, estimated_effect, new_effect, p_value, passed,
        simulations``.
    estimand : str
        DoWhy's identified estimand (text).
    treatment, outcome : str
    common_causes : tuple of str
    fixed_effects : str or None
    """

    estimate: pd.Series
    refutations: pd.DataFrame
    estimand: str
    treatment: str
    outcome: str
    common_causes: tuple[str, ...]
    fixed_effects: str | None

    def to_frame(self) -> pd.DataFrame:
        """The estimate and the refuters side by side (one row each)."""
        head = pd.DataFrame([{"refuter": "estimate", "estimated_effect": self.estimate["effect"],
                              "new_effect": np.nan, "p_value": self.estimate["p_value"],
                              "passed": pd.NA, "simulations": 0}])
        return pd.concat([head, self.refutations], ignore_index=True)

    def summary(self) -> pd.Series:
        return self.estimate

    @property
    def all_passed(self) -> bool:
        return bool(self.refutations["passed"].all())


def _within(frame: pd.DataFrame, cols: Sequence[str], group: str) -> pd.DataFrame:
    out = frame.copy()
    g = out.groupby(group, observed=True)
    for c in cols:
        out[c] = out[c].astype(float) - g[c].transform("mean").astype(float)
    return out


def _clustered(y, t, X, groups):
    import statsmodels.api as sm

    design = np.column_stack([t, X]) if X.shape[1] else t[:, None]
    fit = sm.OLS(y, design).fit(cov_type="cluster", cov_kwds={"groups": groups})
    return float(fit.bse[0]), float(fit.pvalues[0])


def estimate_effect(frame: pd.DataFrame, treatment: str, outcome: str,
                    common_causes: Sequence[str], *, fixed_effects: str | None = None,
                    refuters: Sequence[str] = REFUTERS, num_simulations: int = 20,
                    alpha: float = 0.05, random_state: int = 0) -> EffectResult:
    """Average effect of binary ``treatment`` on ``outcome`` with DoWhy, and its refutations.

    Parameters
    ----------
    frame : DataFrame
        One row per unit (e.g. per trade). Rows with a missing value in any used column are
        dropped.
    treatment : str
        Boolean (or 0/1) column.
    outcome : str
        Numeric column.
    common_causes : sequence of str
        Numeric or categorical columns that affect both treatment and outcome (back-door set).
        Categorical ones are one-hot encoded (first level dropped).
    fixed_effects : str, optional
        Column whose groups get their own intercept (absorbed by demeaning, see module notes).
    refuters : sequence of str
        DoWhy refuter method names (default: the three of :data:`REFUTERS`).
    num_simulations : int
        Simulations per refuter (DoWhy's default is 100; keep small in tests).
    random_state : int
        Seed of the refuters.

    Returns
    -------
    EffectResult

    Notes
    -----
    Sharma & Kiciman (2020), "DoWhy: An End-to-End Library for Causal Inference",
    arXiv:2011.04216. Identification assumes no unobserved confounding given the common causes
    (and the fixed effects); the refuters can falsify an estimate, never prove it.
    """
    from dowhy import CausalModel

    cols = [treatment, outcome, *common_causes] + ([fixed_effects] if fixed_effects else [])
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise ValueError(f"columns not in frame: {missing}")
    df = frame[cols].dropna().reset_index(drop=True)
    df[treatment] = df[treatment].astype(bool)
    if df[treatment].nunique() < 2:
        raise ValueError(f"treatment {treatment!r} takes one value only")
    # Categorical common causes -> dummies (DoWhy's regression needs numbers after demeaning).
    cats = [c for c in common_causes if not pd.api.types.is_numeric_dtype(df[c])
            or pd.api.types.is_bool_dtype(df[c])]
    dummies = pd.get_dummies(df[cats].astype(str), drop_first=True, dtype=float) if cats else \
        pd.DataFrame(index=df.index)
    dummies.columns = [f"cc{i}" for i in range(dummies.shape[1])]  # safe names for formulas
    nums = [c for c in common_causes if c not in cats]
    work = pd.concat([df[[treatment, outcome, *nums]].astype(float), dummies], axis=1)
    work.columns = ["treat", "outcome"] + [f"n{i}" for i in range(len(nums))] + list(dummies)
    causes = list(work.columns[2:])
    groups = None
    if fixed_effects:
        groups = pd.factorize(df[fixed_effects])[0]
        work["_g"] = groups
        work = _within(work, ["treat", "outcome", *causes], "_g").drop(columns="_g")
        # A dummy that is constant within every group is absorbed by the fixed effects.
        causes = [c for c in causes if work[c].abs().max() > 1e-12]
        work = work[["treat", "outcome", *causes]]
    se_cl = p_cl = np.nan
    if groups is not None:
        se_cl, p_cl = _clustered(work["outcome"].to_numpy(), work["treat"].to_numpy(),
                                 work[causes].to_numpy(), groups)
    from threadpoolctl import threadpool_limits

    prev = logging.root.manager.disable
    logging.disable(logging.WARNING)  # DoWhy logs every step at INFO/WARNING
    try:
        # Many small regressions: BLAS threads only add synchronisation (10x slower on 2 busy
        # cores, measured).
        with warnings.catch_warnings(), threadpool_limits(1, user_api="blas"):
            warnings.simplefilter("ignore")
            model = CausalModel(data=work, treatment="treat", outcome="outcome",
                                common_causes=causes or None)
            ident = model.identify_effect(proceed_when_unidentifiable=True)
            est = model.estimate_effect(ident, method_name="backdoor.linear_regression",
                                        test_significance=True, confidence_intervals=True,
                                        control_value=0, treatment_value=1)
            ci = np.asarray(est.get_confidence_intervals(confidence_level=1 - alpha)).ravel()
            p = float(np.asarray(est.test_stat_significance()["p_value"]).ravel()[0])
            rows = []
            for i, name in enumerate(refuters):
                r = model.refute_estimate(ident, est, method_name=name,
                                          num_simulations=num_simulations,
                                          random_seed=random_state + i,
                                          **_REFUTER_KW.get(name, {}))
                res = r.refutation_result or {}
                rows.append({"refuter": name, "estimated_effect": float(r.estimated_effect),
                             "new_effect": float(np.asarray(r.new_effect).ravel()[0]),
                             "p_value": float(res.get("p_value", np.nan)),
                             "passed": not bool(res.get("is_statistically_significant", False)),
                             "simulations": num_simulations})
    finally:
        logging.disable(prev)
    estimate = pd.Series({"effect": float(est.value), "low": float(ci[0]), "high": float(ci[-1]),
                          "p_value": p, "se_clustered": se_cl, "p_clustered": p_cl,
                          "n": len(work), "n_treated": int(df[treatment].sum()),
                          "n_groups": int(len(np.unique(groups))) if groups is not None else 0})
    return EffectResult(estimate, pd.DataFrame(rows), str(ident), treatment, outcome,
                        tuple(common_causes), fixed_effects)
