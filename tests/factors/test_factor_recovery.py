"""Recovery of the planted informed traders on the synthetic universe; null control."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from workbench.factors import calendar_time_portfolio, fit_factor_model, politician_performance


@pytest.fixture(scope="module")
def perf_transaction(universe):
    h = int(universe.truth.informed["horizon"].iloc[0])
    return politician_performance(universe.trades, universe.prices, universe.factors,
                                  holding_days=h, entry="transaction")


def implied_alpha(universe, positions, days, h, planted):
    """Annualized alpha the truth implies for a calendar-time portfolio of these positions.

    Buys of one ticker whose horizons overlap stack their planted abnormal returns, so the
    portfolio's planted alpha is at least ``planted`` (= car / horizon * 252): count the planted
    streams live in each held (session, ticker) and average over the portfolio's positions.
    """
    tickers = sorted(set(positions["ticker"].dropna()))
    cols = {t: j for j, t in enumerate(tickers)}
    K = np.zeros((len(days), len(cols)))
    for _, t in universe.truth.informed_trades.iterrows():
        if t["ticker"] in cols:
            e = days.searchsorted(t["transaction_date"])
            K[e + 1:e + h + 1, cols[t["ticker"]]] += 1
    daily = np.zeros(len(days))
    count = np.zeros(len(days))
    for _, pos in positions[positions["covered"]].iterrows():
        e = days.get_loc(pos["entry_date"])
        daily[e + 1:e + h + 1] += K[e + 1:e + h + 1, cols[pos["ticker"]]]
        count[e + 1:e + h + 1] += 1
    return float(np.mean(daily[count > 0] / count[count > 0]) * planted)


@pytest.mark.slow
def test_informed_alpha_recovered(universe, perf_transaction):
    inf = universe.truth.informed
    tab = perf_transaction.table.set_index("politician")
    for _, row in inf.iterrows():
        h = int(row["horizon"])
        planted = row["car"] / h * 252      # annualized daily abnormal return
        mine = universe.trades[universe.trades["politician"] == row["politician"]]
        pf = calendar_time_portfolio(mine, universe.prices, "buy", h, entry="transaction")
        implied = implied_alpha(universe, pf.positions, pf.returns.index, h, planted)
        got = tab.loc[row["politician"]]
        # Three politicians: 2.5 standard errors keeps the joint chance of a false failure
        # near 4% (2 SE each would fail one seed in seven by chance alone).
        assert abs(got["alpha"] - implied) < 2.5 * got["alpha_se"], (row["politician"], implied, got)
        assert got["significant"]


@pytest.mark.slow
def test_null_politicians_flagged_at_most_nominal(universe, perf_transaction):
    # Null = no planted effect in any of their trades: not informed, and no "timing" anomaly
    # (a buy the session before a planted +15% jump makes a politician's alpha real).
    truth = universe.truth
    anomalies = truth.anomalies.merge(universe.trades[["trade_id", "politician"]], on="trade_id")
    planted = set(truth.informed["politician"]) | set(
        anomalies.loc[anomalies["kind"] == "timing", "politician"])
    tab = perf_transaction.table
    null = tab[~tab["politician"].isin(planted)]
    assert len(null) > 30
    # After BH control the expected share flagged is at most the level; one universe is one
    # draw, so allow the binomial 99% upper quantile of that share.
    bound = stats.binom.ppf(0.99, len(null), perf_transaction.level)
    assert null["significant"].sum() <= bound, (null["significant"].sum(), bound, len(null))


@pytest.mark.slow
def test_pooled_informed_portfolio_and_disclosure_delay(universe):
    inf = universe.truth.informed
    h = int(inf["horizon"].iloc[0])
    planted = float((inf["car"] / inf["horizon"]).iloc[0] * 252)
    mine = universe.trades[universe.trades["politician"].isin(inf["politician"])]
    tx = calendar_time_portfolio(mine, universe.prices, "buy", h, entry="transaction")
    fr = fit_factor_model(tx.returns, universe.factors, "ff5")
    implied = implied_alpha(universe, tx.positions, tx.returns.index, h, planted)
    assert implied >= planted
    assert abs(fr.alpha - implied) < 2 * fr.alpha_se, (fr.alpha, implied, planted)
    assert fr.alpha_p < 1e-6
    # Entering at disclosure only captures what is left after the filing: a smaller alpha.
    dc = calendar_time_portfolio(mine, universe.prices, "buy", h, entry="disclosure")
    fd = fit_factor_model(dc.returns, universe.factors, "ff5")
    assert fd.alpha < fr.alpha - 2 * np.hypot(fd.alpha_se, fr.alpha_se) / 2
    # Tickers without a price series are counted, not filled.
    assert tx.coverage_ratio < 1.0 or (tx.positions["reason"] == "covered").all()
