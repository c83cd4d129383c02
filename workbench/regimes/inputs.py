"""Return series that regime and change-point analyses start from."""

from __future__ import annotations

import pandas as pd

from workbench.exceptions import DataError

__all__ = ["market_returns"]


def market_returns(universe, kind: str = "market", *, start=None, end=None,
                   min_tickers: int = 20) -> pd.Series:
    """Daily market returns in decimals, indexed by session.

    Parameters
    ----------
    universe : Universe
    kind : {"market", "equal_weight"}
        ``market``: the Fama-French market excess return ``Mkt-RF`` (``universe.factors``).
        ``equal_weight``: the cross-sectional mean of the universe's simple daily stock returns
        (adjusted close), on sessions where at least ``min_tickers`` tickers have a return.
    start, end : date-like, optional
        Window of sessions. By default the span of the universe's price table, so that both
        kinds cover the study period (a real factor file reaches back to 1963).
    """
    if start is None and end is None and len(universe.prices):
        start, end = universe.prices["date"].min(), universe.prices["date"].max()
    window = slice(None if start is None else pd.Timestamp(start),
                   None if end is None else pd.Timestamp(end))
    if kind == "market":
        if universe.factors is None or "Mkt-RF" not in universe.factors.columns:
            raise DataError("universe has no Mkt-RF factor")
        out = universe.factors["Mkt-RF"].sort_index().loc[window].dropna().rename("Mkt-RF")
        if out.empty:
            raise DataError(f"no Mkt-RF returns between {start} and {end}")
        return out
    if kind == "equal_weight":
        rets = universe.returns().sort_index().loc[window]
        ok = rets.notna().sum(axis=1) >= min_tickers
        if not ok.any():
            raise DataError(f"no session has returns for {min_tickers} tickers")
        return rets[ok].mean(axis=1).rename("equal_weight")
    raise ValueError(f"kind must be 'market' or 'equal_weight', got {kind!r}")
