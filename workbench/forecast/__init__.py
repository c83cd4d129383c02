"""Deep-learning forecasts of return, volatility and direction, and their training pipeline.

Layers: :mod:`~workbench.forecast.dataset` (windows and targets) ->
:mod:`~workbench.forecast.models` (``TradingLSTM``, ``TradingTransformer``) ->
:mod:`~workbench.forecast.trainer` (``ForecastTrainer``) ->
:mod:`~workbench.forecast.walkforward` (purged walk-forward against
:mod:`~workbench.forecast.baselines`, tests in :mod:`~workbench.forecast.evaluation`) ->
:mod:`~workbench.forecast.tuning` (Optuna), :mod:`~workbench.forecast.export` (ONNX),
:mod:`~workbench.forecast.registry` / :mod:`~workbench.forecast.tracking` (MLflow) ->
:mod:`~workbench.forecast.pipeline` (``train_forecast``). :class:`PurgedWalkForward` in
:mod:`~workbench.forecast.folds` is the fold object every model (and the ensemble's
meta-learner) reuses.

Names are imported lazily: ``import workbench.forecast`` does not import torch or MLflow.
"""

from __future__ import annotations

from workbench._lazy import lazy_getattr

_EXPORTS = {
    "PurgedWalkForward": "workbench.forecast.folds",
    "validation_split": "workbench.forecast.folds",
    "ForecastData": "workbench.forecast.dataset",
    "WindowDataset": "workbench.forecast.dataset",
    "build_dataset": "workbench.forecast.dataset",
    "activity_features": "workbench.forecast.dataset",
    "TradingLSTM": "workbench.forecast.models",
    "TradingTransformer": "workbench.forecast.models",
    "MultiTaskLoss": "workbench.forecast.models",
    "build_model": "workbench.forecast.models",
    "ForecastTrainer": "workbench.forecast.trainer",
    "fit_predict_baselines": "workbench.forecast.baselines",
    "diebold_mariano": "workbench.forecast.evaluation",
    "DMResult": "workbench.forecast.evaluation",
    "WalkForwardResult": "workbench.forecast.walkforward",
    "walk_forward": "workbench.forecast.walkforward",
    "TuningResult": "workbench.forecast.tuning",
    "tune": "workbench.forecast.tuning",
    "relative_score": "workbench.forecast.tuning",
    "export_onnx": "workbench.forecast.export",
    "OnnxForecaster": "workbench.forecast.export",
    "check_parity": "workbench.forecast.export",
    "promote_if_better": "workbench.forecast.registry",
    "list_models": "workbench.forecast.registry",
    "TrainingConfig": "workbench.forecast.pipeline",
    "TrainingRun": "workbench.forecast.pipeline",
    "train_forecast": "workbench.forecast.pipeline",
    "smoke_config": "workbench.forecast.pipeline",
    "pick_tickers": "workbench.forecast.pipeline",
}

__all__ = sorted(_EXPORTS)

__getattr__ = lazy_getattr(__name__, _EXPORTS)
