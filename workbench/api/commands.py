"""``workbench serve`` and ``workbench api-key create|revoke|list`` (registered by ``cli.py``).

Command-line options override the ``WORKBENCH_API_*`` environment; the server binds to
127.0.0.1 unless told otherwise, with one uvicorn worker (the rate limiter and the in-process
cache live in that process).
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["register", "cmd_serve", "cmd_key_create", "cmd_key_revoke", "cmd_key_list"]


def register(subparsers) -> None:
    """Add the ``serve`` and ``api-key`` command groups to ``subparsers``."""
    fmt = argparse.ArgumentDefaultsHelpFormatter
    s = subparsers.add_parser("serve", formatter_class=fmt,
                              help="run the prediction service (FastAPI on uvicorn)")
    s.add_argument("--host", default="127.0.0.1", help="interface to bind")
    s.add_argument("--port", type=int, default=8000, help="TCP port (0: any free port)")
    _source_args(s)
    s.add_argument("--log-level", default="warning",
                   choices=("critical", "error", "warning", "info", "debug"))
    s.add_argument("--warm", action="store_true",
                   help="compute politician performance and anomaly scores at start-up")
    s.add_argument("--http", choices=("auto", "httptools", "h11"), default="auto",
                   help="uvicorn HTTP parser (auto: httptools when installed)")
    s.add_argument("--loop", choices=("auto", "uvloop", "asyncio"), default="auto",
                   help="uvicorn event loop (auto: uvloop when installed)")
    s.add_argument("--predictor", choices=("auto", "ensemble", "forecast"), default=None,
                   help="auto: the ensemble when installed (warmed at start-up: minutes on "
                        "the full universe), else forecast (seconds)")
    s.set_defaults(func=cmd_serve)

    k = subparsers.add_parser("api-key", help="API keys of the service (hashed at rest)")
    ksub = k.add_subparsers(dest="key_command", required=True)
    c = ksub.add_parser("create", formatter_class=fmt, help="create a key; prints it once")
    c.add_argument("--name", required=True, help="who or what the key is for")
    _keys_args(c)
    c.set_defaults(func=cmd_key_create)
    r = ksub.add_parser("revoke", formatter_class=fmt, help="revoke a key by its id")
    r.add_argument("key_id", help="the id shown by create or list")
    _keys_args(r)
    r.set_defaults(func=cmd_key_revoke)
    ls = ksub.add_parser("list", formatter_class=fmt, help="keys with their state")
    _keys_args(ls)
    ls.set_defaults(func=cmd_key_list)


def _source_args(p) -> None:
    p.add_argument("--source", default=None,
                   help="'synthetic' or a DuckDB store path (default $WORKBENCH_API_SOURCE "
                        "or synthetic)")
    p.add_argument("--seed", type=int, default=None, help="synthetic seed")
    p.add_argument("--smoke", action="store_true", help="the small CI synthetic universe")
    p.add_argument("--keys-db", default=None,
                   help="API-key database (default: api_keys.sqlite beside the store, or "
                        "data/api_keys.sqlite for the synthetic source)")


def _keys_args(p) -> None:
    p.add_argument("--source", default=None, help="store whose keys to manage")
    p.add_argument("--keys-db", default=None, help="API-key database file")


def _settings(args):
    from workbench.api.settings import ApiSettings

    over = {}
    for name in ("source", "seed", "keys_db", "predictor"):
        value = getattr(args, name, None)
        if value is not None:
            over[name] = value
    if getattr(args, "smoke", False):
        over["smoke"] = True
    if getattr(args, "warm", False):
        over["warm"] = True
    return ApiSettings(**over)


def cmd_serve(args) -> int:
    import uvicorn

    from workbench.api.app import create_app

    settings = _settings(args)
    if settings.torch_threads is not None:     # see ApiSettings.torch_threads
        import torch

        torch.set_num_threads(settings.torch_threads)
    app = create_app(settings)
    print(f"workbench serve: {settings.source} on http://{args.host}:{args.port} "
          f"(keys in {settings.keys_path()})", file=sys.stderr, flush=True)
    uvicorn.run(app, host=args.host, port=args.port, workers=1, log_level=args.log_level,
                access_log=args.log_level in ("info", "debug"), server_header=False,
                http=args.http, loop=args.loop)
    return 0


def _store(args):
    from workbench.api.keys import KeyStore

    return KeyStore(_settings(args).keys_path())


def cmd_key_create(args) -> int:
    store = _store(args)
    key_id, plaintext = store.create(args.name)
    store.close()
    print(f"created key {key_id} ({args.name}) in {store.path}", file=sys.stderr)
    print("store it now: it is shown once and kept only as a salted hash", file=sys.stderr)
    print(plaintext)
    return 0


def cmd_key_revoke(args) -> int:
    store = _store(args)
    ok = store.revoke(args.key_id)
    store.close()
    if not ok:
        print(f"workbench: no active key {args.key_id!r} in {store.path}", file=sys.stderr)
        return 1
    print(f"revoked {args.key_id}", file=sys.stderr)
    return 0


def cmd_key_list(args) -> int:
    store = _store(args)
    table = store.list()
    store.close()
    if table.empty:
        print(f"no API keys in {store.path}", file=sys.stderr)
        return 0
    print(table.fillna("").to_string(index=False))
    return 0
