"""``workbench api-key create|list|revoke`` and ``workbench serve`` as a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx
import pytest
from api_service import free_port

from workbench.cli import main

pytestmark = pytest.mark.xdist_group("api")


def test_api_key_commands(tmp_path, capsys):
    db = tmp_path / "keys.sqlite"
    assert main(["api-key", "create", "--name", "research desk", "--keys-db", str(db)]) == 0
    out = capsys.readouterr()
    key = out.out.strip()
    assert key.startswith("wbk_") and "shown once" in out.err
    key_id = key.split("_")[1]
    assert main(["api-key", "list", "--keys-db", str(db)]) == 0
    listing = capsys.readouterr().out
    assert key_id in listing and "research desk" in listing
    assert key.split("_", 2)[2] not in listing
    assert main(["api-key", "revoke", key_id, "--keys-db", str(db)]) == 0
    assert main(["api-key", "revoke", key_id, "--keys-db", str(db)]) == 1
    from workbench.api import KeyStore

    assert KeyStore(db).verify(key).status == "revoked"


def test_keys_live_beside_the_store(tmp_path):
    from workbench.api.settings import ApiSettings, default_keys_path

    store = tmp_path / "s" / "workbench.duckdb"
    assert default_keys_path(str(store)) == (tmp_path / "s" / "api_keys.sqlite").resolve()
    assert ApiSettings(source=str(store)).keys_path().name == "api_keys.sqlite"


def test_settings_from_the_environment(monkeypatch):
    from workbench.api.settings import ApiSettings

    monkeypatch.setenv("WORKBENCH_API_RATE", "7.5")
    monkeypatch.setenv("WORKBENCH_REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setenv("WORKBENCH_API_CORS_ORIGINS", '["https://a.example"]')
    s = ApiSettings()
    assert s.rate == 7.5 and s.redis_url == "redis://127.0.0.1:1/0"
    assert s.cors_origins == ["https://a.example"]
    monkeypatch.setenv("WORKBENCH_REDIS_URL", "")
    assert ApiSettings().redis_url is None
    assert ApiSettings(_env_file=None).cors_origins == ["https://a.example"]


def test_workbench_serve_subprocess(api_store, tmp_path):
    """The command as users run it: a store, no model registry (fallback says so)."""
    from workbench.api import KeyStore

    port = free_port()
    db = tmp_path / "keys.sqlite"
    key_id, key = KeyStore(db).create("cli test")
    env = {**os.environ, "WORKBENCH_MLFLOW_URI": "sqlite:///" + str(tmp_path / "none.db")}
    proc = subprocess.Popen([sys.executable, "-m", "workbench", "serve", "--source",
                             str(api_store), "--port", str(port), "--keys-db", str(db),
                             "--predictor", "forecast"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 300
        while True:
            try:
                health = httpx.get(url + "/health", timeout=10)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
                    pytest.fail(f"workbench serve did not come up: {out[-2000:]}")
                time.sleep(0.25)
        h = health.json()
        assert h["model"]["source"] == "none" and "no model registry" in h["model"]["reason"]
        assert h["data"]["source"] == "workbench.duckdb"
        assert h["data"]["epoch"].startswith("store:")
        ticker = "ZZZZZ"
        assert httpx.get(f"{url}/predictions/{ticker}", headers={"X-API-Key": key},
                         timeout=30).status_code == 404
        r = httpx.get(f"{url}/predictions/{h_ticker(api_store)}", headers={"X-API-Key": key},
                      timeout=60)
        assert r.status_code == 200, r.text
        body = r.json()
        deep = next(m for m in body["members"] if m["name"] == "registry_champion")
        assert deep["status"] == "unavailable" and body["attribution"] == {
            "historical_drift": body["prediction"]["expected_return"]}
        assert "server" not in {k.lower() for k in r.headers}      # no server banner
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
    assert proc.returncode in (0, -15)


def h_ticker(store) -> str:
    from workbench.data import load_universe

    u = load_universe(str(store))
    return sorted(u.prices["ticker"].astype(str).unique())[0]
