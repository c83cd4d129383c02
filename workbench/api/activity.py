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
        codes, self._names = pd.factorize(t["politician"].astype(str), sort=True)
        frame = pd.DataFrame({
            "ticker": t["ticker"].astype(str).to_numpy(), "pos": pos,
            "buy": (t["side"] == "buy").to_numpy(),
            "amount": np.nan_to_num(pd.to_numeric(t["amount_mid"], errors="coerce")
                                    .to_numpy(dtype=float)),
            "who": codes.astype(np.int64),
            "disclosed": pd.to_datetime(t["disclosure_date"]).to_numpy(dtype="datetime64[ns]"),
        }).sort_values(["ticker", "pos"], kind="stable")
        # plain numpy arrays per ticker: a lookup is two binary searches and a few reductions
        self._by_ticker = {k: {c: g[c].to_numpy() for c in ("pos", "buy", "amount", "who",
                                                           "disclosed")}
                           for k, g in frame.groupby("ticker")}
        self.n_sessions = len(sessions)

    def summary(self, ticker: str, pos: int, window: int = 63, top: int = 5) -> dict:
        """Activity in ``ticker`` over the ``window`` sessions ending at session ``pos``.

        ``top_politicians``: the most active, by trades then name.
        """
        out = {"window_sessions": int(window), "n_trades": 0, "n_buys": 0, "n_sells": 0,
               "n_politicians": 0, "buy_amount": 0.0, "sell_amount": 0.0,
               "last_disclosure": None, "top_politicians": [],
               "date_rule": "disclosure (counted from the first session after it)"}
        g = self._by_ticker.get(ticker)
        if g is None:
            return out
        p = g["pos"]
        lo, hi = np.searchsorted(p, pos - window + 1, "left"), np.searchsorted(p, pos, "right")
        if hi <= lo:
            return out
        buy, amt, who = g["buy"][lo:hi], g["amount"][lo:hi], g["who"][lo:hi]
        ids, counts = np.unique(who, return_counts=True)      # ids sorted = names sorted
        order = np.argsort(-counts, kind="stable")[:top]
        out.update({
            "n_trades": int(hi - lo), "n_buys": int(buy.sum()), "n_sells": int((~buy).sum()),
            "n_politicians": int(len(ids)), "buy_amount": float(amt[buy].sum()),
            "sell_amount": float(amt[~buy].sum()),
            "last_disclosure": str(g["disclosed"][lo:hi].max().astype("datetime64[D]")),
            "top_politicians": [{"politician": str(self._names[ids[i]]),
                                 "n_trades": int(counts[i])} for i in order],
        })
        return out
