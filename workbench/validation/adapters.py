"""Built-in detectors: each analysis' recovery test turned into an :class:`Outcome`.

Every adapter scores recovery exactly as the analysis' own tests do (the test named in each
docstring), on one synthetic universe. Informed traders are scored with the politician's own
timing (``entry="transaction"``, as tests/factors do): the question is whether the planted edge
is visible at all; what the public can capture after disclosure is the real-data MDE of
:mod:`workbench.validation.realdata`. Imports of the analyses are local so that importing
:mod:`workbench.validation` stays light.
"""

from __future__ import annotations

import math
from functools import partial

import numpy as np

from workbench.validation.detectors import Detector, Outcome, register_detector

__all__ = ["run_informed_politician", "run_informed_calendar", "run_cycles", "run_regimes",
           "run_change_points", "run_communities", "run_leaders", "run_squeezes", "run_motifs",
           "planted_portfolio_alpha", "CYCLE_PERIODS"]

CYCLE_PERIODS = {"weekly": 5, "monthly": 21, "quarterly": 63, "annual": 252, "election": 504}


def _mean(values) -> float:
    v = [float(x) for x in values if x is not None and np.isfinite(x)]
    return float(np.mean(v)) if v else math.nan


# -- informed traders (tests/factors/test_factor_recovery.py) -------------------------------

def run_informed_politician(universe) -> Outcome:
    """Per informed politician: flagged by Benjamini-Hochberg (q < 0.05) among all politicians.

    :func:`workbench.factors.politician_performance`, FF5, holding = planted horizon, entry at
    the transaction date. Score: the informed politicians' mean alpha t-statistic.
    """
    from workbench.factors import politician_performance

    h = int(universe.truth.params.informed_horizon)
    perf = politician_performance(universe.trades, universe.prices, universe.factors,
                                  holding_days=h, entry="transaction")
    tab = perf.table.set_index("politician")
    names = list(universe.truth.informed["politician"])
    hits = [bool(tab.at[p, "significant"]) for p in names if p in tab.index]
    return Outcome(len(names), int(sum(hits)),
                   score=_mean(tab.at[p, "alpha_t"] for p in names if p in tab.index))


def planted_portfolio_alpha(truth, portfolio) -> float:
    """Annualized alpha the planted truth implies for a calendar-time portfolio.

    Each informed buy adds ``car / horizon`` per session to its ticker over the ``horizon``
    sessions after the trade. Buys of one ticker whose windows overlap stack, so a position can
    earn several planted streams at once: count the streams live in each held (session, ticker),
    average over the positions held each session and over the portfolio's active sessions (the
    regression's sample). Equal weights, transaction-date entry. Same as ``implied_alpha`` in
    tests/factors/test_factor_recovery.py, vectorized.
    """
    from workbench.factors.portfolios import position_weights

    h = int(portfolio.holding_days)
    planted = float(truth.params.informed_car) / int(truth.params.informed_horizon) * 252
    days = portfolio.returns.index
    pos = portfolio.positions[portfolio.positions["covered"]]
    if not len(pos) or planted == 0:
        return 0.0
    tickers = sorted(set(pos["ticker"]))
    col = {t: j for j, t in enumerate(tickers)}
    inf = truth.informed_trades[truth.informed_trades["ticker"].isin(col)]
    shape = (len(days), len(tickers))
    # informed_horizon sessions of planted return after each informed buy (not the holding)
    streams = position_weights(days.searchsorted(inf["transaction_date"]),
                               inf["ticker"].map(col).to_numpy(), np.ones(len(inf)),
                               int(truth.params.informed_horizon), shape)
    held = position_weights(days.get_indexer(pos["entry_date"]), pos["ticker"].map(col).to_numpy(),
                            np.ones(len(pos)), h, shape)
    count = held.sum(axis=1)
    live = (held * streams).sum(axis=1)
    active = count > 0
    return float(np.mean(live[active] / count[active]) * planted)


def run_informed_calendar(universe, level: float = 0.05) -> Outcome:
    """The informed politicians' pooled buy portfolio: FF5 alpha significant (HAC p < level).

    Calendar-time portfolio (:func:`workbench.factors.calendar_time_portfolio`, equal weight,
    holding = planted horizon, entry at the transaction date) and
    :func:`workbench.factors.fit_factor_model` (Newey-West). Estimate, SE and the implied
    planted alpha feed the closed-form (noncentral t) power check.
    """
    from workbench.factors import calendar_time_portfolio, fit_factor_model

    truth = universe.truth
    h = int(truth.params.informed_horizon)
    mine = universe.trades[universe.trades["politician"].isin(truth.informed["politician"])]
    pf = calendar_time_portfolio(mine, universe.prices, "buy", h, entry="transaction")
    fr = fit_factor_model(pf.returns, universe.factors, "ff5")
    return Outcome(1, int(fr.alpha_p < level), score=fr.alpha_t, estimate=fr.alpha,
                   se=fr.alpha_se, expected=planted_portfolio_alpha(truth, pf),
                   df=float(fr.n_obs - 6))


# -- cycles (tests/cycles/test_effects.py::test_planted_cycles_recovered_on_universe) --------

def run_cycles(universe, period: int) -> Outcome:
    """A significant peak of the daily trade count within 5% of the planted period.

    :func:`workbench.cycles.detect_cycles` (defaults: AR(1) null, BH at 1%) on
    :func:`workbench.cycles.trade_activity` (transaction dates). Score: the smallest relative
    period error among significant peaks.
    """
    from workbench.cycles import detect_cycles, trade_activity

    sig = detect_cycles(trade_activity(universe.trades)["total"]).significant
    err = (sig["period"] - period).abs() / period
    return Outcome(1, int((err <= 0.05).any()), score=float(err.min()) if len(err) else math.nan)


# -- regimes and change points (tests/regimes/test_regimes.py::test_universe_regimes...) -----

def run_regimes(universe) -> Outcome:
    """4-state HMM on Mkt-RF labels >= 85% of sessions with the planted regime's name."""
    from workbench.regimes import fit_regimes, regime_features

    truth = universe.truth.regimes.set_index("date")["name"]
    res = fit_regimes(regime_features(universe.factors["Mkt-RF"]), 4, n_restarts=2,
                      random_state=0)
    acc = float((res.regimes["regime"] == truth.reindex(res.regimes.index)).mean())
    return Outcome(1, int(acc >= 0.85), score=acc)


def run_change_points(universe, tolerance: int = 5) -> Outcome:
    """Variance change points of Mkt-RF: precision >= 0.65 and recall >= 0.38 within 5 sessions.

    :func:`workbench.regimes.detect_change_points` (penalty calibrated to 5% false alarms).
    Score: recall.
    """
    from workbench.regimes import detect_change_points

    mkt = universe.factors["Mkt-RF"]
    idx = mkt.index
    planted = idx.get_indexer(universe.truth.change_points)
    got = idx.get_indexer(detect_change_points(mkt).change_points)
    if not len(planted):
        return Outcome(1, 0)
    recall = float(np.mean([np.abs(got - p).min() <= tolerance for p in planted])) if len(got) else 0.0
    precision = (float(np.mean([np.abs(planted - g).min() <= tolerance for g in got]))
                 if len(got) else math.nan)
    return Outcome(1, int(precision >= 0.65 and recall >= 0.38), score=recall)


# -- networks (tests/network/test_communities_leaders.py) ------------------------------------

def _communities(universe):
    from workbench.network import (
        build_network,
        compute_similarity,
        detect_communities,
        politician_attributes,
    )

    sim = compute_similarity(universe.trades, universe.securities)
    graph = build_network(sim, politician_attributes(universe.trades))
    return graph, detect_communities(graph, random_state=0)


def run_communities(universe) -> Outcome:
    """Louvain communities: adjusted Rand index >= 0.8 on the planted members. Score: ARI."""
    from sklearn.metrics import adjusted_rand_score

    _, comm = _communities(universe)
    truth = universe.truth.politicians.set_index("politician")["community"]
    planted = truth[truth >= 0]
    found = comm.membership.reindex(planted.index).fillna(-1).astype(int)
    ari = float(adjusted_rand_score(planted.to_numpy(), found.to_numpy()))
    return Outcome(1, int(ari >= 0.8), score=ari)


def run_leaders(universe) -> Outcome:
    """Per planted leader: ranked first in its community with lead-lag p <= 0.05 (49 perms)."""
    from workbench.network import rank_leaders

    graph, comm = _communities(universe)
    table = rank_leaders(graph, universe.trades, comm.membership, n_permutations=49).table
    pol = universe.truth.politicians
    leaders = pol.loc[pol["is_leader"], "politician"].tolist()
    hits, pvals = 0, []
    for name in leaders:
        if name in table.index:
            row = table.loc[name]
            hits += int(row["rank_in_community"] == 1 and row["lead_p_value"] <= 0.05)
            pvals.append(row["lead_p_value"])
    return Outcome(len(leaders), hits, score=_mean(pvals))


# -- options (tests/options/test_option_trades.py) ------------------------------------------

def run_squeezes(universe, population: str = "call_buys") -> Outcome:
    """Squeeze score AUC >= 0.8 of planted squeeze trades against other option trades.

    ``population="call_buys"`` compares them with the other call buys only: every planted
    squeeze trade is a call buy and only call buys get a nonzero score, so against all option
    trades the AUC is high even in ordinary chains (``population="all"``, the test's
    comparison, measures that). Score: AUC.
    """
    from workbench.options import analyze_option_trades, squeeze_auc

    df = analyze_option_trades(universe.trades, universe.prices, universe.options).to_frame()
    planted = df["trade_id"].isin(universe.truth.squeezes["trade_id"])
    if population == "call_buys":
        keep = ((df["option_type"] == "call") & (df["side"] == "buy")) | planted
        df, planted = df[keep], planted[keep]
    auc = float(squeeze_auc(df["squeeze_score"], planted))
    return Outcome(1, int(np.isfinite(auc) and auc >= 0.8), score=auc)


# -- DTW motifs (tests/patterns/test_universe_motifs.py) ------------------------------------

def run_motifs(universe) -> Outcome:
    """DTW search from each motif's first plant finds >= 60% of its repeats (within 3 sessions).

    Score: the share of repeats found.
    """
    from workbench.patterns import find_similar_patterns

    prices = universe.prices_wide("adj_close")
    sessions = prices.index
    found, total = 0, 0
    for _, group in universe.truth.motifs.groupby("motif_id"):
        plants = [(r.ticker, sessions.searchsorted(r.start_date)) for r in group.itertuples()
                  if r.ticker in prices.columns]
        if len(plants) < 2:
            continue
        tick, s0 = plants[0]
        length = int(group["length"].iloc[0])
        res = find_similar_patterns(prices[tick].iloc[s0:s0 + length], prices,
                                    top_k=len(plants) + 2, query_ticker=tick,
                                    as_of=sessions[-1], require_outcome=False)
        hits = {(r.ticker, sessions.get_loc(r.start)) for r in res.matches.itertuples()}
        for t, s in plants[1:]:
            total += 1
            found += any(ht == t and abs(hs - s) <= 3 for ht, hs in hits)
    share = found / total if total else math.nan
    return Outcome(1, int(total > 0 and share >= 0.6), score=share)


# -- the registry ---------------------------------------------------------------------------

def _register_builtin() -> None:
    inf = math.inf
    informed_sizes = (0.0, 0.005, 0.01, 0.02, 0.03, 0.06)
    register_detector(Detector(
        "informed_politician", "informed_car", 0.0, True, run_informed_politician,
        "BH q < 0.05 across politicians (FF5, HAC), per informed politician",
        label="Informed traders, per politician", sizes=informed_sizes,
        smoke_sizes=(0.0, 0.02, 0.06), display_scale=252 / 21, unit="planted alpha (%/yr)",
        modules=("workbench.factors",)))
    register_detector(Detector(
        "informed_calendar", "informed_car", 0.0, True, run_informed_calendar,
        "pooled buys of the informed: FF5 alpha HAC p < 0.05",
        label="Informed traders, calendar-time portfolio", sizes=informed_sizes,
        smoke_sizes=(0.0, 0.02, 0.06), display_scale=252 / 21, unit="planted alpha (%/yr)",
        modules=("workbench.factors",)))
    from workbench.synthetic.truth import SynthParams

    for name, period in CYCLE_PERIODS.items():
        register_detector(Detector(
            f"cycles_{name}", "cycle_scale", 0.0, True, partial(run_cycles, period=period),
            f"significant periodogram peak within 5% of {period} sessions",
            label=f"Activity cycle, {name} ({period} sessions)",
            sizes=(0.0, 0.2, 0.27, 0.35, 0.5, 0.75, 1.0, 1.5), smoke_sizes=(0.0, 0.3, 1.0),
            display_scale=getattr(SynthParams(), f"{name}_amplitude"),
            unit="log-intensity amplitude", modules=("workbench.cycles",)))
    vol_sizes = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5)
    register_detector(Detector(
        "regimes", "regime_vol_spread", 0.0, True, run_regimes,
        "4-state HMM labels >= 85% of sessions correctly", label="Market regimes (HMM)",
        sizes=vol_sizes, smoke_sizes=(0.0, 0.75, 1.5), market_only=True,
        unit="volatility spread exponent (1 = default)", modules=("workbench.regimes",)))
    register_detector(Detector(
        "change_points", "regime_vol_spread", 0.0, True, run_change_points,
        "precision >= 0.65 and recall >= 0.38 within 5 sessions", label="Change points (PELT)",
        sizes=vol_sizes, smoke_sizes=(0.0, 0.75, 1.5), market_only=True,
        unit="volatility spread exponent (1 = default)", modules=("workbench.regimes",)))
    register_detector(Detector(
        "communities", "community_mixing", 1.0, False, run_communities,
        "adjusted Rand index >= 0.8 on planted members", label="Co-trading communities",
        sizes=(0.0, 0.4, 0.55, 0.65, 0.75, 1.0), smoke_sizes=(0.0, 0.6, 1.0),
        unit="share of community trades made random", modules=("workbench.network",)))
    register_detector(Detector(
        "leaders", "leader_lag_noise", inf, False, run_leaders,
        "leader ranked first in its community with lead-lag p <= 0.05",
        label="Community leaders (lead-lag)", sizes=(0.0, 5.0, 10.0, 15.0, 20.0, 30.0, inf),
        smoke_sizes=(0.0, 8.0, inf), unit="lag noise s.d., sessions",
        modules=("workbench.network",)))
    register_detector(Detector(
        "squeezes", "squeeze_strength", 0.0, True, run_squeezes,
        "squeeze-score AUC >= 0.8 against other call buys", label="Option squeeze setups",
        sizes=(0.0, 0.25, 0.35, 0.4, 0.45, 0.6, 1.0), smoke_sizes=(0.0, 0.4, 1.0),
        unit="setup strength (1 = default)", modules=("workbench.options",)))
    register_detector(Detector(
        "motifs", "motif_noise", inf, False, run_motifs,
        "DTW finds >= 60% of a motif's repeats within 3 sessions", label="DTW price motifs",
        sizes=(0.25, 0.5, 0.65, 0.8, 1.0, inf), smoke_sizes=(0.25, 1.5, inf),
        unit="noise weight under the motif", modules=("workbench.patterns",)))


_register_builtin()
