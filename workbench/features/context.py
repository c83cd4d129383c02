"""What every feature group reads: the trades with their decision sessions, and price blocks.

Clocks
------
- **Decision session** of a trade: the last price session on or before its
  ``disclosure_date``. Features of the public side use data up to that session's close (the
  trade itself is first acted on at the next session's close, see
  :func:`workbench.factors.inputs.entry_sessions`).
- **Transaction session** (``*_tx`` features): the last session on or before the
  ``transaction_date``, never later than the decision session (a transaction dated after its
  disclosure, a data error, is read at the decision session so it cannot reach the future).

Sessions are the dates of the universe's price table (the grid all indicators run on); a date
before the first session has position -1 and its price features are NaN.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["TradeContext", "PriceBlock", "build_context", "price_blocks", "Spec", "spec_frame"]


@dataclass(frozen=True)
class Spec:
    """One catalog row: what a feature is, in which unit, over which look-back, from what."""

    name: str
    group: str
    description: str
    unit: str
    lookback: str
    sources: str


def spec_frame(specs: list[Spec]) -> pd.DataFrame:
    return pd.DataFrame([s.__dict__ for s in specs],
                        columns=["name", "group", "description", "unit", "lookback", "sources"])


@dataclass(frozen=True)
class TradeContext:
    """Trades in a fixed order with positions on the session grid.

    Attributes
    ----------
    trades : DataFrame
        The universe's trades, index reset, sorted by ``trade_id``.
    sessions : DatetimeIndex
        Price sessions (the grid).
    dpos, tpos : ndarray of int
        Decision and transaction session positions (-1: before the grid or date missing).
    col : ndarray of int
        Column of the trade's ticker in ``tickers`` (-1: no price series).
    tickers : Index
        Priced tickers, sorted.
    market : ndarray
        Daily market total return ``Mkt-RF + RF`` on the grid (NaN where the factor file has
        no row).
    factors : DataFrame
        The factor frame reindexed to the grid.
    sector_of : ndarray of str
        Sector of each priced ticker ("" when unknown).
    """

    trades: pd.DataFrame
    sessions: pd.DatetimeIndex
    dpos: np.ndarray
    tpos: np.ndarray
    col: np.ndarray
    tickers: pd.Index
    market: np.ndarray
    factors: pd.DataFrame
    sector_of: np.ndarray


def _positions(sessions: pd.DatetimeIndex, dates: pd.Series) -> np.ndarray:
    d = pd.to_datetime(dates).astype("datetime64[ns]")
    ns = d.to_numpy().astype("datetime64[ns]").astype(np.int64)
    pos = np.searchsorted(sessions.asi8, ns, side="right") - 1
    pos[d.isna().to_numpy()] = -1
    return pos.astype(np.int64)


def build_context(universe) -> TradeContext:
    """Positions of every trade on the price grid (see the module docstring for the clocks)."""
    trades = universe.trades.sort_values("trade_id", kind="stable").reset_index(drop=True)
    sessions = pd.DatetimeIndex(np.sort(pd.to_datetime(universe.prices["date"]).unique()))
    sessions = sessions.astype("datetime64[ns]")
    dpos = _positions(sessions, trades["disclosure_date"])
    tpos = _positions(sessions, trades["transaction_date"])
    tpos = np.where((tpos > dpos) | (tpos < 0), dpos, tpos)
    tickers = pd.Index(np.sort(universe.prices["ticker"].astype(str).unique()), name="ticker")
    col = tickers.get_indexer(trades["ticker"].astype("string").fillna("\x00").astype(str))
    factors = universe.factors.reindex(sessions) if len(universe.factors) else pd.DataFrame(
        index=sessions, columns=["Mkt-RF", "RF"], dtype=float)
    market = (factors["Mkt-RF"] + factors["RF"]).to_numpy(dtype=float)
    sec = dict(zip(universe.securities["ticker"].astype(str),
                   universe.securities["sector"].astype("string").fillna(""), strict=False))
    sector_of = np.array([sec.get(t, "") for t in tickers], dtype=object).astype(str)
    return TradeContext(trades=trades, sessions=sessions, dpos=dpos, tpos=tpos, col=col,
                        tickers=tickers, market=market, factors=factors, sector_of=sector_of)


@dataclass(frozen=True)
class PriceBlock:
    """Wide price arrays (sessions x tickers of the block) and the trades on those tickers.

    ``close`` is the adjusted close; ``high``/``low`` are adjusted by ``adj_close / close``;
    ``raw_close`` and ``volume`` are as quoted (dollar volume uses them). ``sector_ret`` is the
    daily equal-weight return of each ticker's sector (all priced tickers of the sector).
    ``rows`` are positions of the block's trades in :attr:`TradeContext.trades`.
    """

    tickers: list[str]
    close: np.ndarray
    high: np.ndarray
    low: np.ndarray
    raw_close: np.ndarray
    volume: np.ndarray
    sector_ret: np.ndarray
    market: np.ndarray
    factors: np.ndarray        # sessions x 6: Mkt-RF SMB HML RMW CMA RF
    rows: np.ndarray
    col: np.ndarray            # column of each trade within the block
    dpos: np.ndarray
    tpos: np.ndarray
    amount: np.ndarray
    side_sign: np.ndarray      # +1 buy, -1 sell, 0 otherwise


FACTOR_COLUMNS = ("Mkt-RF", "SMB", "HML", "RMW", "CMA", "RF")


def _wide(prices: pd.DataFrame, field: str, sessions, tickers, where=None) -> pd.DataFrame:
    """Sessions x tickers array of one price field (the last row of a duplicated quote)."""
    r, c = where if where is not None else _cells(prices, sessions, tickers)
    out = np.full((len(sessions), len(tickers)), np.nan)
    ok = (r >= 0) & (c >= 0)
    out[r[ok], c[ok]] = prices[field].to_numpy(dtype=float)[ok]   # later rows win
    return pd.DataFrame(out, index=sessions, columns=tickers)


def _cells(prices: pd.DataFrame, sessions, tickers) -> tuple[np.ndarray, np.ndarray]:
    d = pd.DatetimeIndex(pd.to_datetime(prices["date"])).astype("datetime64[ns]")
    return sessions.get_indexer(d), pd.Index(tickers).get_indexer(prices["ticker"].astype(str))


def price_blocks(universe, ctx: TradeContext, block_size: int = 40) -> list[PriceBlock]:
    """Split the priced tickers into blocks of ``block_size`` (the unit of parallel work)."""
    prices = universe.prices
    tick = list(ctx.tickers)
    cells = _cells(prices, ctx.sessions, tick)

    def wide(field: str) -> np.ndarray:
        return _wide(prices, field, ctx.sessions, tick, cells).to_numpy(dtype=float)

    adj, close = wide("adj_close"), wide("close")
    factor = np.where(close > 0, adj / close, np.nan)
    high = wide("high") * factor
    low = wide("low") * factor
    vol = wide("volume")
    with np.errstate(invalid="ignore", divide="ignore"):
        ret = adj[1:] / adj[:-1] - 1.0
    ret = np.vstack([np.full((1, adj.shape[1]), np.nan), ret])
    sector_ret = np.full_like(ret, np.nan)
    for s in np.unique(ctx.sector_of):
        m = ctx.sector_of == s
        if s == "":
            continue
        sub = ret[:, m]
        cnt = np.isfinite(sub).sum(axis=1)
        with np.errstate(invalid="ignore"):
            mean = np.where(cnt > 0, np.nansum(sub, axis=1) / np.maximum(cnt, 1), np.nan)
        sector_ret[:, m] = mean[:, None]
    fac = ctx.factors.reindex(columns=list(FACTOR_COLUMNS)).to_numpy(dtype=float)
    amount = ctx.trades["amount_mid"].astype(float).to_numpy()
    side = ctx.trades["side"].astype("string").fillna("").to_numpy()
    sign = np.where(side == "buy", 1.0, np.where(side == "sell", -1.0, 0.0))
    blocks = []
    for start in range(0, len(tick), block_size):
        cols = np.arange(start, min(start + block_size, len(tick)))
        rows = np.flatnonzero((ctx.col >= cols[0]) & (ctx.col <= cols[-1]) & (ctx.dpos >= 0))
        blocks.append(PriceBlock(
            tickers=tick[cols[0]:cols[-1] + 1], close=adj[:, cols], high=high[:, cols],
            low=low[:, cols], raw_close=close[:, cols], volume=vol[:, cols],
            sector_ret=sector_ret[:, cols], market=ctx.market, factors=fac, rows=rows,
            col=ctx.col[rows] - cols[0], dpos=ctx.dpos[rows], tpos=ctx.tpos[rows],
            amount=amount[rows], side_sign=sign[rows]))
    return blocks
