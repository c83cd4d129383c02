"""Optuna search on development samples only, in process and on a 2-worker Dask LocalCluster."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.forecast.folds import PurgedWalkForward
from workbench.forecast.tuning import tune

SPACE = {"hidden": ("categorical", (4, 8)), "lr": ("float", (1e-3, 1e-2, True)),
         "window": ("categorical", (10, 21))}
FIXED = {"max_epochs": 2, "patience": 1}


@pytest.fixture(scope="module")
def dev(small_data):
    return PurgedWalkForward(2, purge=5, test_fraction=0.3).development(small_data.dates)


def test_tuning_sees_development_samples_only(small_data, dev):
    folds = PurgedWalkForward(2, purge=5, test_fraction=0.3)
    first_test = min(small_data.dates[te].min() for _, te in folds.split(small_data.dates))
    assert small_data.dates[dev].max() < first_test


def test_in_process_study(small_data, dev, seed):
    r = tune(small_data, dev, n_trials=3, trainer_params=FIXED, space=SPACE, seed=seed)
    assert r.n_trials == 3 and r.n_complete + r.n_pruned == 3 and r.n_complete >= 2
    assert set(r.best_params) == set(SPACE)
    assert r.best_value == pytest.approx(r.trials["value"][r.trials["state"] == "COMPLETE"].min())
    assert 0.3 < r.best_value < 1.5         # loss ratios to naive baselines, averaged
    assert r.where == "in-process"


def test_dask_study_on_local_cluster(small_data, dev, seed):
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        r = tune(small_data, dev, n_trials=2, trainer_params=FIXED, space=SPACE, seed=seed,
                 client=client)
    assert r.where.startswith("tcp://")
    assert r.n_trials == 2
    # each trial got its own sampler seed: the two random start-up proposals differ
    params = r.trials[[c for c in r.trials.columns if c.startswith("params_")]]
    assert not np.allclose(params["params_lr"].iloc[0], params["params_lr"].iloc[1])
