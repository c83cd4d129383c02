"""The model the service serves: the forecaster registered under the ``champion`` alias.

Loaded once when a serving state is built (start-up, and again only after the registry's
champion changed; see :mod:`workbench.api.state`). The registry and the artifact format belong
to :mod:`workbench.forecast` (:mod:`~workbench.forecast.registry`,
:mod:`~workbench.forecast.export`): the run of the registered version holds the ONNX
directory ``onnx/`` (``model.onnx`` + ``schema.json``), run here with onnxruntime.

Fallbacks, each stated in :attr:`ServingModel.source` and ``reason`` (``GET /health``):

1. ``registry:champion`` — the version the alias points to;
2. ``registry:latest`` — no champion alias yet: the highest registered version;
3. ``none`` — no registry file, no registered version, or the artifact failed to load: the
   deep-model member is unavailable and predictions come from the other members.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from workbench.config import mlflow_uri as default_mlflow_uri

__all__ = ["ServingModel", "load_serving_model", "champion_version", "registry_file"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServingModel:
    """Which forecaster serves, and why.

    Attributes
    ----------
    name : str
        Registered model name (``workbench-forecast``).
    version : str or None
        Registered version serving (None when none does).
    source : str
        ``registry:champion``, ``registry:latest`` or ``none``.
    reason : str
        One line for people (``GET /health``).
    run_id : str or None
    forecaster : OnnxForecaster or None
        The onnxruntime session (``workbench.forecast.export.OnnxForecaster``).
    schema : dict
        The artifact's ``schema.json`` (empty without a model).
    """

    name: str
    version: str | None
    source: str
    reason: str
    run_id: str | None = None
    forecaster: object | None = field(default=None, repr=False)
    schema: dict = field(default_factory=dict, repr=False)

    @property
    def label(self) -> str:
        """Short version label used in cache keys: ``v3`` or ``none``."""
        return f"v{self.version}" if self.version else "none"

    def describe(self) -> dict:
        return {"name": self.name, "version": self.version, "source": self.source,
                "reason": self.reason, "run_id": self.run_id,
                "horizon": self.schema.get("horizon"), "window": self.schema.get("window"),
                "architecture": self.schema.get("model")}


def registry_file(uri: str) -> Path | None:
    """The SQLite file of a ``sqlite:///`` registry URI (None for other schemes)."""
    parsed = urlparse(uri)
    if parsed.scheme != "sqlite":
        return None
    return Path(unquote(parsed.path))


def _client(uri: str):
    from workbench.forecast.registry import tracking_client

    return tracking_client(uri)


def champion_version(uri: str | None = None) -> str | None:
    """Version the ``champion`` alias points to (None: no registry, model or alias)."""
    from workbench.forecast.registry import CHAMPION, MODEL_NAME

    uri = uri or default_mlflow_uri()
    db = registry_file(uri)
    if db is not None and not db.exists():
        return None
    try:
        return str(_client(uri).get_model_version_by_alias(MODEL_NAME, CHAMPION).version)
    except Exception:  # MLflow raises RestException when the model or alias is absent
        return None


def _latest_version(client, name: str):
    versions = client.search_model_versions(f"name='{name}'")
    return max(versions, key=lambda mv: int(mv.version)) if versions else None


def load_serving_model(uri: str | None = None) -> ServingModel:
    """Load the champion forecaster (or the fallback; see module notes). Never raises."""
    from workbench.forecast.registry import CHAMPION, MODEL_NAME

    uri = uri or default_mlflow_uri()
    db = registry_file(uri)
    if db is not None and not db.exists():
        return ServingModel(MODEL_NAME, None, "none",
                            f"no model registry at {db}: deep-model member unavailable")
    try:
        client = _client(uri)
        try:
            mv = client.get_model_version_by_alias(MODEL_NAME, CHAMPION)
            source, why = "registry:champion", f"alias '{CHAMPION}'"
        except Exception:
            mv = _latest_version(client, MODEL_NAME)
            source, why = "registry:latest", f"no '{CHAMPION}' alias; latest version"
        if mv is None:
            return ServingModel(MODEL_NAME, None, "none",
                                "no registered forecast model: deep-model member unavailable")
        from workbench.forecast.export import OnnxForecaster

        dst = Path(tempfile.mkdtemp(prefix="wb-serve-model-"))
        local = client.download_artifacts(mv.run_id, "onnx", str(dst))
        forecaster = OnnxForecaster(Path(local))
        return ServingModel(MODEL_NAME, str(mv.version), source,
                            f"{why}: version {mv.version} ({forecaster.schema.get('model')}, "
                            f"horizon {forecaster.schema.get('horizon')} sessions)",
                            run_id=mv.run_id, forecaster=forecaster,
                            schema=dict(forecaster.schema))
    except Exception as exc:
        log.warning("model registry unusable: %s", exc)
        return ServingModel(MODEL_NAME, None, "none",
                            f"model registry unusable ({type(exc).__name__}): deep-model "
                            "member unavailable")
