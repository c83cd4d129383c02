"""The size dials of SynthParams: defaults leave the universe unchanged, each dial does what its
docstring says, the market-only universe equals the full one, and the presets."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from workbench.data import load_universe
from workbench.data.schema import TRADE_COLUMNS
from workbench.synthetic.generator import generate_universe
from workbench.synthetic.presets import PRESETS, preset_overrides
from workbench.synthetic.truth import SynthParams
from workbench.validation.power import SMOKE_UNIVERSE
from workbench.validation.universes import market_universe

# sha256 prefixes of the default universe at seed 20120101, taken before the dials existed
# (commit e35add2). Features planted later by other issues that were not in it are switched
# off (LATER_FEATURES_OFF), and columns added later to the trades table are left out.
PINNED_SEED = 20120101
PINNED = {
    "trades": "534ed0691330d898", "prices": "3cf7c410dd1964fc", "factors": "a1b80f000fb23ac2",
    "options": "dc819cc1a1f6bf85", "regime_stats": "8b0944845da31864",
    "politicians": "a46986f971cf7317", "communities": "8edd481a5f6215d6",
    "informed_trades": "94d77300c8388043", "squeezes": "b1081bb99d388e94",
    "motifs": "44dbc2b5efd5c08c", "anomalies": "271e24526a5d6ba0",
}
LATER_FEATURES_OFF = {"event_date": ""}   # the planted causal event (issue 11)


def frame_hash(df: pd.DataFrame) -> str:
    return hashlib.sha256(pd.util.hash_pandas_object(df, index=True).values.tobytes()).hexdigest()[:16]


def test_default_universe_unchanged_by_the_dials():
    off = {k: v for k, v in LATER_FEATURES_OFF.items() if k in SynthParams.__dataclass_fields__}
    u = generate_universe(PINNED_SEED, **off)
    got = {"trades": frame_hash(u.trades[list(TRADE_COLUMNS)]), "prices": frame_hash(u.prices),
           "factors": frame_hash(u.factors), "options": frame_hash(u.options)}
    got |= {name: frame_hash(getattr(u.truth, name)) for name in PINNED if name not in got}
    assert got == PINNED


def test_market_universe_is_the_generators_market(seed):
    over = {**SMOKE_UNIVERSE, "regime_vol_spread": 0.6}
    full = generate_universe(seed, **over)
    market = market_universe(seed, **over)
    pd.testing.assert_frame_equal(market.factors, full.factors)
    pd.testing.assert_frame_equal(market.truth.regimes, full.truth.regimes)
    pd.testing.assert_frame_equal(market.truth.regime_stats, full.truth.regime_stats)
    assert market.truth.change_points.equals(full.truth.change_points)


def test_regime_vol_spread(seed):
    flat = market_universe(seed, regime_vol_spread=0.0)
    sig = flat.truth.regime_stats["sigma"].to_numpy()
    np.testing.assert_allclose(sig, sig[0], rtol=1e-12)
    base = market_universe(seed).truth.regime_stats["sigma"].to_numpy()
    assert np.exp(np.log(sig).mean()) == pytest.approx(np.exp(np.log(base).mean()), rel=1e-12)
    wide = market_universe(seed, regime_vol_spread=2.0).truth.regime_stats["sigma"].to_numpy()
    np.testing.assert_allclose(wide.max() / wide.min(), (base.max() / base.min()) ** 2, rtol=1e-12)
    # realized volatility per state follows the planted one (about 5 SE of a sample s.d.)
    mkt = flat.factors["Mkt-RF"].to_numpy()
    states = flat.truth.regimes["state"].to_numpy()
    for s in range(4):
        x = mkt[states == s]
        if len(x) > 50:
            assert np.std(x) == pytest.approx(sig[s], rel=5 / np.sqrt(2 * len(x)))


@pytest.fixture(scope="module")
def dialled(seed):
    """One smoke universe with every trade-side dial at its null, and the same at defaults."""
    over = {"community_mixing": 1.0, "leader_lag_noise": float("inf"), "squeeze_strength": 0.0,
            "motif_noise": float("inf")}
    return (generate_universe(seed, **SMOKE_UNIVERSE),
            generate_universe(seed, **SMOKE_UNIVERSE, **over))


def _community_share(u):
    """Share of community members' stock trades in their own community's tickers."""
    pol = u.truth.politicians.set_index("politician")["community"]
    ticks = {r.community: set(r.tickers.split(",")) for r in u.truth.communities.itertuples()}
    t = u.trades[u.trades["politician"].map(pol).fillna(-1).to_numpy() >= 0]
    own = [tk in ticks[pol[p]] for p, tk in zip(t["politician"], t["ticker"], strict=True)]
    return float(np.mean(own)), len(t)


def test_community_mixing_removes_the_community_tickers(dialled):
    base, null = dialled
    share0, _ = _community_share(base)
    share1, n1 = _community_share(null)
    # 8 of 60 priced tickers per community, drawn by popularity: the chance share is ~13%
    assert share0 > 0.5
    assert share1 < 0.13 + 5 * np.sqrt(0.13 * 0.87 / n1) + 0.05


def test_leader_lag_noise_inf_leaves_no_lag(dialled):
    from workbench.network import lead_lag_counts

    for u, expect_lead in zip(dialled, (True, False), strict=True):
        pol = u.truth.politicians
        leaders = pol.loc[pol["is_leader"], "politician"]
        followers = pol.loc[(pol["community"] >= 0) & ~pol["is_leader"], "politician"]
        counts = lead_lag_counts(u.trades, max_lag=5)
        lead = counts.loc[leaders, followers].to_numpy().sum()
        back = counts.loc[followers, leaders].to_numpy().sum()
        assert (lead > 2 * back) == expect_lead, (lead, back)


def test_squeeze_strength_zero_plants_ordinary_chains(dialled):
    from workbench.options import analyze_option_trades

    for u, planted_setup in zip(dialled, (True, False), strict=True):
        df = analyze_option_trades(u.trades, u.prices, u.options).to_frame()
        sq = df["trade_id"].isin(u.truth.squeezes["trade_id"])
        calls = (df["option_type"] == "call") & (df["side"] == "buy") & ~sq
        gap = df.loc[sq, "put_share_near"].mean() - df.loc[calls, "put_share_near"].mean()
        move = df.loc[sq, "max_move_7d"].median()
        if planted_setup:
            assert gap > 0.2 and move > 0.06
        else:
            assert abs(gap) < 0.1 and move < 0.05


def test_motif_noise_inf_plants_no_shape(dialled):
    base, null = dialled
    pd.testing.assert_frame_equal(base.truth.motifs, null.truth.motifs)
    r0, r1 = base.returns(), null.returns()
    m = base.truth.motifs.iloc[0]
    window = slice(m["start_date"], r0.index[r0.index.get_loc(m["start_date"]) + 29])
    assert not np.allclose(r0.loc[window, m["ticker"]], r1.loc[window, m["ticker"]])
    # outside the planted windows of that ticker, nothing moved
    before = r0.index < m["start_date"] - pd.Timedelta(days=90)
    np.testing.assert_allclose(r0.loc[before].iloc[1:20, :5], r1.loc[before].iloc[1:20, :5])


def test_presets():
    assert PRESETS["default"] == {}
    real = preset_overrides("realistic")
    assert set(real) <= set(SynthParams.__dataclass_fields__)
    assert preset_overrides(None) == {} and preset_overrides("") == {}
    with pytest.raises(ValueError, match="unknown synthetic preset"):
        preset_overrides("nope")
    u = load_universe("synthetic", seed=3, preset="realistic", informed_car=0.02,
                      **SMOKE_UNIVERSE)
    assert u.truth.params.informed_car == 0.02                      # explicit wins
    assert u.truth.params.community_mixing == real["community_mixing"]
