"""Planted ground truth of the synthetic universe, and the parameters that size it.

The synthetic universe (:mod:`workbench.synthetic.generator`) plants every structure the analyses
claim to detect. What was planted is recorded here so that tests assert recovery against it.
Everything serializes to ``truth.json`` beside a synthetic store.

Dates are trading days (NYSE calendar). "Trading days" periods count sessions, not calendar days.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["SynthParams", "SyntheticTruth", "REGIME_NAMES", "read_truth"]

REGIME_NAMES = ("bull", "bear", "high_vol", "low_vol")


@dataclass(frozen=True)
class SynthParams:
    """Sizes and effect strengths of the synthetic universe (all planted sizes are parameters).

    Amounts are in dollars, returns are decimals, periods in trading days.
    """

    start: str = "2012-01-03"
    end: str = "2020-12-31"
    n_tickers: int = 160
    n_sectors: int = 11
    n_politicians: int = 96
    trades_per_day: float = 6.0          # base intensity of the trade-count process
    # Planted activity cycles: amplitudes are multipliers on log-intensity.
    weekly_amplitude: float = 0.25        # day-of-week pattern (Mon high, Fri low)
    monthly_amplitude: float = 0.30       # 21-session cosine
    quarterly_amplitude: float = 0.35     # 63-session cosine
    annual_amplitude: float = 0.30        # 252-session cosine
    election_amplitude: float = 0.30      # 504-session (two-year) cosine, peaking before elections
    august_recess_factor: float = 0.6     # multiplier on intensity in August
    # Multiplier on the five cosine amplitudes above and on the log of the recess factor (the
    # recess is annual, with harmonics at 252/k sessions): 0 plants no cycle at all.
    cycle_scale: float = 1.0
    # Regime-switching market.
    mean_regime_days: float = 60.0        # average regime duration implied by the transition matrix
    # Exponent on each state's volatility relative to their geometric mean: 1 keeps the planted
    # volatilities (max/min ratio 6), 0 makes all states equally volatile (no variance regimes,
    # no variance change points), 2 squares the ratios.
    regime_vol_spread: float = 1.0
    # Communities of co-traders.
    n_communities: int = 4
    community_size: int = 10              # members including the leader
    leader_lag_days: int = 3              # followers trade the leader's ticker this many sessions later
    # Extra share of a community's trades (own and copied) replaced by random trades (random
    # ticker; copies also at a random session): 0 today, 1 leaves no community structure.
    community_mixing: float = 0.0
    # Standard deviation (sessions) of normal noise on the followers' lag; inf places copies at
    # random sessions (no lead left; the co-traded tickers stay).
    leader_lag_noise: float = 0.0
    # Informed traders: their buys precede a positive abnormal return.
    n_informed: int = 3
    informed_car: float = 0.06            # planted cumulative abnormal return after an informed buy
    informed_horizon: int = 21            # sessions over which that return accrues
    # Anomalies, options, DTW motifs.
    anomaly_rate: float = 0.01
    # Size of the planted anomalies: 1 today's (brackets $5M+, 200-400 day lags, +15% next
    # session); 0 makes them ordinary (smallest bracket, 20-day lag, no jump).
    anomaly_magnitude: float = 1.0
    n_option_tickers: int = 12
    n_squeezes: int = 12
    n_motif_plants: int = 8
    motif_length: int = 30
    # Squeeze setups: 1 plants today's chains (put-heavy, call wall) and moves; 0 plants
    # ordinary chains and no move (the squeeze trades stay call buys at the would-be wall).
    squeeze_strength: float = 1.0
    # Weight of the original return path kept under a planted motif (path = shape + noise x
    # original); the z-normalized shape-to-noise ratio is 1/motif_noise; inf plants no shape.
    motif_noise: float = 0.25
    # Planted causal event (workbench.synthetic.events): from event_date on, a named group of
    # ordinary politicians sells stock event_sell_factor times as often for event_sessions
    # sessions, and one quiet ticker's price level jumps by event_price_shift. "" plants nothing.
    event_date: str = "2020-02-03"
    event_group_size: int = 8
    event_sell_factor: float = 3.0
    event_sessions: int = 60
    event_price_shift: float = 0.15


def frame_to_records(df: pd.DataFrame) -> list[dict]:
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
    return json.loads(out.to_json(orient="records"))


@dataclass(frozen=True)
class SyntheticTruth:
    """Everything that was planted. Frames are the source of truth; see each field.

    Attributes
    ----------
    seed, params
        Reproduce the universe exactly with ``load_universe("synthetic", seed=seed, **params)``.
    regimes : DataFrame
        ``date, state, name``: the market regime of every session (state 0..3 in REGIME_NAMES order).
    transition_matrix : ndarray (4, 4)
        Daily transition probabilities of the regime chain, rows = from-state.
    regime_stats : DataFrame
        ``state, name, mu, sigma``: daily mean and volatility of the market excess return.
    change_points : DatetimeIndex
        First session of every new regime spell.
    cycles : DataFrame
        ``name, period_days, calendar_label, amplitude``: planted cycles of the daily trade-count
        intensity (by transaction date); ``period_days`` in sessions (weekly = 5). The August
        recess is a row with period 252 and label ``august_recess``.
    politicians : DataFrame
        ``politician, bioguide_id, party, chamber, state, community, is_leader, is_informed``;
        community is -1 for politicians outside the planted communities.
    communities : DataFrame
        ``community, leader, size, cross_party, tickers``: tickers is a comma-joined list the
        community trades.
    leader_lag_days : int
        Sessions by which followers trail their leader.
    informed : DataFrame
        ``politician, car, horizon``: planted cumulative abnormal return after each buy.
    informed_trades : DataFrame
        ``trade_id, politician, ticker, transaction_date``: the buys that carry the planted CAR.
    anomalies : DataFrame
        ``trade_id, kind``: planted anomalous trades (``amount``, ``lag``, ``timing``, ``ticker``).
    squeezes : DataFrame
        ``trade_id, ticker, trade_date``: option trades placed in planted squeeze setups
        (spot just below a large call-open-interest wall under negative dealer gamma, followed by
        a jump). Other option trades are ordinary.
    betas : DataFrame
        ``ticker, sector, b_mkt, b_smb, b_hml, b_rmw, b_cma, idio_vol``: the factor model.
    motifs : DataFrame
        ``motif_id, ticker, start_date, length``: where a repeated price-path motif was planted.
    events : DataFrame
        ``kind, date, end_date, group, ticker, size, measure, n_changed, expected_changed``: the
        planted causal event (:mod:`workbench.synthetic.events`). ``intensity``: the politicians
        in ``group`` (comma-joined) sell stock ``size`` times as often from ``date`` to
        ``end_date`` (transaction dates); ``n_changed`` sells were added (negative: removed),
        ``expected_changed`` in expectation. ``price_level``: ``ticker``'s price level is
        multiplied by ``1 + size`` from the close of ``date`` on.
    committees, committee_members : DataFrame
        The synthetic committees (``COMMITTEE_COLUMNS``, ``sectors`` a tuple) and seats
        (``COMMITTEE_MEMBER_COLUMNS``) of :mod:`workbench.synthetic.committees`, as in the
        Universe: 1-3 committees per politician, in their chamber.
    committee_relevance : DataFrame
        ``politician, bioguide_id, is_informed, n_trades, n_relevant, share, base_rate,
        excess`` over stock trades of known sector: the planted effect is that informed traders'
        committees were chosen to oversee the sectors they trade most (``share`` >= 0.5 where
        reachable, largest ``excess`` over ``base_rate``); everyone else's committees are random,
        so their ``share`` sits at ``base_rate`` up to sampling noise.
    """

    seed: int
    params: SynthParams
    regimes: pd.DataFrame
    transition_matrix: np.ndarray
    regime_stats: pd.DataFrame
    change_points: pd.DatetimeIndex
    cycles: pd.DataFrame
    politicians: pd.DataFrame
    communities: pd.DataFrame
    leader_lag_days: int
    informed: pd.DataFrame
    informed_trades: pd.DataFrame
    anomalies: pd.DataFrame
    squeezes: pd.DataFrame
    betas: pd.DataFrame
    motifs: pd.DataFrame = field(default_factory=pd.DataFrame)
    events: pd.DataFrame = field(default_factory=pd.DataFrame)
    committees: pd.DataFrame = field(default_factory=pd.DataFrame)
    committee_members: pd.DataFrame = field(default_factory=pd.DataFrame)
    committee_relevance: pd.DataFrame = field(default_factory=pd.DataFrame)

    def to_json(self) -> str:
        out: dict = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, pd.DataFrame):
                out[f.name] = frame_to_records(v)
            elif isinstance(v, pd.DatetimeIndex):
                out[f.name] = [d.strftime("%Y-%m-%d") for d in v]
            elif isinstance(v, np.ndarray):
                out[f.name] = v.tolist()
            elif isinstance(v, SynthParams):
                out[f.name] = asdict(v)
            else:
                out[f.name] = v
        return json.dumps(out, indent=1)

    @classmethod
    def from_json(cls, text: str) -> SyntheticTruth:
        raw = json.loads(text)
        kw: dict = {}
        date_cols = {"date", "transaction_date", "trade_date", "start_date", "end_date"}
        for f in fields(cls):
            if f.name not in raw:  # written before the field existed: its default
                continue
            v = raw[f.name]
            if f.name == "params":
                kw[f.name] = SynthParams(**v)
            elif f.name == "transition_matrix":
                kw[f.name] = np.asarray(v, dtype=float)
            elif f.name == "change_points":
                kw[f.name] = pd.DatetimeIndex(pd.to_datetime(v))
            elif isinstance(v, list):
                df = pd.DataFrame.from_records(v)
                for c in date_cols & set(df.columns):
                    df[c] = pd.to_datetime(df[c])
                if "sectors" in df.columns:  # JSON arrays back to the tuples written
                    df["sectors"] = df["sectors"].map(tuple)
                kw[f.name] = df
            else:
                kw[f.name] = v
        return cls(**kw)

    def write(self, path: str | Path) -> None:
        from workbench.data.atomic import atomic_write_text

        atomic_write_text(Path(path), self.to_json())

    @classmethod
    def read(cls, path: str | Path) -> SyntheticTruth:
        return cls.from_json(Path(path).read_text(encoding="utf-8"))


def read_truth(path: str | Path) -> SyntheticTruth:
    """The truth reader registered with :mod:`workbench.data.universe` (``truth.json``)."""
    return SyntheticTruth.read(path)
