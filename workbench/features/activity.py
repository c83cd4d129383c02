"""Disclosed congressional activity per (date, ticker): what the public knew at each close.

Clock (no look-ahead)
---------------------
A trade becomes known at its **disclosure** and, by the project's entry rule
(:func:`workbench.factors.inputs.entry_sessions` with ``entry="disclosure"``), is first acted on
at the close of the first NYSE session strictly after its disclosure date. The row for date
``t`` therefore uses exactly the trades whose entry session is on or before ``t``, i.e. the
trades disclosed strictly before ``t``'s session. A filing dated ``t`` itself counts from the
next session on (filings arrive at unknown times of day). Trailing windows count NYSE
sessions: the ``w``-session window at ``t`` holds entries in the ``w`` sessions ending at
``t`` (``t`` included).

Every count is computed once per ticker over all sessions with difference arrays (an event
enters a window at its entry session and leaves ``w`` sessions later), then read at the
requested dates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["ticker_activity_features", "ACTIVITY_SIDES"]

ACTIVITY_SIDES = ("buy", "sell")


def _grid(lo: pd.Timestamp, hi: pd.Timestamp) -> np.ndarray:
    from workbench.data.calendar import trading_days

    return trading_days(lo, hi).asi8.copy()


def _window_sum(pos: np.ndarray, row: np.ndarray, weight: np.ndarray, width: int,
                shape: tuple[int, int], end: np.ndarray | None = None) -> np.ndarray:
    """Sum of ``weight`` of events active at each (row, session).

    An event at session ``pos`` is active on sessions ``pos .. min(pos + width, end) - 1``
    (``end`` defaults to no cut), so the result at session ``i`` sums events with
    ``i - width < pos <= i``.
    """
    n_rows, n_sess = shape
    diff = np.zeros((n_rows, n_sess + 1))
    stop = pos + width if end is None else np.minimum(pos + width, end)
    np.add.at(diff, (row, pos), weight)
    np.add.at(diff, (row, np.minimum(stop, n_sess)), -weight)
    return np.cumsum(diff, axis=1)[:, :n_sess]


def ticker_activity_features(universe, *, dates=None, tickers=None,
                             windows: tuple[int, ...] = (5, 21, 63),
                             asset_types: tuple[str, ...] = ("stock",)) -> pd.DataFrame:
    """Trailing disclosed congressional activity per (date, ticker), known at ``date``'s close.

    Parameters
    ----------
    universe : Universe
        Its ``trades`` (disclosure dates, sides, amounts) and, for the default dates, ``prices``.
    dates : date-like sequence, optional
        Rows to produce. Default: the sessions of the price table. A date that is not a
        session is read at the last session on or before it.
    tickers : sequence of str, optional
        Columns to produce. Default: every ticker with at least one trade of ``asset_types``.
    windows : tuple of int
        Trailing windows in NYSE sessions.
    asset_types : tuple of str
        Asset types counted (default stocks only: an option trade's side is not a view on the
        stock in the same way).

    Returns
    -------
    DataFrame
        Indexed by ``(date, ticker)`` (dates ascending, tickers in the given or sorted order).
        For each window ``w``: ``n_buys_{w}``, ``n_sells_{w}`` (trades of that side whose
        entry falls in the window), ``net_imbalance_{w}`` = (buys - sells) / (buys + sells)
        (0 when there are none), ``amount_buy_{w}``, ``amount_sell_{w}``, ``net_amount_{w}``
        (sums of ``amount_mid`` in dollars; unknown amounts count 0),
        ``n_politicians_{w}`` (distinct politicians with a buy or sell in the window). Then
        ``n_trades_known`` (all buys and sells known so far) and
        ``sessions_since_last`` (sessions since the last entry, 0 on the entry session, NaN
        before the first).

    Notes
    -----
    Uses the **disclosure** date only: each trade counts from
    ``next_session(disclosure_date)`` on. Trades without a disclosure date, a ticker, or with
    another side (exchanges) are left out.
    """
    from workbench.factors.inputs import entry_sessions

    windows = tuple(int(w) for w in windows)
    if not windows or min(windows) < 1:
        raise ValueError("windows must be positive session counts")
    t = universe.trades
    keep = (t["ticker"].notna() & t["side"].isin(list(ACTIVITY_SIDES))
            & t["asset_type"].isin(list(asset_types)) & t["disclosure_date"].notna())
    tr = t.loc[keep.fillna(False).to_numpy()].reset_index(drop=True)
    entry = entry_sessions(tr, "disclosure")
    tr = tr.loc[entry.notna().to_numpy()].reset_index(drop=True)
    entry = entry.dropna().reset_index(drop=True)

    if tickers is None:
        tick = pd.Index(np.sort(tr["ticker"].astype(str).unique()), name="ticker")
    else:
        tick = pd.Index([str(x) for x in tickers], name="ticker")
    if dates is None:
        dates = universe.sessions()
    day = pd.DatetimeIndex(pd.to_datetime(pd.Index(dates))).normalize().astype("datetime64[ns]")
    out_index = pd.MultiIndex.from_product([day, tick], names=["date", "ticker"])
    if len(day) == 0 or len(tick) == 0:
        return pd.DataFrame(index=out_index, columns=_columns(windows), dtype=float)

    lo = min(day.min(), entry.min()) if len(entry) else day.min()
    grid = _grid(lo - pd.Timedelta(days=7), day.max())
    # row position of each requested date: the last session on or before it (-1: before grid)
    at = np.searchsorted(grid, day.asi8, side="right") - 1
    n_sess, n_tick = len(grid), len(tick)

    ti = tick.get_indexer(tr["ticker"].astype(str))
    e_ns = entry.to_numpy(dtype="datetime64[ns]").astype(np.int64)
    ok = (ti >= 0) & (e_ns <= grid[-1])
    ti, e_ns = ti[ok], e_ns[ok]
    pos = np.searchsorted(grid, e_ns, side="left")
    side = tr["side"].astype(str).to_numpy()[ok]
    amount = tr["amount_mid"].astype(float).fillna(0.0).to_numpy()[ok]
    pol = tr["politician"].astype(str).to_numpy()[ok]
    is_buy = (side == "buy").astype(float)
    is_sell = (side == "sell").astype(float)
    shape = (n_tick, n_sess)

    # next event of the same (ticker, politician): the distinct-politician count needs it
    order = np.lexsort((pos, pol, ti))
    nxt = np.full(len(pos), np.iinfo(np.int64).max // 4, dtype=np.int64)
    same = (ti[order][1:] == ti[order][:-1]) & (pol[order][1:] == pol[order][:-1])
    nxt[order[:-1][same]] = pos[order][1:][same]

    valid = at >= 0
    at_c = np.clip(at, 0, n_sess - 1)
    cols: dict[str, np.ndarray] = {}

    def read(panel: np.ndarray) -> np.ndarray:
        # panel is ticker x session; rows of the output are date-major
        vals = panel[:, at_c].T.astype(float)
        vals[~valid] = 0.0
        return vals.ravel()

    for w in windows:
        nb = _window_sum(pos, ti, is_buy, w, shape)
        ns = _window_sum(pos, ti, is_sell, w, shape)
        ab = _window_sum(pos, ti, amount * is_buy, w, shape)
        a_s = _window_sum(pos, ti, amount * is_sell, w, shape)
        npol = _window_sum(pos, ti, np.ones(len(pos)), w, shape, end=nxt)
        b, s = read(nb), read(ns)
        cols[f"n_buys_{w}"] = b
        cols[f"n_sells_{w}"] = s
        with np.errstate(invalid="ignore", divide="ignore"):
            cols[f"net_imbalance_{w}"] = np.where(b + s > 0, (b - s) / np.maximum(b + s, 1), 0.0)
        cols[f"amount_buy_{w}"] = read(ab)
        cols[f"amount_sell_{w}"] = read(a_s)
        cols[f"net_amount_{w}"] = cols[f"amount_buy_{w}"] - cols[f"amount_sell_{w}"]
        cols[f"n_politicians_{w}"] = read(npol)

    total = _window_sum(pos, ti, np.ones(len(pos)), n_sess + 1, shape)
    cols["n_trades_known"] = read(total)
    marks = np.full((n_tick, n_sess), -1, dtype=np.int64)
    marks[ti, pos] = pos
    last = np.maximum.accumulate(marks, axis=1)
    since = (np.arange(n_sess)[None, :] - last).astype(float)
    since[last < 0] = np.nan
    s_vals = since[:, at_c].T.copy()
    s_vals[~valid] = np.nan
    cols["sessions_since_last"] = s_vals.ravel()
    out = pd.DataFrame(cols, index=out_index)
    # counts are exact integers held in floats; round away cumulative-sum dust
    for c in out.columns:
        if c.startswith(("n_", "amount_", "net_amount")):
            out[c] = np.round(out[c].to_numpy(), 6)
    return out


def _columns(windows) -> list[str]:
    cols = []
    for w in windows:
        cols += [f"n_buys_{w}", f"n_sells_{w}", f"net_imbalance_{w}", f"amount_buy_{w}",
                 f"amount_sell_{w}", f"net_amount_{w}", f"n_politicians_{w}"]
    return cols + ["n_trades_known", "sessions_since_last"]
