"""Small hand-made markets for the factors tests (fast; the `universe` fixture is bigger)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.data.calendar import trading_days


def make_market(seed: int, n_days: int = 160, n_tickers: int = 8, n_trades: int = 60):
    """Wide prices on NYSE sessions, FF5-style factors and random trades around them.

    Includes the awkward cases: a ticker with no prices, one whose series starts late and
    ends early, weekend and missing disclosure dates, a trade without a ticker.
    """
    rng = np.random.default_rng(seed)
    days = trading_days("2019-01-02", "2020-06-30")[:n_days]
    tickers = [f"T{i}" for i in range(n_tickers)]
    r = rng.normal(0.0003, 0.015, (n_days, n_tickers))
    px = pd.DataFrame(100 * np.cumprod(1 + r, axis=0), index=days, columns=tickers)
    px.iloc[:30, 1] = np.nan                 # series starts late
    px.iloc[-25:, 2] = np.nan                # series ends early
    px.iloc[70:73, 3] = np.nan               # a gap
    cal = pd.date_range(days[0] - pd.Timedelta(days=20), days[-1], freq="D")
    tx = pd.to_datetime(rng.choice(cal[:-10], n_trades))
    lag = pd.to_timedelta(rng.integers(0, 40, n_trades), unit="D")
    trades = pd.DataFrame({
        "trade_id": [f"t{i}" for i in range(n_trades)],
        "politician": rng.choice(["A", "B", "C", "D"], n_trades),
        "party": rng.choice(["Democrat", "Republican"], n_trades),
        "chamber": "senate",
        "ticker": rng.choice(tickers + ["NOPX"], n_trades).astype(object),
        "asset_type": rng.choice(["stock", "stock", "stock", "option"], n_trades),
        "side": rng.choice(["buy", "sell"], n_trades),
        "transaction_date": tx, "disclosure_date": tx + lag,
        "amount_low": rng.choice([1001.0, 15001.0, 50001.0], n_trades),
    })
    trades["amount_mid"] = trades["amount_low"] * 1.5
    trades.loc[3, "ticker"] = None
    trades.loc[4, "disclosure_date"] = pd.NaT
    trades.loc[5, "amount_mid"] = np.nan
    f = pd.DataFrame(rng.normal(0, 0.01, (n_days, 5)), index=days,
                     columns=["Mkt-RF", "SMB", "HML", "RMW", "CMA"])
    f["RF"] = 0.0001
    return trades, px, f


@pytest.fixture
def market(seed):
    return make_market(seed)
