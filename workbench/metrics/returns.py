"""Performance metrics of periodic (daily by default) simple returns, in the style of empyrical.

Every function is pure, accepts a Series (returns a float) or a DataFrame (returns a Series, one
value per column), ignores NaN periods and takes the frequency explicitly through
``periods_per_year`` (252 for daily sessions). Returns are decimals (0.01 = 1 %).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "cum_returns", "drawdown", "cagr", "annual_return", "annual_volatility", "sharpe_ratio",
    "sortino_ratio", "downside_risk", "max_drawdown", "calmar_ratio", "win_rate", "hit_rate",
    "beta", "ff5_alpha", "DAILY",
]

DAILY = 252


def _apply(returns, fn):
    """Run ``fn`` on each column of a frame (NaN dropped) or on a Series."""
    if isinstance(returns, pd.DataFrame):
        return pd.Series({c: fn(returns[c].dropna()) for c in returns.columns}, dtype=float)
    r = pd.Series(returns, dtype=float).dropna()
    return float(fn(r))


def cum_returns(returns, starting_value: float = 0.0):
    """Compounded cumulative return at each period (NaN periods count as 0).

    With ``starting_value=0`` the result is the cumulative return (0.1 = +10 %); otherwise the
    wealth of an account that started at ``starting_value``.
    """
    r = returns.fillna(0.0) if isinstance(returns, pd.Series | pd.DataFrame) else \
        pd.Series(returns, dtype=float).fillna(0.0)
    growth = (1.0 + r).cumprod()
    return growth - 1.0 if starting_value == 0 else growth * starting_value


def drawdown(returns):
    """Drawdown at each period: wealth over its running peak minus 1 (<= 0).

    The running peak includes the starting wealth of 1, so a loss on the first period is a
    drawdown (empyrical's ``max_drawdown`` omits the starting value).
    """
    wealth = cum_returns(returns, starting_value=1.0)
    peak = np.maximum(wealth.cummax(), 1.0)
    return wealth / peak - 1.0


def cagr(returns, periods_per_year: int = DAILY):
    """Compound annual growth rate: ``prod(1 + r) ** (periods_per_year / n) - 1``."""
    def fn(r):
        if len(r) == 0:
            return np.nan
        growth = float(np.prod(1.0 + r.to_numpy()))
        if growth <= 0:
            return -1.0
        return growth ** (periods_per_year / len(r)) - 1.0
    return _apply(returns, fn)


annual_return = cagr


def annual_volatility(returns, periods_per_year: int = DAILY):
    """Sample standard deviation (ddof=1) of the periodic returns times sqrt(periods_per_year)."""
    return _apply(returns, lambda r: r.std(ddof=1) * np.sqrt(periods_per_year)
                  if len(r) > 1 else np.nan)


def _excess(returns, hurdle):
    if isinstance(hurdle, pd.Series):
        return returns.sub(hurdle, axis=0) if isinstance(returns, pd.DataFrame) else returns - hurdle
    return returns - hurdle


def sharpe_ratio(returns, risk_free=0.0, periods_per_year: int = DAILY):
    """Annualized Sharpe ratio: ``mean(r - rf) / std(r - rf, ddof=1) * sqrt(periods_per_year)``.

    ``risk_free`` is a per-period rate (scalar or a Series aligned on the returns' index).
    """
    ex = _excess(returns, risk_free)

    def fn(r):
        sd = r.std(ddof=1) if len(r) > 1 else np.nan
        return np.nan if not sd or np.isnan(sd) else r.mean() / sd * np.sqrt(periods_per_year)
    return _apply(ex, fn)


def downside_risk(returns, required_return=0.0, periods_per_year: int = DAILY):
    """Annualized downside deviation: ``sqrt(mean(min(r - req, 0) ** 2)) * sqrt(ppy)``."""
    ex = _excess(returns, required_return)
    return _apply(ex, lambda r: np.sqrt(np.mean(np.minimum(r.to_numpy(), 0.0) ** 2))
                  * np.sqrt(periods_per_year) if len(r) else np.nan)


def sortino_ratio(returns, required_return=0.0, periods_per_year: int = DAILY):
    """Annualized Sortino ratio: ``mean(r - req) * ppy / downside_risk`` (empyrical's definition)."""
    ex = _excess(returns, required_return)

    def fn(r):
        if len(r) == 0:
            return np.nan
        dr = np.sqrt(np.mean(np.minimum(r.to_numpy(), 0.0) ** 2)) * np.sqrt(periods_per_year)
        return np.nan if dr == 0 else r.mean() * periods_per_year / dr
    return _apply(ex, fn)


def max_drawdown(returns):
    """Largest peak-to-trough loss of compounded wealth (a negative decimal; 0 if none).

    The starting wealth counts as a peak (see :func:`drawdown`).
    """
    def fn(r):
        if len(r) == 0:
            return np.nan
        wealth = np.cumprod(1.0 + r.to_numpy())
        peak = np.maximum(np.maximum.accumulate(wealth), 1.0)
        return float(np.min(wealth / peak - 1.0))
    return _apply(returns, fn)


def calmar_ratio(returns, periods_per_year: int = DAILY):
    """CAGR over the absolute maximum drawdown (NaN when there is no drawdown)."""
    def fn(r):
        mdd = max_drawdown(r)
        return np.nan if mdd == 0 or np.isnan(mdd) else cagr(r, periods_per_year) / abs(mdd)
    return _apply(returns, fn)


def win_rate(returns):
    """Share of periods (NaN dropped) with a strictly positive return."""
    return _apply(returns, lambda r: float(np.mean(r.to_numpy() > 0)) if len(r) else np.nan)


def hit_rate(returns, benchmark):
    """Share of periods in which ``returns`` strictly beat ``benchmark`` (both non-NaN).

    ``benchmark`` is a per-period Series aligned on the index, or a scalar hurdle.
    """
    ex = _excess(returns, benchmark)
    return _apply(ex, lambda r: float(np.mean(r.to_numpy() > 0)) if len(r) else np.nan)


def beta(returns, factor_returns):
    """OLS slope of ``returns`` on ``factor_returns`` over periods where both are present."""
    def fn(r):
        f = pd.Series(factor_returns, dtype=float).reindex(r.index)
        ok = f.notna()
        x, y = f[ok].to_numpy(), r[ok].to_numpy()
        if len(x) < 2 or np.var(x) == 0:
            return np.nan
        return float(np.cov(y, x, ddof=1)[0, 1] / np.var(x, ddof=1))
    return _apply(returns, fn)


def ff5_alpha(returns, factors: pd.DataFrame, periods_per_year: int = DAILY,
              subtract_rf: bool = True):
    """Annualized Fama-French five-factor alpha: daily OLS intercept times ``periods_per_year``.

    ``factors`` holds daily decimals ``Mkt-RF, SMB, HML, RMW, CMA`` (and ``RF``, subtracted from
    the returns first when ``subtract_rf``; pass ``False`` for long-short, self-financing
    returns). Use :func:`workbench.factors.fit_factor_model` for standard errors.
    """
    cols = ["Mkt-RF", "SMB", "HML", "RMW", "CMA"]

    def fn(r):
        f = factors.reindex(r.index)
        y = r - f["RF"] if subtract_rf else r
        data = pd.concat([y.rename("y"), f[cols]], axis=1).dropna()
        if len(data) <= len(cols) + 1:
            return np.nan
        X = np.column_stack([np.ones(len(data)), data[cols].to_numpy()])
        coef, *_ = np.linalg.lstsq(X, data["y"].to_numpy(), rcond=None)
        return float(coef[0] * periods_per_year)
    return _apply(returns, fn)
