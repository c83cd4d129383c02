"""Synthetic politicians and trade events with planted cycles, communities and informed traders.

Used by :mod:`workbench.synthetic.generator`. Sessions are indexed 0..n-1; planted periods are in
sessions. Every draw comes from the Generator passed in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.synthetic.truth import SynthParams

__all__ = ["make_politicians", "activity_intensity", "simulate_events", "Events",
           "AMOUNT_BRACKETS", "draw_lags", "dial_rng"]

# Child 10 of the seed's SeedSequence feeds the size dials of SynthParams (one grandchild per
# dial), so that turning a dial reshuffles nothing else. At their defaults the dials draw
# nothing: the default universe is unchanged. (Children 8 and 9 are reserved elsewhere.)
DIAL_STREAM = 10
DIAL_COMMUNITY_MIXING, DIAL_LEADER_LAG_NOISE = 0, 1


def dial_rng(seed: int, dial: int) -> np.random.Generator:
    """The random stream of one size dial of the universe generated from ``seed``."""
    return np.random.default_rng(np.random.SeedSequence(int(seed), spawn_key=(DIAL_STREAM, dial)))

FIRST_NAMES = (
    "Alex", "Barbara", "Carlos", "Diane", "Edward", "Fiona", "George", "Helen", "Isaac", "Julia",
    "Kevin", "Laura", "Marcus", "Nancy", "Oscar", "Patricia", "Quentin", "Rachel", "Samuel",
    "Teresa", "Victor", "Wendy", "Walter", "Yvonne", "Zachary", "Angela", "Brian", "Cynthia",
    "Douglas", "Elaine", "Frank", "Gloria", "Harold", "Irene", "James", "Karen",
)
LAST_NAMES = (
    "Abbott", "Bennett", "Caldwell", "Dalton", "Ellison", "Fairbanks", "Garrison", "Holloway",
    "Ingram", "Jennings", "Kendrick", "Langley", "Mercer", "Norwood", "Oakley", "Prescott",
    "Quimby", "Radcliffe", "Sherwood", "Thornton", "Underwood", "Vance", "Whitaker", "Yardley",
    "Ashford", "Brennan", "Crowley", "Donovan", "Everett", "Fletcher", "Gallagher", "Hastings",
    "Irwin", "Jamison", "Kirkland", "Lockhart", "Maddox", "Nolan", "Osborne", "Pembroke",
    "Ramsey", "Stanton", "Talbot", "Upton", "Vaughn", "Winslow", "Barlow", "Chandler",
)
STATES = (
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY",
    "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV",
    "WI", "WY",
)
# STOCK Act amount brackets and their frequencies in the real Senate data (8,030 transactions).
AMOUNT_BRACKETS = np.array([
    [1_001, 15_000], [15_001, 50_000], [50_001, 100_000], [100_001, 250_000],
    [250_001, 500_000], [500_001, 1_000_000], [1_000_001, 5_000_000],
    [5_000_001, 25_000_000], [25_000_001, 50_000_000],
], dtype=float)
AMOUNT_WEIGHTS = np.array([5496, 1490, 505, 295, 112, 97, 24, 8, 3], dtype=float)
OWNERS = np.array(["joint", "spouse", "self", "child"])
OWNER_WEIGHTS = np.array([3341, 3234, 1285, 170], dtype=float)
ASSET_KINDS = np.array(["stock", "option", "bond", "fund", "other"])
ASSET_WEIGHTS = np.array([0.885, 0.02, 0.045, 0.03, 0.02])
PARTY_NAMES = {"D": "Democrat", "R": "Republican", "I": "Independent"}


def make_politicians(params: SynthParams, rng: np.random.Generator) -> pd.DataFrame:
    """Politicians with party, chamber, state, community membership and informed flags."""
    n = params.n_politicians
    pairs = [(f, ln) for ln in LAST_NAMES for f in FIRST_NAMES]
    picks = rng.choice(len(pairs), size=n, replace=False)
    first = [pairs[i][0] for i in picks]
    last = [pairs[i][1] for i in picks]
    party = np.where(np.arange(n) % 2 == 0, "D", "R").astype(object)
    party[[n - 1, n - 3]] = "I"
    chamber = np.where(rng.random(n) < 0.42, "senate", "house").astype(object)
    state = rng.choice(STATES, size=n)
    district = [None if c == "senate" else f"{s}{int(rng.integers(1, 15)):02d}"
                for c, s in zip(chamber, state, strict=True)]
    pol = pd.DataFrame({
        "politician": [f"{f} {ln}" for f, ln in zip(first, last, strict=True)],
        "first_name": first, "last_name": last,
        "bioguide_id": [f"{ln[0]}{900000 + i:06d}" for i, ln in enumerate(last)],
        "party_code": party, "party": [PARTY_NAMES[p] for p in party],
        "chamber": chamber, "state": state, "district": district,
        "community": -1, "is_leader": False, "is_informed": False,
        "activity": rng.lognormal(0.0, 0.6, n),
    })
    # Community 0 is cross-party (half D, half R); the others are single-party.
    dem = list(rng.permutation(np.flatnonzero(party == "D")))
    rep = list(rng.permutation(np.flatnonzero(party == "R")))
    size = params.community_size
    for c in range(params.n_communities):
        if c == 0:
            members = [dem.pop() for _ in range(size // 2)] + [rep.pop() for _ in range(size - size // 2)]
        else:
            pool = dem if c % 2 == 1 else rep
            members = [pool.pop() for _ in range(size)]
        pol.loc[members, "community"] = c
        pol.loc[members[0], "is_leader"] = True
        pol.loc[members[0], "activity"] = 3.0  # leaders trade often enough to be followed
    outside = np.flatnonzero(pol["community"].to_numpy() == -1)
    informed = rng.choice(outside, size=params.n_informed, replace=False)
    pol.loc[informed, "is_informed"] = True
    pol.loc[informed, "activity"] = 2.0
    return pol


def activity_intensity(sessions: pd.DatetimeIndex, params: SynthParams) -> tuple[np.ndarray, pd.DataFrame]:
    """Expected new trade events per session, and the table of planted cycles."""
    n = len(sessions)
    t = np.arange(n, dtype=float)
    dow_pattern = np.array([1.0, 0.5, 0.0, -0.5, -1.0])
    # cycle_scale = 1 multiplies by exactly 1.0: the default universe is unchanged
    amp = {name: getattr(params, f"{name}_amplitude") * params.cycle_scale
           for name in ("weekly", "monthly", "quarterly", "annual", "election")}
    dow = amp["weekly"] * dow_pattern[sessions.day_of_week.to_numpy().clip(0, 4)]
    annual_peak = int(np.searchsorted(sessions, pd.Timestamp("2012-02-15")))
    election_peak = int(np.searchsorted(sessions, pd.Timestamp("2012-09-14")))
    log_mult = (dow
                + amp["monthly"] * np.cos(2 * np.pi * t / 21)
                + amp["quarterly"] * np.cos(2 * np.pi * t / 63)
                + amp["annual"] * np.cos(2 * np.pi * (t - annual_peak) / 252)
                + amp["election"] * np.cos(2 * np.pi * (t - election_peak) / 504))
    # the recess is an annual pattern too (harmonics at 252/k sessions): scaled with the rest
    recess = params.august_recess_factor ** params.cycle_scale
    mult = np.exp(log_mult) * np.where(sessions.month == 8, recess, 1.0)
    lam = params.trades_per_day * mult / mult.mean()
    cycles = pd.DataFrame({
        "name": ["weekly", "monthly", "quarterly", "annual", "election", "august_recess"],
        "period_days": [5, 21, 63, 252, 504, 252],
        "calendar_label": ["weekly", "monthly", "quarterly", "annual", "election",
                           "august_recess"],
        "amplitude": [amp["weekly"], amp["monthly"], amp["quarterly"], amp["annual"],
                      amp["election"], float(np.log(recess))],
    })
    return lam, cycles


@dataclass(frozen=True)
class Events:
    """Trade events before prices exist: one row per trade, sessions as integer indexes."""

    frame: pd.DataFrame   # session, pol, ticker, side, partial, kind, follower_of


def simulate_events(lam: np.ndarray, pol: pd.DataFrame, securities: pd.DataFrame,
                    community_tickers: dict[int, list[str]], option_tickers: list[str],
                    params: SynthParams, rng: np.random.Generator,
                    dial_seed: int | None = None) -> Events:
    """Draw base events from the cyclical intensity, then the followers' copies.

    ``dial_seed`` seeds the streams of ``community_mixing`` and ``leader_lag_noise``
    (:func:`dial_rng`); needed only when those are not at their defaults.
    """
    n = len(lam)
    counts = rng.poisson(lam)
    session = np.repeat(np.arange(n), counts)
    weights = pol["activity"].to_numpy() / pol["activity"].sum()
    who = rng.choice(len(pol), size=len(session), p=weights)
    e = len(session)

    tickers = securities["ticker"].to_numpy()
    popularity = 1.0 / np.arange(1, len(tickers) + 1) ** 0.8
    popularity = rng.permutation(popularity / popularity.sum())
    general = rng.choice(tickers, size=e, p=popularity).astype(object)
    kind = rng.choice(ASSET_KINDS, size=e, p=ASSET_WEIGHTS).astype(object)
    community = pol["community"].to_numpy()[who]
    leader = pol["is_leader"].to_numpy()[who]
    informed = pol["is_informed"].to_numpy()[who]
    kind[(community >= 0) | informed] = "stock"
    ticker = general
    in_comm = rng.random(e) < np.where(leader, 0.9, 0.5)
    for c, ticks in community_tickers.items():
        mask = (community == c) & in_comm
        ticker[mask] = rng.choice(ticks, size=int(mask.sum()))
    mixing = params.community_mixing
    if mixing > 0:
        mix_rng = dial_rng(dial_seed, DIAL_COMMUNITY_MIXING)
        mixed = (community >= 0) & (mix_rng.random(e) < mixing)
        ticker[mixed] = mix_rng.choice(tickers, size=int(mixed.sum()), p=popularity)
    ticker[kind == "option"] = rng.choice(option_tickers, size=int((kind == "option").sum()))
    ticker[np.isin(kind, ["bond", "fund", "other"])] = None
    # Informed traders buy more than they sell, and only priced names (their edge is measurable).
    priced = securities.loc[securities["priced"], "ticker"].to_numpy()
    no_price = informed & ~np.isin(ticker.astype(str), priced)
    ticker[no_price] = rng.choice(priced, size=int(no_price.sum()))
    p_buy = np.where(informed, 0.75, 0.52)
    u = rng.random(e)
    side = np.where(u < p_buy, "buy", np.where(u < 0.99, "sell", "exchange")).astype(object)
    partial = (side == "sell") & (rng.random(e) < 0.45)
    base = pd.DataFrame({"session": session, "pol": who, "ticker": ticker, "side": side,
                         "partial": partial, "kind": kind, "follower_of": -1})
    base["follower_of"] = base["follower_of"].astype(np.int64)

    # Followers copy the leader's stock trades lag + jitter sessions later.
    members = {c: np.flatnonzero((pol["community"] == c).to_numpy() & ~pol["is_leader"].to_numpy())
               for c in community_tickers}
    lead_rows = np.flatnonzero(leader & (kind == "stock") & (side != "exchange"))
    copy_row, copy_pol, copy_when = [], [], []
    noise = params.leader_lag_noise
    lag_rng = dial_rng(dial_seed, DIAL_LEADER_LAG_NOISE) if noise > 0 else None
    for row in lead_rows:
        group = members[community[row]]
        follow = group[rng.random(len(group)) < 0.6]
        when = session[row] + params.leader_lag_days + rng.integers(0, 3, size=len(follow))
        if lag_rng is not None and np.isinf(noise):
            when = lag_rng.integers(0, n, size=len(follow))
        elif lag_rng is not None:
            when = when + np.rint(lag_rng.normal(0.0, noise, size=len(follow))).astype(np.int64)
        ok = (when >= 0) & (when < n)
        copy_row.append(np.full(int(ok.sum()), row))
        copy_pol.append(follow[ok])
        copy_when.append(when[ok])
    src = np.concatenate(copy_row) if copy_row else np.empty(0, dtype=np.int64)
    copies = pd.DataFrame({
        "session": np.concatenate(copy_when) if copy_when else src, "pol": np.concatenate(copy_pol) if copy_pol else src,
        "ticker": ticker[src], "side": side[src], "partial": False, "kind": "stock",
        "follower_of": src.astype(np.int64)})
    if mixing > 0:
        mixed = mix_rng.random(len(copies)) < mixing
        copies.loc[mixed, "ticker"] = mix_rng.choice(tickers, size=int(mixed.sum()), p=popularity)
        copies.loc[mixed, "session"] = mix_rng.integers(0, n, size=int(mixed.sum()))
    frame = pd.concat([base, copies], ignore_index=True)
    frame = frame.sort_values(["session", "pol"], kind="stable").reset_index(drop=True)
    return Events(frame)


def draw_lags(n: int, rng: np.random.Generator) -> np.ndarray:
    """Disclosure lags in calendar days: lognormal, median 20, about 6% beyond 45 days."""
    return np.clip(np.round(rng.lognormal(np.log(20.0), 0.52, n)), 1, 180).astype(int)
