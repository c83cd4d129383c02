"""The per-ticker-block price work and the network snapshots as Dask tasks: same result."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.features import trade_features


@pytest.mark.slow
def test_dask_client_gives_identical_features(small_universe):
    from dask.distributed import Client, LocalCluster

    groups = ("technical", "exposures", "network")
    serial = trade_features(small_universe, groups=groups, block_size=20)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        par = trade_features(small_universe, groups=groups, block_size=20, client=client)
    pd.testing.assert_frame_equal(serial.frame, par.frame, check_exact=True)
