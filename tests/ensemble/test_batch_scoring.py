"""Batch scoring (:mod:`workbench.ensemble.batch`) against member-by-member computation.

A service scores every member for every ticker at the latest session once; answers at that
session must be exactly the answers computed on demand (same numbers, same reasons, same
analogs), and any other session must still be computed on demand.
"""

from __future__ import annotations

import dataclasses

import pytest

from workbench.ensemble.batch import BATCH_KEY, score_members

HORIZON = 7


def _batch_keys(ctx) -> list:
    return [k for k in list(ctx.cache) if isinstance(k, tuple) and k and k[0] == BATCH_KEY]


@pytest.fixture()
def clean_batches(small):
    """Scored predictions removed before and after (the context is shared by the session)."""
    from workbench.ensemble.context import context_for

    ctx = context_for(small)
    for k in _batch_keys(ctx):
        ctx.cache.pop(k)
    yield ctx
    for k in _batch_keys(ctx):
        ctx.cache.pop(k)


def _tickers(small, ctx, n=6) -> list[str]:
    """The most traded priced tickers (planted signals live there) and a few others."""
    counts = small.trades["ticker"].dropna().astype(str).value_counts()
    traded = [t for t in counts.index if ctx.column(t) >= 0][: n // 2]
    rest = [t for t in ctx.tickers[:: max(1, ctx.n_tickers // n)] if t not in traded]
    return traded + rest[: n - len(traded)]


def test_scored_answers_equal_on_demand_answers(fitted, small, clean_batches):
    ctx = clean_batches
    last = ctx.n_sessions - 1
    tickers = _tickers(small, ctx)
    positions = (last, last - 15)
    # on demand first (nothing stored), then scored at both sessions
    ref = {(t, p): fitted.predict(small, t, as_of=ctx.sessions[p], horizon=HORIZON).to_dict()
           for t in tickers for p in positions}
    for p in positions:
        info = score_members(fitted, small, (HORIZON,), pos=p)
        assert info["tickers"] == ctx.n_tickers and info["pos"] == p
    assert len(_batch_keys(ctx)) == 2 * len(fitted.members_)
    for (t, p), want in ref.items():
        got = fitted.predict(small, t, as_of=ctx.sessions[p], horizon=HORIZON).to_dict()
        assert got == want, (t, p)          # exact: every number, reason, analog and insight
    assert any(m["status"] == "ok" for w in ref.values() for m in w["members"]
               if m["name"] == "patterns")   # the analog member took part


def test_scored_session_does_not_recompute_members(fitted, small, clean_batches,
                                                   monkeypatch):
    from workbench.ensemble.base import MemberState

    ctx = clean_batches
    last = ctx.n_sessions - 1
    ticker = _tickers(small, ctx, 1)[0]
    want = fitted.predict(small, ticker, horizon=HORIZON).to_dict()
    score_members(fitted, small, (HORIZON,))

    def boom(self, k, pos):
        raise AssertionError(f"member {self.name} recomputed at {pos}")

    monkeypatch.setattr(MemberState, "predict", boom)
    assert fitted.predict(small, ticker, horizon=HORIZON).to_dict() == want
    with pytest.raises(AssertionError, match="recomputed"):   # other sessions: on demand
        fitted.predict(small, ticker, as_of=ctx.sessions[last - 1], horizon=HORIZON)


def test_batch_of_another_horizon_equals_a_fresh_context(small, cheap_members):
    """Horizon 30 on a second universe object (its own context, states and analog caches):
    the scored member predictions equal on-demand ones computed in the first context."""
    from workbench.ensemble import MultiModelEnsemble
    from workbench.ensemble.context import context_for
    from workbench.ensemble.prediction import json_safe

    h = 30
    twin = dataclasses.replace(small)
    ens = MultiModelEnsemble(members=cheap_members, horizons=(h,))
    score_members(ens, twin, (h,))
    ctx2, ctx = context_for(twin), context_for(small)
    assert ctx2 is not ctx
    last = ctx.n_sessions - 1
    for m in cheap_members:
        stored = ctx2.cache[(BATCH_KEY, m.key(), h, last)]
        assert len(stored) == ctx.n_tickers
        for k in range(0, ctx.n_tickers, 7):
            want = ctx.state(m, h).predict(k, last)
            assert json_safe(stored[k].to_dict()) == json_safe(want.to_dict()), (m.name, k)


def _json_safe_reference(value):
    """The plain recursive conversion the fast ``json_safe`` replaced (isinstance chain)."""
    import datetime as dt
    import math
    from collections.abc import Mapping

    import numpy as np
    import pandas as pd

    if isinstance(value, Mapping):
        return {str(k): _json_safe_reference(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_json_safe_reference(v) for v in value]
    if isinstance(value, pd.Timestamp | dt.datetime):
        ts = pd.Timestamp(value)
        return ts.date().isoformat() if ts == ts.normalize() else ts.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def test_json_safe_matches_the_plain_conversion(fitted, small):
    import datetime as dt

    import numpy as np
    import pandas as pd

    from workbench.ensemble.prediction import json_safe

    odd = {"a": [1, 2.5, float("nan"), "s", None, True,
                 (pd.Timestamp("2020-01-02"), pd.Timestamp("2020-01-02 10:00"),
                  pd.Timestamp("2020-01-02", tz="US/Eastern"),
                  pd.Timestamp("2020-01-02 00:00:00.000000001"))],
           1: {"b": np.float64("inf"), "c": np.int64(3), "d": dt.date(2020, 1, 1),
               "e": dt.datetime(2020, 1, 1, 5), "f": np.array([1.0, np.nan]),
               "g": float("-inf"), "h": np.bool_(True)}}
    assert json_safe(odd) == _json_safe_reference(odd)
    from workbench.ensemble.context import context_for

    ticker = _tickers(small, context_for(small), 1)[0]
    raw = dataclasses.asdict(fitted.predict(small, ticker, horizon=HORIZON))
    assert json_safe(raw) == _json_safe_reference(raw)
