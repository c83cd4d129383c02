"""Experiment tracking and the model registry: MLflow on a local SQLite backend.

The tracking and registry URI is :func:`workbench.config.mlflow_uri`
(``$WORKBENCH_MLFLOW_URI``, default ``sqlite:///<project>/data/mlflow/mlflow.db``); artifacts
go to ``artifacts/`` beside the database file. One run per training: parameters flat, metrics
per fold (``step`` = fold) and overall, the Optuna study summary, figures, the ONNX artifact
(:mod:`workbench.forecast.export`) with its schema, and the model logged with ``mlflow.onnx``
and a tensor signature. Each run registers a new version of the registered model; the alias
``champion`` moves to it only when it beats the current champion's score *on the same folds*
(same fold signature tag), never by overwriting a version.

MLflow is imported lazily (it is slow to import) and its logging is kept quiet.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import pandas as pd

from workbench.config import mlflow_uri
from workbench.exceptions import WorkbenchError

__all__ = ["EXPERIMENT", "MODEL_NAME", "CHAMPION", "Promotion", "tracking_client",
           "artifact_root", "promote_if_better", "list_models", "experiment_id"]

EXPERIMENT = "forecast"
MODEL_NAME = "workbench-forecast"
CHAMPION = "champion"
SCORE_METRIC = "score"             # lower is better
SIGNATURE_TAG = "fold_signature"


def _quiet() -> None:
    os.environ.setdefault("MLFLOW_SUPPRESS_PRINTING_URL_TO_STDOUT", "true")
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    os.environ.setdefault("MLFLOW_LOGGING_LEVEL", "WARNING")
    for name in ("mlflow", "alembic", "urllib3"):
        logging.getLogger(name).setLevel(logging.WARNING)


def artifact_root(uri: str) -> str:
    """``file://`` URI of ``artifacts/`` beside a ``sqlite:///`` database (else MLflow's own)."""
    parsed = urlparse(uri)
    if parsed.scheme != "sqlite":
        raise WorkbenchError(f"the workbench uses a local SQLite MLflow backend, got {uri!r}")
    db = Path(unquote(parsed.path))
    return (db.parent / "artifacts").resolve().as_uri()


def tracking_client(uri: str | None = None):
    """An ``MlflowClient`` on ``uri`` (default :func:`mlflow_uri`); creates the directory.

    Also points the ``mlflow`` fluent API at the same URI for this process.
    """
    _quiet()
    uri = uri or mlflow_uri()
    parsed = urlparse(uri)
    if parsed.scheme == "sqlite":
        Path(unquote(parsed.path)).parent.mkdir(parents=True, exist_ok=True)
    import mlflow
    from mlflow import MlflowClient

    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    return MlflowClient(tracking_uri=uri, registry_uri=uri)


def experiment_id(client, name: str = EXPERIMENT) -> str:
    exp = client.get_experiment_by_name(name)
    if exp is not None:
        return exp.experiment_id
    return client.create_experiment(name, artifact_location=artifact_root(client.tracking_uri)
                                    + f"/{name}")


@dataclass(frozen=True)
class Promotion:
    """What happened to the ``champion`` alias after registering ``version``."""

    version: int
    promoted: bool
    score: float
    champion_version: int | None
    champion_score: float | None
    reason: str


def _run_score(client, run_id: str) -> tuple[float | None, str | None]:
    run = client.get_run(run_id)
    return run.data.metrics.get(SCORE_METRIC), run.data.tags.get(SIGNATURE_TAG)


def promote_if_better(client, version: int, name: str = MODEL_NAME) -> Promotion:
    """Move the ``champion`` alias to ``version`` if it beats the current champion.

    Scores (metric ``score`` of each version's run, lower is better) are only compared when
    both runs carry the same ``fold_signature`` tag (same samples, folds and horizon); a
    version evaluated on other folds never displaces a champion.
    """
    mv = client.get_model_version(name, str(version))
    score, sig = _run_score(client, mv.run_id)
    if score is None:
        raise WorkbenchError(f"run {mv.run_id} has no {SCORE_METRIC!r} metric")
    try:
        champ = client.get_model_version_by_alias(name, CHAMPION)
    except Exception:  # MLflow raises RestException when the alias is not set
        champ = None
    if champ is None:
        client.set_registered_model_alias(name, CHAMPION, str(version))
        return Promotion(int(version), True, score, None, None, "no champion yet")
    c_score, c_sig = _run_score(client, champ.run_id)
    if c_sig != sig:
        return Promotion(int(version), False, score, int(champ.version), c_score,
                         "champion was scored on other folds; not comparable")
    if c_score is None or score < c_score:
        client.set_registered_model_alias(name, CHAMPION, str(version))
        return Promotion(int(version), True, score, int(champ.version), c_score,
                         "lower score than the champion on the same folds")
    return Promotion(int(version), False, score, int(champ.version), c_score,
                     "does not beat the champion on the same folds")


def list_models(uri: str | None = None, name: str = MODEL_NAME) -> pd.DataFrame:
    """Registered versions with their aliases, run ids and headline metrics."""
    client = tracking_client(uri)
    cols = ["name", "version", "aliases", "run_id", "created", SCORE_METRIC, "model",
            "fold_signature"]
    try:
        versions = client.search_model_versions(f"name='{name}'")
    except Exception:
        versions = []
    rows = []
    for mv in versions:
        mv = client.get_model_version(mv.name, mv.version)   # search results omit aliases
        run = client.get_run(mv.run_id)
        metrics = {k: v for k, v in run.data.metrics.items() if not k.startswith("fold")}
        rows.append({"name": mv.name, "version": int(mv.version),
                     "aliases": ",".join(mv.aliases), "run_id": mv.run_id,
                     "created": pd.Timestamp(mv.creation_timestamp, unit="ms").floor("s"),
                     "model": run.data.params.get("model"),
                     "fold_signature": run.data.tags.get(SIGNATURE_TAG), **metrics})
    out = pd.DataFrame(rows)
    if out.empty:
        return pd.DataFrame(columns=cols)
    return out.sort_values("version", ignore_index=True)
