"""Forecasting samples: per (ticker, date) windows of features and the targets after them.

A sample is a ticker at a *decision date* ``t`` (a session). Its input is the window of the
``window`` sessions ending at ``t`` (inclusive) of per-session features; its targets lie
strictly after ``t``:

- ``ret``: log return from the close of ``t`` to the close of ``t + h`` (sessions);
- ``vol``: realized volatility over ``t+1 .. t+h``, ``sqrt(mean(r_{t+i}^2))`` of daily log
  returns (daily units, not annualized);
- ``direction``: 0 = down (``ret < -flat_band``), 1 = flat (``|ret| <= flat_band``),
  2 = up (``ret > flat_band``); ``flat_band`` is a log return, 0.005 by default.

Per-session features (all known at the close of the session they are dated):
``ret`` (daily log return of the adjusted close), ``abs_ret``, ``range`` (``log(high/low)``),
``volume_z`` (log volume minus its trailing 21-session mean), ``mkt_ret`` and ``mkt_abs_ret``
(equal-weighted cross-section of all tickers in the price table), and, when given, the
congressional-activity features of the ticker at that date from
``workbench.features.activity.ticker_activity_features`` (disclosure-dated: a trade counts
from the first session after its disclosure), named ``act_<column>``; dollar amounts enter
as signed ``log1p`` and ``sessions_since_last`` as ``log1p`` (1000 sessions when there was
no trade yet). Missing values enter the networks as 0 (raw units).

:class:`ForecastData` holds a ticker x session x feature array and the sample positions;
:class:`WindowDataset` only indexes windows out of it (no scaling, no splitting).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.exceptions import DataError
from workbench.factors.inputs import to_wide_prices

__all__ = ["PRICE_FEATURES", "ForecastData", "WindowDataset", "build_dataset",
           "activity_features"]

PRICE_FEATURES = ("ret", "abs_ret", "range", "volume_z", "mkt_ret", "mkt_abs_ret")
DIRECTIONS = ("down", "flat", "up")


@dataclass(frozen=True)
class ForecastData:
    """Feature cube and samples (see module notes for the definitions).

    Attributes
    ----------
    features : ndarray (tickers, sessions, features), float32
        Per-session features; NaN where unknown.
    sessions : DatetimeIndex
    tickers : tuple of str
    feature_names : tuple of str
    sample_ticker, sample_pos : ndarray (n,)
        Ticker index and session position of each sample's decision date.
    ret, vol : ndarray (n,)
        Targets (log return over ``h``, realized daily volatility over ``h``).
    direction : ndarray (n,) int
        0 down, 1 flat, 2 up.
    trailing_vol, ewma_vol, trailing_mean : ndarray (n,)
        Inputs of the baselines known at the decision date: realized vol of the last ``h``
        sessions, RiskMetrics EWMA vol (lambda 0.94), mean daily log return over the window.
    horizon, window : int
    flat_band : float
    """

    features: np.ndarray
    sessions: pd.DatetimeIndex
    tickers: tuple
    feature_names: tuple
    sample_ticker: np.ndarray
    sample_pos: np.ndarray
    ret: np.ndarray
    vol: np.ndarray
    direction: np.ndarray
    trailing_vol: np.ndarray
    ewma_vol: np.ndarray
    trailing_mean: np.ndarray
    horizon: int
    window: int
    flat_band: float

    def __len__(self) -> int:
        return len(self.sample_pos)

    @property
    def dates(self) -> pd.DatetimeIndex:
        """Decision date of every sample."""
        return self.sessions[self.sample_pos]

    @property
    def sample_tickers(self) -> np.ndarray:
        return np.asarray(self.tickers, dtype=object)[self.sample_ticker]

    def windows(self, idx) -> np.ndarray:
        """Input windows of samples ``idx``: (len(idx), window, features), NaN set to 0."""
        idx = np.asarray(idx)
        offs = np.arange(-self.window + 1, 1)
        x = self.features[self.sample_ticker[idx][:, None], self.sample_pos[idx][:, None] + offs]
        return np.nan_to_num(x, nan=0.0)

    def last_rows(self, idx) -> np.ndarray:
        """Features at the decision date only: (len(idx), features)."""
        idx = np.asarray(idx)
        return np.nan_to_num(self.features[self.sample_ticker[idx], self.sample_pos[idx]])

    def to_frame(self) -> pd.DataFrame:
        """One row per sample: date, ticker, targets and baseline inputs."""
        return pd.DataFrame({
            "date": self.dates, "ticker": self.sample_tickers, "ret": self.ret, "vol": self.vol,
            "direction": self.direction, "trailing_vol": self.trailing_vol,
            "ewma_vol": self.ewma_vol, "trailing_mean": self.trailing_mean})

    def subset_tickers(self, tickers) -> np.ndarray:
        """Sample positions of the given tickers."""
        keep = np.isin(self.sample_tickers, list(tickers))
        return np.flatnonzero(keep)


class WindowDataset:
    """Torch-style dataset over samples ``idx`` of a :class:`ForecastData` (indexing only).

    ``ds[i]`` and :meth:`batch` return ``(x, ret, vol, direction)`` as float32/int64 arrays.
    """

    def __init__(self, data: ForecastData, idx):
        self.data = data
        self.idx = np.asarray(idx)

    def __len__(self) -> int:
        return len(self.idx)

    def batch(self, rows) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        i = self.idx[np.asarray(rows)]
        d = self.data
        return (d.windows(i).astype(np.float32), d.ret[i].astype(np.float32),
                d.vol[i].astype(np.float32), d.direction[i].astype(np.int64))

    def __getitem__(self, row: int):
        x, r, v, c = self.batch([row])
        return x[0], r[0], v[0], c[0]


def activity_features(universe, tickers, sessions) -> pd.DataFrame | None:
    """Congressional activity per (date, ticker) from ``workbench.features``, if installed.

    The input hook for the features package (issue 9): returns ``None`` when
    ``workbench.features.activity.ticker_activity_features`` does not exist yet, so the
    forecasts then run on price/volume features only (and say so in ``feature_names``).
    """
    try:
        from workbench.features.activity import ticker_activity_features
    except ImportError:
        return None
    return ticker_activity_features(universe, dates=sessions, tickers=list(tickers))


def _activity_transform(name: str, a: np.ndarray) -> np.ndarray:
    """Dollar amounts -> signed log1p; ``sessions_since_last`` -> log1p, "never" -> log1p(1000)."""
    if "amount" in name:
        return np.sign(a) * np.log1p(np.abs(a))
    if name == "sessions_since_last":
        return np.log1p(np.where(np.isnan(a), 1000.0, a))
    return a


def _wide(prices: pd.DataFrame, field: str, tickers) -> pd.DataFrame:
    return to_wide_prices(prices, field).reindex(columns=list(tickers))


def _ewma_vol(r: np.ndarray, lam: float = 0.94) -> np.ndarray:
    """RiskMetrics EWMA volatility along axis 1, NaN returns skipped (state carried)."""
    out = np.full(r.shape, np.nan)
    var = np.full(r.shape[0], np.nan)
    for t in range(r.shape[1]):
        x = r[:, t]
        ok = ~np.isnan(x)
        init = ok & np.isnan(var)
        var[init] = x[init] ** 2
        upd = ok & ~init
        var[upd] = lam * var[upd] + (1 - lam) * x[upd] ** 2
        out[:, t] = np.sqrt(var)
    return out


def _rolling(a: np.ndarray, n: int, fn) -> np.ndarray:
    """``fn`` over trailing windows of ``n`` along axis 1 (NaN if any value is missing)."""
    return fn(pd.DataFrame(a.T).rolling(n, min_periods=n)).to_numpy().T


def build_dataset(prices: pd.DataFrame, *, horizon: int = 5, window: int = 21,
                  tickers=None, activity: pd.DataFrame | None = None,
                  flat_band: float = 0.005, start=None, end=None) -> ForecastData:
    """Build the feature cube and the samples of a long price table.

    Parameters
    ----------
    prices : DataFrame
        Long table ``date, ticker, high, low, adj_close, volume`` (the universe's prices).
    horizon : int
        ``h``, sessions ahead of the decision date covered by the targets.
    window : int
        Sessions in each input window (ending at the decision date).
    tickers : sequence, optional
        Tickers to make samples of (default all); the market features always use all.
    activity : DataFrame, optional
        Extra per-(date, ticker) features (MultiIndex ``date, ticker``), e.g. from
        :func:`activity_features`; must be dated so that a value at ``t`` is known at ``t``.
    flat_band : float
        Half-width of the flat direction class, in log-return units over ``h``.
    start, end : optional
        Keep decision dates within these bounds (the inputs may reach back before ``start``).
    """
    if horizon < 1 or window < 2:
        raise ValueError("horizon must be >= 1 and window >= 2")
    need = {"date", "ticker", "adj_close", "high", "low", "volume"}
    if not need.issubset(prices.columns):
        raise DataError(f"price table lacks columns {sorted(need - set(prices.columns))}")
    close_all = to_wide_prices(prices, "adj_close")
    sessions = close_all.index
    logret_all = np.log(close_all).diff()
    mkt = logret_all.mean(axis=1, skipna=True).to_numpy()
    mkt_abs = logret_all.abs().mean(axis=1, skipna=True).to_numpy()
    tickers = tuple(close_all.columns if tickers is None else
                    [t for t in tickers if t in close_all.columns])
    if not tickers:
        raise DataError("no requested ticker has a price series")
    r = logret_all[list(tickers)].to_numpy().T                       # (k, T)
    hi = _wide(prices, "high", tickers).reindex(sessions).to_numpy().T
    lo = _wide(prices, "low", tickers).reindex(sessions).to_numpy().T
    lv = np.log(_wide(prices, "volume", tickers).reindex(sessions).clip(lower=1.0)).to_numpy().T
    vz = lv - _rolling(lv, 21, lambda x: x.mean())
    k, T = r.shape
    cols = [r, np.abs(r), np.log(hi / lo), vz, np.broadcast_to(mkt, (k, T)),
            np.broadcast_to(mkt_abs, (k, T))]
    names = list(PRICE_FEATURES)
    if activity is not None and len(activity.columns):
        act = activity.copy()
        act.index = act.index.set_levels(pd.DatetimeIndex(act.index.levels[0]), level=0)
        for c in act.columns:
            wide = act[c].unstack("ticker").reindex(index=sessions, columns=list(tickers))
            cols.append(_activity_transform(str(c), wide.to_numpy(dtype=float).T))
            names.append(f"act_{c}")
    feats = np.stack(cols, axis=-1).astype(np.float32)

    # Targets strictly after the decision date t: returns t+1 .. t+h.
    fwd = np.full((k, T), np.nan)
    sq = np.full((k, T), np.nan)
    cum = np.nancumsum(np.nan_to_num(r), axis=1)
    cnt = np.cumsum(~np.isnan(r), axis=1)
    cum2 = np.cumsum(np.nan_to_num(r) ** 2, axis=1)
    if T > horizon:
        fwd[:, :-horizon] = cum[:, horizon:] - cum[:, :-horizon]
        sq[:, :-horizon] = cum2[:, horizon:] - cum2[:, :-horizon]
        full = (cnt[:, horizon:] - cnt[:, :-horizon]) == horizon
        fwd[:, :-horizon][~full] = np.nan
        sq[:, :-horizon][~full] = np.nan
    vol = np.sqrt(sq / horizon)
    trail_vol = np.sqrt(_rolling(r ** 2, horizon, lambda x: x.mean()))
    trail_mean = _rolling(r, window, lambda x: x.mean())
    ewma = _ewma_vol(r)
    # A sample needs a full window of returns, targets and baseline inputs.
    ok_window = _rolling(np.isnan(r).astype(float), window, lambda x: x.sum()) == 0
    ok = ok_window & ~np.isnan(fwd) & ~np.isnan(trail_vol) & ~np.isnan(ewma)
    ok[:, : window + 21] = False           # volume_z needs 21 sessions before the window
    if start is not None:
        ok[:, sessions < pd.Timestamp(start)] = False
    if end is not None:
        ok[:, sessions > pd.Timestamp(end)] = False
    tk, pos = np.nonzero(ok)
    order = np.lexsort((tk, pos))             # by date, then ticker
    tk, pos = tk[order], pos[order]
    ret = fwd[tk, pos]
    direction = np.where(ret > flat_band, 2, np.where(ret < -flat_band, 0, 1)).astype(np.int64)
    return ForecastData(
        features=feats, sessions=sessions, tickers=tickers, feature_names=tuple(names),
        sample_ticker=tk.astype(np.int64), sample_pos=pos.astype(np.int64), ret=ret,
        vol=vol[tk, pos], direction=direction, trailing_vol=trail_vol[tk, pos],
        ewma_vol=ewma[tk, pos], trailing_mean=trail_mean[tk, pos], horizon=int(horizon),
        window=int(window), flat_band=float(flat_band))
