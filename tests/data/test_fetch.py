"""fetch: a real http.server on 127.0.0.1 serves the shared data; downloads must match byte
for byte, then ingest; HTTP errors and checksum mismatches leave no file behind."""

from __future__ import annotations

import functools
import hashlib
import http.server
import threading
import zipfile

import pytest

from workbench.data.fetch import SOURCES, fetch, fetch_file, source_url
from workbench.exceptions import FetchError


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture(scope="module")
def served(shared_data):
    """Base URL of an http.server thread serving the shared data directory."""
    handler = functools.partial(QuietHandler, directory=str(shared_data))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def zip_server(tmp_path_factory, shared_path):
    """A server holding the factors as the Ken French library publishes them (a zip)."""
    root = tmp_path_factory.mktemp("french")
    csv = shared_path("factors/F-F_Research_Data_5_Factors_2x3_daily.CSV")
    with zipfile.ZipFile(root / "F-F_Research_Data_5_Factors_2x3_daily_CSV.zip", "w",
                         zipfile.ZIP_DEFLATED) as zf:
        zf.write(csv, csv.name)
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", root
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("what", sorted(SOURCES))
def test_fetch_bytes_equal_originals(what, served, shared_data, tmp_path):
    paths = fetch(what, tmp_path, base_url=f"{served}/{what}/", progress=False)
    assert len(paths) == len(SOURCES[what].files)
    for p in paths:
        assert p.read_bytes() == (shared_data / what / p.name).read_bytes()
    assert not list(tmp_path.glob(".*.part"))


def test_fetch_then_ingest(served, tmp_path):
    from workbench.data.store import ingest

    files = []
    for what in ("legislators", "factors", "house"):
        files += fetch(what, tmp_path / what, base_url=f"{served}/{what}/", progress=False)
    report = ingest(files, tmp_path / "store.duckdb")
    f = report.files.set_index(report.files["file"].map(lambda s: s.split("/")[-1]))
    assert set(f["status"]) == {"ingested"}
    assert f.loc["F-F_Research_Data_5_Factors_2x3_daily.CSV", "accepted"] == 15290
    assert report.counts_after["legislators"] == 12230 + 536
    assert report.counts_after["trades"] == f.loc["all_transactions.json", "new_rows"] > 6000


def test_fetch_prefers_zip_and_env_url(zip_server, tmp_path, monkeypatch):
    base, root = zip_server
    monkeypatch.setenv("WORKBENCH_FETCH_FACTORS_URL", base)
    assert source_url("factors") == base
    (path,) = fetch("factors", tmp_path, progress=False)
    assert path.name == "F-F_Research_Data_5_Factors_2x3_daily_CSV.zip"
    assert path.read_bytes() == (root / path.name).read_bytes()


def test_fetch_404_leaves_nothing(served, tmp_path):
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch("senate", tmp_path, base_url=f"{served}/nowhere/", progress=False)
    assert list(tmp_path.iterdir()) == []


def test_checksum_mismatch_leaves_nothing(served, shared_data, tmp_path):
    name = "legislators-current.csv"
    url = f"{served}/legislators/{name}"
    good = hashlib.sha256((shared_data / "legislators" / name).read_bytes()).hexdigest()
    with pytest.raises(FetchError, match="does not match"):
        fetch_file(url, tmp_path / name, expected_sha256="0" * 64, progress=False)
    assert list(tmp_path.iterdir()) == []
    path, sha = fetch_file(url, tmp_path / name, expected_sha256=good, progress=False)
    assert sha == good and path.exists()
    # a bad checksum for an existing target keeps the good file untouched
    with pytest.raises(FetchError):
        fetch("legislators", tmp_path, base_url=f"{served}/legislators/",
              checksums={name: "f" * 64}, progress=False)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == good
    assert not list(tmp_path.glob(".*.part"))


def test_unreachable_host_is_fetch_error(tmp_path):
    with pytest.raises(FetchError):
        # port 9 (discard) on localhost is closed in test environments: connection refused
        fetch_file("http://127.0.0.1:9/x.csv", tmp_path / "x.csv", progress=False, timeout=5)
    assert list(tmp_path.iterdir()) == []


def test_unknown_source():
    with pytest.raises(FetchError, match="unknown source"):
        source_url("senat")
