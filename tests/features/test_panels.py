"""Vectorized rolling helpers against pandas, and the indicators against the ``ta`` library
where conventions coincide (RSI, MACD, Bollinger, stochastic, Williams %R, CCI, ROC). ATR, DI/ADX
and OBV follow Wilder's recursion started at the first observation (ta seeds them differently);
they are checked against the loop in naive_features.py by test_reference.py."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.features.context import PriceBlock
from workbench.features.panels import _rmax, _rmean, _rmin, _rskew, _rstd, technical_panels


@pytest.mark.parametrize("w", [1, 3, 20, 63, 252])
def test_rolling_helpers_match_pandas(seed, w):
    rng = np.random.default_rng(seed)
    a = rng.normal(100, 3, (300, 4))
    a[50, 1] = np.nan
    a[:40, 2] = np.nan           # late listing
    a[:, 3] = 1e6 * np.exp(rng.normal(0, 0.3, 300))   # volume-like scale
    df = pd.DataFrame(a).rolling(w, min_periods=w)
    for fast, ref in ((_rmean, df.mean()), (_rmax, df.max()), (_rmin, df.min()),
                      (_rstd, df.std()) if w > 1 else (_rmean, df.mean()),
                      (_rskew, df.skew()) if w > 2 else (_rmean, df.mean())):
        x, y = fast(a, w), ref.to_numpy()
        assert (np.isnan(x) == np.isnan(y)).all(), fast.__name__
        np.testing.assert_allclose(x[~np.isnan(x)], y[~np.isnan(y)], rtol=1e-9, atol=1e-9,
                                   err_msg=fast.__name__)


def test_indicators_match_ta(universe):
    ta = pytest.importorskip("ta")
    p = universe.prices
    tk = p["ticker"].iloc[0]
    s = p[p["ticker"] == tk].set_index("date")
    close, high, low, vol = s["adj_close"], s["high"], s["low"], s["volume"]
    n = len(s)
    b = PriceBlock(tickers=[tk], close=close.to_numpy()[:, None], high=high.to_numpy()[:, None],
                   low=low.to_numpy()[:, None], raw_close=close.to_numpy()[:, None],
                   volume=vol.to_numpy()[:, None], sector_ret=np.zeros((n, 1)),
                   market=np.zeros(n), factors=np.zeros((n, 6)), rows=np.array([]),
                   col=np.array([]), dpos=np.array([]), tpos=np.array([]), amount=np.array([]),
                   side_sign=np.array([]))
    got = {k: v[:, 0] for k, v in technical_panels(b).items()}
    ref = {
        "rsi_14": ta.momentum.RSIIndicator(close, 14).rsi(),
        "macd": ta.trend.MACD(close).macd() / close,
        "macd_signal": ta.trend.MACD(close).macd_signal() / close,
        "bb_pctb_20": ta.volatility.BollingerBands(close, 20, 2).bollinger_pband(),
        "bb_width_20": ta.volatility.BollingerBands(close, 20, 2).bollinger_wband() / 100,
        "stoch_k_14": ta.momentum.StochasticOscillator(high, low, close, 14, 3).stoch(),
        "stoch_d_3": ta.momentum.StochasticOscillator(high, low, close, 14, 3).stoch_signal(),
        "williams_r_14": ta.momentum.WilliamsRIndicator(high, low, close, 14).williams_r(),
        "cci_20": ta.trend.CCIIndicator(high, low, close, 20).cci(),
        "roc_10": ta.momentum.ROCIndicator(close, 10).roc() / 100,
    }
    for name, r in ref.items():
        r = r.to_numpy()
        both = np.isfinite(r) & np.isfinite(got[name])
        assert both.sum() > n - 60, name
        # recursive averages: ta seeds Wilder's RSI with the first (missing) difference as 0;
        # the seeds are forgotten geometrically, so compare once (13/14)^k < 1e-10
        both[:320] = False
        np.testing.assert_allclose(got[name][both], r[both], rtol=1e-8, atol=1e-8, err_msg=name)
