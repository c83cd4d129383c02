"""Numbers, dates and intervals formatted for people (reports and findings text).

One place decides how a report prints a value, so that tables and findings agree and no cell
shows a raw float (``60664951.5``, ``2.150500e+04``) or a midnight time (``00:00:00``).

Kinds (``formats={"alpha": "pct"}`` in :func:`format_frame`, or ``kind=`` in :func:`fmt`):

``auto``   from the dtype: dates as ``YYYY-MM-DD``, integers with thousands separators (not
           integer columns named ``year``, ``*_year``, ``*_id``: those print as they are),
           floats with at most 4 significant digits (thousands separators above 1,000)
``pct``    decimal shown as a percentage, 1 decimal (``0.0952`` -> ``9.5%``)
``pct_signed``  the same with a sign (``+9.5%``)
``pct2``   percentage with 2 decimals
``int``    rounded, thousands separators
``num1``, ``num2``, ``num3``  fixed decimals
``p``      a p- or q-value: 3 decimals, ``<0.001`` below
``usd``    dollars, thousands separators, no cents
``usd_m``  millions of dollars, 1 decimal (``$12.3M``)
``bps``    basis points, 1 decimal
``ratio``  multiplier with 2 decimals (``x0.74``)
``date``   ``YYYY-MM-DD``
``bool``   ``yes`` / ``no``
``text``   ``str(value)``

Missing values print as an empty string (tables) or ``n/a`` (:func:`fmt`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

__all__ = ["KINDS", "fmt", "fmt_interval", "fmt_p", "format_frame", "auto_kind"]

KINDS = ("auto", "pct", "pct_signed", "pct2", "int", "num1", "num2", "num3", "p", "usd",
         "usd_m", "bps", "ratio", "date", "bool", "text")


def _is_missing(x) -> bool:
    if x is None or x is pd.NA or x is pd.NaT:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def _auto_number(x: float) -> str:
    ax = abs(x)
    if ax == 0:
        return "0"
    if float(x).is_integer() and ax < 1e15:
        return f"{x:,.0f}"
    if ax >= 1000:
        return f"{x:,.0f}"
    if ax >= 1:
        return f"{x:,.4g}" if ax < 10 else f"{x:,.1f}" if ax >= 100 else f"{x:,.2f}"
    if ax >= 1e-3:
        return f"{x:.3g}"
    return f"{x:.2e}"


def _date(x) -> str:
    ts = pd.Timestamp(x)
    if ts.hour == ts.minute == ts.second == 0 and ts.microsecond == 0:
        return ts.strftime("%Y-%m-%d")
    return ts.strftime("%Y-%m-%d %H:%M")


def _nz(v: float, digits: int) -> float:
    """``v`` rounded, without a negative zero (``-0.0001`` shows as ``0.0``, not ``-0.0``)."""
    return round(v, digits) + 0.0


def fmt(x, kind: str = "auto", *, missing: str = "n/a") -> str:
    """One value as text (see the module docstring for the kinds)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    if _is_missing(x):
        return missing
    if kind == "text":
        return str(x)
    if kind == "date" or isinstance(x, pd.Timestamp | np.datetime64):
        return _date(x)
    if kind == "bool" or isinstance(x, bool | np.bool_):
        return "yes" if bool(x) else "no"
    if kind == "auto" and not isinstance(x, int | float | np.integer | np.floating):
        return str(x)
    v = float(x)
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if kind == "auto":
        return _auto_number(v)
    if kind == "pct":
        return f"{_nz(v * 100, 1):,.1f}%"
    if kind == "pct_signed":
        return f"{_nz(v * 100, 1):+,.1f}%"
    if kind == "pct2":
        return f"{_nz(v * 100, 2):,.2f}%"
    if kind == "int":
        return f"{round(v):,.0f}"
    if kind in ("num1", "num2", "num3"):
        return f"{_nz(v, int(kind[-1])):,.{kind[-1]}f}"
    if kind == "p":
        return fmt_p(v)
    if kind == "usd":
        return f"-${-v:,.0f}" if v < 0 else f"${v:,.0f}"
    if kind == "usd_m":
        return f"-${-v / 1e6:,.1f}M" if v < 0 else f"${v / 1e6:,.1f}M"
    if kind == "bps":
        return f"{v:,.1f}"
    if kind == "ratio":
        return f"x{v:,.2f}"
    raise AssertionError(kind)  # pragma: no cover


def fmt_p(p: float, *, floor: float | None = None) -> str:
    """A p-value: ``0.032``, ``<0.001``; at a permutation floor ``<=0.005 (floor)``."""
    if _is_missing(p):
        return "n/a"
    p = float(p)
    if floor is not None and p <= floor * (1 + 1e-9):
        return f"<={floor:.3g} (floor)"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def fmt_interval(lo: float, hi: float, kind: str = "pct") -> str:
    """``[lo, hi]`` in one kind (``"[-1.0%, 5.2%]"``)."""
    return f"[{fmt(lo, kind)}, {fmt(hi, kind)}]"


def auto_kind(name: str, series: pd.Series) -> str:
    """Kind chosen for a column with no explicit format (by dtype, p-values by name)."""
    if pd.api.types.is_bool_dtype(series):
        return "bool"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    low = str(name).lower()
    if pd.api.types.is_float_dtype(series) and (
            low in ("p", "q", "p_value", "q_value", "pvalue", "qvalue")
            or low.endswith(("_p", "_q", "_p_value", "_q_value"))):
        return "p"
    if pd.api.types.is_integer_dtype(series):
        # calendar years and ids are labels, not quantities: no thousands separator
        if low in ("year", "yr", "congress", "cik", "id") or low.endswith(("_year", "_id")):
            return "text"
        return "int"
    return "auto"


def format_frame(df: pd.DataFrame, formats: Mapping[str, str] | None = None, *,
                 labels: Mapping[str, str] | None = None, index: bool = False) -> pd.DataFrame:
    """A copy of ``df`` with every cell formatted as text for display.

    Parameters
    ----------
    df : DataFrame
    formats : mapping, optional
        Column -> kind (module docstring); other columns get :func:`auto_kind`.
    labels : mapping, optional
        Column -> header shown (put units in headers: ``{"alpha": "alpha, %/yr"}``).
    index : bool
        Keep the index as the first column(s) (formatted too); default drops it.

    Returns
    -------
    DataFrame of str, same row order.
    """
    formats = dict(formats or {})
    unknown = [k for k, v in formats.items() if v not in KINDS]
    if unknown:
        raise ValueError(f"unknown format kinds for {unknown}: use one of {KINDS}")
    frame = df.reset_index() if index else df
    out = {}
    for col in frame.columns:
        s = frame[col]
        kind = formats.get(col) or auto_kind(col, s)
        out[col] = [fmt(v, kind, missing="") for v in s.tolist()]
    result = pd.DataFrame(out, index=pd.RangeIndex(len(frame)), columns=list(frame.columns))
    result.columns = [str(labels.get(c, c)) if labels else str(c) for c in frame.columns]
    return result
