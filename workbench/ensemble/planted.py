"""What the synthetic universe planted in the next ``h`` sessions of each (session, ticker).

The ensemble is checked against two planted return signals:

- **informed buys** (:attr:`SyntheticTruth.informed_trades`): the planted abnormal return
  ``car / horizon`` a day over the ``horizon`` sessions after the trade's transaction session.
  A decision at session ``p`` can use it only once the buy was disclosed (its entry session,
  the first session after the disclosure date, is at or before ``p``); the planted return
  still to come over ``p+1 .. p+h`` is what a perfect reader of the disclosure would expect.
- **motifs** (:attr:`SyntheticTruth.motifs`): a 30-session path of fixed daily returns
  (:data:`workbench.synthetic.generator.MOTIFS`) pasted into a ticker's returns. At ``p``
  inside a motif (at least ``seen`` sessions of it visible), the motif's returns over
  ``p+1 .. p+h`` are what an analog search could expect.

:func:`planted_returns` gives both as session x ticker arrays of decimals (sums of the
planted daily returns); the planted-signal samples are those where either is non-zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["planted_returns", "planted_tickers"]


def _positions(sessions: pd.DatetimeIndex, dates) -> np.ndarray:
    d = pd.DatetimeIndex(pd.to_datetime(pd.Series(dates))).as_unit("ns")
    pos = sessions.asi8.searchsorted(d.asi8, side="left")
    ok = (pos < len(sessions)) & (sessions.asi8[np.minimum(pos, len(sessions) - 1)] == d.asi8)
    return np.where(ok, pos, -1)


def planted_returns(ctx, truth, horizon: int, seen: int = 5) -> dict[str, np.ndarray]:
    """``{"informed": array, "motif": array}`` of planted returns over the next ``h`` sessions.

    Parameters
    ----------
    ctx : UniverseContext
    truth : SyntheticTruth
    horizon : int
    seen : int
        A motif counts from its ``seen``-th session on (an analog needs some of it).
    """
    T, K = ctx.n_sessions, ctx.n_tickers
    h = int(horizon)
    informed = np.zeros((T, K))
    motif = np.zeros((T, K))
    if truth is None:
        return {"informed": informed, "motif": motif}
    params = truth.params
    # informed buys: daily planted return on sessions t+1 .. t+H, usable from the entry on
    it = truth.informed_trades
    if len(it):
        tr = ctx.trades.set_index("trade_id")
        ids = it["trade_id"].astype(str)
        known = ids.isin(tr.index)
        it = it[known.to_numpy()]
        entry = tr.loc[it["trade_id"].astype(str), "entry_pos"].to_numpy()
        k = np.array([ctx.column(t) for t in it["ticker"]])
        t0 = _positions(ctx.sessions, it["transaction_date"])
        for e, kk, t in zip(entry, k, t0, strict=True):
            if kk < 0 or t < 0:
                continue
            add = np.zeros(T + h + params.informed_horizon + 2)
            add[t + 1: t + 1 + params.informed_horizon] = params.informed_car / params.informed_horizon
            c = np.concatenate([[0.0], np.cumsum(add)])
            p = np.arange(e, T)
            informed[p, kk] += c[p + h + 1] - c[p + 1]
    mo = truth.motifs
    if len(mo):
        from workbench.synthetic.generator import MOTIFS

        starts = _positions(ctx.sessions, mo["start_date"])
        for mid, tk, s, length in zip(mo["motif_id"], mo["ticker"], starts, mo["length"],
                                      strict=True):
            kk = ctx.column(str(tk))
            if kk < 0 or s < 0:
                continue
            shape = np.asarray(MOTIFS[int(mid)][: int(length)], float)
            c = np.concatenate([[0.0], np.cumsum(shape), np.full(h, np.sum(shape))])
            for p in range(s + seen - 1, min(s + len(shape) - 1, T)):
                j = p - s + 1                       # motif sessions seen through p
                motif[p, kk] += c[j + h] - c[j]
    return {"informed": informed, "motif": motif}


def planted_tickers(truth) -> list[str]:
    """Tickers with an informed buy or a motif (the planted-signal tickers)."""
    if truth is None:
        return []
    out = set(truth.informed_trades["ticker"].astype(str)) | set(truth.motifs["ticker"].astype(str))
    return sorted(out)
