"""Market regimes (Gaussian HMM with labelled states) and change points (ruptures)."""

from workbench.regimes.changepoints import (
    ChangePointResult,
    bic_penalty,
    detect_change_points,
    transform_series,
)
from workbench.regimes.detector import (
    RegimeDetector,
    expected_durations,
    label_states,
    regime_features,
)
from workbench.regimes.history import RegimeResult, fit_regimes, regime_history
from workbench.regimes.inputs import market_returns
from workbench.regimes.walkforward import (
    WalkForwardRegimes,
    walk_forward_proba,
    walk_forward_regimes,
)

__all__ = ["ChangePointResult", "RegimeDetector", "RegimeResult", "bic_penalty",
           "detect_change_points", "expected_durations", "fit_regimes", "label_states",
           "market_returns", "regime_features", "regime_history", "transform_series",
           "WalkForwardRegimes", "walk_forward_proba", "walk_forward_regimes"]
