"""Price-based feature panels: each indicator once per ticker over all sessions (wide arrays).

Every panel is causal: its value at session ``t`` uses prices up to ``t`` only (trailing
windows, recursive averages started at the ticker's first price). A trade reads the panel at
its decision session (public) and at its transaction session (``*_tx``).

Conventions (checked against the ``ta`` library in the tests where they coincide):
RSI uses Wilder's average (``ewm(alpha=1/n, adjust=False)``, first ``n`` values NaN); MACD is
EMA12 - EMA26 (``adjust=False``) with an EMA9 signal, all divided by the close; Bollinger bands
are SMA20 +- 2 population standard deviations; ATR, +DI, -DI and ADX use Wilder's average of the
true range and directional moves; the stochastic %K is over 14 sessions with a 3-session %D;
OBV is cumulated signed volume. Return windows count sessions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.features.context import PriceBlock, Spec

__all__ = ["RETURN_WINDOWS", "return_panels", "liquidity_panels", "technical_panels",
           "panel_specs"]

RETURN_WINDOWS = (1, 5, 21, 63, 126, 252)


def _rsum(a: np.ndarray, w: int) -> np.ndarray:
    """Trailing ``w``-row sum per column (NaN when the window is short or holds a NaN)."""
    a = np.asarray(a, dtype=float)
    bad = ~np.isfinite(a)
    c = np.vstack([np.zeros((1, a.shape[1])), np.cumsum(np.where(bad, 0.0, a), axis=0)])
    nb = np.vstack([np.zeros((1, a.shape[1])), np.cumsum(bad, axis=0)])
    out = np.full(a.shape, np.nan)
    if len(a) >= w:
        s = c[w:] - c[:-w]
        out[w - 1:] = np.where(nb[w:] - nb[:-w] > 0, np.nan, s)
    return out


def _rmean(a, w: int) -> np.ndarray:
    return _rsum(a, w) / w


def _windows(a: np.ndarray, w: int):
    return np.lib.stride_tricks.sliding_window_view(np.asarray(a, dtype=float), w, axis=0)


def _rstat(a, w: int, fn) -> np.ndarray:
    """Trailing-window statistic ``fn(windows) -> (n-w+1, k)`` (NaN if a window holds a NaN)."""
    a = np.asarray(a, dtype=float)
    out = np.full(a.shape, np.nan)
    if len(a) >= w:
        win = _windows(a, w)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[w - 1:] = fn(win)
    return out


def _moments(a, w: int):
    """Trailing-window sums of d, d^2, d^3 with d = a - (first finite value of the column).

    Centering on a constant from the past keeps the cumulative sums small (precision) and
    does not change with the data after it (causal)."""
    a = np.asarray(a, dtype=float)
    fin = np.isfinite(a)
    first = np.argmax(fin, axis=0)
    c = np.where(fin.any(axis=0), a[first, np.arange(a.shape[1])], 0.0)
    d = a - c
    return _rsum(d, w), _rsum(d * d, w), _rsum(d * d * d, w)


def _rstd(a, w: int, ddof: int = 1) -> np.ndarray:
    s1, s2, _ = _moments(a, w)
    var = (s2 - s1 * s1 / w) / (w - ddof)
    return np.sqrt(np.clip(var, 0.0, None))


def _rextreme(a, w: int, fn) -> np.ndarray:
    from scipy.ndimage import maximum_filter1d, minimum_filter1d

    a = np.asarray(a, dtype=float)
    out = np.full(a.shape, np.nan)
    if len(a) < w:
        return out
    big = np.inf if fn == "min" else -np.inf
    filt = minimum_filter1d if fn == "min" else maximum_filter1d
    # origin shifts the window so that row t covers rows t-w+1 .. t
    m = filt(np.where(np.isfinite(a), a, big), size=w, axis=0, mode="nearest",
             origin=(w - 1) - w // 2)
    nb = _rsum(np.where(np.isfinite(a), 0.0, np.nan), w)
    out[w - 1:] = np.where(np.isfinite(nb[w - 1:]), m[w - 1:], np.nan)
    return out


def _rmax(a, w: int) -> np.ndarray:
    return _rextreme(a, w, "max")


def _rmin(a, w: int) -> np.ndarray:
    return _rextreme(a, w, "min")


def _rskew(a, w: int) -> np.ndarray:
    """Adjusted Fisher-Pearson sample skewness (pandas' definition) over trailing windows."""
    s1, s2, s3 = _moments(a, w)
    m1 = s1 / w
    m2 = s2 / w - m1 * m1
    m3 = s3 / w - 3 * m1 * s2 / w + 2 * m1 ** 3
    with np.errstate(invalid="ignore", divide="ignore"):
        g = m3 / m2 ** 1.5
        return np.where(m2 > 1e-14 * np.maximum(s2 / w, 1e-300), g * np.sqrt(w * (w - 1)) / (w - 2),
                        np.nan)


def _shift(a: np.ndarray, k: int) -> np.ndarray:
    out = np.full(a.shape, np.nan)
    out[k:] = a[:-k]
    return out


def _pct(a: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return a / _shift(a, 1) - 1.0


def _df(a: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(a)


def _index_level(daily: np.ndarray) -> np.ndarray:
    """Cumulative level of daily returns; a missing day is a flat day (level carried)."""
    r = np.where(np.isfinite(daily), daily, 0.0)
    return np.cumprod(1.0 + r, axis=0)


def _window_ret(level: np.ndarray, w: int) -> np.ndarray:
    out = np.full_like(level, np.nan, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out[w:] = level[w:] / level[:-w] - 1.0
    return out


def return_panels(b: PriceBlock) -> dict[str, np.ndarray]:
    """Trailing returns, abnormal returns vs market and sector, volatility, drawdowns."""
    close = b.close
    n, k = close.shape
    mkt = _index_level(b.market)[:, None]
    sec = _index_level(b.sector_ret)
    ret1 = _pct(close)
    out: dict[str, np.ndarray] = {}
    with np.errstate(invalid="ignore", divide="ignore"):
        for w in RETURN_WINDOWS:
            r = close / _shift(close, w) - 1.0
            m = np.broadcast_to(_window_ret(mkt, w), (n, k))
            out[f"ret_{w}"] = r
            out[f"abn_mkt_{w}"] = r - m
            out[f"abn_sec_{w}"] = r - _window_ret(sec, w)
        out["vol_21"] = _rstd(ret1, 21)
        out["vol_63"] = _rstd(ret1, 63)
        out["skew_63"] = _rskew(ret1, 63)
        out["drawdown_63"] = close / _rmax(close, 63) - 1.0
        out["dist_52w_high"] = close / _rmax(close, 252) - 1.0
        out["dist_52w_low"] = close / _rmin(close, 252) - 1.0
    return out


def liquidity_panels(b: PriceBlock) -> dict[str, np.ndarray]:
    """Dollar volume, Amihud illiquidity, volume z-scores (amount ratios are added per trade)."""
    vol = b.volume
    dv = b.raw_close * b.volume
    out: dict[str, np.ndarray] = {}
    with np.errstate(invalid="ignore", divide="ignore"):
        illiq = np.abs(_pct(b.close)) / np.where(dv > 0, dv, np.nan) * 1e6
        for w in (21, 63):
            m = _rmean(dv, w)
            out[f"adv_{w}"] = m
            out[f"log_dollar_volume_{w}"] = np.log(np.where(m > 0, m, np.nan))
            out[f"amihud_{w}"] = _rmean(illiq, w)
        for w in (63, 252):
            mu, sd = _rmean(vol, w), _rstd(vol, w)
            out[f"volume_z_{w}"] = (vol - mu) / np.where(sd > 0, sd, np.nan)
        out["volume_ratio_5_63"] = np.log(_rmean(vol, 5) / _rmean(vol, 63))
        zero = np.where(np.isfinite(vol), (vol <= 0).astype(float), np.nan)
        out["zero_volume_share_63"] = _rmean(zero, 63)
    return out


def _mean_abs_dev(x: np.ndarray, w: int) -> np.ndarray:
    """Mean absolute deviation from the window mean over trailing ``w`` rows (NaN if any NaN)."""
    out = np.full_like(x, np.nan, dtype=float)
    if len(x) >= w:
        win = np.lib.stride_tricks.sliding_window_view(x, w, axis=0)   # (n-w+1, k, w)
        out[w - 1:] = np.abs(win - win.mean(axis=2, keepdims=True)).mean(axis=2)
    return out


def _wilder(x: pd.DataFrame, n: int) -> pd.DataFrame:
    return x.ewm(alpha=1.0 / n, adjust=False, min_periods=n).mean()


def technical_panels(b: PriceBlock) -> dict[str, np.ndarray]:
    """RSI, MACD, Bollinger, ATR, stochastic, ADX/DI, OBV, moving-average gaps, W%R, CCI, ROC."""
    close, high, low = _df(b.close), _df(b.high), _df(b.low)
    vol = _df(b.volume)
    out: dict[str, np.ndarray] = {}
    diff = close.diff()
    for n in (14, 28):
        up = _wilder(diff.clip(lower=0), n)
        down = _wilder((-diff).clip(lower=0), n)
        out[f"rsi_{n}"] = (100.0 - 100.0 / (1.0 + up / down)).to_numpy()
    ema12 = close.ewm(span=12, adjust=False, min_periods=12).mean()
    ema26 = close.ewm(span=26, adjust=False, min_periods=26).mean()
    macd = ema12 - ema26
    signal = macd.ewm(span=9, adjust=False, min_periods=9).mean()
    out["macd"] = (macd / close).to_numpy()
    out["macd_signal"] = (signal / close).to_numpy()
    out["macd_hist"] = ((macd - signal) / close).to_numpy()
    sma20 = _df(_rmean(b.close, 20))
    sd20 = _df(_rstd(b.close, 20, ddof=0))
    upper, lower = sma20 + 2 * sd20, sma20 - 2 * sd20
    out["bb_pctb_20"] = ((close - lower) / (upper - lower)).to_numpy()
    out["bb_width_20"] = ((upper - lower) / sma20).to_numpy()
    prev = close.shift(1)
    h, lo_, pv = high.to_numpy(), low.to_numpy(), prev.to_numpy()
    tr = np.fmax(np.fmax(h - lo_, np.abs(h - pv)), np.abs(lo_ - pv))
    tr = _df(np.where(np.isfinite(h) & np.isfinite(lo_), tr, np.nan))
    atr = _wilder(tr, 14)
    out["atr_14"] = (atr / close).to_numpy()
    hh, ll = _df(_rmax(b.high, 14)), _df(_rmin(b.low, 14))
    k = 100.0 * (close - ll) / (hh - ll)
    out["stoch_k_14"] = k.to_numpy()
    out["stoch_d_3"] = _rmean(k.to_numpy(), 3)
    out["williams_r_14"] = (-100.0 * (hh - close) / (hh - ll)).to_numpy()
    up_move, down_move = high.diff(), -low.diff()
    plus_dm = up_move.where((up_move > down_move) & (up_move > 0), 0.0).where(up_move.notna())
    minus_dm = down_move.where((down_move > up_move) & (down_move > 0), 0.0).where(
        down_move.notna())
    plus_di = 100.0 * _wilder(plus_dm, 14) / atr
    minus_di = 100.0 * _wilder(minus_dm, 14) / atr
    dx = 100.0 * (plus_di - minus_di).abs() / (plus_di + minus_di)
    out["plus_di_14"] = plus_di.to_numpy()
    out["minus_di_14"] = minus_di.to_numpy()
    out["adx_14"] = _wilder(dx, 14).to_numpy()
    sign = np.sign(diff).fillna(0.0)
    obv = (sign * vol.fillna(0.0)).cumsum()
    mu, sd = _df(_rmean(obv.to_numpy(), 63)), _df(_rstd(obv.to_numpy(), 63))
    out["obv_z_63"] = ((obv - mu) / sd.where(sd > 0)).to_numpy()
    vmean = _df(_rmean(b.volume, 21))
    out["obv_slope_21"] = ((obv - obv.shift(21)) / (21 * vmean.where(vmean > 0))).to_numpy()
    for w in (5, 10, 20, 50, 200):
        out[f"ma_gap_{w}"] = b.close / _rmean(b.close, w) - 1.0
    out["sma_50_200"] = _rmean(b.close, 50) / _rmean(b.close, 200) - 1.0
    tp = (high + low + close) / 3.0
    tp_ma = _df(_rmean(tp.to_numpy(), 20))
    mad = _df(_mean_abs_dev(tp.to_numpy(), 20))
    out["cci_20"] = ((tp - tp_ma) / (0.015 * mad)).to_numpy()
    out["roc_10"] = (close / close.shift(10) - 1.0).to_numpy()
    return {k: np.asarray(v, dtype=float) for k, v in out.items()}


_RET_DESC = {"ret": "trailing total return (adjusted close) over {w} sessions",
             "abn_mkt": "trailing {w}-session return minus the market's (Mkt-RF + RF compounded)",
             "abn_sec": "trailing {w}-session return minus its sector's equal-weight return"}


def panel_specs(suffix: str, when: str) -> list[Spec]:
    """Catalog rows of the panel features read at ``when`` ("decision" or "transaction")."""
    s: list[Spec] = []
    src = "prices.adj_close"
    for w in RETURN_WINDOWS:
        for key, desc in _RET_DESC.items():
            srcs = src + (", factors" if key == "abn_mkt" else ", securities.sector"
                          if key == "abn_sec" else "")
            s.append(Spec(f"{key}_{w}{suffix}", "returns", desc.format(w=w), "decimal",
                          f"{w} sessions", srcs))
    s += [Spec(f"vol_21{suffix}", "returns", "std of daily returns", "decimal/day", "21 sessions", src),
          Spec(f"vol_63{suffix}", "returns", "std of daily returns", "decimal/day", "63 sessions", src),
          Spec(f"skew_63{suffix}", "returns", "skewness of daily returns", "ratio", "63 sessions", src),
          Spec(f"drawdown_63{suffix}", "returns", "close / 63-session max close - 1", "decimal", "63 sessions", src),
          Spec(f"dist_52w_high{suffix}", "returns", "close / 52-week high - 1", "decimal", "252 sessions", src),
          Spec(f"dist_52w_low{suffix}", "returns", "close / 52-week low - 1", "decimal", "252 sessions", src)]
    lsrc = "prices.close, prices.volume"
    for w in (21, 63):
        s += [Spec(f"log_dollar_volume_{w}{suffix}", "liquidity", "log mean daily dollar volume", "log $", f"{w} sessions", lsrc),
              Spec(f"amihud_{w}{suffix}", "liquidity", "Amihud illiquidity: mean |return| / dollar volume x 1e6", "1/$M", f"{w} sessions", lsrc),
              Spec(f"amount_to_adv_{w}{suffix}", "liquidity", "trade amount_mid / mean daily dollar volume", "ratio", f"{w} sessions", lsrc + ", trades.amount_mid")]
    for w in (63, 252):
        s.append(Spec(f"volume_z_{w}{suffix}", "liquidity", "z-score of volume against its trailing mean/std", "z", f"{w} sessions", "prices.volume"))
    s += [Spec(f"volume_ratio_5_63{suffix}", "liquidity", "log(mean volume 5 / mean volume 63)", "log ratio", "63 sessions", "prices.volume"),
          Spec(f"zero_volume_share_63{suffix}", "liquidity", "share of sessions with zero volume", "share", "63 sessions", "prices.volume")]
    t = "prices.adj_close, high, low"
    tech = [("rsi_14", "Wilder RSI", "0-100", "14 sessions (recursive)"),
            ("rsi_28", "Wilder RSI", "0-100", "28 sessions (recursive)"),
            ("macd", "MACD (EMA12 - EMA26) / close", "ratio", "26 sessions (recursive)"),
            ("macd_signal", "EMA9 of MACD / close", "ratio", "35 sessions (recursive)"),
            ("macd_hist", "(MACD - signal) / close", "ratio", "35 sessions (recursive)"),
            ("bb_pctb_20", "Bollinger %B (20, 2 sd)", "ratio", "20 sessions"),
            ("bb_width_20", "Bollinger band width / SMA20", "ratio", "20 sessions"),
            ("atr_14", "Wilder ATR / close", "ratio", "14 sessions (recursive)"),
            ("stoch_k_14", "stochastic %K", "0-100", "14 sessions"),
            ("stoch_d_3", "stochastic %D (3-session mean of %K)", "0-100", "16 sessions"),
            ("williams_r_14", "Williams %R", "-100-0", "14 sessions"),
            ("plus_di_14", "+DI (Wilder)", "0-100", "14 sessions (recursive)"),
            ("minus_di_14", "-DI (Wilder)", "0-100", "14 sessions (recursive)"),
            ("adx_14", "ADX (Wilder average of DX)", "0-100", "28 sessions (recursive)"),
            ("obv_z_63", "on-balance volume z-score", "z", "63 sessions"),
            ("obv_slope_21", "21-session OBV change / (21 x mean volume)", "ratio", "21 sessions"),
            ("sma_50_200", "SMA50 / SMA200 - 1", "decimal", "200 sessions"),
            ("cci_20", "commodity channel index", "index", "20 sessions"),
            ("roc_10", "rate of change", "decimal", "10 sessions")]
    tech += [(f"ma_gap_{w}", f"close / SMA{w} - 1", "decimal", f"{w} sessions") for w in (5, 10, 20, 50, 200)]
    s += [Spec(f"{n}{suffix}", "technical", d, u, lb, t) for n, d, u, lb in tech]
    return s
