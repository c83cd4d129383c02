"""Calendar-time portfolios of congressional trades.

Each trade opens a position at the close of its entry session (see :mod:`workbench.factors.
inputs` for the entry convention) and holds it for ``holding_days`` sessions. On every session
the portfolio return is the weighted mean of the close-to-close returns of all positions held
that day (daily rebalanced to the trade weights: the standard calendar-time construction of
Jaffe (1974) and Mandelker (1974) as used for Congress by Ziobrowski et al. (2004),
doi:10.1017/S0022109000003161). Sessions with no position are NaN, not zero. Returns are
decimals, daily, indexed by session.

A trade without a ticker, a price series or a price at its entry close is counted in the
coverage report and left out; no price is ever filled in. A position whose series stops during
the holding period simply stops contributing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.factors.inputs import ENTRIES, locate_entries, select_trades, to_wide_prices

__all__ = ["PortfolioResult", "GroupPortfolios", "calendar_time_portfolio", "group_portfolios",
           "position_weights", "WEIGHTS", "SIDES"]

WEIGHTS = ("equal", "amount_mid", "amount_low")
SIDES = ("buy", "sell", "long_short")


@dataclass(frozen=True)
class PortfolioResult:
    """Daily returns of one calendar-time portfolio and how its trades were covered.

    Attributes
    ----------
    returns : Series
        Daily portfolio return (decimal) per session; NaN on sessions with no position. For
        ``side="long_short"`` the buy minus the sell portfolio, on sessions where both exist.
    n_positions : Series
        Positions held per session (trades, not tickers).
    positions : DataFrame
        One row per considered trade: ``trade_id, politician, ticker, side, entry_date,
        exit_date, weight, covered, reason``. ``exit_date`` is the last session held.
    coverage : DataFrame
        ``side, reason, trades``: counts of covered trades (reason ``covered``) and of each
        reason for leaving a trade out.
    side, holding_days, weight, entry
        The construction parameters (``entry`` is ``disclosure`` or ``transaction``).
    """

    returns: pd.Series
    n_positions: pd.Series
    positions: pd.DataFrame
    coverage: pd.DataFrame
    side: str
    holding_days: int
    weight: str
    entry: str

    @property
    def coverage_ratio(self) -> float:
        n = len(self.positions)
        return float(self.positions["covered"].mean()) if n else float("nan")

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"return": self.returns, "n_positions": self.n_positions})

    def summary(self) -> pd.Series:
        r = self.returns.dropna()
        return pd.Series({
            "side": self.side, "holding_days": self.holding_days, "weight": self.weight,
            "entry": self.entry, "trades": len(self.positions),
            "covered": int(self.positions["covered"].sum()), "coverage": self.coverage_ratio,
            "active_days": len(r), "mean_positions": float(self.n_positions[r.index].mean())
            if len(r) else 0.0,
            "mean_daily_return": float(r.mean()) if len(r) else float("nan"),
            "annualized_return": float(r.mean() * 252) if len(r) else float("nan"),
        })


@dataclass(frozen=True)
class GroupPortfolios:
    """Calendar-time portfolios of several groups (party, chamber, politician, custom lists).

    Attributes
    ----------
    returns, n_positions : DataFrame
        Session x group.
    coverage : DataFrame
        ``group, trades, covered, coverage``.
    portfolios : tuple of (group, PortfolioResult)
    """

    returns: pd.DataFrame
    n_positions: pd.DataFrame
    coverage: pd.DataFrame
    portfolios: tuple

    def to_frame(self) -> pd.DataFrame:
        return self.returns

    def summary(self) -> pd.DataFrame:
        return pd.DataFrame({g: p.summary() for g, p in self.portfolios}).T


def _weights(trades: pd.DataFrame, weight: str) -> np.ndarray:
    if weight not in WEIGHTS:
        raise ValueError(f"weight must be one of {WEIGHTS}, not {weight!r}")
    if weight == "equal":
        return np.ones(len(trades))
    return pd.to_numeric(trades[weight], errors="coerce").to_numpy(dtype=float)


def position_weights(rows: np.ndarray, cols: np.ndarray, weights: np.ndarray,
                     holding_days: int, shape: tuple[int, int]) -> np.ndarray:
    """Session x ticker sum of the weights of positions held (entered at ``rows``).

    A position entered at the close of row ``e`` is held over rows ``e+1 .. e+holding_days``.
    Built with a difference array and a cumulative sum: O(trades + sessions x tickers).
    """
    n_rows, n_cols = shape
    diff = np.zeros((n_rows + holding_days + 2, n_cols))
    np.add.at(diff, (rows + 1, cols), weights)
    np.add.at(diff, (rows + holding_days + 1, cols), -weights)
    out = np.cumsum(diff, axis=0)[:n_rows]
    # Clear the rounding residue that +w/-w pairs leave behind in the running sum.
    scale = float(np.max(np.abs(weights))) if len(weights) else 1.0
    out[np.abs(out) < 1e-9 * scale] = 0.0
    return out


def _one_side(trades, levels, returns, side, holding_days, weight, entry, asset_types):
    sel = select_trades(trades, side, asset_types)
    w = _weights(sel, weight)
    loc = locate_entries(sel, levels, entry, None if weight == "equal" else w)
    # Entered at the last close of the price history: the position would earn nothing, so it
    # is counted as not covered rather than shown as held.
    last = (loc["reason"] == "") & (loc["row"] == len(levels.index) - 1)
    loc.loc[last, "reason"] = "no session after entry"
    covered = (loc["reason"] == "").to_numpy()
    rows, cols = loc["row"].to_numpy()[covered], loc["col"].to_numpy()[covered]
    R = returns.to_numpy()
    valid = ~np.isnan(R)
    W = position_weights(rows, cols, w[covered], holding_days, R.shape)
    C = position_weights(rows, cols, np.ones(len(rows)), holding_days, R.shape)
    num = np.where(valid, W * np.nan_to_num(R), 0.0).sum(axis=1)
    den = np.where(valid, W, 0.0).sum(axis=1)
    ret = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    count = np.rint(np.where(valid, C, 0.0).sum(axis=1)).astype(int)
    idx = returns.index
    exit_row = np.minimum(loc["row"].to_numpy() + holding_days, len(idx) - 1)
    exit_date = np.where(covered, idx.to_numpy()[np.clip(exit_row, 0, len(idx) - 1)],
                         np.datetime64("NaT"))
    positions = pd.DataFrame({
        "trade_id": sel.get("trade_id", pd.Series(pd.NA, index=sel.index)).to_numpy(),
        "politician": sel.get("politician", pd.Series(pd.NA, index=sel.index)).to_numpy(),
        "ticker": sel["ticker"].to_numpy(), "side": side,
        "entry_date": loc["entry_date"].where(covered).to_numpy(),
        "exit_date": pd.to_datetime(exit_date), "weight": w, "covered": covered,
        "reason": loc["reason"].where(~covered, "covered").to_numpy(),
    })
    return (pd.Series(ret, index=idx, name="return"),
            pd.Series(count, index=idx, name="n_positions"), positions)


def calendar_time_portfolio(trades: pd.DataFrame, prices: pd.DataFrame, side: str = "buy",
                            holding_days: int = 21, weight: str = "equal",
                            entry: str = "disclosure",
                            asset_types=("stock",)) -> PortfolioResult:
    """Daily returns of the portfolio that holds every trade for ``holding_days`` sessions.

    Parameters
    ----------
    trades : DataFrame
        Canonical trades table; ``side``, ``asset_type``, ``ticker``, ``transaction_date``,
        ``disclosure_date`` (and ``amount_*`` for amount weights) are used.
    prices : DataFrame
        Long price table (``date, ticker, adj_close``...) or a wide frame of adjusted closes.
        Its dates define the sessions of the result.
    side : {"buy", "sell", "long_short"}
        Which trades to hold; ``long_short`` is the buy minus the sell portfolio.
    holding_days : int
        Sessions each position is held after its entry close.
    weight : {"equal", "amount_mid", "amount_low"}
        Weight of each trade inside the portfolio (amount weights are the reported bracket's
        midpoint or lower bound in dollars; trades without an amount are then uncovered).
    entry : {"disclosure", "transaction"}
        Date the position is opened from: the first session strictly *after* the disclosure
        date (default, what the public can do) or the transaction date rolled forward to a
        session (the politician's own timing).
    asset_types : tuple of str
        Asset types to include (default stocks only).

    Returns
    -------
    PortfolioResult
    """
    if side not in SIDES:
        raise ValueError(f"side must be one of {SIDES}, not {side!r}")
    if entry not in ENTRIES:
        raise ValueError(f"entry must be one of {ENTRIES}, not {entry!r}")
    if int(holding_days) < 1:
        raise ValueError("holding_days must be >= 1")
    holding_days = int(holding_days)
    levels = to_wide_prices(prices)
    returns = levels.pct_change(fill_method=None)
    return _calendar_time(trades, levels, returns, side, holding_days, weight, entry,
                          asset_types)


def _calendar_time(trades, levels, returns, side, holding_days, weight, entry, asset_types):
    sides = ["buy", "sell"] if side == "long_short" else [side]
    parts = {s: _one_side(trades, levels, returns, s, holding_days, weight, entry, asset_types)
             for s in sides}
    if side == "long_short":
        ret = parts["buy"][0] - parts["sell"][0]
        count = parts["buy"][1] + parts["sell"][1]
    else:
        ret, count = parts[side][0], parts[side][1]
    positions = pd.concat([p[2] for p in parts.values()], ignore_index=True)
    coverage = (positions.groupby(["side", "reason"]).size().rename("trades").reset_index())
    return PortfolioResult(ret.rename("return"), count.rename("n_positions"), positions,
                           coverage, side, holding_days, weight, entry)


def group_portfolios(trades: pd.DataFrame, prices: pd.DataFrame, by="party",
                     min_trades: int = 1, **kwargs) -> GroupPortfolios:
    """One calendar-time portfolio per group of trades.

    Parameters
    ----------
    by : str or dict
        A trades column (``party``, ``chamber``, ``politician``...) or a mapping
        ``{group name: list of politicians}`` for custom lists.
    min_trades : int
        Groups with fewer trades (of any side) are skipped.
    **kwargs
        Passed to :func:`calendar_time_portfolio` (side, holding_days, weight, entry...).
    """
    if isinstance(by, dict):
        groups = [(str(k), trades[trades["politician"].isin(list(v))]) for k, v in by.items()]
    else:
        if by not in trades.columns:
            raise ValueError(f"trades table has no column {by!r}")
        groups = [(str(k), g) for k, g in trades.groupby(by, dropna=True, sort=True)]
    levels = to_wide_prices(prices)
    returns = levels.pct_change(fill_method=None)
    params = {"side": "buy", "holding_days": 21, "weight": "equal", "entry": "disclosure",
              "asset_types": ("stock",)} | kwargs
    calendar_time_portfolio(trades.iloc[:0], levels.iloc[:2], **params)   # validates params
    params["holding_days"] = int(params["holding_days"])
    out = []
    for name, g in groups:
        if len(g) < min_trades:
            continue
        out.append((name, _calendar_time(g, levels, returns, **params)))
    returns = pd.DataFrame({g: p.returns for g, p in out}, index=levels.index)
    counts = pd.DataFrame({g: p.n_positions for g, p in out}, index=levels.index)
    coverage = pd.DataFrame([{"group": g, "trades": len(p.positions),
                              "covered": int(p.positions["covered"].sum()),
                              "coverage": p.coverage_ratio} for g, p in out],
                            columns=["group", "trades", "covered", "coverage"])
    return GroupPortfolios(returns, counts, coverage, tuple(out))
