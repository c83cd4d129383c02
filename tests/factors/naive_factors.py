"""Slow, obviously-correct references for workbench.factors (loops, no vectorization)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def naive_entry(date, sessions, entry):
    """First session strictly after ``date`` (disclosure) or on/after it (transaction)."""
    if pd.isna(date):
        return None
    for s in sessions:
        if (s > date) if entry == "disclosure" else (s >= date):
            return s
    return None


def naive_calendar_time(trades, wide_prices, side, holding_days, weight, entry,
                        asset_types=("stock",)):
    """Loop over sessions and trades: weighted mean return of the positions held each day."""
    from workbench.data.calendar import trading_days

    # All NYSE sessions around the price history: an entry session before the first price
    # (or after the last) cannot be traded.
    sessions = list(trading_days(wide_prices.index[0] - pd.Timedelta(days=90),
                                 wide_prices.index[-1] + pd.Timedelta(days=30)))
    px_days = list(wide_prices.index)
    rets = wide_prices.pct_change(fill_method=None)
    pos = []
    for _, t in trades.iterrows():
        if t["side"] != side or t["asset_type"] not in asset_types:
            continue
        tk = t["ticker"]
        if pd.isna(tk) or tk not in wide_prices.columns:
            continue
        date = t["disclosure_date"] if entry == "disclosure" else t["transaction_date"]
        e = naive_entry(date, sessions, entry)
        if e is None:
            continue
        if e not in px_days:
            continue
        i = px_days.index(e)
        if np.isnan(wide_prices.iloc[i][tk]):
            continue
        w = 1.0 if weight == "equal" else float(t[weight])
        if not w > 0:
            continue
        pos.append((i, tk, w))
    out = []
    for d in range(len(px_days)):
        num = den = 0.0
        for i, tk, w in pos:
            if i + 1 <= d <= i + holding_days:
                r = rets.iloc[d][tk]
                if not np.isnan(r):
                    num += w * r
                    den += w
        out.append(num / den if den > 0 else np.nan)
    return pd.Series(out, index=wide_prices.index)
