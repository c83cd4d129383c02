"""``workbench train forecast`` and ``workbench models list`` (registered by ``cli.py``)."""

from __future__ import annotations

import argparse
import sys

__all__ = ["register", "cmd_train_forecast", "cmd_models_list"]


def register(subparsers) -> None:
    """Add the ``train`` and ``models`` command groups to ``subparsers``."""
    fmt = argparse.ArgumentDefaultsHelpFormatter
    train = subparsers.add_parser("train", help="train models (walk-forward, tuning, registry)")
    tsub = train.add_subparsers(dest="train_command", required=True)
    f = tsub.add_parser("forecast", formatter_class=fmt,
                        help="train the multitask forecaster: Optuna, walk-forward, ONNX, MLflow")
    f.add_argument("--source", default="synthetic", help="'synthetic' or a DuckDB store path")
    f.add_argument("--seed", type=int, default=None,
                   help="seed of the universe (synthetic), the networks and the sampler")
    f.add_argument("--trials", type=int, default=0, help="Optuna trials (0: no tuning)")
    f.add_argument("--smoke", action="store_true", help="CI sizes (small universe and network)")
    f.add_argument("--model", choices=("lstm", "transformer"), default="lstm")
    f.add_argument("--horizon", type=int, default=5, help="forecast horizon, sessions")
    f.add_argument("--tickers", default=None, help="comma-separated tickers (default: most traded)")
    f.add_argument("--n-tickers", type=int, default=None, help="most traded tickers to use")
    f.add_argument("--mlflow-uri", default=None,
                   help="MLflow tracking URI (default $WORKBENCH_MLFLOW_URI or data/mlflow)")
    f.add_argument("--out", default=None, help="directory for the ONNX artifact")
    f.add_argument("--workers", type=int, default=None,
                   help="run the Optuna trials on a Dask LocalCluster of this many workers")
    f.add_argument("--no-progress", action="store_true", help="hide the progress bars")
    f.set_defaults(func=cmd_train_forecast)

    models = subparsers.add_parser("models", help="the model registry")
    msub = models.add_subparsers(dest="models_command", required=True)
    ls = msub.add_parser("list", help="registered versions with their metrics")
    ls.add_argument("--mlflow-uri", default=None, help="MLflow tracking URI")
    ls.set_defaults(func=cmd_models_list)


def cmd_train_forecast(args) -> int:
    import dataclasses

    from workbench.config import default_seed
    from workbench.forecast.pipeline import TrainingConfig, smoke_config, train_forecast
    from workbench.reports.notebook import load_universe

    seed = default_seed() if args.seed is None else int(args.seed)
    universe = load_universe(args.source, seed=seed, smoke=args.smoke)
    cfg = smoke_config() if args.smoke else TrainingConfig()
    cfg = dataclasses.replace(cfg, horizon=int(args.horizon))
    if args.n_tickers:
        cfg = dataclasses.replace(cfg, n_tickers=int(args.n_tickers))
    tickers = [t.strip().upper() for t in args.tickers.split(",")] if args.tickers else None
    client = cluster = None
    if args.workers and args.trials:
        from distributed import Client

        from workbench.reports.distributed import local_cluster

        cluster = local_cluster(args.workers)
        client = Client(cluster)
    try:
        run = train_forecast(universe, model=args.model, seed=seed, trials=int(args.trials),
                             config=cfg, tickers=tickers, source=str(args.source),
                             mlflow_uri=args.mlflow_uri, out_dir=args.out, client=client,
                             smoke=args.smoke, progress=not args.no_progress)
    finally:
        if client is not None:
            client.close()
            cluster.close()
    s = run.summary()
    print(f"run {s['run_id']}: {s['model']} version {s['model_version']}, score "
          f"{s['score']:.4f} ({s['promotion']}); ONNX at {run.onnx_dir}")
    comp = run.result.comparisons()
    print(comp[["task", "loss", "baseline", "model_loss", "baseline_loss", "dm_p",
                "verdict"]].to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    return 0


def cmd_models_list(args) -> int:
    from workbench.forecast.registry import list_models

    table = list_models(args.mlflow_uri)
    if table.empty:
        print("no registered forecast models", file=sys.stderr)
        return 0
    keep = [c for c in ("version", "aliases", "model", "score", "model_volatility_QLIKE",
                        "model_direction_accuracy", "model_return_RMSE", "created", "run_id")
            if c in table.columns]
    print(table[keep].to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    return 0
