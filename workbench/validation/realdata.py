"""Real-data MDE: the smallest factor alpha a calendar-time test would detect in this sample.

A report that finds "no significant alpha" should say how large an alpha it could have seen.
:func:`alpha_mde` answers for one portfolio's daily returns: fit the factor model, keep the
fitted factor part and the residuals, resample the residuals with a circular block bootstrap
(Politis and Romano 1992; blocks of ``block_length`` sessions keep their autocorrelation and
volatility clustering), plant a constant annualized alpha, and refit with the same Newey-West
test. Power at each planted alpha is the share of replicates rejecting at ``level``; the MDE is
where it reaches 80%. The null is the real sample with its own alpha removed, so the answer
keeps the real number of sessions, their gaps, the holding-period overlap and the fat tails.

Planting a constant per-session alpha is the same as planting it in every position: an
equal-weight, daily rebalanced portfolio of positions that each earn ``a`` more per session
earns ``a`` more per session itself. OLS is linear, so the planted alpha shifts each
replicate's intercept by exactly ``a`` and leaves its residuals, hence its HAC standard error,
unchanged: one bootstrap serves every planted size (common random numbers across the curve).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from workbench.validation.power import binomial_interval, crossing, t_test_power

__all__ = ["AlphaMDEResult", "alpha_mde", "portfolio_alpha_mde", "store_alpha_mde",
           "mde_findings", "hac_intercept", "circular_block_indices"]


def circular_block_indices(n: int, block_length: int, n_boot: int,
                           rng: np.random.Generator) -> np.ndarray:
    """``n x n_boot`` row indices of a circular block bootstrap (blocks wrap around the end)."""
    n_blocks = -(-n // block_length)
    starts = rng.integers(0, n, size=(n_blocks, n_boot))
    offsets = np.arange(block_length)
    idx = (starts[:, None, :] + offsets[None, :, None]) % n
    return idx.reshape(n_blocks * block_length, n_boot)[:n]


def hac_intercept(X: np.ndarray, Y: np.ndarray, lags: int) -> tuple[np.ndarray, np.ndarray]:
    """Intercept and its Newey-West standard error of OLS of each column of ``Y`` on ``X``.

    ``X`` holds the constant in column 0. Bartlett weights ``1 - l / (lags + 1)``, no
    small-sample factor: statsmodels' ``cov_type="HAC"`` as :func:`workbench.factors.
    fit_factor_model` calls it (checked against it in tests/validation). Vectorized over the
    columns of ``Y``.
    """
    A = np.linalg.inv(X.T @ X)
    coef = A @ (X.T @ Y)
    U = Y - X @ coef
    g = (X @ A[0])[:, None] * U
    var = np.einsum("ij,ij->j", g, g)
    for lag in range(1, lags + 1):
        var += 2 * (1 - lag / (lags + 1)) * np.einsum("ij,ij->j", g[lag:], g[:-lag])
    return coef[0], np.sqrt(var)


@dataclass(frozen=True)
class AlphaMDEResult:
    """Power of a calendar-time alpha test on one real portfolio, by planted alpha.

    Attributes
    ----------
    curve : DataFrame
        ``alpha`` (planted, annualized decimal), ``power``, ``ci_low``, ``ci_high`` (exact binomial, over
        the bootstrap replicates) and ``closed_form_power`` (normal test with the observed SE).
    mde, mde_low, mde_high : float
        Annualized alpha detected with the target power, and its Monte Carlo interval.
    closed_form_mde : float
        ``(z_{1-level/2} + z_target) x observed SE``, the textbook approximation.
    observed_alpha, observed_se : float
        The portfolio's own annualized alpha and HAC SE.
    null_rate : float
        Rejection rate with no planted alpha (should be close to ``level``).
    n_obs, block_length, n_boot, hac_lags : int
    model, description : str
    level, target : float
    """

    curve: pd.DataFrame
    mde: float
    mde_low: float
    mde_high: float
    closed_form_mde: float
    observed_alpha: float
    observed_se: float
    null_rate: float
    n_obs: int
    block_length: int
    n_boot: int
    hac_lags: int
    model: str
    level: float
    target: float
    description: str = ""

    def to_frame(self) -> pd.DataFrame:
        return self.curve

    def summary(self) -> pd.Series:
        return pd.Series({"description": self.description, "model": self.model,
                          "sessions": self.n_obs, "observed_alpha": self.observed_alpha,
                          "observed_se": self.observed_se, "mde": self.mde,
                          "mde_low": self.mde_low, "mde_high": self.mde_high,
                          "closed_form_mde": self.closed_form_mde, "null_rate": self.null_rate,
                          "level": self.level, "target": self.target,
                          "block_length": self.block_length, "n_boot": self.n_boot})

    def upper_bound(self, confidence: float = 0.95) -> float:
        """One-sided upper confidence bound of the observed alpha (normal, HAC SE)."""
        return self.observed_alpha + stats.norm.ppf(confidence) * self.observed_se

    def significant(self) -> bool:
        """Whether the observed alpha itself is significant at ``level`` (normal, HAC SE)."""
        z = stats.norm.ppf(1 - self.level / 2)
        return bool(abs(self.observed_alpha) > z * self.observed_se)

    def statement(self) -> str:
        """One sentence a report can quote (what the test could see, and what it saw)."""
        what = self.description or "this portfolio"
        head = (f"For {what}, a {self.model.upper()} alpha of {100 * self.mde:+.1f}%/yr "
                f"[{100 * self.mde_low:.1f}, {100 * self.mde_high:.1f}] would be detected "
                f"{self.target:.0%} of the time (Newey-West test at {self.level:.0%}); the "
                f"observed alpha is {100 * self.observed_alpha:+.1f}%/yr "
                f"(SE {100 * self.observed_se:.1f})")
        if self.significant():
            return head + ", which the test detects."
        return head + (f", not significant, so the data show no edge larger than about "
                       f"{100 * self.mde:.1f}%/yr.")

    def findings(self, *, real: bool = True) -> list:
        """One finding; ``real`` prefixes it with "Real data, not simulated:" (for reports on
        synthetic data whose banner would otherwise cover it)."""
        from workbench.reports.findings import Finding

        prefix = "Real data, not simulated: " if real else ""
        return [Finding(f"{prefix}{self.statement()}", "info",
                        f"{self.n_obs} sessions; circular block bootstrap of the "
                        f"{self.model.upper()} residuals (blocks of {self.block_length} "
                        f"sessions, {self.n_boot} replicates); rejection rate with no planted "
                        f"alpha {self.null_rate:.1%} at level {self.level:.0%}; closed form "
                        f"{100 * self.closed_form_mde:.1f}%/yr.")]


def alpha_mde(returns: pd.Series, factors: pd.DataFrame, model: str = "ff5", *,
              subtract_rf: bool = True, sizes=None, n_boot: int = 2000, block_length: int = 21,
              level: float = 0.05, target: float = 0.8, hac_lags: int | None = None,
              periods_per_year: int = 252, random_state: int = 0,
              description: str = "") -> AlphaMDEResult:
    """Minimum detectable annualized alpha of a daily return series, by residual bootstrap.

    Parameters
    ----------
    returns : Series
        Daily portfolio returns (decimals) by session, e.g.
        :attr:`workbench.factors.PortfolioResult.returns`; NaN sessions are dropped as in
        :func:`workbench.factors.fit_factor_model`.
    factors : DataFrame
        Daily factors in decimals.
    model : {"capm", "ff3", "ff5"}
    subtract_rf : bool
        As in :func:`~workbench.factors.fit_factor_model` (False for long-short returns).
    sizes : sequence of float, optional
        Planted annualized alphas; default 0 to 4 observed SEs in 41 steps.
    n_boot, block_length : int
        Bootstrap replicates and block length in sessions (21: one month, well past the lags at
        which calendar-time residuals are autocorrelated, and keeps volatility clusters).
    level, target : float
        Two-sided test level and the power at which the MDE is read.
    hac_lags : int, optional
        Newey-West lags; default the rule of :func:`workbench.factors.model.default_hac_lags`.

    Returns
    -------
    AlphaMDEResult
    """
    from workbench.factors import fit_factor_model
    from workbench.factors.model import MODELS, default_hac_lags

    fit = fit_factor_model(returns, factors, model, hac_lags, subtract_rf,
                           periods_per_year=periods_per_year)
    resid = fit.residuals.to_numpy()
    n = len(resid)
    lags = default_hac_lags(n) if hac_lags is None else int(hac_lags)
    X = np.column_stack([np.ones(n), factors.reindex(fit.residuals.index)[list(MODELS[model])]
                         .to_numpy()])
    rng = np.random.default_rng(random_state)
    E = resid[circular_block_indices(n, int(block_length), int(n_boot), rng)]
    eps, se = hac_intercept(X, E, lags)
    eps, se = eps * periods_per_year, se * periods_per_year
    if sizes is None:
        sizes = np.linspace(0.0, 4.0 * fit.alpha_se, 41)
    sizes = np.asarray(sorted(float(s) for s in sizes))
    z = stats.norm.ppf(1 - level / 2)
    detected = np.array([int((np.abs(a + eps) / se > z).sum()) for a in sizes])
    lo, hi = binomial_interval(detected, np.full(len(sizes), len(se)))
    curve = pd.DataFrame({"alpha": sizes, "power": detected / len(se), "ci_low": lo,
                          "ci_high": hi,
                          "closed_form_power": t_test_power(sizes, fit.alpha_se, 1e9, level)})
    null = curve.loc[curve["alpha"] == 0, "power"]
    return AlphaMDEResult(
        curve=curve, mde=crossing(sizes, curve["power"], target),
        mde_low=crossing(sizes, curve["ci_high"], target),
        mde_high=crossing(sizes, curve["ci_low"], target),
        closed_form_mde=float((z + stats.norm.ppf(target)) * fit.alpha_se),
        observed_alpha=fit.alpha, observed_se=fit.alpha_se,
        null_rate=float(null.iloc[0]) if len(null) else math.nan, n_obs=n,
        block_length=int(block_length), n_boot=int(n_boot), hac_lags=lags, model=model,
        level=level, target=target, description=description)


def portfolio_alpha_mde(trades: pd.DataFrame, prices: pd.DataFrame, factors: pd.DataFrame, *,
                        chamber: str | None = "senate", side: str = "buy",
                        holding_days: int = 63, entry: str = "disclosure",
                        weight: str = "equal", start=None, end=None,
                        **kwargs) -> AlphaMDEResult:
    """:func:`alpha_mde` of the calendar-time portfolio of a chamber's stock trades.

    The portfolio is :func:`workbench.factors.calendar_time_portfolio` (entry at the close of
    the first session after the **disclosure** date by default: what the public could trade).
    Trades with a transaction date from ``start`` to ``end`` are held (default: all), and the
    regression sample is cut to the same span (positions opened after it from late filings
    are cut, as in benchmarks/real_senate_alphas.py).
    """
    from workbench.factors import calendar_time_portfolio

    sel = trades if chamber is None else trades[trades["chamber"] == chamber]
    if not len(sel):
        raise ValueError(f"no trades of chamber {chamber!r}")
    start = pd.Timestamp(start) if start is not None else sel["transaction_date"].min()
    end = pd.Timestamp(end) if end is not None else sel["transaction_date"].max()
    sel = sel[sel["transaction_date"].between(start, end)]
    pf = calendar_time_portfolio(sel, prices, side, holding_days, weight=weight, entry=entry)
    returns = pf.returns.loc[start:end].dropna()
    who = f"{chamber.capitalize()} " if chamber else ""
    desc = kwargs.pop("description", None) or (
        f"{who}stock {side}s held {holding_days} sessions after {entry} "
        f"({int(pf.positions['covered'].sum()):,} of {len(pf.positions):,} trades priced, "
        f"{start:%Y-%m-%d} to {end:%Y-%m-%d})")
    return alpha_mde(returns, factors, subtract_rf=side != "long_short", description=desc,
                     **kwargs)


def store_alpha_mde(store: str, *, holding_days: int = 63, chamber: str = "senate",
                    **kwargs) -> AlphaMDEResult | None:
    """:func:`portfolio_alpha_mde` of a chamber's buys in a DuckDB store; None for ``""``.

    For notebooks: the real-data MDE is computed only when a store is given.
    """
    if not store:
        return None
    from workbench.data import load_universe

    u = load_universe(store)
    return portfolio_alpha_mde(u.trades, u.prices, u.factors, chamber=chamber,
                               holding_days=holding_days, **kwargs)


def mde_findings(result: AlphaMDEResult | None) -> list:
    """The findings of a real-data MDE (none when it was not computed)."""
    return [] if result is None else result.findings()
