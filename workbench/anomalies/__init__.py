"""Unusual trades: a detector (isolation forest + autoencoder + robust z, rank-averaged), SHAP
explanations, late filings.

``detector``     :class:`AnomalyDetector` (scikit-learn estimator contract)
``autoencoder``  the torch network, its trainer and the reconstruction error
``detect``       :func:`detect_anomalies` -> :class:`AnomalyResult`; :func:`precision_at_k`
``late``         :func:`late_trades`, :func:`late_filers`
"""

from __future__ import annotations

from workbench._lazy import lazy_getattr

_EXPORTS = {
    "AnomalyDetector": "workbench.anomalies.detector",
    "AnomalyResult": "workbench.anomalies.detect",
    "detect_anomalies": "workbench.anomalies.detect",
    "precision_at_k": "workbench.anomalies.detect",
    "DETECTOR_FEATURES": "workbench.anomalies.detect",
    "late_trades": "workbench.anomalies.late",
    "late_filers": "workbench.anomalies.late",
}

__all__ = sorted(_EXPORTS)

__getattr__ = lazy_getattr(__name__, _EXPORTS)
