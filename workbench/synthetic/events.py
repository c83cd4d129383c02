"""A planted causal event: a date after which a named group sells more and one price jumps.

The event exists so that causal estimators (:mod:`workbench.causal`) can be checked against a
known effect. At ``SynthParams.event_date`` (rolled forward to a session, ``t0``):

- **intensity**: a named group of ordinary politicians (not in a community, not informed;
  senators when there are enough) has its *stock-sell* intensity multiplied by
  ``event_sell_factor`` for ``event_sessions`` sessions ``t0 .. t0 + event_sessions - 1``
  (by transaction date). A factor above 1 adds independent Poisson sells with intensity
  ``(factor - 1) x`` the group member's own base stock-sell intensity; a factor below 1 thins the
  group's existing stock sells in the window with keep-probability ``factor``. Added trades get
  new trade ids and are appended after the base trades (not in session order); nothing else in
  the trades table changes.
- **price level**: one priced ticker that carries no other planted structure near ``t0`` (not a
  community, option or motif ticker; no informed, anomaly or squeeze move within 250 sessions
  before and ``event_sessions`` after) gets its price level multiplied by
  ``1 + event_price_shift`` from the close of ``t0`` on (one extra return on session ``t0``).

Randomness comes from child 9 of ``numpy.random.SeedSequence(seed)``
(``SeedSequence(seed, spawn_key=(9,))`` is the same stream as ``SeedSequence(seed).spawn(10)[9]``),
so the streams of the rest of the generator are untouched. What was planted is recorded in
``SyntheticTruth.events`` (see :func:`event_table_columns`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.data.schema import coerce_trades, make_trade_id
from workbench.synthetic.trades import (
    AMOUNT_BRACKETS,
    AMOUNT_WEIGHTS,
    ASSET_WEIGHTS,
    OWNER_WEIGHTS,
    OWNERS,
    draw_lags,
)
from workbench.synthetic.truth import SynthParams

__all__ = ["EVENT_STREAM", "EVENT_COLUMNS", "PlantedEvent", "event_rng", "plant_event",
           "ordinary_sell_probability"]

EVENT_STREAM = 9
EVENT_COLUMNS = ("kind", "date", "end_date", "group", "ticker", "size", "measure",
                 "n_changed", "expected_changed")
# Ordinary politicians' trades: kind drawn from ASSET_WEIGHTS, side buy with p 0.52 and sell
# with p 0.47 (see workbench.synthetic.trades.simulate_events).
P_SELL_ORDINARY = 0.99 - 0.52


def ordinary_sell_probability() -> float:
    """Probability that an ordinary politician's trade is a stock sell (base process)."""
    return float(ASSET_WEIGHTS[0] / ASSET_WEIGHTS.sum() * P_SELL_ORDINARY)


def event_rng(seed: int) -> np.random.Generator:
    """The event's own stream: child ``EVENT_STREAM`` of ``SeedSequence(seed)``."""
    return np.random.default_rng(np.random.SeedSequence(int(seed), spawn_key=(EVENT_STREAM,)))


def empty_event_table() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c in ("date", "end_date")
                                      else float if c in ("size", "expected_changed")
                                      else "int64" if c == "n_changed" else object)
                         for c in EVENT_COLUMNS})


@dataclass(frozen=True)
class PlantedEvent:
    """The event before it is applied to the trades table (see :meth:`apply`).

    Attributes
    ----------
    t0, t1 : int
        Session indexes of the window ``t0 <= t < t1`` (``t0 = -1``: nothing planted).
    group : ndarray of int
        Row positions of the group in the politicians frame.
    rows : DataFrame
        Added sells as generator events (``session, pol, ticker, side, partial, kind,
        follower_of, trade_id``) with ``bracket, owner, lag``.
    price_row : dict
        ``ticker, size, date`` of the price shift (empty when none).
    expected_changed : float
        Expected number of added (or removed, negative) sells.
    """

    t0: int
    t1: int
    group: np.ndarray
    rows: pd.DataFrame
    price_row: dict
    expected_changed: float
    factor: float
    rng_state: dict

    def apply(self, trades: pd.DataFrame, pol: pd.DataFrame, sessions: pd.DatetimeIndex,
              build: Callable[..., pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Add (or thin) the group's sells; return ``(trades, truth table)``.

        ``build(ev, bracket, owner, lag)`` turns event rows into canonical trade rows (the
        generator's ``assemble_trades``).
        """
        table = empty_event_table()
        if self.t0 < 0:
            return trades, table
        names = pol["politician"].to_numpy()[self.group]
        n_changed = 0
        if self.factor >= 1.0 and len(self.rows):
            r = self.rows
            added = build(r, r["bracket"].to_numpy(), r["owner"].to_numpy(), r["lag"].to_numpy())
            trades = coerce_trades(pd.concat([trades, added], ignore_index=True))
            n_changed = len(added)
        elif self.factor < 1.0:
            rng = np.random.default_rng()
            rng.bit_generator.state = self.rng_state
            d0, d1 = sessions[self.t0], sessions[self.t1 - 1]
            hit = np.flatnonzero((trades["politician"].isin(names) & (trades["side"] == "sell")
                                  & (trades["asset_type"] == "stock")
                                  & trades["transaction_date"].between(d0, d1)).to_numpy())
            drop = hit[rng.random(len(hit)) >= self.factor]
            trades = trades.drop(index=trades.index[drop]).reset_index(drop=True)
            n_changed = -len(drop)
        rows = [{"kind": "intensity", "date": sessions[self.t0], "end_date": sessions[self.t1 - 1],
                 "group": ",".join(sorted(names)), "ticker": None, "size": self.factor,
                 "measure": "stock sells per session (transaction date), multiplier",
                 "n_changed": n_changed, "expected_changed": self.expected_changed}]
        if self.price_row:
            rows.append({"kind": "price_level", "date": self.price_row["date"],
                         "end_date": sessions[-1], "group": None,
                         "ticker": self.price_row["ticker"], "size": self.price_row["size"],
                         "measure": "price level multiplied by 1 + size from the close of date",
                         "n_changed": 0, "expected_changed": 0.0})
        table = pd.concat([table, pd.DataFrame(rows)], ignore_index=True).astype(table.dtypes)
        return trades, table


def _none(rng) -> PlantedEvent:
    return PlantedEvent(-1, -1, np.empty(0, dtype=int), pd.DataFrame(), {}, 0.0, 1.0,
                        rng.bit_generator.state)


def plant_event(seed: int, params: SynthParams, sessions: pd.DatetimeIndex, pol: pd.DataFrame,
                lam: np.ndarray, returns: np.ndarray, busy: np.ndarray, betas: pd.DataFrame,
                excluded_tickers: set[str], priced: list[str]) -> PlantedEvent:
    """Choose the group, draw the extra sells and shift one ticker's returns (in place).

    Parameters
    ----------
    lam : ndarray
        Base expected trades per session (all politicians), from ``activity_intensity``.
    returns : ndarray (sessions x priced tickers)
        Simple returns before prices are built; the shifted ticker's return on ``t0`` is
        changed in place.
    busy : ndarray of bool
        Sessions x tickers already carrying a planted move (not modified).
    excluded_tickers : set of str
        Community, option and motif tickers: never shifted, never used for added sells.
    """
    rng = event_rng(seed)
    n = len(sessions)
    if not params.event_date:
        return _none(rng)
    t0 = int(np.searchsorted(sessions, pd.Timestamp(params.event_date)))
    if t0 < 60 or t0 >= n - 5:  # no room for a pre-period or a post-period
        return _none(rng)
    t1 = min(n, t0 + params.event_sessions)
    ordinary = (pol["community"].to_numpy() < 0) & ~pol["is_informed"].to_numpy()
    senators = ordinary & (pol["chamber"].to_numpy() == "senate")
    pool = np.flatnonzero(senators if senators.sum() >= params.event_group_size else ordinary)
    group = np.sort(rng.choice(pool, size=params.event_group_size, replace=False))

    # Extra sells: independent Poisson with (factor - 1) x each member's base sell intensity.
    share = pol["activity"].to_numpy()[group] / pol["activity"].sum()
    base = lam[t0:t1, None] * share[None, :] * ordinary_sell_probability()
    factor = float(params.event_sell_factor)
    extra = max(factor - 1.0, 0.0) * base
    counts = rng.poisson(extra)
    tt, gg = np.nonzero(counts)
    reps = counts[tt, gg]
    session = np.repeat(tt + t0, reps)
    who = np.repeat(group[gg], reps)
    pool_tickers = np.array(sorted(set(priced) - set(excluded_tickers)), dtype=object)
    m = len(session)
    rows = pd.DataFrame({
        "session": session, "pol": who, "ticker": rng.choice(pool_tickers, size=m),
        "side": "sell", "partial": rng.random(m) < 0.45, "kind": "stock",
        "follower_of": np.full(m, -1, dtype=np.int64),
        "trade_id": [make_trade_id("synthetic-event", seed, i) for i in range(m)],
        "bracket": rng.choice(len(AMOUNT_BRACKETS), size=m, p=AMOUNT_WEIGHTS / AMOUNT_WEIGHTS.sum()),
        "owner": rng.choice(OWNERS, size=m, p=OWNER_WEIGHTS / OWNER_WEIGHTS.sum()),
        "lag": draw_lags(m, rng)})
    expected = float(extra.sum()) if factor >= 1.0 else -float((1.0 - factor) * base.sum())

    # Price level shift on a ticker with nothing else planted around the event.
    price_row: dict = {}
    if params.event_price_shift != 0.0:
        tickers = betas["ticker"].to_numpy()
        quiet = ~busy[max(0, t0 - 250):t1].any(axis=0)
        ok = np.flatnonzero(quiet & ~np.isin(tickers, list(excluded_tickers)))
        if len(ok):
            j = int(rng.choice(ok))
            s = float(params.event_price_shift)
            returns[t0, j] = (1.0 + returns[t0, j]) * (1.0 + s) - 1.0
            price_row = {"ticker": str(tickers[j]), "size": s, "date": sessions[t0]}
    return PlantedEvent(t0, t1, group, rows, price_row, expected, factor, rng.bit_generator.state)
