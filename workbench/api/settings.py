"""Settings of the prediction service: one pydantic-settings class read from the environment.

Every field is read from ``WORKBENCH_API_<FIELD>`` (``WORKBENCH_API_RATE=50``), except the
Redis URL, which is ``WORKBENCH_REDIS_URL`` (shared with other tools). Tests build an
:class:`ApiSettings` directly and hand it to :func:`workbench.api.create_app`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from workbench.config import project_root

__all__ = ["ApiSettings", "default_keys_path"]


def default_keys_path(source: str) -> Path:
    """The API-key database for a universe source.

    A store keeps its keys in ``api_keys.sqlite`` beside the store file; the synthetic default
    keeps them in ``data/api_keys.sqlite`` under the project root.
    """
    if str(source) == "synthetic":
        return project_root() / "data" / "api_keys.sqlite"
    return Path(source).resolve().parent / "api_keys.sqlite"


class ApiSettings(BaseSettings):
    """Configuration of one service process.

    Attributes
    ----------
    source : str
        ``"synthetic"`` or a DuckDB store path (``workbench data ingest``).
    seed : int or None
        Synthetic seed (default ``$WORKBENCH_SEED``).
    smoke : bool
        Synthetic only: the small CI universe (2019-2020, 60 tickers).
    keys_db : Path or None
        SQLite file of hashed API keys (default :func:`default_keys_path`).
    rate, burst : float
        Per-key token bucket: sustained requests per second and bucket size.
    cache_size, cache_ttl : int, float
        In-process prediction cache: entries (LRU) and time to live in seconds (also the Redis
        TTL).
    redis_url : str or None
        ``$WORKBENCH_REDIS_URL``; when set, predictions are cached in Redis instead.
    cors_origins : list of str
        Allowed CORS origins; empty (the default) means no CORS headers at all.
    mlflow_uri : str or None
        Model registry (default :func:`workbench.config.mlflow_uri`).
    epoch_check_seconds : float
        Least time between two checks of the registry for a new champion (the store file is
        checked on every request, by its size and modification time).
    max_query_length : int
        Longest query string (and path) accepted, bytes (longer: 414).
    max_body_bytes : int
        Largest request body accepted (larger: 413).
    warm : bool
        Compute the per-politician performance and the anomaly scores at start-up (in a
        background thread) instead of on the first request that needs them.
    predictor : {"auto", "ensemble", "forecast"}
        ``auto``: the ensemble (warmed on the served universe at start-up; minutes on the
        full synthetic universe) when ``workbench.ensemble`` is installed, else the forecast
        fallback; ``forecast`` starts in seconds.
    fast_path : bool
        Answer plain cached prediction requests before FastAPI routing
        (:mod:`workbench.api.fastpath`); off only to compare with the route.
    miss_workers : int
        Threads computing the cache misses that are not computed inline (see
        ``inline_misses``; a dedicated FIFO executor). The computation is mostly
        Python sharing the GIL with the event loop, so dozens of threads only slow every miss
        down together and stall cached answers; two overlap the parts that release the GIL
        (numpy, onnxruntime, torch) and measured better than one (benchmarks/RESULTS.md 12c).
        0: the Starlette thread pool of up to 40 threads, as before; kept to compare.
    switch_interval : float
        The interpreter's thread switch interval, seconds (``sys.setswitchinterval``; Python's
        default is 0.005), set at start-up. A miss thread that releases the GIL in numpy,
        torch or onnxruntime waits up to this long to get it back from a busy event loop,
        once per such call (the "convoy effect"): at 5 ms an on-demand miss with a few dozen
        such calls took hundreds of milliseconds. None leaves it alone.
    inline_misses : {"all", "scored", "none"}
        Where a cache miss is computed. ``all`` (default): on the event loop itself, one at a
        time. A miss is mostly Python (members, meta-learner, insights: ~1.5 ms at the latest
        session from the start-up batch, ~5-7 ms at an older ``as_of``); handed to a thread
        it competes with the busy loop for the GIL and every hand-over costs both, so on a
        saturated 2-core server an older-``as_of`` miss took 700 ms in the executor and 12 ms
        inline, cached p95 within 2 ms of the executor's (benchmarks/RESULTS.md 12d). The
        price: a cached answer may wait behind one miss (cached p99 +6 ms on the smoke
        universe). ``scored``: only misses answered from the batch
        inline, the others in the miss executor; ``none``: every miss in the executor.
    torch_threads : int or None
        ``torch.set_num_threads`` for ``workbench serve`` (the DTW analog search of on-demand
        misses calls torch): the event loop and the load share two cores, and idle torch
        worker threads spin. None leaves torch's default.
    """

    model_config = SettingsConfigDict(env_prefix="WORKBENCH_API_", extra="ignore",
                                      populate_by_name=True, frozen=True)

    source: str = "synthetic"
    seed: int | None = None
    smoke: bool = False
    keys_db: Path | None = None
    rate: float = Field(20.0, gt=0)
    burst: float = Field(40.0, ge=1)
    cache_size: int = Field(10_000, ge=0)
    cache_ttl: float = Field(600.0, gt=0)
    redis_url: str | None = Field(
        None, validation_alias=AliasChoices("WORKBENCH_REDIS_URL", "redis_url"))
    cors_origins: list[str] = Field(default_factory=list)
    mlflow_uri: str | None = None
    epoch_check_seconds: float = Field(2.0, ge=0)
    max_query_length: int = Field(2048, ge=64)
    max_body_bytes: int = Field(65_536, ge=1024)
    warm: bool = False
    predictor: Literal["auto", "ensemble", "forecast"] = "auto"
    fast_path: bool = True
    miss_workers: int = Field(2, ge=0, le=64)
    switch_interval: float | None = Field(0.0005, gt=0, le=0.1)
    inline_misses: Literal["all", "scored", "none"] = "all"
    torch_threads: int | None = Field(1, ge=1, le=256)

    @field_validator("redis_url")
    @classmethod
    def _empty_is_none(cls, v):
        return v or None

    def keys_path(self) -> Path:
        """The API-key database this process uses."""
        return Path(self.keys_db) if self.keys_db else default_keys_path(self.source)
