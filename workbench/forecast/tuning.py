"""Hyperparameter search with Optuna (TPE sampler, median pruner) on validation folds only.

The search sees only the *development* samples: those that train the first test fold of the
outer :class:`~workbench.forecast.folds.PurgedWalkForward`, so no test block of any fold is
ever used for selection. Inside them, an inner purged walk-forward (``inner_splits`` folds)
scores each trial by :func:`relative_score`, reported after every inner fold so that the
median pruner can stop hopeless trials early.

Trials run in this process by default. With ``client=`` (a ``dask.distributed.Client``) they
run on the cluster: the study lives in Optuna's ``DaskStorage`` on the scheduler
(optuna-integration), the data is scattered to the workers once, and each task runs one
trial. Trial seeds are fixed (``seed + trial number``), so a trial's result does not depend on
where it ran; which parameters TPE proposes next can depend on the order in which parallel
trials finish.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.forecast import evaluation as ev
from workbench.forecast.baselines import fit_predict_baselines
from workbench.forecast.dataset import ForecastData
from workbench.forecast.folds import PurgedWalkForward
from workbench.forecast.trainer import ForecastTrainer

__all__ = ["SEARCH_SPACE", "TuningResult", "tune", "relative_score", "suggest_params"]

# name -> (kind, choices or (low, high[, log]))
SEARCH_SPACE = {
    "hidden": ("categorical", (8, 16, 32)),
    "layers": ("int", (1, 2)),
    "heads": ("categorical", (1, 2, 4)),
    "dropout": ("float", (0.0, 0.3)),
    "lr": ("float", (1e-3, 1e-2, True)),
    "window": ("categorical", (10, 21)),
    "w_ret": ("float", (0.1, 1.0)),
    "w_vol": ("float", (0.5, 2.0)),
    "w_dir": ("float", (0.1, 1.0)),
}


def relative_score(data: ForecastData, idx, forecast: dict, baselines: dict) -> float:
    """Mean of the model's loss ratios to the naive baselines over the three heads.

    ``(MSE_ret / MSE_zero + QLIKE_vol / QLIKE_trailing + logloss_dir / logloss_majority) / 3``
    on samples ``idx``; below 1 means the network beats the naive baselines on average.
    This is the number tuning minimizes and the registry's promotion ``score``.
    """
    idx = np.asarray(idx)
    r = ev.squared_error(data.ret[idx], forecast["ret"]).mean() / max(
        ev.squared_error(data.ret[idx], baselines["ret_zero"]).mean(), 1e-12)
    v = ev.qlike(data.vol[idx], forecast["vol"]).mean() / max(
        ev.qlike(data.vol[idx], baselines["vol_trailing"]).mean(), 1e-12)
    d = ev.log_loss(data.direction[idx], forecast["proba"]).mean() / max(
        ev.log_loss(data.direction[idx], baselines["proba_majority"]).mean(), 1e-12)
    return float((r + v + d) / 3.0)


def suggest_params(trial, space: dict | None = None) -> dict:
    """Draw one parameter set from ``space`` (default :data:`SEARCH_SPACE`)."""
    out = {}
    for name, (kind, spec) in (space or SEARCH_SPACE).items():
        if kind == "categorical":
            out[name] = trial.suggest_categorical(name, list(spec))
        elif kind == "int":
            out[name] = trial.suggest_int(name, spec[0], spec[1])
        else:
            out[name] = trial.suggest_float(name, spec[0], spec[1],
                                            log=len(spec) > 2 and bool(spec[2]))
    return out


def _objective_value(trial, data: ForecastData, dev_idx, base_params: dict, inner: int,
                     seed: int) -> float:
    import optuna

    p = suggest_params(trial, base_params.pop("_space", None))
    window = int(p.pop("window", data.window))
    hidden = int(p.get("hidden", 8))
    heads = int(p.get("heads", 1))
    model = base_params.get("model", "lstm")
    width = 2 * hidden if model == "lstm" else hidden
    if width % heads:
        p["heads"] = 1
    d = dataclasses.replace(data, window=min(window, data.window))
    dates = d.dates[dev_idx]
    folds = PurgedWalkForward(n_splits=inner, purge=d.horizon, test_fraction=0.3)
    scores = []
    for k, (tr, va) in enumerate(folds.split(dates)):
        tr, va = dev_idx[tr], dev_idx[va]
        params = {**base_params, **p, "random_state": seed + trial.number}
        trainer = ForecastTrainer(**params).fit(d, tr)
        scores.append(relative_score(d, va, trainer.predict(d, va),
                                     fit_predict_baselines(d, tr, va, random_state=seed)))
        trial.report(float(np.mean(scores)), k)
        if trial.should_prune():
            raise optuna.TrialPruned()
    return float(np.mean(scores))


def _run_one(study, data, dev_idx, base_params, inner, seed, k):
    """Trial ``k`` (a Dask task, or a loop step in process).

    The sampler is re-created with seed ``seed + k``: copies of one seeded sampler shipped to
    several workers would otherwise propose identical parameters.
    """
    import warnings

    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
    study.sampler = optuna.samplers.TPESampler(seed=seed + k, n_startup_trials=base_params.pop(
        "_startup", 5))
    study.optimize(lambda t: _objective_value(t, data, dev_idx, dict(base_params), inner, seed),
                   n_trials=1, catch=())
    return len(study.trials)


@dataclass(frozen=True)
class TuningResult:
    """Outcome of a search.

    Attributes
    ----------
    best_params : dict
        Parameters of the best complete trial (``window`` included).
    best_value : float
        Its mean inner-validation :func:`relative_score`.
    trials : DataFrame
        ``number, value, state, params_*, duration`` (Optuna's trials frame).
    importance : Series
        Parameter importance (fANOVA, Optuna's default evaluator); empty with < 2 complete
        trials.
    n_trials, n_pruned, n_complete : int
    where : str
        ``"in-process"`` or the Dask scheduler address.
    """

    best_params: dict
    best_value: float
    trials: pd.DataFrame
    importance: pd.Series
    n_trials: int
    n_pruned: int
    n_complete: int
    where: str

    def to_frame(self) -> pd.DataFrame:
        return self.trials

    def summary(self) -> pd.Series:
        return pd.Series({"best_value": self.best_value, "n_trials": self.n_trials,
                          "n_complete": self.n_complete, "n_pruned": self.n_pruned,
                          "where": self.where, **{f"best_{k}": v
                                                  for k, v in self.best_params.items()}})


def tune(data: ForecastData, dev_idx, *, n_trials: int = 20, model: str = "lstm",
         trainer_params: dict | None = None, inner_splits: int = 2, seed: int = 0,
         client=None, space: dict | None = None) -> TuningResult:
    """Search :data:`SEARCH_SPACE` with TPE + median pruning on ``dev_idx`` samples only.

    Parameters
    ----------
    data : ForecastData
        Built with the largest window of the space (smaller windows reuse its samples).
    dev_idx : array
        Development samples (e.g. ``PurgedWalkForward.development(data.dates)``).
    n_trials : int
    model : {"lstm", "transformer"}
    trainer_params : dict, optional
        Fixed :class:`ForecastTrainer` arguments (epochs, batch size, ...).
    inner_splits : int
        Inner walk-forward folds per trial.
    seed : int
        TPE sampler seed; trial ``k`` trains with seed ``seed + k``.
    client : dask.distributed.Client, optional
        Run trials on this cluster (DaskStorage) instead of in process.
    space : dict, optional
        Overrides :data:`SEARCH_SPACE` (same format).
    """
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    dev_idx = np.asarray(dev_idx)
    base = {"max_epochs": 15, "patience": 3, **(trainer_params or {}), "model": model,
            "_startup": min(5, n_trials)}
    if space is not None:
        base["_space"] = space
    sampler = optuna.samplers.TPESampler(seed=seed)     # replaced per trial, see _run_one
    pruner = optuna.pruners.MedianPruner(n_startup_trials=2, n_warmup_steps=0)
    if client is None:
        study = optuna.create_study(direction="minimize", sampler=sampler, pruner=pruner)
        for k in range(n_trials):
            _run_one(study, data, dev_idx, dict(base), inner_splits, seed, k)
        where = "in-process"
    else:
        from dask.distributed import wait
        from optuna_integration import DaskStorage

        storage = DaskStorage(client=client)
        study = optuna.create_study(direction="minimize", sampler=sampler, pruner=pruner,
                                    storage=storage)
        data_f = client.scatter(data, broadcast=True)
        idx_f = client.scatter(dev_idx, broadcast=True)
        futures = [client.submit(_run_one, study, data_f, idx_f, dict(base), inner_splits, seed,
                                 k, pure=False) for k in range(n_trials)]
        wait(futures)
        for f in futures:
            f.result()                      # re-raise a worker's error here
        where = str(client.scheduler.address)
    return _result(study, where)


def _result(study, where: str) -> TuningResult:
    import optuna

    frame = study.trials_dataframe(attrs=("number", "value", "state", "params", "duration"))
    states = [t.state for t in study.trials]
    complete = states.count(optuna.trial.TrialState.COMPLETE)
    pruned = states.count(optuna.trial.TrialState.PRUNED)
    importance = pd.Series(dtype=float)
    if complete >= 2:
        try:
            importance = pd.Series(optuna.importance.get_param_importances(study), dtype=float)
        except (RuntimeError, ValueError):   # e.g. all complete trials share one value
            importance = pd.Series(dtype=float)
    if "duration" in frame.columns:
        frame["duration"] = frame["duration"].dt.total_seconds()
    return TuningResult(best_params=dict(study.best_params) if complete else {},
                        best_value=float(study.best_value) if complete else np.nan,
                        trials=frame, importance=importance, n_trials=len(states),
                        n_pruned=pruned, n_complete=complete, where=where)
