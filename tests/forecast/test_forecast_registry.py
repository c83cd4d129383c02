"""MLflow on a temporary SQLite backend: runs, versions, the champion alias, the CLI."""

from __future__ import annotations

import pytest

from workbench.forecast import registry


@pytest.fixture(scope="module")
def uri(tmp_path_factory):
    return "sqlite:///" + str(tmp_path_factory.mktemp("mlflow") / "mlflow.db")


def _version(client, score, signature):
    """A registered version whose run carries ``score`` and ``fold_signature``."""
    exp = registry.experiment_id(client)
    run = client.create_run(exp, tags={registry.SIGNATURE_TAG: signature})
    client.log_metric(run.info.run_id, registry.SCORE_METRIC, score)
    client.set_terminated(run.info.run_id)
    try:
        client.get_registered_model(registry.MODEL_NAME)
    except Exception:
        client.create_registered_model(registry.MODEL_NAME)
    mv = client.create_model_version(registry.MODEL_NAME, source=run.info.artifact_uri,
                                     run_id=run.info.run_id)
    return int(mv.version)


def test_champion_moves_only_on_a_better_score_on_the_same_folds(uri):
    client = registry.tracking_client(uri)
    assert registry.artifact_root(uri).endswith("/artifacts")
    v1 = _version(client, 0.9, "A")
    assert registry.promote_if_better(client, v1).promoted           # first: no champion yet
    v2 = _version(client, 0.95, "A")
    p2 = registry.promote_if_better(client, v2)
    assert not p2.promoted and p2.champion_version == v1
    v3 = _version(client, 0.5, "B")                                   # better, other folds
    assert not registry.promote_if_better(client, v3).promoted
    v4 = _version(client, 0.85, "A")
    assert registry.promote_if_better(client, v4).promoted
    champ = client.get_model_version_by_alias(registry.MODEL_NAME, registry.CHAMPION)
    assert int(champ.version) == v4
    table = registry.list_models(uri)
    assert list(table["version"]) == [v1, v2, v3, v4]
    assert table.set_index("version").loc[v4, "aliases"] == "champion"


def test_cli_train_smoke_logs_run_onnx_and_lists_it(uri, tmp_path, capsys, seed):
    """One full smoke training through the CLI: run, registered version, ONNX artifact."""
    import json

    from workbench.cli import main

    out = tmp_path / "artifact"
    assert main(["train", "forecast", "--smoke", "--seed", str(seed), "--trials", "0",
                 "--mlflow-uri", uri, "--out", str(out), "--no-progress"]) == 0
    text = capsys.readouterr().out
    assert "volatility" in text and "beats baseline" in text
    schema = json.loads((out / "onnx" / "schema.json").read_text())
    assert schema["format"] == "workbench-forecast-onnx" and schema["horizon"] == 5
    assert main(["models", "list", "--mlflow-uri", uri]) == 0
    listing = capsys.readouterr().out
    assert "score" in listing
    table = registry.list_models(uri)
    client = registry.tracking_client(uri)
    run = client.get_run(table["run_id"].iloc[-1])
    assert "model_volatility_QLIKE" in run.data.metrics
    assert any(k.startswith("fold_model_") for k in run.data.metrics)
    arts = {a.path for a in client.list_artifacts(run.info.run_id)}
    assert {"onnx", "comparisons.csv"} <= arts
