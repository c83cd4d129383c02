"""Prophet forecasts on trading-day series, with market holidays and election days.

Prophet is fitted on session dates only and predicts only future sessions, so its weekly
seasonality never invents weekend values. Market holidays enter as holidays with a one-session
window either side (the sessions around a closure), federal election days with a week either side.

Taylor, S. J. & Letham, B. (2018). Forecasting at scale. The American Statistician 72(1), 37-45.
doi:10.1080/00031305.2017.1380080
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.cycles.decomposition import future_sessions
from workbench.exceptions import DataError

__all__ = ["ProphetForecast", "forecast_prophet", "market_holidays"]


def market_holidays(start, end) -> pd.DataFrame:
    """Prophet holidays frame: NYSE weekday closures and US general election days."""
    from workbench.data.calendar import election_days, nyse_holidays

    hol = nyse_holidays(start, end)
    el = election_days(start, end)
    frames = [
        pd.DataFrame({"holiday": "market_holiday", "ds": hol, "lower_window": -1,
                      "upper_window": 1}),
        pd.DataFrame({"holiday": "election_day", "ds": el, "lower_window": -7,
                      "upper_window": 7}),
    ]
    return pd.concat(frames, ignore_index=True)


@dataclass(frozen=True)
class ProphetForecast:
    """In-sample fit and forecast.

    Attributes
    ----------
    forecast : DataFrame
        Indexed by session (history then the ``horizon`` future sessions): ``observed`` (NaN in
        the future), ``yhat``, ``yhat_lower``, ``yhat_upper`` (interval at ``interval_width``),
        ``trend`` and the seasonal/holiday components Prophet produced (``weekly``, ``yearly``,
        ``holidays``...). On the original scale; with ``log1p=True`` components stay on the
        log scale.
    horizon : int
    interval_width : float
    """

    forecast: pd.DataFrame
    horizon: int
    interval_width: float
    log1p: bool

    def to_frame(self) -> pd.DataFrame:
        return self.forecast.copy()

    def summary(self) -> pd.Series:
        fut = self.forecast[self.forecast["observed"].isna()]
        return pd.Series({"horizon": self.horizon, "interval_width": self.interval_width,
                          "mean_forecast": float(fut["yhat"].mean())})


def forecast_prophet(series: pd.Series, horizon: int = 63, *, holidays: bool = True,
                     yearly: bool = True, weekly: bool = True, log1p: bool = False,
                     interval_width: float = 0.8, uncertainty_samples: int = 200,
                     random_state: int | None = None) -> ProphetForecast:
    """Fit Prophet to a per-session series and forecast ``horizon`` sessions.

    Parameters
    ----------
    series : Series
        Indexed by session dates (e.g. daily trade counts by transaction date, or returns).
    horizon : int
        Future sessions (NYSE calendar).
    holidays : bool
        Add NYSE closures and election days (:func:`market_holidays`).
    log1p : bool
        Model ``log1p(y)`` (counts); ``yhat`` and its interval are mapped back with ``expm1``.
    uncertainty_samples : int
        Posterior draws for the intervals; seeded by ``random_state``.
    """
    from prophet import Prophet

    if not isinstance(series.index, pd.DatetimeIndex):
        raise DataError("Prophet needs a date-indexed series")
    s = series.dropna().astype(float)
    if len(s) < 30:
        raise DataError(f"need at least 30 observations, got {len(s)}")
    if log1p and (s < 0).any():
        raise DataError("log1p needs non-negative values")
    # Yearly seasonality needs two years of history (Prophet warns and over-fits otherwise).
    yearly = yearly and (s.index[-1] - s.index[0]).days >= 730
    df = pd.DataFrame({"ds": s.index, "y": np.log1p(s.to_numpy()) if log1p else s.to_numpy()})
    hol = None
    if holidays:
        hol = market_holidays(s.index.min(), s.index.max() + pd.Timedelta(days=2 * horizon + 30))
    model = Prophet(yearly_seasonality=yearly, weekly_seasonality=weekly,
                    daily_seasonality=False, holidays=hol, interval_width=interval_width,
                    uncertainty_samples=uncertainty_samples)
    fut = pd.DataFrame({"ds": s.index.append(future_sessions(s.index, horizon))})
    # Prophet samples from numpy's global state: seed it for this call only, then restore it.
    state = np.random.get_state()  # noqa: NPY002
    # cmdstanpy logs every chain at INFO through its own handler: silence it for this call.
    loggers = [logging.getLogger(n) for n in ("prophet", "cmdstanpy")]
    was_disabled = [lg.disabled for lg in loggers]
    for lg in loggers:
        lg.disabled = True
    try:
        if random_state is not None:
            np.random.seed(int(random_state) % (2**32))  # noqa: NPY002
        with warnings.catch_warnings():
            # prophet uses pandas APIs deprecated in pandas 3 (inplace=...): not our users' concern
            warnings.simplefilter("ignore", FutureWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            model.fit(df)
            pred = model.predict(fut).set_index("ds")
    finally:
        np.random.set_state(state)  # noqa: NPY002
        for lg, was in zip(loggers, was_disabled, strict=True):
            lg.disabled = was
    keep = ["yhat", "yhat_lower", "yhat_upper", "trend"] + [
        c for c in ("weekly", "yearly", "holidays") if c in pred.columns]
    out = pred[keep].copy()
    if log1p:
        for c in ("yhat", "yhat_lower", "yhat_upper"):
            out[c] = np.expm1(out[c])
    out.insert(0, "observed", s.reindex(out.index))
    out.index.name = "date"
    return ProphetForecast(out, int(horizon), float(interval_width), bool(log1p))
