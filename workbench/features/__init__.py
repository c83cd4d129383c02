"""Point-in-time features of trades and of disclosed congressional activity.

``store``      :func:`trade_features` -> :class:`FeatureSet`: one row per trade, every feature
               known at the trade's disclosure (``*_tx``: at its transaction), with a catalog
``context``    the clocks (decision and transaction sessions) and price blocks
``timing`` ``panels`` ``prices`` ``network`` ``flow`` ``macro`` ``history``
               the feature groups
``activity``   :func:`ticker_activity_features`: disclosed buys/sells per (date, ticker), known
               at each close (for forecasting models)
``importance`` mutual information, permutation importance, redundancy clusters, selection

Public names are imported lazily so that ``import workbench.features`` stays cheap.
"""

from __future__ import annotations

from workbench._lazy import lazy_getattr

_EXPORTS = {
    "ticker_activity_features": "workbench.features.activity",
    "trade_features": "workbench.features.store",
    "FeatureSet": "workbench.features.store",
    "GROUPS": "workbench.features.store",
    "feature_catalog": "workbench.features.store",
    "feature_importance": "workbench.features.importance",
    "ImportanceResult": "workbench.features.importance",
    "committee_return_test": "workbench.features.committee_stats",
    "CommitteeTest": "workbench.features.committee_stats",
}

__all__ = sorted(_EXPORTS)

__getattr__ = lazy_getattr(__name__, _EXPORTS)
