"""The training pipeline: data -> tuning -> walk-forward -> ONNX -> MLflow run and registry.

:func:`train_forecast` is what ``workbench train forecast`` and notebook ``09_forecasting``
run. Decision dates are sessions; congressional activity features (when the features package
provides them) are disclosure-dated. The network served (exported to ONNX and registered) is
the last fold's network: it was trained on everything before the last test block, and its
out-of-sample metrics are the ones reported. Its registry ``score`` is
:func:`~workbench.forecast.tuning.relative_score` over all test folds (lower is better).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.forecast.dataset import ForecastData, activity_features, build_dataset
from workbench.forecast.folds import PurgedWalkForward
from workbench.forecast.tuning import SEARCH_SPACE, TuningResult, tune
from workbench.forecast.walkforward import WalkForwardResult, walk_forward

__all__ = ["TrainingConfig", "TrainingRun", "train_forecast", "smoke_config", "pick_tickers",
           "prediction_score"]


@dataclass(frozen=True)
class TrainingConfig:
    """Sizes of one training run (see :func:`smoke_config` for CI sizes).

    The defaults keep a full synthetic run (the report's default) to minutes of one CPU
    core; they are sized for a 2-core CI machine, not tuned for accuracy (Optuna does that).
    """

    n_tickers: int = 16
    horizon: int = 5
    window: int = 21
    n_splits: int = 4
    test_fraction: float = 0.4
    inner_splits: int = 2
    max_epochs: int = 12
    patience: int = 3
    batch_size: int = 512
    hidden: int = 16
    layers: int = 1
    heads: int = 2
    lr: float = 3e-3
    dropout: float = 0.1
    flat_band: float = 0.005
    start: str | None = None          # first decision date kept (inputs may reach back)
    end: str | None = None            # last decision date kept


def smoke_config(**overrides) -> TrainingConfig:
    """Small sizes that train in seconds on a 2-core CPU."""
    base = {"n_tickers": 8, "n_splits": 2, "test_fraction": 0.3, "max_epochs": 4,
            "patience": 2, "hidden": 8, "heads": 2}
    return TrainingConfig(**{**base, **overrides})


SMOKE_SPACE = {"hidden": ("categorical", (4, 8)), "lr": ("float", (1e-3, 1e-2, True)),
               "window": ("categorical", (10, 21))}


@dataclass(frozen=True)
class TrainingRun:
    """Everything one training produced.

    Attributes
    ----------
    data_summary : Series
        Tickers, samples, sessions, features (activity features included or not).
    tuning : TuningResult or None
    result : WalkForwardResult
    score : float
        Relative score over all test folds (registry metric, lower is better).
    params : dict
        Final trainer parameters.
    onnx_dir : Path or None
    parity : dict
        Largest |onnxruntime - torch| per head on test windows.
    run_id : str or None
    model_version : int or None
    promotion : object or None
        :class:`~workbench.forecast.registry.Promotion`.
    fold_signature : str
    """

    data_summary: pd.Series
    tuning: TuningResult | None
    result: WalkForwardResult
    score: float
    params: dict
    onnx_dir: Path | None
    parity: dict
    run_id: str | None
    model_version: int | None
    promotion: object
    fold_signature: str

    def summary(self) -> pd.Series:
        p = self.promotion
        return pd.Series({"model": self.result.model, "score": self.score,
                          "run_id": self.run_id, "model_version": self.model_version,
                          "champion": getattr(p, "promoted", None),
                          "promotion": getattr(p, "reason", None),
                          "max_onnx_diff": max(self.parity.values()) if self.parity else np.nan,
                          **self.data_summary.to_dict()})

    def to_frame(self) -> pd.DataFrame:
        return self.result.comparisons()


def pick_tickers(universe, n: int, must=()) -> list[str]:
    """The ``n`` priced tickers most traded by Congress (disclosed trades), plus ``must``."""
    priced = set(universe.prices["ticker"].astype(str).unique())
    counts = universe.trades["ticker"].dropna().astype(str).value_counts()
    ranked = [t for t in counts.index if t in priced]
    ranked += sorted(priced - set(ranked))
    out = [t for t in must if t in priced]
    keep = max(n, len(out))
    out += [t for t in ranked if t not in out]
    return out[:keep]


def prediction_score(result: WalkForwardResult) -> float:
    """:func:`relative_score` of a walk-forward result over all its test predictions."""
    from workbench.forecast import evaluation as ev

    p = result.predictions
    r = ev.squared_error(p["ret"], p["ret_model"]).mean() / max(
        ev.squared_error(p["ret"], p["ret_zero"]).mean(), 1e-12)
    v = ev.qlike(p["vol"], p["vol_model"]).mean() / max(
        ev.qlike(p["vol"], p["vol_trailing"]).mean(), 1e-12)
    d = ev.log_loss(p["direction"], result.proba("model")).mean() / max(
        ev.log_loss(p["direction"], result.proba("majority")).mean(), 1e-12)
    return float((r + v + d) / 3.0)


def fold_signature(data: ForecastData, folds: PurgedWalkForward, source: str) -> str:
    """Hash of what defines "the same folds": source, tickers, horizon, dates, fold layout."""
    key = {"source": str(source), "tickers": sorted(data.tickers), "horizon": data.horizon,
           "n_samples": len(data), "first": str(data.dates.min().date()),
           "last": str(data.dates.max().date()), "n_splits": folds.n_splits,
           "purge": folds.purge, "embargo": folds.embargo,
           "test_fraction": folds.test_fraction}
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]


def train_forecast(universe, *, model: str = "lstm", seed: int = 0, trials: int = 0,
                   config: TrainingConfig | None = None, tickers=None, source: str = "",
                   mlflow_uri: str | None = None, log_mlflow: bool = True,
                   out_dir: str | Path | None = None, client=None, smoke: bool = False,
                   progress: bool = False, figures: dict | None = None) -> TrainingRun:
    """Train, evaluate, export and register a forecaster (see module notes).

    Parameters
    ----------
    universe : Universe
    model : {"lstm", "transformer"}
    seed : int
        Seeds the networks (every fold) and the TPE sampler.
    trials : int
        Optuna trials on the development samples (0: no tuning, configured sizes).
    config : TrainingConfig, optional
        Default :func:`smoke_config` when ``smoke`` else :class:`TrainingConfig`.
    tickers : sequence, optional
        Default: the ``config.n_tickers`` most traded priced tickers.
    source : str
        Label of the data source (part of the fold signature and the run's tags).
    mlflow_uri : str, optional
        Default :func:`workbench.config.mlflow_uri`.
    log_mlflow : bool
        Log the run and register the model (False: only train, evaluate and export).
    out_dir : path, optional
        Where the ONNX artifact is written (default: a temporary directory).
    client : dask.distributed.Client, optional
        Run the Optuna trials on this cluster.
    figures : dict, optional
        ``name -> plotly Figure`` builders called with the run's result, logged to MLflow.
    """
    from workbench.forecast.export import check_parity, export_onnx

    cfg = config or (smoke_config() if smoke else TrainingConfig())
    tickers = list(tickers) if tickers is not None else pick_tickers(universe, cfg.n_tickers)
    act = activity_features(universe, tickers, None)
    max_window = max([cfg.window, *SEARCH_SPACE["window"][1]]) if trials else cfg.window
    data = build_dataset(universe.prices, horizon=cfg.horizon, window=max_window,
                         tickers=tickers, activity=act, flat_band=cfg.flat_band,
                         start=cfg.start, end=cfg.end)
    folds = PurgedWalkForward(cfg.n_splits, purge=cfg.horizon, test_fraction=cfg.test_fraction)
    params = {"hidden": cfg.hidden, "layers": cfg.layers, "heads": cfg.heads, "lr": cfg.lr,
              "dropout": cfg.dropout, "max_epochs": cfg.max_epochs, "patience": cfg.patience,
              "batch_size": cfg.batch_size}
    tuning = None
    window = cfg.window
    if trials:
        tuning = tune(data, folds.development(data.dates), n_trials=trials, model=model,
                      trainer_params={"max_epochs": max(2, cfg.max_epochs // 2),
                                      "patience": cfg.patience, "batch_size": cfg.batch_size},
                      inner_splits=cfg.inner_splits, seed=seed, client=client,
                      space=SMOKE_SPACE if smoke else None)
        best = dict(tuning.best_params)
        window = int(best.pop("window", window))
        params.update(best)
        width = 2 * params["hidden"] if model == "lstm" else params["hidden"]
        if width % params["heads"]:
            params["heads"] = 1
    import dataclasses

    data = dataclasses.replace(data, window=min(window, data.window))
    result = walk_forward(data, folds, model=model, trainer_params=params, random_state=seed,
                          progress=progress)
    score = prediction_score(result)
    sig = fold_signature(data, folds, source or getattr(universe, "source", ""))
    summary = pd.Series({"tickers": len(data.tickers), "samples": len(data),
                         "first_date": data.dates.min().date().isoformat(),
                         "last_date": data.dates.max().date().isoformat(),
                         "features": len(data.feature_names),
                         "activity_features": any(f.startswith("act_")
                                                  for f in data.feature_names),
                         "window": data.window, "horizon": data.horizon})
    out = Path(out_dir) if out_dir else Path(tempfile.mkdtemp(prefix="wb-forecast-"))
    last = result.trainers[-1]
    onnx_dir = export_onnx(last.model_, out / "onnx", model=model,
                           feature_names=data.feature_names, window=data.window,
                           horizon=data.horizon, flat_band=data.flat_band)
    from workbench.forecast.export import OnnxForecaster

    test_rows = result.predictions.loc[result.predictions["fold"] == result.predictions["fold"].max(),
                                       "sample"].to_numpy()[:512]
    parity = check_parity(last.model_, OnnxForecaster(onnx_dir), data.windows(test_rows))
    run_id = version = promotion = None
    if log_mlflow:
        from workbench.forecast.tracking import log_training_run

        run_id, version, promotion = log_training_run(
            result=result, tuning=tuning, params={**params, "window": data.window,
                                                  "model": model, "seed": seed,
                                                  "trials": trials},
            score=score, signature=sig, onnx_dir=onnx_dir, summary=summary, parity=parity,
            source=source or str(getattr(universe, "source", "")), uri=mlflow_uri,
            figures=figures)
    return TrainingRun(data_summary=summary, tuning=tuning, result=result, score=score,
                       params=params, onnx_dir=onnx_dir, parity=parity, run_id=run_id,
                       model_version=version, promotion=promotion, fold_signature=sig)
