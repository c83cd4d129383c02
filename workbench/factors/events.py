"""Event studies of congressional trades around transaction and disclosure dates.

Expected returns come from a market model (``r = a + b (Mkt-RF + RF)``) or the FF5 model
(``r - RF = a + B F``) fitted per event on an estimation window of sessions before day 0;
abnormal returns (AR) are realized minus expected, daily decimals. Day 0 is the event date
rolled forward to a session (for disclosures the public can trade at the earliest at the close
of the next session after the disclosure date, i.e. day +1 when the date is a session).

Cross-sectional tests per CAR window: the ordinary t-test of mean CAR and the standardized
cross-sectional test of Boehmer, Musumeci and Poulsen (1991, doi:10.1016/0304-405X(91)90032-F),
which standardizes each CAR by its estimation-window residual volatility x sqrt(window length)
(the small parameter-estimation term of the forecast variance is omitted).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from workbench.data import calendar
from workbench.exceptions import DataError
from workbench.factors.inputs import locate_entries, select_trades, to_wide_prices

__all__ = ["EventStudyResult", "DisclosureGapResult", "event_study", "disclosure_gap",
           "abnormal_returns"]

FF5 = ["Mkt-RF", "SMB", "HML", "RMW", "CMA"]


def _design(levels: pd.DataFrame, factors: pd.DataFrame, model: str):
    """Per-session regressors X (T x k, with constant) and the returns to explain (T x N)."""
    R = levels.pct_change(fill_method=None).to_numpy()
    f = factors.reindex(levels.index)
    if model == "market":
        X = np.column_stack([np.ones(len(f)), (f["Mkt-RF"] + f["RF"]).to_numpy()])
        Y = R
    elif model == "ff5":
        X = np.column_stack([np.ones(len(f)), f[FF5].to_numpy()])
        Y = R - f["RF"].to_numpy()[:, None]
    else:
        raise ValueError(f"model must be 'market' or 'ff5', not {model!r}")
    return X, Y


def abnormal_returns(X: np.ndarray, Y: np.ndarray, anchors: np.ndarray, cols: np.ndarray,
                     estimation_window=(-250, -30), span=(-10, 30), min_estimation: int = 120,
                     chunk: int = 2000):
    """Abnormal returns of events over rows ``anchor + span[0] .. anchor + span[1]``.

    Returns ``(ar, sigma, n_est)``: ar is events x span length (NaN where no data or the
    estimation failed), sigma the residual std of the estimation regression (ddof = k).
    Batched normal equations over chunks of events (no per-event Python loop).
    """
    T, k = X.shape
    e0, e1 = estimation_window
    est_off = np.arange(e0, e1 + 1)
    ev_off = np.arange(span[0], span[1] + 1)
    E = len(anchors)
    ar = np.full((E, len(ev_off)), np.nan)
    sigma = np.full(E, np.nan)
    n_est = np.zeros(E, dtype=int)
    for s in range(0, E, chunk):
        a, c = anchors[s:s + chunk], cols[s:s + chunk]
        rows = a[:, None] + est_off[None, :]
        inside = (rows >= 0) & (rows < T)
        rr = np.clip(rows, 0, T - 1)
        y = Y[rr, c[:, None]]
        x = X[rr]
        ok = inside & ~np.isnan(y) & ~np.isnan(x).any(axis=2)
        y0 = np.where(ok, y, 0.0)
        x0 = np.where(ok[..., None], x, 0.0)
        xtx = np.einsum("elk,elm->ekm", x0, x0)
        xty = np.einsum("elk,el->ek", x0, y0)
        n = ok.sum(axis=1)
        good = n >= max(min_estimation, k + 2)
        xtx[~good] = np.eye(k)
        beta = np.linalg.solve(xtx, xty[..., None])[..., 0]
        res = np.where(ok, y0 - np.einsum("elk,ek->el", x0, beta), 0.0)
        sig = np.sqrt((res ** 2).sum(axis=1) / np.maximum(n - k, 1))
        rows = a[:, None] + ev_off[None, :]
        inside = (rows >= 0) & (rows < T)
        rr = np.clip(rows, 0, T - 1)
        ye, xe = Y[rr, c[:, None]], X[rr]
        out = ye - np.einsum("elk,ek->el", xe, beta)
        out[~inside] = np.nan
        out[~good] = np.nan
        ar[s:s + chunk] = out
        sigma[s:s + chunk] = np.where(good, sig, np.nan)
        n_est[s:s + chunk] = n
    return ar, sigma, n_est


def _events(trades, levels, date, side, asset_types):
    sel = select_trades(trades, side, asset_types)
    entry = "transaction" if date == "transaction" else "disclosure"
    loc = locate_entries(sel, levels, entry)
    day0 = calendar.roll_forward(pd.to_datetime(
        sel[f"{date}_date"]).astype("datetime64[ns]").where(loc["reason"] != "missing date"))
    day0 = pd.DatetimeIndex(day0)
    ok = (loc["col"].to_numpy() >= 0) & day0.notna()
    anchor = np.searchsorted(levels.index.asi8, day0.asi8, "left")
    ok &= (anchor < len(levels)) & (day0.asi8 >= levels.index.asi8[0])
    anchor_ok = np.where(ok, anchor, 0)
    ok &= day0.asi8 == levels.index.asi8[np.clip(anchor_ok, 0, len(levels) - 1)]
    return sel, loc, anchor, ok


def _tests(car: np.ndarray, sigma: np.ndarray, length: int, n_est: np.ndarray,
           n_params: int) -> dict:
    """Cross-sectional t, BMP and Patell tests of the CARs of one window.

    Standardized CAR: ``SCAR_i = CAR_i / (sigma_i sqrt(L))``. BMP (Boehmer, Musumeci & Poulsen
    1991, doi:10.1016/0304-405X(91)90032-F) divides the mean SCAR by its cross-sectional standard
    error (robust to event-induced variance); Patell (1976, doi:10.2307/2490543) takes each SCAR
    as t-distributed with ``M_i - k`` degrees of freedom (variance ``(M_i-k)/(M_i-k-2)``, M_i
    estimation sessions, k regression parameters) and sums them:
    ``Z = sum SCAR_i / sqrt(sum var_i)``. Both omit the prediction-error term of sigma.
    """
    m = ~np.isnan(car) & ~np.isnan(sigma) & (sigma > 0) & (n_est - n_params > 2)
    c, s, dof = car[m], sigma[m], n_est[m] - n_params
    n = len(c)
    if n < 3:
        return {"n": n, "mean_car": np.nan, "t": np.nan, "p": np.nan, "bmp_z": np.nan,
                "bmp_p": np.nan, "patell_z": np.nan, "patell_p": np.nan}
    t = c.mean() / (c.std(ddof=1) / np.sqrt(n))
    sc = c / (s * np.sqrt(length))
    z = sc.mean() / (sc.std(ddof=1) / np.sqrt(n))
    patell = sc.sum() / np.sqrt(np.sum(dof / (dof - 2.0)))
    return {"n": n, "mean_car": float(c.mean()), "t": float(t),
            "p": float(2 * stats.t.sf(abs(t), n - 1)), "bmp_z": float(z),
            "bmp_p": float(2 * stats.t.sf(abs(z), n - 1)), "patell_z": float(patell),
            "patell_p": float(2 * stats.norm.sf(abs(patell)))}


@dataclass(frozen=True)
class EventStudyResult:
    """Average abnormal returns around trades and cross-sectional tests.

    Attributes
    ----------
    path : DataFrame
        Indexed by relative session ``day``: ``aar`` (mean AR), ``caar`` (mean CAR from the
        window start), ``ci_low``/``ci_high`` (cross-sectional confidence band of CAAR) and
        ``n`` (events with an AR that day).
    tests : DataFrame
        One row per CAR window ``start, end``: ``n, mean_car, t, p, bmp_z, bmp_p, patell_z, patell_p``.
    events : DataFrame
        Per event: ``trade_id, politician, ticker, day0, sigma, n_est`` and ``car`` over the
        full event window.
    date, model, side, estimation_window, event_window, confidence
    """

    path: pd.DataFrame
    tests: pd.DataFrame
    events: pd.DataFrame
    date: str
    model: str
    side: str
    estimation_window: tuple
    event_window: tuple
    confidence: float

    def to_frame(self) -> pd.DataFrame:
        return self.path

    def summary(self) -> pd.DataFrame:
        return self.tests


def event_study(trades: pd.DataFrame, prices: pd.DataFrame, factors: pd.DataFrame,
                date: str = "disclosure", model: str = "market", side: str = "buy",
                estimation_window=(-250, -30), event_window=(-10, 30),
                windows=((-10, -1), (0, 1), (1, 5), (1, 21), (0, 30)),
                min_estimation: int = 120, confidence: float = 0.95,
                asset_types=("stock",)) -> EventStudyResult:
    """Abnormal returns of the traded tickers around each trade's ``date``.

    Parameters
    ----------
    date : {"disclosure", "transaction"}
        Which date is day 0 (rolled forward to a session).
    model : {"market", "ff5"}
        Expected-return model, fitted on ``estimation_window`` sessions relative to day 0.
    event_window : (int, int)
        Relative sessions over which AR, AAR and CAAR are reported.
    windows : iterable of (int, int)
        CAR windows (inclusive, within ``event_window``) that are tested.
    """
    if date not in ("disclosure", "transaction"):
        raise ValueError("date must be 'disclosure' or 'transaction'")
    if not (estimation_window[1] < event_window[0] or estimation_window[1] < 0):
        raise ValueError("the estimation window must end before the event window")
    levels = to_wide_prices(prices)
    X, Y = _design(levels, factors, model)
    sel, loc, anchor, ok = _events(trades, levels, date, side, asset_types)
    if not ok.any():
        raise DataError(f"no {side} trade has a price series around its {date} date")
    cols = loc["col"].to_numpy()
    ar, sigma, n_est = abnormal_returns(X, Y, anchor[ok], cols[ok], estimation_window,
                                        event_window, min_estimation)
    keep = ~np.isnan(sigma)
    ar, sigma, n_est = ar[keep], sigma[keep], n_est[keep]
    days = np.arange(event_window[0], event_window[1] + 1)
    car = np.cumsum(np.nan_to_num(ar), axis=1)
    n_day = (~np.isnan(ar)).sum(axis=0)
    z = stats.norm.ppf(0.5 + confidence / 2)
    caar = car.mean(axis=0) if len(car) else np.full(len(days), np.nan)
    sd = car.std(axis=0, ddof=1) if len(car) > 1 else np.full(len(days), np.nan)
    half = z * sd / np.sqrt(max(len(car), 1))
    with np.errstate(invalid="ignore"):
        aar = np.nanmean(ar, axis=0) if len(ar) else np.full(len(days), np.nan)
    path = pd.DataFrame({"aar": aar, "caar": caar, "ci_low": caar - half,
                         "ci_high": caar + half, "n": n_day}, index=pd.Index(days, name="day"))
    rows = []
    for a, b in windows:
        if a < event_window[0] or b > event_window[1] or b < a:
            raise ValueError(f"window {(a, b)} outside the event window {event_window}")
        i, j = a - event_window[0], b - event_window[0]
        w_car = np.nansum(ar[:, i:j + 1], axis=1)
        w_car[np.isnan(ar[:, i:j + 1]).all(axis=1)] = np.nan
        rows.append({"start": a, "end": b}
                    | _tests(w_car, sigma, b - a + 1, n_est.astype(float), X.shape[1]))
    sub = sel[ok][keep]
    events = pd.DataFrame({
        "trade_id": sub["trade_id"].to_numpy() if "trade_id" in sub else np.arange(len(sub)),
        "politician": sub["politician"].to_numpy() if "politician" in sub else None,
        "ticker": sub["ticker"].to_numpy(),
        "day0": levels.index[anchor[ok][keep]], "sigma": sigma, "n_est": n_est,
        "car": car[:, -1] if len(car) else np.array([])})
    return EventStudyResult(path, pd.DataFrame(rows), events, date, model, side,
                            tuple(estimation_window), tuple(event_window), confidence)


@dataclass(frozen=True)
class DisclosureGapResult:
    """Abnormal return between a trade and the public's first chance to copy it.

    Attributes
    ----------
    trades : DataFrame
        Per trade: ``trade_id, politician, ticker, transaction_day0, entry_date, lag_sessions,
        gap_car`` (sum of AR over sessions 1..lag after the transaction session; the public
        enters at the close of ``entry_date`` = first session after the disclosure date).
    stats : Series
        ``n, mean_gap_car, t, p, median_lag_sessions``.
    """

    trades: pd.DataFrame
    stats: pd.Series

    def to_frame(self) -> pd.DataFrame:
        return self.trades

    def summary(self) -> pd.Series:
        return self.stats


def disclosure_gap(trades: pd.DataFrame, prices: pd.DataFrame, factors: pd.DataFrame,
                   model: str = "market", side: str = "buy", estimation_window=(-250, -30),
                   max_lag: int = 250, min_estimation: int = 120,
                   asset_types=("stock",)) -> DisclosureGapResult:
    """Cumulative abnormal return from the transaction close to the public's entry close.

    Expected returns are fitted on ``estimation_window`` sessions before the transaction.
    Trades disclosed more than ``max_lag`` sessions later, or before they happened, are left
    out (counted in ``stats['excluded']``).
    """
    levels = to_wide_prices(prices)
    X, Y = _design(levels, factors, model)
    sel, loc, anchor, ok = _events(trades, levels, "transaction", side, asset_types)
    pub = locate_entries(sel, levels, "disclosure")
    lag = pub["row"].to_numpy() - anchor
    ok &= (pub["row"].to_numpy() >= 0) & (lag >= 1) & (lag <= max_lag)
    ar, sigma, _ = abnormal_returns(X, Y, anchor[ok], loc["col"].to_numpy()[ok],
                                    estimation_window, (1, max_lag), min_estimation)
    lag_ok = lag[ok]
    mask = np.arange(1, max_lag + 1)[None, :] <= lag_ok[:, None]
    gap = np.where(mask, np.nan_to_num(ar), 0.0).sum(axis=1)
    gap[np.isnan(sigma)] = np.nan
    sub = sel[ok]
    table = pd.DataFrame({
        "trade_id": sub["trade_id"].to_numpy() if "trade_id" in sub else np.arange(len(sub)),
        "politician": sub["politician"].to_numpy() if "politician" in sub else None,
        "ticker": sub["ticker"].to_numpy(), "transaction_day0": levels.index[anchor[ok]],
        "entry_date": pub["entry_date"].to_numpy()[ok], "lag_sessions": lag_ok,
        "gap_car": gap}).dropna(subset=["gap_car"])
    g = table["gap_car"].to_numpy()
    n = len(g)
    t = g.mean() / (g.std(ddof=1) / np.sqrt(n)) if n > 2 else np.nan
    st = pd.Series({"n": n, "excluded": int(len(sel) - n), "mean_gap_car": g.mean() if n else
                    np.nan, "t": t, "p": 2 * stats.t.sf(abs(t), n - 1) if n > 2 else np.nan,
                    "median_lag_sessions": float(np.median(table["lag_sessions"])) if n else
                    np.nan})
    return DisclosureGapResult(table.reset_index(drop=True), st)
