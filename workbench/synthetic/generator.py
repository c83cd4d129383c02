"""The embedded default: a seeded synthetic universe with planted ground truth.

``generate_universe(seed)`` builds, in a few seconds, NYSE sessions 2012-2020 with:

- a 4-state regime-switching market driving FF5-like factors and a factor model of prices;
- politicians (party, chamber, state) whose trade timing carries planted cycles (day of week,
  ~monthly, quarterly, annual, two-year election cycle, August recess);
- co-trading communities (one cross-party) whose leader's trades lead the followers' by a
  known lag; informed traders whose buys precede a planted abnormal return;
- ~1% anomalous trades, option chains with a smile, politician option trades including planted
  squeeze setups, and repeated price motifs for analog search.

Every planted fact is recorded in :class:`~workbench.synthetic.truth.SyntheticTruth`. The same seed
and parameters give identical data. Draws for each part come from independent child streams
of ``numpy.random.SeedSequence(seed)``, so changing one part's parameters does not reshuffle
the others.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict

import numpy as np
import pandas as pd

from workbench import __version__
from workbench.data.calendar import trading_days
from workbench.data.schema import (
    LEGISLATOR_COLUMNS,
    OPTION_COLUMNS,
    SECURITY_COLUMNS,
    coerce_frame,
    coerce_trades,
    make_trade_id,
)
from workbench.data.universe import Universe
from workbench.synthetic.committees import add_committees
from workbench.synthetic.events import plant_event
from workbench.synthetic.market import (
    build_prices,
    factor_returns,
    make_securities,
    regime_frames,
    simulate_market,
)
from workbench.synthetic.options import build_chain
from workbench.synthetic.trades import (
    AMOUNT_BRACKETS,
    AMOUNT_WEIGHTS,
    OWNER_WEIGHTS,
    OWNERS,
    activity_intensity,
    draw_lags,
    make_politicians,
    simulate_events,
)
from workbench.synthetic.truth import SyntheticTruth, SynthParams

__all__ = ["generate_universe"]

N_UNPRICED = 10
# Daily returns of the two planted price-path motifs (30 sessions): a "V" and a "rise, crash".
MOTIFS = {
    0: np.r_[np.full(15, -0.02), np.full(15, 0.025)],
    1: np.r_[np.full(20, 0.012), np.full(10, -0.035)],
}


def generate_universe(seed: int, **overrides) -> Universe:
    """Generate the synthetic universe.

    Parameters
    ----------
    seed : int
        Seed of every random draw; same seed and overrides give identical frames.
    **overrides
        Fields of :class:`~workbench.synthetic.truth.SynthParams` (planted sizes are parameters).

    Returns
    -------
    Universe
        With ``truth`` set. Trades use the canonical schema (already resolved: bioguide_id,
        party and state are filled); ``transaction_date`` is a session, ``disclosure_date`` a
        weekday.
    """
    params = SynthParams(**overrides)
    check_params(params)
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(8)]
    rng_mkt, rng_sec, rng_pol, rng_evt, rng_att, rng_plant, rng_px, rng_opt = streams

    sessions = trading_days(params.start, params.end)
    n = len(sessions)
    market = simulate_market(sessions, params, rng_mkt)
    securities, betas = make_securities(params, N_UNPRICED, rng_sec)
    pol = make_politicians(params, rng_pol)

    priced = securities.loc[securities["priced"], "ticker"].tolist()
    order = rng_sec.permutation(priced)
    per = 8
    community_tickers = {c: list(order[c * per:(c + 1) * per]) for c in range(params.n_communities)}
    used = params.n_communities * per
    option_tickers = list(order[used:used + params.n_option_tickers])

    lam, cycles = activity_intensity(sessions, params)
    ev = simulate_events(lam, pol, securities, community_tickers, option_tickers, params,
                         rng_evt, dial_seed=seed).frame
    m = len(ev)
    ev["trade_id"] = [make_trade_id("synthetic", seed, i) for i in range(m)]

    # Attributes: amount bracket, owner, disclosure lag.
    bracket = rng_att.choice(len(AMOUNT_BRACKETS), size=m, p=AMOUNT_WEIGHTS / AMOUNT_WEIGHTS.sum())
    owner = rng_att.choice(OWNERS, size=m, p=OWNER_WEIGHTS / OWNER_WEIGHTS.sum())
    lag = draw_lags(m, rng_att)

    # Planted events on returns.
    returns = factor_returns(market, betas, rng_px)
    col = {t: i for i, t in enumerate(betas["ticker"])}
    busy = np.zeros(returns.shape, dtype=bool)  # sessions already carrying a planted event

    pol_informed = pol["is_informed"].to_numpy()
    informed_rows = np.flatnonzero(pol_informed[ev["pol"].to_numpy()] & (ev["side"] == "buy").to_numpy()
                                   & (ev["kind"] == "stock").to_numpy())
    h = params.informed_horizon
    for r in informed_rows:
        j, t = col[ev.at[r, "ticker"]], int(ev.at[r, "session"])
        returns[t + 1:t + 1 + h, j] += params.informed_car / h
        busy[t + 1:t + 1 + h, j] = True

    # Anomalies among ordinary (not informed, not follower, not community) stock trades.
    ordinary = np.flatnonzero((ev["kind"] == "stock").to_numpy() & (ev["follower_of"] < 0).to_numpy()
                              & (pol["community"].to_numpy()[ev["pol"].to_numpy()] < 0)
                              & ~pol_informed[ev["pol"].to_numpy()]
                              & ev["ticker"].isin(priced).to_numpy())
    n_anom = max(3, int(round(params.anomaly_rate * m)))
    picks = rng_plant.choice(ordinary, size=n_anom, replace=False)
    kinds = np.array(["amount", "lag", "timing"])[np.arange(n_anom) % 3]
    for r, kind in zip(picks, kinds, strict=True):
        # anomaly_magnitude m scales each kind from an ordinary value (m = 0: the smallest
        # bracket, the median 20-day lag, no jump) to today's (m = 1, unchanged draws)
        m = params.anomaly_magnitude
        if kind == "amount":
            b = rng_plant.integers(7, 9)
            bracket[r] = b if m == 1.0 else min(int(round(m * b)), len(AMOUNT_BRACKETS) - 1)
        elif kind == "lag":
            x = int(rng_plant.integers(200, 401))
            lag[r] = x if m == 1.0 else max(1, int(round(20 + m * (x - 20))))
        else:
            ev.at[r, "side"] = "buy"
            ev.at[r, "partial"] = False
            j, t = col[ev.at[r, "ticker"]], int(ev.at[r, "session"])
            if t + 1 < n:
                returns[t + 1, j] += 0.15 * m
                busy[t + 1, j] = True
    anomalies = pd.DataFrame({"trade_id": ev.loc[picks, "trade_id"].to_numpy(), "kind": kinds})

    # Squeezes: some option trades become call buys ahead of a planted move.
    opt_rows = np.flatnonzero((ev["kind"] == "option").to_numpy() & (ev["session"] < n - 10).to_numpy())
    squeeze_rows = np.sort(rng_plant.choice(opt_rows, size=min(params.n_squeezes, len(opt_rows)),
                                            replace=False))
    for r in squeeze_rows:
        ev.at[r, "side"] = "buy"
        ev.at[r, "partial"] = False
        j, t = col[ev.at[r, "ticker"]], int(ev.at[r, "session"])
        returns[t + 1:t + 6, j] += params.squeeze_strength * rng_plant.uniform(0.08, 0.15) / 5
        busy[t + 1:t + 6, j] = True

    # Motifs: repeated return shapes at places with no other planted event.
    motif_rows = []
    for i in range(params.n_motif_plants):
        motif_id = i % len(MOTIFS)
        shape = MOTIFS[motif_id][: params.motif_length]
        for _ in range(100):
            j = int(rng_plant.integers(0, len(betas)))
            t = int(rng_plant.integers(50, n - params.motif_length - 100))
            if not busy[t - 5:t + params.motif_length + 5, j].any():
                break
        # The motif replaces most of the path there, so that its shape stands out of the noise.
        if np.isfinite(params.motif_noise):   # inf: the place is recorded, no shape planted
            returns[t:t + len(shape), j] = shape + params.motif_noise * returns[t:t + len(shape), j]
        busy[t:t + len(shape), j] = True
        motif_rows.append((motif_id, betas["ticker"].iat[j], sessions[t], len(shape)))
    motifs = pd.DataFrame(motif_rows, columns=["motif_id", "ticker", "start_date", "length"])
    # Planted causal event (own stream; shifts one quiet ticker's returns in place).
    special = {*option_tickers, *motifs["ticker"], *sum(community_tickers.values(), [])}
    event = plant_event(seed, params, sessions, pol, lam, returns, busy, betas, special, priced)

    market_abs = np.abs(market.factors["Mkt-RF"].to_numpy())
    prices = build_prices(sessions, betas["ticker"].tolist(), returns, market_abs, rng_px)
    close = returns_close(prices)

    options, descriptions = build_options(ev, squeeze_rows, close, market, betas, securities,
                                          sessions, rng_opt, params.squeeze_strength)

    trades = assemble_trades(ev, pol, securities, sessions, bracket, owner, lag, descriptions, seed)
    trades, event_table = event.apply(trades, pol, sessions, lambda e, b, o, g: assemble_trades(
        e, pol, securities, sessions, b, o, g, {}, seed))
    regimes, regime_stats, change_points = regime_frames(market)
    informed = pol.loc[pol["is_informed"], ["politician"]].assign(
        car=params.informed_car, horizon=params.informed_horizon).reset_index(drop=True)
    informed_trades = trades.set_index("trade_id").loc[ev.loc[informed_rows, "trade_id"],
                                                       ["politician", "ticker", "transaction_date"]]
    squeezes = trades.set_index("trade_id").loc[ev.loc[squeeze_rows, "trade_id"],
                                                ["ticker", "transaction_date"]]
    truth = SyntheticTruth(
        seed=int(seed), params=params, regimes=regimes,
        transition_matrix=market.transition_matrix, regime_stats=regime_stats,
        change_points=change_points, cycles=cycles,
        politicians=pol[["politician", "bioguide_id", "party", "chamber", "state", "community",
                         "is_leader", "is_informed"]].copy(),
        communities=community_table(pol, community_tickers),
        leader_lag_days=params.leader_lag_days, informed=informed,
        informed_trades=informed_trades.reset_index(),
        anomalies=anomalies,
        squeezes=squeezes.reset_index().rename(columns={"transaction_date": "trade_date"}),
        betas=betas, motifs=motifs, events=event_table,
    )
    universe = Universe(
        trades=trades, prices=prices, factors=market.factors,
        legislators=legislator_table(pol),
        securities=coerce_frame(securities, SECURITY_COLUMNS),
        options=options, truth=truth, source="synthetic",
        provenance=provenance_table(seed, params),
    )
    # Terms, committees and seats (own stream, child 8); trades dated by term.
    return add_committees(universe, pol, seed)


def check_params(params: SynthParams) -> None:
    """Refuse sizes that cannot hold what is planted (rather than fail deep inside a draw)."""
    need_pol = params.n_communities * params.community_size + params.n_informed + 4
    if params.n_politicians < need_pol:
        raise ValueError(f"n_politicians={params.n_politicians} cannot hold {params.n_communities} "
                         f"communities of {params.community_size} and {params.n_informed} informed "
                         f"traders: need at least {need_pol}")
    if params.community_size < 2 or params.n_communities < 1:
        raise ValueError("need at least one community of at least 2 members")
    if params.n_communities * params.community_size // 2 + params.community_size > params.n_politicians // 2:
        raise ValueError("too few politicians per party for single-party communities")
    need_tickers = params.n_communities * 8 + params.n_option_tickers + 10
    if params.n_tickers < need_tickers:
        raise ValueError(f"n_tickers={params.n_tickers} too small: need at least {need_tickers}")
    if not 0 <= params.anomaly_rate < 0.2:
        raise ValueError("anomaly_rate must be in [0, 0.2)")


def returns_close(prices: pd.DataFrame) -> pd.DataFrame:
    return prices.pivot(index="date", columns="ticker", values="close")


def build_options(ev, squeeze_rows, close, market, betas, securities, sessions, rng,
                  strength=1.0):
    """Chains on every option-trade date and the trades' descriptions (strike, expiry)."""
    names = dict(zip(securities["ticker"], securities["name"], strict=True))
    vol_of = dict(zip(betas["ticker"], np.sqrt(252 * ((betas["b_mkt"] * 0.012) ** 2
                                                       + betas["idio_vol"] ** 2 + 0.006 ** 2)),
                      strict=True))
    squeeze_set = set(squeeze_rows.tolist())
    chains = []
    descriptions: dict[int, str] = {}
    rf = market.factors["RF"].to_numpy() * 252
    for r in np.flatnonzero((ev["kind"] == "option").to_numpy()):
        ticker, t = ev.at[r, "ticker"], int(ev.at[r, "session"])
        day = sessions[t]
        spot = float(close.at[day, ticker])
        chain, wall = build_chain(ticker, day, spot, float(rf[t]), float(vol_of[ticker]),
                                  r in squeeze_set, rng, strength)
        chains.append(chain)
        expiries = sorted(chain["expiration"].unique())
        if r in squeeze_set:
            strike, opt_type, expiry = wall, "Call", expiries[1]
        else:
            opt_type = "Call" if rng.random() < 0.6 else "Put"
            strikes = np.sort(chain["strike"].unique())
            target = spot * rng.uniform(0.9, 1.1)
            strike = float(strikes[np.argmin(np.abs(strikes - target))])
            expiry = expiries[int(rng.integers(0, len(expiries)))]
        descriptions[r] = (f"{names[ticker]} Option Type: {opt_type} Strike price: ${strike:,.2f} "
                           f"Expires: {pd.Timestamp(expiry):%m/%d/%Y}")
    options = pd.concat(chains, ignore_index=True) if chains else pd.DataFrame(columns=list(OPTION_COLUMNS))
    return coerce_frame(options, OPTION_COLUMNS), descriptions


def describe(kind: str, name: str, rng_value: float) -> str:
    if kind == "stock":
        return f"{name} - Common Stock"
    if kind == "bond":
        return f"{name} {1 + 5 * rng_value:.3f}% Notes due {2020 + int(10 * rng_value)}"
    if kind == "fund":
        return f"{name.split()[0]} Total Market Index Fund"
    return f"{name.split()[0]} Capital Partners LP (Non-Public)"


def assemble_trades(ev, pol, securities, sessions, bracket, owner, lag, descriptions, seed):
    names = dict(zip(securities["ticker"], securities["name"], strict=True))
    p = pol.iloc[ev["pol"].to_numpy()].reset_index(drop=True)
    tx_date = sessions[ev["session"].to_numpy()]
    disclosure = pd.DatetimeIndex(tx_date + pd.to_timedelta(lag, unit="D"))
    # Filings are made on weekdays.
    disclosure = disclosure + pd.to_timedelta(np.select(
        [disclosure.day_of_week == 5, disclosure.day_of_week == 6], [2, 1], 0), unit="D")
    u = np.linspace(0.05, 0.95, len(ev))
    other_names = securities["name"].to_numpy()
    desc = []
    for i, (kind, ticker) in enumerate(zip(ev["kind"], ev["ticker"], strict=True)):
        if i in descriptions:
            desc.append(descriptions[i])
        else:
            name = other_names[i % len(other_names)] if pd.isna(ticker) else names[ticker]
            desc.append(describe(kind, name, u[i]))
    filing = [make_trade_id("synthetic-filing", seed, b, d.date())
              for b, d in zip(p["bioguide_id"], disclosure, strict=True)]
    lo, hi = AMOUNT_BRACKETS[bracket, 0], AMOUNT_BRACKETS[bracket, 1]
    trades = pd.DataFrame({
        "trade_id": ev["trade_id"], "politician": p["politician"], "bioguide_id": p["bioguide_id"],
        "chamber": p["chamber"], "party": p["party"], "state": p["state"], "owner": owner,
        "ticker": ev["ticker"], "asset_description": desc, "asset_type": ev["kind"],
        "side": ev["side"], "is_partial": ev["partial"].astype(bool),
        "transaction_date": tx_date, "disclosure_date": disclosure,
        "amount_low": lo, "amount_high": hi, "amount_mid": (lo + hi) / 2,
        "source": "synthetic", "source_url": [f"synthetic://{seed}/{f}" for f in filing],
        "filing_id": filing, "raw_name": p["politician"], "district": p["district"],
        "source_bioguide_id": p["bioguide_id"], "comment": None,
    })
    return coerce_trades(trades)


def community_table(pol: pd.DataFrame, community_tickers: dict[int, list[str]]) -> pd.DataFrame:
    rows = []
    for c, ticks in community_tickers.items():
        members = pol[pol["community"] == c]
        rows.append({"community": c,
                     "leader": members.loc[members["is_leader"], "politician"].iat[0],
                     "size": len(members), "cross_party": members["party"].nunique() > 1,
                     "tickers": ",".join(ticks)})
    return pd.DataFrame(rows)


def legislator_table(pol: pd.DataFrame) -> pd.DataFrame:
    leg = pd.DataFrame({
        "bioguide_id": pol["bioguide_id"], "first_name": pol["first_name"], "middle_name": None,
        "last_name": pol["last_name"], "suffix": None, "nickname": None,
        "full_name": pol["politician"], "birthday": pd.Timestamp("1960-01-01"), "gender": None,
        "chamber": pol["chamber"], "state": pol["state"],
        "district": [None if pd.isna(d) else str(int(d[2:])) for d in pol["district"]],
        "party": pol["party"], "is_current": True,
    })
    return coerce_frame(leg, LEGISLATOR_COLUMNS)


def provenance_table(seed: int, params: SynthParams) -> pd.DataFrame:
    text = json.dumps(asdict(params), sort_keys=True)
    return pd.DataFrame({
        "item": ["source", "seed", "params_sha256", "workbench_version"],
        "value": ["synthetic", str(seed), hashlib.sha256(text.encode()).hexdigest(), __version__],
    })
