"""Multi-period seasonal decomposition (MSTL) and a harmonic cycle forecast with intervals.

Series are one value per session (trading day); periods are in sessions. Future dates are NYSE
sessions, so forecasts never land on weekends or market holidays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.tsa.seasonal import MSTL

from workbench.exceptions import DataError

__all__ = ["Decomposition", "CycleForecast", "decompose_seasonal", "forecast_cycles",
           "future_sessions"]


def future_sessions(index: pd.Index, horizon: int) -> pd.Index:
    """The ``horizon`` sessions after the last index value (NYSE calendar for dates)."""
    if isinstance(index, pd.DatetimeIndex):
        from workbench.data.calendar import add_sessions

        last = index[-1]
        return pd.DatetimeIndex([add_sessions(last, i) for i in range(1, horizon + 1)])
    start = int(index[-1]) + 1 if len(index) else 0
    return pd.RangeIndex(start, start + horizon)


def _clean(series: pd.Series) -> pd.Series:
    if not isinstance(series, pd.Series):
        series = pd.Series(np.asarray(series, dtype=float))
    s = series.astype(float)
    if s.isna().any():
        raise DataError(f"series has {int(s.isna().sum())} missing values; fill or drop them "
                        "(a session with no trades is a 0, not a gap)")
    return s


@dataclass(frozen=True)
class Decomposition:
    """``observed = trend + sum(seasonal_<p>) + resid`` per session.

    Attributes
    ----------
    components : DataFrame
        ``observed, trend, seasonal_<p>... , resid``, indexed like the input.
    periods : tuple of int
        Seasonal periods used (sessions); periods needing more than half the sample are dropped.
    strength : Series
        Seasonal strength per period, ``max(0, 1 - var(resid) / var(seasonal + resid))``
        (Wang, Smith & Hyndman 2006, doi:10.1007/s10618-005-0039-x).
    """

    components: pd.DataFrame
    periods: tuple[int, ...]
    strength: pd.Series

    def to_frame(self) -> pd.DataFrame:
        return self.components.copy()

    def summary(self) -> pd.Series:
        return self.strength.copy()


def decompose_seasonal(series: pd.Series, periods: tuple[int, ...] = (5, 21, 63, 252),
                       *, robust: bool = False) -> Decomposition:
    """MSTL decomposition of a session series into trend, one seasonal per period, remainder.

    Parameters
    ----------
    series : Series
        One value per session (e.g. trade counts by transaction date); no gaps.
    periods : tuple of int
        Seasonal periods in sessions (5 weekly, 21 monthly, 63 quarterly, 252 annual). Periods
        longer than half the series are dropped (MSTL needs two full cycles).
    robust : bool
        Robust LOESS inner fits (slower; for series with outliers).
    """
    s = _clean(series)
    use = tuple(sorted({int(p) for p in periods if 2 <= int(p) <= len(s) // 2}))
    if not use:
        raise DataError(f"no period fits twice in {len(s)} observations: {periods}")
    res = MSTL(s.to_numpy(), periods=list(use), stl_kwargs={"robust": robust}).fit()
    seas = np.asarray(res.seasonal).reshape(len(s), -1)
    comp = pd.DataFrame({"observed": s.to_numpy(), "trend": np.asarray(res.trend)}, index=s.index)
    for j, p in enumerate(use):
        comp[f"seasonal_{p}"] = seas[:, j]
    comp["resid"] = np.asarray(res.resid)
    rv = comp["resid"].var()
    strength = pd.Series({p: max(0.0, 1 - rv / (comp[f"seasonal_{p}"] + comp["resid"]).var())
                          for p in use}, name="strength")
    strength.index.name = "period"
    return Decomposition(comp, use, strength)


@dataclass(frozen=True)
class CycleForecast:
    """Harmonic-regression forecast.

    Attributes
    ----------
    forecast : DataFrame
        Indexed by future session: ``mean``, ``low``, ``high`` (prediction interval at
        ``level``, observation noise included).
    fitted : Series
        In-sample fit.
    periods : tuple of float
    level : float
    """

    forecast: pd.DataFrame
    fitted: pd.Series
    periods: tuple[float, ...]
    level: float

    def to_frame(self) -> pd.DataFrame:
        return self.forecast.copy()

    def summary(self) -> pd.Series:
        return pd.Series({"periods": self.periods, "level": self.level,
                          "horizon": len(self.forecast)})


def _design(t: np.ndarray, periods: tuple[float, ...]) -> np.ndarray:
    cols = [np.ones_like(t), t / max(len(t), 1)]
    for p in periods:
        cols += [np.cos(2 * np.pi * t / p), np.sin(2 * np.pi * t / p)]
    return np.column_stack(cols)


def forecast_cycles(series: pd.Series, periods, horizon: int = 63, *,
                    level: float = 0.9) -> CycleForecast:
    """Forecast a session series from a linear trend plus sinusoids at the given periods.

    Parameters
    ----------
    series : Series
        One value per session.
    periods : sequence of float or CycleResult
        Periods in sessions; a :class:`~workbench.cycles.CycleResult` contributes its
        significant cycles.
    horizon : int
        Sessions ahead.
    level : float
        Coverage of the prediction interval (OLS, observation noise included; residual
        autocorrelation is not modelled, so intervals are optimistic for strongly red residuals).
    """
    s = _clean(series)
    if hasattr(periods, "significant"):
        periods = tuple(periods.significant["period"])
    periods = tuple(float(p) for p in periods)
    t = np.arange(len(s), dtype=float)
    X = _design(t, periods)
    fit = sm.OLS(s.to_numpy(), X).fit()
    tf = np.arange(len(s), len(s) + horizon, dtype=float)
    Xf = _design(tf, periods)
    Xf[:, 1] = tf / max(len(s), 1)
    pred = fit.get_prediction(Xf).summary_frame(alpha=1 - level)
    idx = future_sessions(s.index, horizon)
    out = pd.DataFrame({"mean": pred["mean"].to_numpy(), "low": pred["obs_ci_lower"].to_numpy(),
                        "high": pred["obs_ci_upper"].to_numpy()}, index=idx)
    fitted = pd.Series(fit.fittedvalues, index=s.index, name="fitted")
    return CycleForecast(out, fitted, periods, float(level))
