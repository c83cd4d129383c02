"""`workbench data ...` commands, and the proof that an ingest is all-or-nothing even when the
process is killed (SIGKILL) in the middle of it."""

from __future__ import annotations

import dataclasses
import functools
import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from workbench.cli import main
from workbench.data.store import PAUSE_ENV, open_store, table_counts


def load_write_files():
    """``write_files`` of test_store.py (tests/ is not a package, so load it by path)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("_store_tests", Path(__file__).with_name(
        "test_store.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write_files


write_files = load_write_files()


@pytest.fixture
def built(tmp_path):
    files = write_files(tmp_path / "in")
    store = tmp_path / "store.duckdb"
    assert main(["data", "ingest", *map(str, files.values()), "--store", str(store)]) == 0
    return files, store


def snapshot(store: Path):
    with open_store(store, read_only=True) as con:
        return (table_counts(con),
                con.execute("SELECT * FROM ingests ORDER BY ingest_id").df(),
                con.execute("SELECT trade_id, bioguide_id FROM trades ORDER BY 1").df())


def test_ingest_and_summary_print(tmp_path, capsys):
    files = write_files(tmp_path / "in")
    store = tmp_path / "store.duckdb"
    assert main(["data", "ingest", str(tmp_path / "in"), "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "house.json" in out and "ingested" in out
    assert main(["data", "summary", "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "Trades per chamber and transaction year" in out
    assert "Resolved to a legislator (bioguide_id): 100.0%" in out
    # AAA quoted 2021-03-01..03-03; accepted stock trades: AAA 03-01 (covered), BBB 03-02
    # (no series), AAA 03-04 (no quote after it) -> 1 of 3
    assert "Price coverage of stock trades: 33.3%" in out
    assert "disclosure before transaction" in out
    assert main(["data", "ingest", str(files["house"]), "--store", str(store)]) == 0
    assert "skipped-duplicate-file" in capsys.readouterr().out


def test_errors_exit_2(tmp_path, capsys):
    assert main(["data", "ingest", str(tmp_path / "nope.csv"), "--store",
                 str(tmp_path / "s.duckdb")]) == 2
    assert "nope.csv" in capsys.readouterr().err
    assert main(["data", "summary", "--store", str(tmp_path / "missing.duckdb")]) == 2
    assert "no store" in capsys.readouterr().err


@pytest.mark.shared
def test_sigkill_mid_ingest_leaves_store_unchanged(built, shared_path, tmp_path):
    _, store = built
    before = snapshot(store)
    marker = tmp_path / "inside-transaction"
    env = dict(os.environ, **{PAUSE_ENV: str(marker)})
    root = Path(__file__).resolve().parents[2]
    cmd = [sys.executable, "-m", "workbench", "data", "ingest",
           str(shared_path("house/all_transactions.json")),
           str(shared_path("legislators/legislators-current.csv")), "--store", str(store)]
    proc = subprocess.Popen(cmd, env=env, cwd=root, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), proc.stderr.read().decode() if proc.poll() is not None else ""
        # the first file's rows are written inside the open transaction: the process is
        # holding uncommitted work when it dies
        assert int(marker.read_text()) == proc.pid
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    after = snapshot(store)
    assert after[0] == before[0]
    pd.testing.assert_frame_equal(after[1], before[1])
    pd.testing.assert_frame_equal(after[2], before[2])
    # and the store is still writable
    with open_store(store) as con:
        assert table_counts(con)["trades"] == before[0]["trades"]


@pytest.mark.shared
def test_fetch_command(shared_data, tmp_path, capsys):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(shared_data))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/legislators/"
    try:
        dest, store = tmp_path / "dl", tmp_path / "s.duckdb"
        assert main(["data", "fetch", "legislators", "--base-url", base, "--dest", str(dest),
                     "--no-ingest", "--no-progress"]) == 0
        assert (dest / "legislators-current.csv").read_bytes() == \
            (shared_data / "legislators" / "legislators-current.csv").read_bytes()
        assert not store.exists()
        assert main(["data", "fetch", "legislators", "--base-url", base, "--dest", str(dest),
                     "--store", str(store), "--no-progress"]) == 0
        with open_store(store, read_only=True) as con:
            assert table_counts(con)["legislators"] == 12230 + 536
        assert main(["data", "fetch", "house", "--base-url", base + "missing/",
                     "--dest", str(dest), "--no-progress", "--no-ingest"]) == 2
        assert "HTTP 404" in capsys.readouterr().err
    finally:
        server.shutdown()
        server.server_close()


def test_synth_command(universe, tmp_path, monkeypatch, capsys):
    import workbench.synthetic.generator as synthetic
    from workbench.data.store import load_universe_from_store

    # reuse the session universe (same seed) rather than generating it a second time, cut
    # to a few tickers: the full write is covered by test_store.test_universe_roundtrip
    keep = universe.prices["ticker"].isin(universe.prices["ticker"].unique()[:3])
    small = dataclasses.replace(universe, prices=universe.prices[keep],
                                options=universe.options.head(100))
    monkeypatch.setattr(synthetic, "generate_universe", lambda seed: small)
    out = tmp_path / "synth.duckdb"
    assert main(["data", "synth", "--seed", str(universe.truth.seed), "--out", str(out)]) == 0
    assert (tmp_path / "truth.json").exists()
    back = load_universe_from_store(out)
    assert len(back.trades) == len(universe.trades)
    assert back.truth.seed == universe.truth.seed
    assert main(["data", "synth", "--out", str(out)]) == 2          # refuses to overwrite
    assert "exists" in capsys.readouterr().err
