"""Slow, obviously-right references for workbench.features (one row or one trade at a time)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.data.calendar import next_session, trading_days


def activity_row(trades: pd.DataFrame, date, ticker: str, window: int,
                 asset_types=("stock",)) -> dict:
    """Disclosed activity of one ticker at one date, by filtering the trades table."""
    date = pd.Timestamp(date)
    t = trades[(trades["ticker"] == ticker) & trades["side"].isin(["buy", "sell"])
               & trades["asset_type"].isin(list(asset_types)) & trades["disclosure_date"].notna()]
    entry = pd.Series(next_session(t["disclosure_date"]), index=t.index)
    known = t[entry <= date]
    sessions = trading_days(date - pd.Timedelta(days=400), date)
    first = sessions[-window] if len(sessions) >= window else sessions[0]
    win = known[entry[known.index] >= first]
    buys = win[win["side"] == "buy"]
    sells = win[win["side"] == "sell"]
    nb, ns = len(buys), len(sells)
    out = {
        f"n_buys_{window}": nb, f"n_sells_{window}": ns,
        f"net_imbalance_{window}": (nb - ns) / (nb + ns) if nb + ns else 0.0,
        f"amount_buy_{window}": buys["amount_mid"].fillna(0).sum(),
        f"amount_sell_{window}": sells["amount_mid"].fillna(0).sum(),
        f"n_politicians_{window}": win["politician"].nunique(),
        "n_trades_known": len(known),
    }
    out[f"net_amount_{window}"] = out[f"amount_buy_{window}"] - out[f"amount_sell_{window}"]
    if len(known):
        last = entry[known.index].max()
        out["sessions_since_last"] = len(trading_days(last, date)) - 1
    else:
        out["sessions_since_last"] = np.nan
    return out
