"""Training samples of the meta-learner: every member's prediction on a grid of decision dates.

A sample is a ticker at a decision session ``p`` of the grid ``p = 0, step, 2 step ...`` (the
grid is anchored at the first session of the price table, so cutting the future off leaves the
earlier grid unchanged). Its inputs are the members' values and uncertainties at ``p`` (each
known at the close of ``p``); its label is the log return from the close of ``p`` to the close
of ``p + h`` and its direction (down / flat / up, flat when ``|return| <= 0.005``). Samples
whose label is not known yet, or whose ticker has no volatility estimate, are left out.

The member values are the members' own walk-forward predictions: each member refits or
re-runs with data up to ``p`` only (regime refits before ``p``, trailing regressions, analog
searches over windows whose outcome was known at ``p``, track records known at ``p``), so the
meta-learner stacks out-of-sample predictions, never in-sample fits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.ensemble.context import FLAT_BAND

__all__ = ["StackData", "build_stack", "default_step", "direction_of", "stack_columns"]


def default_step(horizon: int) -> int:
    """Sessions between grid dates: the horizon, within 5..10 (overlap kept small)."""
    return int(min(max(int(horizon), 5), 10))


def direction_of(ret: np.ndarray, band: float = FLAT_BAND) -> np.ndarray:
    """0 down, 1 flat, 2 up (``-1`` where the return is unknown)."""
    r = np.asarray(ret, float)
    out = np.where(r > band, 2, np.where(r < -band, 0, 1))
    return np.where(np.isfinite(r), out, -1)


@dataclass(frozen=True)
class StackData:
    """Member predictions and labels on the sample grid.

    Attributes
    ----------
    members : tuple of str
    horizon, step : int
    pos, k : ndarray (n,)
        Session position and ticker column of every sample.
    dates : DatetimeIndex (n,)
        Decision session of every sample.
    tickers : ndarray (n,) of str
    X, U : ndarray (n, members)
        Member values (expected log return over ``h``) and uncertainties; NaN = unavailable.
    y : ndarray (n,)
        Label: log return over ``h`` sessions after the decision close.
    direction : ndarray (n,) int
    base_vol : ndarray (n,)
        RiskMetrics volatility at the decision close times ``sqrt(h)``.
    """

    members: tuple
    horizon: int
    step: int
    pos: np.ndarray
    k: np.ndarray
    dates: pd.DatetimeIndex
    tickers: np.ndarray
    X: np.ndarray
    U: np.ndarray
    y: np.ndarray
    direction: np.ndarray
    base_vol: np.ndarray

    def __len__(self) -> int:
        return len(self.y)

    def subset(self, idx) -> StackData:
        idx = np.asarray(idx)
        return StackData(self.members, self.horizon, self.step, self.pos[idx], self.k[idx],
                         self.dates[idx], self.tickers[idx], self.X[idx], self.U[idx],
                         self.y[idx], self.direction[idx], self.base_vol[idx])

    def to_frame(self) -> pd.DataFrame:
        """One row per sample: date, ticker, label and each member's value."""
        out = pd.DataFrame({"date": self.dates, "ticker": self.tickers, "y": self.y,
                            "direction": self.direction, "base_vol": self.base_vol})
        for j, m in enumerate(self.members):
            out[m] = self.X[:, j]
            out[f"{m}_unc"] = self.U[:, j]
        return out

    def coverage(self) -> pd.Series:
        """Share of samples where each member is available."""
        return pd.Series(np.isfinite(self.X).mean(axis=0), index=list(self.members),
                         name="coverage")


def stack_columns(ctx, max_tickers: int | None) -> np.ndarray:
    """Ticker columns of the training grid: all, or a fixed subset of ``max_tickers`` chosen by
    a hash of the ticker name (so the subset does not depend on the data or its dates)."""
    import zlib

    K = ctx.n_tickers
    if max_tickers is None or K <= max_tickers:
        return np.arange(K)
    h = np.array([zlib.crc32(t.encode("utf-8")) for t in ctx.tickers], dtype=np.int64)
    return np.sort(np.argsort(h, kind="stable")[: int(max_tickers)])


def build_stack(ctx, members, horizon: int, *, step: int | None = None, first: int = 21,
                last: int | None = None, max_tickers: int | None = None) -> StackData:
    """Member predictions on the grid of decision dates (module notes).

    Parameters
    ----------
    ctx : UniverseContext
    members : sequence of Member
    horizon : int
        Sessions ahead.
    step : int, optional
        Grid spacing (default :func:`default_step`).
    first : int
        First grid position considered (later positions stay on the anchored grid).
    last : int, optional
        Last decision position (default: the last with a known label, ``T - 1 - h``).
    max_tickers : int, optional
        Train on at most this many tickers (:func:`stack_columns`); the analog search costs
        one query per ticker and date, which a universe of 500 tickers makes slow.
    """
    h = int(horizon)
    step = default_step(h) if step is None else int(step)
    T, K = ctx.n_sessions, ctx.n_tickers
    last = T - 1 - h if last is None else min(int(last), T - 1 - h)
    start = int(np.ceil(first / step) * step)
    grid = np.arange(start, last + 1, step, dtype=np.int64)
    target = ctx.target(h)
    states = [ctx.state(m, h) for m in members]
    M = len(members)
    cols = stack_columns(ctx, max_tickers)
    Xs, Us, ps, ks = [], [], [], []
    for p in grid:
        y = target[p, cols]
        bv = ctx.ewma_vol[p, cols]
        ok = np.isfinite(y) & np.isfinite(bv) & (bv > 0)
        keep = cols[ok]
        if not len(keep):
            continue
        xv = np.full((len(keep), M), np.nan)
        uv = np.full((len(keep), M), np.nan)
        for j, st in enumerate(states):
            v, u = st.safe_at(int(p), K, keep)
            xv[:, j], uv[:, j] = v, u
        Xs.append(xv)
        Us.append(uv)
        ps.append(np.full(len(keep), p))
        ks.append(keep)
    if not ps:
        empty = np.empty((0, M))
        z = np.empty(0, dtype=np.int64)
        return StackData(tuple(m.name for m in members), h, step, z, z,
                         pd.DatetimeIndex([]), np.empty(0, dtype=object), empty, empty.copy(),
                         np.empty(0), z.copy(), np.empty(0))
    pos, k = np.concatenate(ps), np.concatenate(ks)
    y = target[pos, k]
    return StackData(
        members=tuple(m.name for m in members), horizon=h, step=step, pos=pos, k=k,
        dates=ctx.sessions[pos], tickers=np.asarray(ctx.tickers, dtype=object)[k],
        X=np.vstack(Xs), U=np.vstack(Us), y=y, direction=direction_of(y),
        base_vol=ctx.ewma_vol[pos, k] * np.sqrt(h))
