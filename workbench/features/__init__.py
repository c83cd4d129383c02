"""Point-in-time features of trades and of disclosed congressional activity.

``activity``   :func:`ticker_activity_features`: disclosed buys/sells per (date, ticker), known
               at each close (for forecasting models)

Public names are imported lazily so that ``import workbench.features`` stays cheap.
"""

from __future__ import annotations

from workbench._lazy import lazy_getattr

_EXPORTS = {
    "ticker_activity_features": "workbench.features.activity",
}

__all__ = sorted(_EXPORTS)

__getattr__ = lazy_getattr(__name__, _EXPORTS)
