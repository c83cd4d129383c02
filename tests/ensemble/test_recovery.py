"""Recovery of what the synthetic universe planted, at the session seed and one more.

- The planted returns still to come (informed buys after their disclosure, motifs in
  progress) against a plain per-trade loop.
- The congress member reads informed buys: on samples where a disclosed informed buy still has
  planted return to come, its value points the same way more often than chance.
- The ensemble is at least as good as the best single member on the planted-signal samples of
  the test folds: its mean squared error exceeds the best member's by at most two standard
  errors of the (date-averaged) difference. The best member is picked on those same samples,
  after the fact.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from workbench.ensemble.context import context_for

HORIZON = 7


def test_planted_informed_returns_match_a_loop(small):
    from workbench.data.calendar import next_session
    from workbench.ensemble.planted import planted_returns

    ctx = context_for(small)
    truth = small.truth
    got = planted_returns(ctx, truth, HORIZON)["informed"]
    ref = np.zeros_like(got)
    p_ = truth.params
    trades = small.trades.set_index("trade_id")
    for row in truth.informed_trades.itertuples():
        k = ctx.column(row.ticker)
        if k < 0 or row.trade_id not in trades.index:
            continue
        t = ctx.sessions.get_loc(pd.Timestamp(row.transaction_date))
        entry = next_session(pd.Timestamp(trades.loc[row.trade_id, "disclosure_date"]))
        e = ctx.sessions.searchsorted(entry)
        for p in range(e, ctx.n_sessions):
            days = sum(1 for s in range(p + 1, p + HORIZON + 1) if t < s <= t + p_.informed_horizon)
            ref[p, k] += days * p_.informed_car / p_.informed_horizon
    np.testing.assert_allclose(got, ref, atol=1e-12)


def _agreement(ens, universe, member: str, kind: str):
    from workbench.ensemble.planted import planted_returns

    stack = ens.stacks_[HORIZON]
    planted = planted_returns(context_for(universe), universe.truth, HORIZON)[kind]
    pl = planted[stack.pos, stack.k]
    x = stack.X[:, list(stack.members).index(member)]
    ok = (pl != 0) & np.isfinite(x) & (x != 0)
    hits = int(np.sum(np.sign(x[ok]) == np.sign(pl[ok])))
    return hits, int(ok.sum())


def test_congress_member_reads_informed_buys(small, fitted):
    hits, n = _agreement(fitted, small, "congress", "informed")
    assert n >= 30, n
    assert stats.binomtest(hits, n, 0.5, alternative="greater").pvalue < 0.01, (hits, n)


def _at_least_as_good(ens, universe):
    from workbench.ensemble.findings import planted_comparison

    c = planted_comparison(ens, universe, HORIZON)
    assert c["n"] >= 30, c["n"]
    assert c["diff"] <= 2 * c["se"], c
    return c


def test_ensemble_at_least_as_good_as_best_member_on_planted(small, fitted):
    _at_least_as_good(fitted, small)


@pytest.fixture(scope="module")
def other_seed(seed, cheap_members):
    from workbench.data import load_universe
    from workbench.ensemble import MultiModelEnsemble

    u = load_universe("synthetic", seed=seed + 1, start="2019-01-02", n_tickers=60)
    return u, MultiModelEnsemble(members=cheap_members).fit(u)


def test_recovery_at_another_seed(other_seed):
    u, ens = other_seed
    hits, n = _agreement(ens, u, "congress", "informed")
    assert n >= 30 and stats.binomtest(hits, n, 0.5, alternative="greater").pvalue < 0.01
    _at_least_as_good(ens, u)


def test_recovery_rows_for_the_report(small, fitted):
    from workbench.ensemble.findings import ensemble_findings, ensemble_recovery

    rows = ensemble_recovery(fitted, small, HORIZON)
    assert {r["detector"] for r in rows} >= {"congressional alpha member",
                                           "ensemble vs best member"}
    assert all(r["verdict"] in ("recovered", "partly recovered", "not recovered", "info")
               for r in rows)
    found = ensemble_findings(fitted, HORIZON)
    assert found and "best single" in found[0].headline
    assert ensemble_recovery(fitted, dataclasses.replace(small, truth=None), HORIZON) == []
