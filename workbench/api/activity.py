"""Disclosed congressional activity in a ticker as known at a decision session.

Clock: a trade counts from its entry session under the project's rule
(:func:`workbench.factors.inputs.entry_sessions` with ``entry="disclosure"``: the first NYSE
session strictly after the disclosure date). At the close of session ``t`` the window holds the
trades whose entry session lies in the ``window`` sessions ending at ``t``; a filing dated
``t`` itself is not yet counted. Everything is indexed once per universe, so one lookup is two
binary searches.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.factors.inputs import entry_sessions

__all__ = ["ActivityIndex"]


class ActivityIndex:
    """Per-ticker disclosed trades sorted by entry session (see module notes).

    Parameters
    ----------
    trades : DataFrame
        Canonical trades (``ticker, side, politician, bioguide_id, disclosure_date,
        amount_mid``).
    sessions : DatetimeIndex
        The sessions decision dates are taken from (the price calendar).
    """

    def __init__(self, trades: pd.DataFrame, sessions: pd.DatetimeIndex):
        t = trades[trades["ticker"].notna() & trades["side"].isin(["buy", "sell"])]
        ent = entry_sessions(t, "disclosure").to_numpy(dtype="datetime64[ns]")
        ok = ~pd.isna(ent)
        if len(sessions):
            ok &= ent >= sessions.asi8[0].astype("datetime64[ns]")
        t = t.loc[ok].reset_index(drop=True)
        pos = np.searchsorted(sessions.asi8, ent[ok].astype(np.int64), "left")
        frame = pd.DataFrame({
            "ticker": t["ticker"].astype(str).to_numpy(), "pos": pos,
            "buy": (t["side"] == "buy").to_numpy(),
            "amount": pd.to_numeric(t["amount_mid"], errors="coerce").to_numpy(dtype=float),
            "politician": t["politician"].astype(str).to_numpy(),
            "disclosed": pd.to_datetime(t["disclosure_date"]).to_numpy(dtype="datetime64[ns]"),
        }).sort_values(["ticker", "pos"], kind="stable")
        self._by_ticker = {k: g.reset_index(drop=True) for k, g in frame.groupby("ticker")}
        self.n_sessions = len(sessions)

    def summary(self, ticker: str, pos: int, window: int = 63, top: int = 5) -> dict:
        """Activity in ``ticker`` over the ``window`` sessions ending at session ``pos``."""
        g = self._by_ticker.get(ticker)
        out = {"window_sessions": int(window), "n_trades": 0, "n_buys": 0, "n_sells": 0,
               "n_politicians": 0, "buy_amount": 0.0, "sell_amount": 0.0,
               "last_disclosure": None, "top_politicians": [],
               "date_rule": "disclosure (counted from the first session after it)"}
        if g is None:
            return out
        p = g["pos"].to_numpy()
        lo, hi = np.searchsorted(p, pos - window + 1, "left"), np.searchsorted(p, pos, "right")
        w = g.iloc[lo:hi]
        if w.empty:
            return out
        buy = w["buy"].to_numpy()
        amt = np.nan_to_num(w["amount"].to_numpy())
        counts = w["politician"].value_counts()
        out.update({
            "n_trades": int(len(w)), "n_buys": int(buy.sum()), "n_sells": int((~buy).sum()),
            "n_politicians": int(len(counts)), "buy_amount": float(amt[buy].sum()),
            "sell_amount": float(amt[~buy].sum()),
            "last_disclosure": pd.Timestamp(w["disclosed"].max()).date().isoformat(),
            "top_politicians": [{"politician": str(n), "n_trades": int(c)}
                                for n, c in counts.head(top).items()],
        })
        return out
