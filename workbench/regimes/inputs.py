"""Return series that regime and change-point analyses start from."""

from __future__ import annotations

import pandas as pd

from workbench.exceptions import DataError

__all__ = ["market_returns"]


def market_returns(universe, kind: str = "market", *, min_tickers: int = 20) -> pd.Series:
    """Daily market returns in decimals, indexed by session.

    Parameters
    ----------
    universe : Universe
    kind : {"market", "equal_weight"}
        ``market``: the Fama-French market excess return ``Mkt-RF`` (``universe.factors``).
        ``equal_weight``: the cross-sectional mean of the universe's simple daily stock returns
        (adjusted close), on sessions where at least ``min_tickers`` tickers have a return.
    """
    if kind == "market":
        if universe.factors is None or "Mkt-RF" not in universe.factors.columns:
            raise DataError("universe has no Mkt-RF factor")
        return universe.factors["Mkt-RF"].dropna().rename("Mkt-RF")
    if kind == "equal_weight":
        rets = universe.returns()
        ok = rets.notna().sum(axis=1) >= min_tickers
        if not ok.any():
            raise DataError(f"no session has returns for {min_tickers} tickers")
        return rets[ok].mean(axis=1).rename("equal_weight")
    raise ValueError(f"kind must be 'market' or 'equal_weight', got {kind!r}")
