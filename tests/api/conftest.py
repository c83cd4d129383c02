"""Fixtures of the service tests: a small universe, a real MLflow registry, real servers.

- ``api_universe``: synthetic, 2020 only, 60 tickers (seconds to generate).
- ``registry``: a SQLite MLflow registry in a temp dir holding one forecaster trained by the
  real pipeline (``train_forecast``, one epoch, four tickers) and promoted to ``champion``.
- ``live``: the app under a real uvicorn server on 127.0.0.1 (a free port, in a thread), with
  an API-key database and one key; ``live.get(...)`` speaks HTTP over loopback with httpx.
- ``redis_url``: a real ``redis-server`` on a free loopback port in a temp dir (Debian's
  package; ``scripts/ensure-redis.sh`` installs it). Absent binary: the Redis tests fail
  under ``WORKBENCH_REQUIRE_SHARED=1`` (CI) and are skipped with the reason otherwise.

All the service tests run in one xdist group, so each fixture is built once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from api_service import free_port, start_live

SMALL = {"start": "2020-01-02", "n_tickers": 60}


@pytest.fixture(scope="session")
def api_universe(seed):
    from workbench.data import load_universe

    return load_universe("synthetic", seed=seed, **SMALL)


@pytest.fixture(scope="session")
def registry(api_universe, seed, tmp_path_factory):
    """MLflow URI of a registry with version 1 of the forecaster as champion."""
    from workbench.forecast.pipeline import smoke_config, train_forecast

    uri = "sqlite:///" + str(tmp_path_factory.mktemp("mlflow") / "mlflow.db")
    cfg = smoke_config(max_epochs=1, n_tickers=4, n_splits=2, hidden=4)
    run = train_forecast(api_universe, seed=seed, config=cfg, mlflow_uri=uri,
                         source="api-tests")
    assert run.model_version == 1 and run.promotion.promoted
    return uri


@pytest.fixture(scope="session")
def live(api_universe, registry, tmp_path_factory):
    """The service on the small universe with the registry's champion (in-process cache)."""
    from workbench.api import ApiSettings

    tmp = tmp_path_factory.mktemp("live")
    settings = ApiSettings(source="synthetic", keys_db=tmp / "keys.sqlite", mlflow_uri=registry,
                           rate=1000, burst=1000, redis_url=None, predictor="forecast")
    lv = start_live(settings, api_universe, tmp)
    yield lv
    lv.client.close()
    lv.server.stop()


@pytest.fixture(scope="session")
def api_store(api_universe, tmp_path_factory) -> Path:
    """The small universe written to a DuckDB store, trades disclosed up to 2020-11-30 only
    (later ones are ingested by the invalidation test)."""
    import dataclasses

    import pandas as pd

    from workbench.data.store import write_universe

    t = api_universe.trades
    early = t[pd.to_datetime(t["disclosure_date"]) <= "2020-11-30"].reset_index(drop=True)
    path = tmp_path_factory.mktemp("store") / "workbench.duckdb"
    write_universe(dataclasses.replace(api_universe, trades=early), path)
    return path


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """URL of a redis-server started for the session (see module notes for absence)."""
    exe = shutil.which("redis-server")
    if exe is None:
        msg = "redis-server not installed (run scripts/ensure-redis.sh)"
        if os.environ.get("WORKBENCH_REQUIRE_SHARED") == "1":
            pytest.fail(msg)
        pytest.skip(msg)
    import redis

    d = tmp_path_factory.mktemp("redis")
    port = free_port()
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(d), "--protected-mode", "yes"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 30
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    client.close()
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
