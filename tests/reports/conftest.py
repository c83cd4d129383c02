"""Fixtures of the report tests: one smoke build of every notebook (shared by the publish and
browser tests) and a build of the overview on a store holding an XSS payload."""

from __future__ import annotations

import pytest
from report_helpers import NOTEBOOKS, PAYLOAD


@pytest.fixture(scope="session")
def smoke_build(tmp_path_factory, seed):
    """Every notebook in notebooks/ built once with smoke=True at the session seed, on a Dask
    LocalCluster of 2 workers (what ``make reports`` does on this machine), with the profiles
    of the 3 most active members (``--politicians top:3``: they replace the profile notebook's
    default run); test_dask compares it with a serial build."""
    from workbench.reports.runner import build_reports

    out = tmp_path_factory.mktemp("smoke_reports")
    return build_reports(NOTEBOOKS, out, parameters={"smoke": True, "seed": seed}, workers=2,
                         politicians="top:3")


@pytest.fixture(scope="session")
def payload_store(tmp_path_factory, seed):
    """A store of the smoke synthetic universe whose busiest trader and first trades carry an
    HTML/JS payload in ``politician`` and ``asset_description``."""
    from dataclasses import replace

    from workbench.data.store import write_universe
    from workbench.reports.notebook import load_universe

    u = load_universe("synthetic", seed=seed, smoke=True)
    trades = u.trades.copy()
    top = trades["politician"].value_counts().index[0]
    trades["politician"] = trades["politician"].astype(object)
    trades.loc[trades["politician"] == top, "politician"] = "Mallory " + PAYLOAD
    trades["asset_description"] = trades["asset_description"].astype(object)
    trades.loc[trades.index[:200], "asset_description"] = PAYLOAD
    trades = trades.astype({"politician": "string", "asset_description": "string"})
    path = tmp_path_factory.mktemp("payload") / "payload.duckdb"
    write_universe(replace(u, trades=trades, truth=None), path)
    return path


@pytest.fixture(scope="session")
def payload_build(tmp_path_factory, payload_store):
    """00_data_overview built from the payload store."""
    from workbench.reports.runner import build_reports

    out = tmp_path_factory.mktemp("payload_reports")
    return build_reports(NOTEBOOKS, out, parameters={"source": str(payload_store)},
                         only=["00_data_overview"], workers=1)
