"""Recovery of the planted informed traders on the synthetic universe; null control."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.factors import calendar_time_portfolio, fit_factor_model, politician_performance


@pytest.fixture(scope="module")
def perf_transaction(universe):
    h = int(universe.truth.informed["horizon"].iloc[0])
    return politician_performance(universe.trades, universe.prices, universe.factors,
                                  holding_days=h, entry="transaction")


@pytest.mark.slow
def test_informed_alpha_recovered(universe, perf_transaction):
    inf = universe.truth.informed
    tab = perf_transaction.table.set_index("politician")
    for _, row in inf.iterrows():
        planted = row["car"] / row["horizon"] * 252      # annualized daily abnormal return
        got = tab.loc[row["politician"]]
        assert abs(got["alpha"] - planted) < 2 * got["alpha_se"], (row["politician"], got)
        assert got["significant"]


@pytest.mark.slow
def test_null_politicians_flagged_at_most_nominal(universe, perf_transaction):
    informed = set(universe.truth.informed["politician"])
    tab = perf_transaction.table
    null = tab[~tab["politician"].isin(informed)]
    assert len(null) > 30
    assert null["significant"].mean() <= perf_transaction.level


@pytest.mark.slow
def test_pooled_informed_portfolio_and_disclosure_delay(universe):
    inf = universe.truth.informed
    h = int(inf["horizon"].iloc[0])
    planted = float((inf["car"] / inf["horizon"]).iloc[0] * 252)
    mine = universe.trades[universe.trades["politician"].isin(inf["politician"])]
    tx = calendar_time_portfolio(mine, universe.prices, "buy", h, entry="transaction")
    fr = fit_factor_model(tx.returns, universe.factors, "ff5")
    # Planted size of this portfolio: buys of one ticker whose horizons overlap stack their
    # abnormal returns, so compute the truth-implied mean daily abnormal return exactly.
    days = tx.returns.index
    cols = {t: j for j, t in enumerate(sorted(set(mine["ticker"].dropna())))}
    K = np.zeros((len(days), len(cols)))
    for _, t in universe.truth.informed_trades.iterrows():
        if t["ticker"] in cols:
            e = days.searchsorted(t["transaction_date"])
            K[e + 1:e + h + 1, cols[t["ticker"]]] += 1
    daily = np.zeros(len(days))
    count = np.zeros(len(days))
    for _, pos in tx.positions[tx.positions["covered"]].iterrows():
        e = days.get_loc(pos["entry_date"])
        daily[e + 1:e + h + 1] += K[e + 1:e + h + 1, cols[pos["ticker"]]]
        count[e + 1:e + h + 1] += 1
    implied = float(np.mean(daily[count > 0] / count[count > 0]) * planted)
    assert implied >= planted
    assert abs(fr.alpha - implied) < 2 * fr.alpha_se, (fr.alpha, implied, planted)
    assert fr.alpha_p < 1e-6
    # Entering at disclosure only captures what is left after the filing: a smaller alpha.
    dc = calendar_time_portfolio(mine, universe.prices, "buy", h, entry="disclosure")
    fd = fit_factor_model(dc.returns, universe.factors, "ff5")
    assert fd.alpha < fr.alpha - 2 * np.hypot(fd.alpha_se, fr.alpha_se) / 2
    # Tickers without a price series are counted, not filled.
    assert tx.coverage_ratio < 1.0 or (tx.positions["reason"] == "covered").all()
