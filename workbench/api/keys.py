"""API keys, hashed at rest in a small SQLite file beside the store.

A key reads ``wbk_<key_id>_<secret>``: ``key_id`` (12 hex digits) names the row, ``secret``
(43 URL-safe characters, 256 bits from :mod:`secrets`) is never stored. The row holds a
random 16-byte salt and ``sha256(salt || secret)``. A fast hash is enough here: the secret is
a uniformly random 256-bit value, not a password, so there is nothing to brute-force faster
than the key space; it also keeps the per-request check at microseconds. The plaintext is
returned once by :meth:`KeyStore.create` and cannot be recovered.

SQLite (WAL mode) rather than the DuckDB store: a running service reads keys on every
request while ``workbench api-key create|revoke`` writes from another process, and DuckDB
lets only one process open a file for writing. Revocation takes effect on the next request.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from workbench.exceptions import WorkbenchError

__all__ = ["KeyStore", "KeyCheck", "PREFIX"]

PREFIX = "wbk"
_KEY = re.compile(r"^wbk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    key_id     TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    salt       BLOB NOT NULL,
    hash       BLOB NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
)"""


def _digest(salt: bytes, secret: str) -> bytes:
    return hashlib.sha256(salt + secret.encode("ascii")).digest()


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class KeyCheck:
    """Outcome of checking a presented key: ``status`` is ``ok``, ``invalid`` or ``revoked``."""

    status: str
    key_id: str | None = None
    name: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


class KeyStore:
    """Create, revoke, list and verify API keys in the SQLite file ``path``."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():      # owner-only; SQLite gives its -wal/-shm files the same
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        self._lock = threading.Lock()
        self._con = sqlite3.connect(str(self.path), check_same_thread=False, timeout=10.0,
                                    isolation_level=None)
        self._con.execute("PRAGMA journal_mode=WAL")
        self._con.execute("PRAGMA busy_timeout=10000")
        self._con.execute(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._con.close()

    def create(self, name: str) -> tuple[str, str]:
        """Create a key named ``name``; returns ``(key_id, plaintext)`` (shown once)."""
        name = str(name).strip()
        if not name or len(name) > 200:
            raise WorkbenchError("an API key needs a name of 1 to 200 characters")
        key_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        salt = secrets.token_bytes(16)
        with self._lock:
            self._con.execute("INSERT INTO api_keys VALUES (?, ?, ?, ?, ?, NULL)",
                              (key_id, name, salt, _digest(salt, secret), _now()))
        return key_id, f"{PREFIX}_{key_id}_{secret}"

    def revoke(self, key_id: str) -> bool:
        """Revoke ``key_id``; False when no such active key exists."""
        with self._lock:
            cur = self._con.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL",
                (_now(), str(key_id)))
        return cur.rowcount == 1

    def list(self) -> pd.DataFrame:
        """``key_id, name, created_at, revoked_at`` (never the hash or salt)."""
        with self._lock:
            rows = self._con.execute("SELECT key_id, name, created_at, revoked_at FROM api_keys "
                                     "ORDER BY created_at, key_id").fetchall()
        return pd.DataFrame(rows, columns=["key_id", "name", "created_at", "revoked_at"])

    def verify(self, presented: str | None) -> KeyCheck:
        """Check a presented key (constant-time comparison of the salted hashes)."""
        m = _KEY.match(presented or "")
        if m is None:
            return KeyCheck("invalid")
        key_id, secret = m.groups()
        with self._lock:
            row = self._con.execute("SELECT name, salt, hash, revoked_at FROM api_keys "
                                    "WHERE key_id = ?", (key_id,)).fetchone()
        if row is None:
            return KeyCheck("invalid")
        name, salt, stored, revoked = row
        if not hmac.compare_digest(_digest(salt, secret), stored):
            return KeyCheck("invalid")
        if revoked is not None:
            return KeyCheck("revoked", key_id, name)
        return KeyCheck("ok", key_id, name)
