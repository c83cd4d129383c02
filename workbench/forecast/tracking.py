"""One MLflow run per training (see :mod:`workbench.forecast.registry` for the backend).

Logged: parameters (flat), per-fold metrics of the model and every baseline (``step`` = fold),
overall metrics, the Diebold-Mariano comparison table, the Optuna study summary and trials,
figures (plotly HTML), the ONNX artifact directory (``onnx/model.onnx`` + ``schema.json``)
and the model itself via ``mlflow.onnx`` with a tensor signature. The run becomes a new
version of the registered model; :func:`~workbench.forecast.registry.promote_if_better`
decides about the ``champion`` alias.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from workbench.forecast.registry import (
    MODEL_NAME,
    SCORE_METRIC,
    SIGNATURE_TAG,
    experiment_id,
    promote_if_better,
    tracking_client,
)

__all__ = ["log_training_run", "metric_key"]


def metric_key(*parts) -> str:
    """MLflow-safe metric name: ``fold_model_volatility_QLIKE`` style."""
    return re.sub(r"[^A-Za-z0-9_.\-/]", "_", "_".join(str(p) for p in parts)).strip("_")


def log_training_run(*, result, tuning, params: dict, score: float, signature: str,
                     onnx_dir: Path, summary, parity: dict, source: str,
                     uri: str | None = None, figures: dict | None = None):
    """Log a run, register its model and decide the champion.

    Returns ``(run_id, version, promotion)``.
    """
    import mlflow
    import mlflow.onnx
    import onnx
    from mlflow.models import infer_signature

    client = tracking_client(uri)
    exp = experiment_id(client)
    tags = {SIGNATURE_TAG: signature, "source": source, "model": result.model,
            "activity_features": str(bool(summary.get("activity_features")))}
    with mlflow.start_run(experiment_id=exp, tags=tags) as run:
        mlflow.log_params({k: v for k, v in params.items()})
        by_fold = result.metrics(by_fold=True)
        for r in by_fold.itertuples():
            if np.isfinite(r.value):
                mlflow.log_metric(metric_key("fold", r.predictor, r.task, r.metric), r.value,
                                  step=int(r.fold))
        overall = {metric_key(r.predictor, r.task, r.metric): float(r.value)
                   for r in result.metrics().itertuples() if np.isfinite(r.value)}
        overall[SCORE_METRIC] = float(score)
        overall.update({metric_key("onnx_max_abs_diff", k): v for k, v in parity.items()})
        mlflow.log_metrics(overall)
        mlflow.log_text(result.comparisons().to_csv(index=False), "comparisons.csv")
        mlflow.log_text(summary.to_json(), "data_summary.json")
        if tuning is not None:
            mlflow.log_text(tuning.summary().to_json(default_handler=str), "optuna/summary.json")
            mlflow.log_text(tuning.trials.to_csv(index=False), "optuna/trials.csv")
            mlflow.log_metrics({"optuna_best_value": float(tuning.best_value)
                                if np.isfinite(tuning.best_value) else float("nan"),
                                "optuna_trials": tuning.n_trials,
                                "optuna_pruned": tuning.n_pruned})
        for name, build in (figures or {}).items():
            mlflow.log_figure(build(result), f"figures/{name}.html")
        mlflow.log_artifacts(str(onnx_dir), "onnx")
        schema = json.loads((Path(onnx_dir) / "schema.json").read_text(encoding="utf-8"))
        w, f = schema["inputs"]["x"]["shape"][1:]
        x = np.zeros((1, w, f), dtype=np.float32)
        sig = infer_signature(x, {"ret": np.zeros(1, np.float32),
                                  "vol": np.zeros(1, np.float32),
                                  "logits": np.zeros((1, 3), np.float32)})
        info = mlflow.onnx.log_model(onnx.load(str(Path(onnx_dir) / "model.onnx")),
                                     name="model", signature=sig)
        run_id = run.info.run_id
    try:
        client.get_registered_model(MODEL_NAME)
    except Exception:  # RestException when absent
        client.create_registered_model(MODEL_NAME, description=(
            "Multitask forecaster of congressional-trading tickers (return, volatility, "
            "direction); ONNX with schema.json. Alias 'champion' = best on the same folds."))
    mv = client.create_model_version(MODEL_NAME, source=info.model_uri, run_id=run_id,
                                     tags={SIGNATURE_TAG: signature})
    promotion = promote_if_better(client, int(mv.version))
    return run_id, int(mv.version), promotion
