"""Members: the protocol, failure isolation, and each member against what it wraps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.ensemble.context import Member, context_for

HORIZON = 7


class Exploding(Member):
    """A member whose analysis raises: it must be isolated, logged and shown."""

    name = "exploding"
    label = "exploding"

    def build(self, ctx, horizon):
        raise RuntimeError("boom")


def test_every_member_answers_the_protocol(small):
    from workbench.ensemble import MemberPrediction, default_members

    ticker = sorted(small.prices["ticker"].unique())[7]
    for m in default_members():
        p = m.predict(small, ticker, "2020-09-15", HORIZON)
        assert isinstance(p, MemberPrediction)
        assert p.name == m.name and p.status in ("ok", "unavailable", "failed")
        assert p.reason or p.status == "ok"
        if p.status == "ok":
            assert np.isfinite(p.value)
        else:
            assert p.value is None


def test_failing_member_is_isolated_and_shown(small, caplog):
    from workbench.ensemble import MultiModelEnsemble, default_members

    members = [*default_members(["cycles", "factors"]), Exploding()]
    ens = MultiModelEnsemble(members=members).fit(small)
    with caplog.at_level("WARNING"):
        p = Exploding().predict(small, sorted(small.prices["ticker"])[0])
    assert p.status == "failed" and "boom" in p.reason
    pred = ens.predict(small, sorted(small.prices["ticker"].unique())[3], horizon=HORIZON)
    ex = [m for m in pred.members if m.name == "exploding"][0]
    assert ex.status == "failed" and "RuntimeError: boom" in ex.reason
    assert np.isfinite(pred.expected_return)
    assert pred.attribution["exploding"] == 0.0
    assert any("exploding" in s for s in pred.insights)
    assert "could not be built" in caplog.text or "boom" in caplog.text


def test_unknown_ticker_and_early_date_are_unavailable(small):
    from workbench.ensemble import FactorsMember

    assert FactorsMember().predict(small, "NOPE", None, HORIZON).status == "unavailable"
    assert FactorsMember().predict(small, small.prices["ticker"].iloc[0], "1990-01-01",
                                   HORIZON).status == "unavailable"


def test_regimes_member_uses_walk_forward_probabilities(small):
    from workbench.ensemble import RegimesMember
    from workbench.regimes import regime_features, walk_forward_proba

    ctx = context_for(small)
    m = RegimesMember()
    got = m.probabilities(ctx)
    feats = regime_features(small.factors["Mkt-RF"].reindex(ctx.sessions).dropna())
    ref = walk_forward_proba(feats, n_states=m.n_states, refit_every=m.refit_every,
                             min_train=m.min_train, random_state=m.random_state, n_restarts=1,
                             n_iter=50).reindex(ctx.sessions)
    pd.testing.assert_frame_equal(got, ref)
    st = ctx.state(m, HORIZON)
    assert np.isnan(st.value[: m.min_train]).all()            # nothing before the first refit
    p = st.predict(3, ctx.n_sessions - 1)
    assert p.status == "ok" and p.details["current"]["name"] in got.columns


def test_patterns_member_against_exact_search(small):
    """The filter-and-refine search finds most of the exact DTW top-k, never a better one."""
    from workbench.ensemble import PatternsMember
    from workbench.patterns.search import search_topk, stack_histories

    ctx = context_for(small)
    m = PatternsMember(stride=1)
    st = ctx.state(m, HORIZON)
    wide = pd.DataFrame(ctx.close, index=ctx.sessions, columns=ctx.tickers)
    stacked = stack_histories(wide)
    recall = []
    for k, t in ((2, 300), (17, 420), (33, ctx.n_sessions - 1)):
        ends, cols, dist = st.matches(k, t)
        q = np.log(ctx.close[t - m.window + 1: t + 1, k])
        end_pos = stacked.pos + m.window - 1
        own = (stacked.series_id == k) & (end_pos > t - m.window)
        mask = (end_pos <= t - HORIZON) & ~own
        s, d, _ = search_topk(q, stacked, m.top_k, st.radius, m.window, mask)
        exact = set(zip(stacked.series_id[s].tolist(), (stacked.pos[s] + m.window - 1).tolist(),
                        strict=True))
        got = set(zip(cols.tolist(), ends.tolist(), strict=True))
        recall.append(len(exact & got) / len(exact))
        # the exact best distance is a lower bound of what the approximation returns
        assert dist.min() >= d.min() - 1e-9
        assert np.all(np.diff(dist) >= -1e-12)
    assert np.mean(recall) >= 0.5, recall


def test_patterns_outcomes_known_at_as_of(small):
    from workbench.ensemble import PatternsMember

    ctx = context_for(small)
    st = ctx.state(PatternsMember(), HORIZON)
    t = 350
    ends, cols, _ = st.matches(4, t)
    assert len(ends) and (ends + HORIZON <= t).all()
    assert not np.any((cols == 4) & (ends > t - 30))


def test_options_member_reads_the_latest_chain(small):
    from workbench.ensemble import OptionsMember

    ctx = context_for(small)
    m = OptionsMember()
    ch = m.chains(ctx)
    assert len(ch) and ch["setup"].dtype == bool
    row = ch.iloc[len(ch) // 2]
    p = m.predict(small, ctx.tickers[int(row["k"])], ctx.sessions[int(row["pos"])], HORIZON)
    assert p.status == "ok"
    assert pd.Timestamp(p.details["gex"]["quote_date"]) == pd.Timestamp(row["quote_date"])
    # a ticker without chains is unavailable
    no_chain = sorted(set(range(ctx.n_tickers)) - set(ch["k"]))[0]
    assert m.predict(small, ctx.tickers[no_chain], None, HORIZON).status == "unavailable"


def test_anomaly_member_skips_in_sample_scores(small):
    from workbench.ensemble import AnomalyMember

    ctx = context_for(small)
    sc = AnomalyMember().scores(ctx)
    tr = ctx.trades.set_index("trade_id")
    years = pd.to_datetime(tr.loc[tr.index.intersection(sc.index), "disclosure_date"]).dt.year
    assert years.min() > pd.Timestamp(small.prices["date"].min()).year
    st = ctx.state(AnomalyMember(), HORIZON)
    first = int(tr.loc[tr.index.intersection(sc.index), "entry_pos"].min())
    assert np.isnan(st.value[:first]).all()


def test_network_member_contributions_follow_recent_trades(small):
    from workbench.ensemble import NetworkMember

    ctx = context_for(small)
    m = NetworkMember()
    st = ctx.state(m, HORIZON)
    e = ctx.trades["entry_pos"].to_numpy()
    k = ctx.trades["k"].to_numpy()
    # value at (p, k) is the sum of the contributions of trades entered in the last `recent`
    for p, kk in ((300, 3), (450, 20), (ctx.n_sessions - 1, 8)):
        sel = (k == kk) & (e <= p) & (e > p - m.recent)
        assert st.value[p, kk] == pytest.approx(st.contrib[sel].sum(), abs=1e-12)


def test_deep_member_is_walk_forward_onnx(small):
    from workbench.ensemble import DeepMember

    ctx = context_for(small)
    m = DeepMember()
    st = ctx.state(m, HORIZON)
    assert np.isnan(st.value[: m.min_train]).all()
    p = st.predict(5, ctx.n_sessions - 1)
    assert p.status == "ok" and "ONNX" in p.reason
    assert pd.Timestamp(p.details["refit"]) <= ctx.sessions[-1]
