"""Truncation harness: a result must not change when the future is cut off.

``truncate_universe(u, cut)`` is the universe as it was known at the close of ``cut``: trades
*disclosed* on or before ``cut`` (a trade whose disclosure comes later is unknown then, whatever
its transaction date), prices, factors and option quotes dated on or before ``cut``.

``assert_no_lookahead(fn, universe, cuts)`` runs ``fn`` on the full universe and on the universe
cut at each date, and requires every row that ``fn`` dates on or before the cut to be identical
(within a tolerance for floats) in both runs. A row dated after the cut may differ or be absent.
Use it for every analysis that takes an ``as_of`` or acts on a disclosure.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

__all__ = ["truncate_universe", "assert_no_lookahead", "default_date_of"]


def truncate_universe(universe, cut) -> object:
    """The universe as known at the close of ``cut`` (see module docstring)."""
    cut = pd.Timestamp(cut)
    t = universe.trades
    known = pd.to_datetime(t["disclosure_date"]) <= cut
    prices = universe.prices
    factors = universe.factors
    options = universe.options
    changes = {
        "trades": t.loc[known.fillna(False).to_numpy()].reset_index(drop=True),
        "prices": prices.loc[pd.to_datetime(prices["date"]) <= cut].reset_index(drop=True),
        "factors": factors.loc[factors.index <= cut],
        "options": options.loc[pd.to_datetime(options["quote_date"]) <= cut].reset_index(
            drop=True),
    }
    return dataclasses.replace(universe, **changes)


def default_date_of(frame: pd.DataFrame | pd.Series) -> pd.Series:
    """Date of each row: a DatetimeIndex, else the first of ``date``, ``as_of``,
    ``disclosure_date`` found among the columns (or index levels)."""
    if isinstance(frame.index, pd.DatetimeIndex):
        return pd.Series(frame.index, index=frame.index)
    for name in ("date", "as_of", "disclosure_date"):
        if isinstance(frame, pd.DataFrame) and name in frame.columns:
            return pd.to_datetime(frame[name])
        if name in (frame.index.names or []):
            return pd.Series(pd.to_datetime(frame.index.get_level_values(name)),
                             index=frame.index)
    raise ValueError("cannot date the rows: pass date_of= (no DatetimeIndex, no date column)")


def _as_frame(x) -> pd.DataFrame:
    if isinstance(x, pd.Series):
        return x.to_frame()
    if isinstance(x, pd.DataFrame):
        return x
    raise TypeError(f"fn must return a DataFrame or Series, got {type(x).__name__}")


def assert_no_lookahead(fn: Callable[[object], pd.DataFrame | pd.Series], universe,
                        cuts: Iterable, *, date_of: Callable | None = None,
                        rtol: float = 1e-9, atol: float = 1e-12, min_rows: int = 1) -> None:
    """Fail when a row dated on or before a cut differs between the full and the cut universe.

    Parameters
    ----------
    fn : callable
        ``fn(universe) -> DataFrame | Series``; rows must have a unique index.
    universe : Universe
    cuts : dates
        Each cut is tested separately.
    date_of : callable, optional
        ``date_of(frame) -> Series`` of each row's decision date (default
        :func:`default_date_of`).
    min_rows : int
        At least this many rows must be dated on or before each cut (so the test compares
        something).
    """
    date_of = date_of or default_date_of
    full = _as_frame(fn(universe))
    if not full.index.is_unique:
        raise AssertionError("fn's result needs a unique index to compare rows")
    for cut in cuts:
        cut = pd.Timestamp(cut)
        part = _as_frame(fn(truncate_universe(universe, cut)))
        dates = pd.to_datetime(date_of(full))
        before = full.loc[(dates <= cut).to_numpy()]
        assert len(before) >= min_rows, (
            f"only {len(before)} rows dated on or before {cut.date()}: the check would be empty")
        missing = before.index.difference(part.index)
        assert missing.empty, (
            f"{len(missing)} rows dated on or before {cut.date()} vanish when the future is cut, "
            f"e.g. {list(missing[:3])}")
        got = part.loc[before.index, before.columns]
        for col in before.columns:
            a, b = before[col], got[col]
            if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
                x = a.to_numpy(dtype=float)
                y = b.to_numpy(dtype=float)
                same = np.isclose(x, y, rtol=rtol, atol=atol) | (np.isnan(x) & np.isnan(y))
            else:
                same = (a.astype(object).to_numpy() == b.astype(object).to_numpy()) | (
                    a.isna().to_numpy() & b.isna().to_numpy())
            if not same.all():
                i = int(np.flatnonzero(~same)[0])
                raise AssertionError(
                    f"look-ahead: column {col!r}, row {before.index[i]!r} dated on or before "
                    f"{cut.date()} is {a.iloc[i]!r} with the future and {b.iloc[i]!r} without it "
                    f"({int((~same).sum())} rows differ)")
