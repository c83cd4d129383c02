"""Paths and settings, read from the environment at call time (never at import)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["store_path", "reports_dir", "shared_data_dir", "default_seed", "project_root",
           "mlflow_uri"]

DEFAULT_SEED = 20120101


def project_root() -> Path:
    """The checkout this package was installed from (editable installs), else the cwd."""
    here = Path(__file__).resolve().parent.parent
    return here if (here / "pyproject.toml").exists() else Path.cwd()


def store_path() -> Path:
    """DuckDB store: ``$WORKBENCH_STORE`` or ``data/workbench.duckdb`` under the project root."""
    env = os.environ.get("WORKBENCH_STORE")
    return Path(env) if env else project_root() / "data" / "workbench.duckdb"


def reports_dir() -> Path:
    """Where HTML reports land: ``$WORKBENCH_REPORTS`` or ``reports/`` under the project root."""
    env = os.environ.get("WORKBENCH_REPORTS")
    return Path(env) if env else project_root() / "reports"


def shared_data_dir() -> Path:
    """Real public data: ``$WORKBENCH_SHARED_DATA`` or ``../shared/data`` beside the checkout."""
    env = os.environ.get("WORKBENCH_SHARED_DATA")
    return Path(env) if env else project_root().parent / "shared" / "data"


def default_seed() -> int:
    """Seed for synthetic data and tests: ``$WORKBENCH_SEED`` or a fixed default."""
    return int(os.environ.get("WORKBENCH_SEED", DEFAULT_SEED))


def mlflow_uri() -> str:
    """MLflow tracking/registry URI: ``$WORKBENCH_MLFLOW_URI`` or a SQLite file under ``data/``.

    Default ``sqlite:///<project>/data/mlflow/mlflow.db``; artifacts go beside the database.
    """
    env = os.environ.get("WORKBENCH_MLFLOW_URI")
    if env:
        return env
    return "sqlite:///" + str((project_root() / "data" / "mlflow" / "mlflow.db").resolve())
