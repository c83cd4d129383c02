"""Dealer gamma exposure against a per-contract loop, conventions, flip level and walls."""

from __future__ import annotations

import naive_options as naive
import numpy as np
import pandas as pd
import pytest

from workbench.exceptions import DataError
from workbench.options import compute_gex, gex_profile


def make_chain(seed: int, spot: float = 100.0, put_heavy: bool = False) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    qd = pd.Timestamp("2015-03-02")
    strikes = np.arange(80.0, 121.0, 2.5)
    exps = pd.to_datetime(["2015-03-20", "2015-04-17", "2015-05-15"])
    rows = []
    for e in exps:
        for k in strikes:
            for typ in ("call", "put"):
                base = 1000 * np.exp(-((k / spot - 1) / 0.08) ** 2) + rng.uniform(10, 200)
                oi = base * (3.0 if (put_heavy and typ == "put") else 1.0)
                rows.append({"quote_date": qd, "ticker": "ABC", "option_type": typ,
                             "expiration": e, "strike": k, "open_interest": round(oi),
                             "implied_volatility": 0.25 + 0.3 * (k / spot - 1) ** 2,
                             "underlying_price": spot})
    return pd.DataFrame(rows)


def test_gex_matches_per_contract_loop(seed):
    chain = make_chain(seed)
    res = compute_gex(chain, r=0.01, q=0.005)
    rows = [{"option_type": r.option_type, "strike": r.strike, "iv": r.implied_volatility,
             "oi": r.open_interest, "years": (r.expiration - r.quote_date).days / 365}
            for r in chain.itertuples()]
    ref = naive.chain_gex(rows, 100.0, r=0.01, q=0.005)
    assert res.total_gex == pytest.approx(ref["total"], rel=1e-10)
    per = res.by_strike.set_index("strike")["net_gex"]
    for k, v in ref["per_strike"].items():
        assert per[k] == pytest.approx(v, rel=1e-10, abs=1e-6)
    assert res.by_expiry["net_gex"].sum() == pytest.approx(ref["total"], rel=1e-10)
    # the profile at the current spot is the total
    prof = gex_profile(res.by_contract, [100.0], r=0.01, q=0.005)
    assert prof["total_gex"].iloc[0] == pytest.approx(res.total_gex, rel=1e-10)


def test_conventions_flip_signs(seed):
    chain = make_chain(seed)
    std = compute_gex(chain)
    short = compute_gex(chain, convention="dealer_short")
    long_ = compute_gex(chain, convention="dealer_long")
    bs = std.by_strike
    assert short.total_gex == pytest.approx(-(bs["call_gex"].sum() - bs["put_gex"].sum()), rel=1e-12)
    assert long_.total_gex == pytest.approx(bs["call_gex"].sum() - bs["put_gex"].sum(), rel=1e-12)
    custom = compute_gex(chain, convention=(1.0, -1.0))
    assert custom.total_gex == pytest.approx(std.total_gex, rel=1e-12)
    with pytest.raises(ValueError, match="convention"):
        compute_gex(chain, convention="nope")


def test_flip_level_and_walls(seed):
    chain = make_chain(seed, put_heavy=True)
    # puts three times the calls: dealers net short gamma
    heavy = compute_gex(chain)
    assert heavy.total_gex < 0
    assert -1 <= heavy.net_gamma_ratio < 0
    # a big call-OI wall at 105
    chain.loc[(chain["strike"] == 105.0) & (chain["option_type"] == "call"), "open_interest"] += 20000
    res = compute_gex(chain)
    assert res.call_wall == 105.0
    assert 97.5 <= res.put_wall <= 102.5
    prof = res.profile
    # flip is a zero of the profile: recompute GEX there
    assert 90.0 < res.flip_level < 100.0      # below spot: positive gamma above, negative below
    if np.isfinite(res.flip_level):
        at_flip = gex_profile(res.by_contract, [res.flip_level])["total_gex"].iloc[0]
        scale = prof["total_gex"].abs().max()
        assert abs(at_flip) < 0.02 * scale
        # the sign differs on either side
        lo = gex_profile(res.by_contract, [res.flip_level * 0.98])["total_gex"].iloc[0]
        hi = gex_profile(res.by_contract, [res.flip_level * 1.02])["total_gex"].iloc[0]
        assert np.sign(lo) != np.sign(hi)
    # the wall adds positive dealer gamma above spot
    assert res.total_gex > heavy.total_gex


def test_flip_nan_when_profile_keeps_sign(seed):
    chain = make_chain(seed)
    res = compute_gex(chain, convention="dealer_long")     # every contract positive
    assert np.isnan(res.flip_level)
    assert res.summary()["contracts"] == len(chain)


def test_bad_chain_raises(seed):
    chain = make_chain(seed)
    with pytest.raises(DataError, match="no option quotes"):
        compute_gex(chain, ticker="ZZZ")
    two = pd.concat([chain, chain.assign(ticker="XYZ")])
    with pytest.raises(DataError, match="pairs"):
        compute_gex(two)
    with pytest.raises(DataError, match="lacks columns"):
        compute_gex(chain.drop(columns=["open_interest"]))
    expired = chain.assign(expiration=chain["quote_date"])
    res = compute_gex(pd.concat([chain, expired]))
    assert res.dropped == len(chain)
