"""A small hand-made market shared by the factors and backtest tests (fast; the `universe`
fixture is bigger): wide prices on NYSE sessions, FF5-style factors and random trades."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.data.calendar import trading_days


def make_market(seed: int, n_days: int = 160, n_tickers: int = 8, n_trades: int = 60,
                start: str = "2019-01-02", awkward_trades: bool = True):
    """``(trades, wide prices, factors)``.

    Awkward prices always (with 4+ tickers): a series that starts late, one that ends early, a
    gap, and a traded ticker with no prices (``NOPX``); weekend transaction dates. With
    ``awkward_trades``, also a trade without a ticker, one without a disclosure date and one
    without an amount.
    """
    rng = np.random.default_rng(seed)
    days = trading_days(start, pd.Timestamp(start) + pd.Timedelta(days=int(n_days * 1.6) + 10))
    days = days[:n_days]
    tickers = [f"T{i}" for i in range(n_tickers)]
    r = rng.normal(0.0003, 0.015, (n_days, n_tickers))
    px = pd.DataFrame(100 * np.cumprod(1 + r, axis=0), index=days, columns=tickers)
    if n_tickers > 3:
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
    if awkward_trades:
        trades.loc[3, "ticker"] = None
        trades.loc[4, "disclosure_date"] = pd.NaT
        trades.loc[5, "amount_mid"] = np.nan
        trades.loc[[4, 5], "ticker"] = "T0"  # priced, so only the planted fault explains them
    f = pd.DataFrame(rng.normal(0, 0.01, (n_days, 5)), index=days,
                     columns=["Mkt-RF", "SMB", "HML", "RMW", "CMA"])
    f["RF"] = 0.0001
    return trades, px, f
