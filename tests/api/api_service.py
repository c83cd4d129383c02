"""Helpers of the service tests: a uvicorn server in a thread, a client with a key.

A module of its own (not conftest) so that test modules can import it by a unique name.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

__all__ = ["ServerThread", "Live", "start_live", "copy_registry", "free_port"]


class ServerThread:
    """uvicorn serving ``app`` on a socket bound to 127.0.0.1:0, in a daemon thread."""

    def __init__(self, app):
        import uvicorn

        self.app = app
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run,
                                       kwargs={"sockets": [self.sock]}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 300.0) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError("uvicorn stopped during start-up")
            if time.monotonic() > deadline:
                raise TimeoutError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(30)
        self.sock.close()


@dataclass
class Live:
    """A running service and a key for it."""

    server: ServerThread
    key: str
    key_id: str
    keys_db: Path
    client: httpx.Client

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def app(self):
        return self.server.app

    def get(self, path: str, key: str | None = "default", **kw) -> httpx.Response:
        headers = dict(kw.pop("headers", {}) or {})
        if key is not None:
            headers["X-API-Key"] = self.key if key == "default" else key
        return self.client.get(path, headers=headers, **kw)

    def post(self, path: str, key: str | None = "default", **kw) -> httpx.Response:
        headers = dict(kw.pop("headers", {}) or {})
        if key is not None:
            headers["X-API-Key"] = self.key if key == "default" else key
        return self.client.post(path, headers=headers, **kw)

    def new_key(self, name: str = "test") -> tuple[str, str]:
        return self.app.state.keys.create(name)


def start_live(settings, universe, tmp: Path, **app_kw) -> Live:
    from workbench.api import KeyStore, create_app

    keys_db = settings.keys_path()
    store = KeyStore(keys_db)
    key_id, key = store.create("tests")
    store.close()
    server = ServerThread(create_app(settings, universe=universe, **app_kw)).start()
    client = httpx.Client(base_url=server.url, timeout=120.0)
    return Live(server, key, key_id, keys_db, client)


def copy_registry(uri: str, dest: Path) -> str:
    """A copy of a SQLite registry (its artifacts stay where they are, read-only)."""
    from workbench.api.serving import registry_file

    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(registry_file(uri), dest / "mlflow.db")
    return "sqlite:///" + str(dest / "mlflow.db")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
