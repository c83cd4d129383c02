"""The synthetic universe: reproducible by seed, shaped like the contract, planted facts present."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.data import load_universe
from workbench.data.schema import ASSET_TYPES, validate_trades
from workbench.options.gex import compute_gex
from workbench.synthetic.truth import REGIME_NAMES, SyntheticTruth


def test_same_seed_identical_other_seed_differs(universe, seed):
    again = load_universe("synthetic", seed=seed)
    pd.testing.assert_frame_equal(universe.trades, again.trades)
    pd.testing.assert_frame_equal(universe.prices, again.prices)
    pd.testing.assert_frame_equal(universe.options, again.options)
    assert universe.truth.to_json() == again.truth.to_json()
    other = load_universe("synthetic", seed=seed + 1)
    assert not other.trades["trade_id"].isin(universe.trades["trade_id"]).any()
    assert not np.allclose(other.factors["Mkt-RF"].to_numpy(), universe.factors["Mkt-RF"].to_numpy())


def test_sizes_and_contract(universe):
    trades = validate_trades(universe.trades)
    assert len(trades) > 10_000
    assert universe.prices["ticker"].nunique() >= 150
    assert universe.securities["sector"].nunique() >= 10
    assert universe.truth.politicians["politician"].nunique() >= 80
    assert set(trades["asset_type"]) <= set(ASSET_TYPES)
    assert set(trades["chamber"]) == {"senate", "house"}
    assert trades["transaction_date"].min() >= pd.Timestamp("2012-01-03")
    assert trades["transaction_date"].max() <= pd.Timestamp("2020-12-31")
    assert (trades["disclosure_date"] > trades["transaction_date"]).all()
    assert trades["disclosure_date"].dt.day_of_week.max() <= 4
    sessions = universe.sessions()
    assert trades["transaction_date"].isin(sessions).all()
    # Some traded tickers have no price series, as in the real data.
    stock = trades[trades["asset_type"] == "stock"]
    covered = stock["ticker"].isin(universe.prices["ticker"].unique()).mean()
    assert 0.85 < covered < 1.0
    assert list(universe.factors.columns) == ["Mkt-RF", "SMB", "HML", "RMW", "CMA", "RF"]


def test_lags_and_amounts_match_real_senate_shape(universe):
    t = universe.trades
    lag = (t["disclosure_date"] - t["transaction_date"]).dt.days
    assert 17 <= lag.median() <= 23
    assert 0.04 <= (lag > 45).mean() <= 0.09
    small = (t["amount_low"] == 1001).mean()
    assert small == pytest.approx(5496 / 8030, abs=0.03)


def test_truth_round_trips_through_json(universe, tmp_path):
    path = tmp_path / "truth.json"
    universe.truth.write(path)
    back = SyntheticTruth.read(path)
    assert back.to_json() == universe.truth.to_json()
    assert back.params == universe.truth.params


def test_regimes_drive_the_market_factor(universe):
    truth = universe.truth
    mkt = universe.factors["Mkt-RF"].to_numpy()
    states = truth.regimes["state"].to_numpy()
    assert len(states) == len(mkt)
    for state, name in enumerate(REGIME_NAMES):
        sigma = truth.regime_stats.set_index("name").loc[name, "sigma"]
        assert mkt[states == state].std() == pytest.approx(sigma, rel=0.15)
    assert np.allclose(truth.transition_matrix.sum(axis=1), 1.0)
    # Mean spell length implied by the chain is the parameter.
    stay = np.diag(truth.transition_matrix)
    assert np.allclose(1 / (1 - stay), truth.params.mean_regime_days)
    switches = np.flatnonzero(np.diff(states) != 0) + 1
    assert len(truth.change_points) == len(switches) >= 15


def test_planted_activity_cycles_dominate_the_periodogram(universe):
    counts = universe.trades.groupby("transaction_date").size()
    counts = counts.reindex(universe.sessions(), fill_value=0).to_numpy(float)
    power = np.abs(np.fft.rfft(counts - counts.mean())) ** 2
    period = 1 / np.fft.rfftfreq(len(counts))[1:]
    power = power[1:]
    top = period[np.argsort(power)[::-1][:12]]
    for planted in (21, 63, 252):
        assert np.min(np.abs(top - planted) / planted) < 0.05, (planted, top)


def test_informed_buys_carry_the_planted_abnormal_return(universe):
    truth = universe.truth
    returns = universe.returns()
    abnormal = returns.sub(returns.mean(axis=1), axis=0)
    h = truth.params.informed_horizon
    cars = []
    for ticker, day in zip(truth.informed_trades["ticker"], truth.informed_trades["transaction_date"],
                           strict=True):
        i = abnormal.index.get_loc(day)
        cars.append(abnormal[ticker].iloc[i + 1:i + 1 + h].sum())
    cars = np.asarray(cars)
    se = cars.std(ddof=1) / np.sqrt(len(cars))
    assert len(cars) >= 100
    assert abs(cars.mean() - truth.params.informed_car) < 3 * se + 0.01
    assert cars.mean() / se > 5


def test_followers_trail_their_leader_by_the_planted_lag(universe):
    truth = universe.truth
    trades = universe.trades
    sessions = universe.sessions()
    pos = pd.Series(np.arange(len(sessions)), index=sessions)
    row = truth.communities.iloc[0]
    members = truth.politicians[truth.politicians["community"] == row["community"]]
    lead = trades[trades["politician"] == row["leader"]]
    follow = trades[trades["politician"].isin(members["politician"]) & (trades["politician"] != row["leader"])]
    lags = []
    for ticker, day in zip(lead["ticker"], lead["transaction_date"], strict=True):
        later = follow.loc[follow["ticker"] == ticker, "transaction_date"]
        d = pos[later.to_numpy()].to_numpy() - pos[day]
        lags.extend(d[(d >= 0) & (d <= 10)].tolist())
    hist = np.bincount(lags, minlength=11)
    lag = truth.leader_lag_days
    assert hist[lag:lag + 3].sum() > 3 * hist[:lag].sum()
    assert truth.communities["cross_party"].sum() >= 1


def test_anomalies_squeezes_and_motifs_are_planted(universe):
    truth = universe.truth
    trades = universe.trades.set_index("trade_id")
    assert truth.anomalies["trade_id"].isin(trades.index).all()
    share = len(truth.anomalies) / len(trades)
    assert 0.005 < share < 0.02
    lag = (trades["disclosure_date"] - trades["transaction_date"]).dt.days
    late = truth.anomalies.loc[truth.anomalies["kind"] == "lag", "trade_id"]
    assert (lag[late] >= 200).all()
    returns = universe.returns()
    timing = trades.loc[truth.anomalies.loc[truth.anomalies["kind"] == "timing", "trade_id"]]
    nxt = [returns[t].iloc[returns.index.get_loc(d) + 1] for t, d in
           zip(timing["ticker"], timing["transaction_date"], strict=True)]
    assert np.median(nxt) > 0.10

    options = universe.options
    assert options["ticker"].nunique() >= 10
    gex = {key: compute_gex(chain).total_gex for key, chain in options.groupby(["ticker", "quote_date"])}
    squeeze_keys = set(zip(truth.squeezes["ticker"], truth.squeezes["trade_date"], strict=True))
    assert len(squeeze_keys) >= 10
    assert all(gex[k] < 0 for k in squeeze_keys)
    assert np.mean([v > 0 for k, v in gex.items() if k not in squeeze_keys]) > 0.95
    # A smile: implied volatility is higher away from the money than at it.
    chain = options[options["quote_date"] == options["quote_date"].iloc[0]]
    m = np.abs(np.log(chain["strike"] / chain["underlying_price"]))
    assert chain.loc[m > 0.2, "implied_volatility"].mean() > chain.loc[m < 0.03, "implied_volatility"].mean()
    opt_trades = trades[trades["asset_type"] == "option"]
    assert opt_trades["asset_description"].str.contains(r"Option Type: (?:Call|Put) Strike price: \$").all()

    assert len(truth.motifs) == truth.params.n_motif_plants
    for motif_id, group in truth.motifs.groupby("motif_id"):
        paths = [np.cumsum(returns[t].loc[d:].iloc[:truth.params.motif_length].to_numpy())
                 for t, d in zip(group["ticker"], group["start_date"], strict=True)]
        corr = np.corrcoef(np.vstack(paths))
        pairs = corr[np.triu_indices(len(paths), 1)]
        assert pairs.mean() > 0.6 and pairs.min() > 0.3, (motif_id, pairs)
