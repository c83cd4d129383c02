"""Factor-model attribution with Newey-West (HAC) inference, and group comparisons.

Models regress daily (excess) returns on Fama-French factors, decimals per session:

* ``capm``: Mkt-RF
* ``ff3``: Mkt-RF, SMB, HML (Fama and French 1993, doi:10.1016/0304-405X(93)90023-5)
* ``ff5``: Mkt-RF, SMB, HML, RMW, CMA (Fama and French 2015, doi:10.1016/j.jfineco.2014.10.010)

Standard errors are Newey-West (1987, doi:10.2307/1913610) with ``floor(4 (T/100)^(2/9))``
lags by default; calendar-time portfolios of overlapping holding periods are autocorrelated,
so plain OLS errors would overstate significance. Alphas are annualized arithmetically
(daily intercept x ``periods_per_year``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from workbench.exceptions import DataError

__all__ = ["FactorResult", "GroupComparison", "fit_factor_model", "compare_groups", "MODELS",
           "default_hac_lags"]

MODELS = {
    "capm": ("Mkt-RF",),
    "ff3": ("Mkt-RF", "SMB", "HML"),
    "ff5": ("Mkt-RF", "SMB", "HML", "RMW", "CMA"),
}


def default_hac_lags(n_obs: int) -> int:
    """Newey-West rule of thumb ``floor(4 * (n / 100) ** (2 / 9))``."""
    return int(np.floor(4 * (max(n_obs, 1) / 100.0) ** (2.0 / 9.0)))


@dataclass(frozen=True)
class FactorResult:
    """A fitted factor model of one daily return series.

    Attributes
    ----------
    model : str
        ``capm``, ``ff3`` or ``ff5``.
    alpha : float
        Annualized intercept (decimal per year: daily intercept x periods_per_year).
    alpha_se, alpha_t, alpha_p : float
        HAC standard error (annualized), t-statistic and two-sided p-value of the intercept.
    betas, beta_se, beta_t, beta_p : Series
        Factor loadings and their HAC inference, indexed by factor name.
    r_squared, adj_r_squared : float
    resid_vol : float
        Annualized residual volatility (std of residuals x sqrt(periods_per_year)).
    n_obs, hac_lags, periods_per_year : int
    attribution : Series
        Mean annualized return split into ``RF`` (when subtracted), ``alpha`` and each factor's
        ``beta x mean(factor)``; they sum to ``total``, the mean annualized return.
    residuals : Series
        Daily residuals.
    confidence : float
        Level of the ``ci_low``/``ci_high`` columns of :meth:`to_frame`.
    """

    model: str
    alpha: float
    alpha_se: float
    alpha_t: float
    alpha_p: float
    betas: pd.Series
    beta_se: pd.Series
    beta_t: pd.Series
    beta_p: pd.Series
    r_squared: float
    adj_r_squared: float
    resid_vol: float
    n_obs: int
    hac_lags: int
    periods_per_year: int
    attribution: pd.Series
    residuals: pd.Series
    confidence: float = 0.95

    def alpha_ci(self) -> tuple[float, float]:
        """Two-sided confidence interval of the annualized alpha (normal approximation)."""
        z = stats.norm.ppf(0.5 + self.confidence / 2)
        return self.alpha - z * self.alpha_se, self.alpha + z * self.alpha_se

    def to_frame(self) -> pd.DataFrame:
        """One row per coefficient (alpha annualized; betas unitless) with HAC inference."""
        z = stats.norm.ppf(0.5 + self.confidence / 2)
        coef = pd.concat([pd.Series({"alpha": self.alpha}), self.betas])
        se = pd.concat([pd.Series({"alpha": self.alpha_se}), self.beta_se])
        t = pd.concat([pd.Series({"alpha": self.alpha_t}), self.beta_t])
        p = pd.concat([pd.Series({"alpha": self.alpha_p}), self.beta_p])
        return pd.DataFrame({"coef": coef, "se": se, "t": t, "p": p,
                             "ci_low": coef - z * se, "ci_high": coef + z * se})

    def summary(self) -> pd.Series:
        lo, hi = self.alpha_ci()
        out = {"model": self.model, "alpha": self.alpha, "alpha_se": self.alpha_se,
               "alpha_t": self.alpha_t, "alpha_p": self.alpha_p, "alpha_ci_low": lo,
               "alpha_ci_high": hi, "r_squared": self.r_squared, "resid_vol": self.resid_vol,
               "n_obs": self.n_obs, "hac_lags": self.hac_lags}
        out.update({f"beta_{k}": v for k, v in self.betas.items()})
        return pd.Series(out)


def fit_factor_model(returns: pd.Series, factors: pd.DataFrame, model: str = "ff5",
                     hac_lags: int | None = None, subtract_rf: bool = True,
                     periods_per_year: int = 252, confidence: float = 0.95) -> FactorResult:
    """Regress daily returns on factor returns with Newey-West standard errors.

    Parameters
    ----------
    returns : Series
        Daily simple returns (decimals) indexed by session; NaN sessions are dropped.
    factors : DataFrame
        Daily factor returns in decimals (``Mkt-RF, SMB, HML, RMW, CMA, RF``) by date.
    model : {"capm", "ff3", "ff5"}
    hac_lags : int, optional
        Newey-West lags; default :func:`default_hac_lags` of the sample size. 0 gives White
        heteroskedasticity-robust errors.
    subtract_rf : bool
        Regress ``returns - RF`` (a long portfolio). Use ``False`` for zero-investment
        (long-short, difference) returns.
    periods_per_year : int
        Annualization of alpha and residual volatility.

    Returns
    -------
    FactorResult
    """
    if model not in MODELS:
        raise ValueError(f"model must be one of {tuple(MODELS)}, not {model!r}")
    cols = list(MODELS[model])
    need = cols + (["RF"] if subtract_rf else [])
    missing = [c for c in need if c not in factors.columns]
    if missing:
        raise DataError(f"factors lack columns {missing}")
    r = pd.Series(returns, dtype=float).rename("y")
    f = factors.reindex(r.index)[need]
    data = pd.concat([r, f], axis=1).dropna()
    if subtract_rf:
        data["y"] = data["y"] - data["RF"]
    n, k = len(data), len(cols)
    if n < k + 3:
        raise DataError(f"only {n} sessions with both returns and factors; need > {k + 2}")
    lags = default_hac_lags(n) if hac_lags is None else int(hac_lags)
    X = sm.add_constant(data[cols], has_constant="add")
    fit = sm.OLS(data["y"], X).fit(cov_type="HAC", cov_kwds={"maxlags": lags})
    ppy = periods_per_year
    params, bse = fit.params, fit.bse
    betas = params[cols]
    attribution = {"alpha": params["const"] * ppy}
    for c in cols:
        attribution[c] = betas[c] * data[c].mean() * ppy
    if subtract_rf:
        attribution = {"RF": data["RF"].mean() * ppy} | attribution
    attribution["total"] = sum(attribution.values())
    return FactorResult(
        model=model, alpha=float(params["const"] * ppy), alpha_se=float(bse["const"] * ppy),
        alpha_t=float(fit.tvalues["const"]), alpha_p=float(fit.pvalues["const"]),
        betas=betas.rename("beta"), beta_se=bse[cols].rename("se"),
        beta_t=fit.tvalues[cols].rename("t"), beta_p=fit.pvalues[cols].rename("p"),
        r_squared=float(fit.rsquared), adj_r_squared=float(fit.rsquared_adj),
        resid_vol=float(np.std(fit.resid, ddof=k + 1) * np.sqrt(ppy)), n_obs=n,
        hac_lags=lags, periods_per_year=ppy, attribution=pd.Series(attribution),
        residuals=fit.resid.rename("residual"), confidence=confidence)


@dataclass(frozen=True)
class GroupComparison:
    """Factor exposures and alphas of several groups, and each group's difference to a base.

    Attributes
    ----------
    fits : tuple of (group, FactorResult)
    table : DataFrame
        ``group, term, coef, se, t, p, ci_low, ci_high`` (term ``alpha`` annualized, or a
        factor's beta).
    differences : DataFrame
        For each non-base group: the factor model of ``group - base`` daily returns on common
        sessions (zero-investment, no RF subtracted): ``group, base, term, coef, se, t, p,
        ci_low, ci_high, n_obs``.
    """

    fits: tuple
    table: pd.DataFrame
    differences: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def summary(self) -> pd.DataFrame:
        return pd.DataFrame({g: f.summary() for g, f in self.fits}).T


def compare_groups(returns: pd.DataFrame, factors: pd.DataFrame, model: str = "ff5",
                   base: str | None = None, hac_lags: int | None = None,
                   confidence: float = 0.95, subtract_rf: bool = True) -> GroupComparison:
    """Fit the same factor model to each group's daily returns and test differences.

    ``returns`` is session x group (e.g. :attr:`GroupPortfolios.returns` by party). The
    difference of two long portfolios is zero-investment, so it is regressed without RF; its
    alpha is the alpha gap with a HAC confidence interval.
    """
    groups = [g for g in returns.columns if returns[g].notna().sum() > 0]
    if not groups:
        raise DataError("no group has any return")
    base = groups[0] if base is None else base
    fits, rows, diffs = [], [], []
    for g in groups:
        fr = fit_factor_model(returns[g], factors, model, hac_lags, subtract_rf,
                              confidence=confidence)
        fits.append((g, fr))
        rows.append(fr.to_frame().rename_axis("term").reset_index().assign(group=g))
    for g in groups:
        if g == base:
            continue
        d = (returns[g] - returns[base]).dropna()
        fr = fit_factor_model(d, factors, model, hac_lags, subtract_rf=False,
                              confidence=confidence)
        diffs.append(fr.to_frame().rename_axis("term").reset_index()
                     .assign(group=g, base=base, n_obs=fr.n_obs))
    table = pd.concat(rows, ignore_index=True)
    table = table[["group"] + [c for c in table.columns if c != "group"]]
    cols = ["group", "base", "term", "coef", "se", "t", "p", "ci_low", "ci_high", "n_obs"]
    differences = (pd.concat(diffs, ignore_index=True)[cols] if diffs
                   else pd.DataFrame(columns=cols))
    return GroupComparison(tuple(fits), table, differences)
