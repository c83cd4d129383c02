"""Open the built reports in headless Chromium with the network blocked.

Checks: every plotly figure rendered (``svg.main-svg`` inside each figure div), no console
messages (errors, failed loads logged by scripts), no network request (the proxy is a local
socket that records every connection), and the ``<script>``/``onerror`` payload from the data
did not run (title unchanged, no ``data-xss`` attribute).

Chromium comes from ``scripts/ensure-chromium.sh`` (Debian package). Missing chromium fails
under CI / ``WORKBENCH_REQUIRE_SHARED=1`` and skips locally.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest

# One xdist worker runs every test that shares the session smoke build (built once).
pytestmark = pytest.mark.xdist_group("reports")

CHROMIUM = os.environ.get("WORKBENCH_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--disable-features=NetworkTimeServiceQuerying,OptimizationHints,Translate",
         "--disable-domain-reliability", "--no-pings", "--enable-unsafe-swiftshader",
         "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--enable-logging=stderr", "--v=0",
         "--virtual-time-budget=15000", "--proxy-bypass-list=<-loopback>", "--dump-dom"]


@pytest.fixture(scope="module")
def chromium() -> str:
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if not path:
        msg = f"chromium not found at {CHROMIUM}: run scripts/ensure-chromium.sh"
        if os.environ.get("CI") == "true" or os.environ.get("WORKBENCH_REQUIRE_SHARED") == "1":
            pytest.fail(msg)
        pytest.skip(msg)
    return path


class RecordingProxy:
    """A loopback socket used as Chromium's proxy: records and refuses every connection."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.requests: list[str] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1.0)
                try:
                    self.requests.append(conn.recv(512).decode("latin-1").split("\r\n")[0])
                except OSError:
                    self.requests.append("<no request line>")

    def close(self):
        self.stop.set()
        self.thread.join(timeout=5)
        self.sock.close()


def open_page(chromium: str, page: Path, tmp_path: Path) -> tuple[str, list[str], list[str]]:
    """(DOM after scripts ran, console lines, proxied requests) for one ``file://`` page."""
    proxy = RecordingProxy()
    profile = tmp_path / f"profile-{page.stem}"
    profile.mkdir()
    try:
        proc = subprocess.run(
            [chromium, *FLAGS, f"--user-data-dir={profile}",
             f"--proxy-server=127.0.0.1:{proxy.port}", page.resolve().as_uri()],
            capture_output=True, text=True, timeout=120)
    finally:
        proxy.close()
    console = [ln for ln in proc.stderr.splitlines() if ":CONSOLE" in ln]
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout, console, proxy.requests


# Chromium's own services (clock sync, sign-in, updates) still call home through the proxy
# despite the flags; they are not requests of the page. Our pages reference no such host.
BROWSER_SERVICES = re.compile(r"(?:[\w.-]+\.)?(?:google\.com|googleapis\.com|gvt1\.com|"
                              r"gstatic\.com)(?::\d+)?(?:/|\s)")


def page_requests(requests: list[str]) -> list[str]:
    return [r for r in requests if not BROWSER_SERVICES.search(r.split(" ", 1)[-1]
                                                               .replace("http://", ""))]


def check_page(dom: str, console: list[str], requests: list[str], name: str) -> None:
    assert not console, (name, console)
    assert not page_requests(requests), (name, requests)
    tags = [t for t in re.findall(r"<div\b[^>]*>", dom) if 'id="wbfig-' in t]
    figures = [t for t in tags if "js-plotly-plot" in t]  # class plotly.js adds when drawn
    assert len(figures) == len(tags), (name, [t for t in tags if t not in figures])
    assert dom.count('class="main-svg"') >= len(figures), name
    assert "<title>XSS</title>" not in dom and "data-xss" not in dom.split("</head>", 1)[-1]\
        .split(">", 1)[0], name


def test_reports_render_offline(chromium, smoke_build, tmp_path):
    out = smoke_build.out_dir
    total = 0
    for outcome in smoke_build.outcomes:
        dom, console, requests = open_page(chromium, out / outcome.html_path, tmp_path)
        check_page(dom, console, requests, outcome.name)
        total += dom.count("js-plotly-plot")
    assert total >= 10  # the overview alone draws ten figures
    dom, console, requests = open_page(chromium, out / "index.html", tmp_path)
    assert not console and not page_requests(requests)
    assert "00_data_overview" in dom


def test_payload_from_data_does_not_execute(chromium, payload_build, tmp_path):
    (outcome,) = payload_build.outcomes
    assert outcome.status == "ok", outcome.error
    page = payload_build.out_dir / "00_data_overview.html"
    html = page.read_text()
    assert "&lt;script&gt;document.title" in html  # the payload is in the report, as text
    assert "<script>document.title" not in html
    dom, console, requests = open_page(chromium, page, tmp_path)
    check_page(dom, console, requests, "payload")
    body_tag = re.search(r"<body[^>]*>", dom).group(0)
    assert "data-xss" not in body_tag
    assert re.search(r"<title>[^<]*</title>", dom).group(0) != "<title>XSS</title>"
    # the payload was drawn by plotly as text (hover text lives in the figure JSON)
    assert "Mallory" in dom
