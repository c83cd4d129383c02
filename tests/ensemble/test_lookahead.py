"""No member, and not the ensemble, reads a date after ``as_of`` (the truncation harness).

For every member, its values and uncertainties at decision sessions on or before a cut must be
identical whether the universe holds the future or not (trades disclosed after the cut, prices,
factors and option quotes after it removed). The ensemble's prediction at a date before the cut
is checked the same way with the meta-learner held fixed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lookahead import assert_no_lookahead

from workbench.ensemble.context import context_for

HORIZON = 7
CUT = "2020-06-30"
CUTS_CHEAP = ("2020-03-31", "2020-09-30")
CHEAP = ["cycles", "regimes", "factors", "congress", "options", "network"]
COSTLY = ["patterns", "anomaly", "deep_model"]


def test_every_registered_member_is_truncation_tested():
    from workbench.ensemble.members import MEMBERS

    assert sorted(CHEAP + COSTLY) == sorted(MEMBERS)


def member_frame(member, step: int, first: int = 200):
    """``fn(universe)`` -> one row per (decision session, ticker) of the member's answer."""

    def fn(universe):
        ctx = context_for(universe)
        st = ctx.state(member, HORIZON)
        parts = []
        for p in range(first, ctx.n_sessions, step):
            v, u = st.safe_at(p, ctx.n_tickers)
            parts.append(pd.DataFrame({"date": ctx.sessions[p], "ticker": ctx.tickers,
                                       "value": v, "uncertainty": u}))
        out = pd.concat(parts, ignore_index=True)
        out.index = out["date"].dt.strftime("%Y-%m-%d") + "/" + out["ticker"]
        assert out["value"].notna().any(), f"{member.name} said nothing"
        return out.drop(columns="ticker")

    return fn


@pytest.mark.parametrize("name", CHEAP)
def test_cheap_members_do_not_look_ahead(small, name):
    from workbench.ensemble.members import member_class

    assert_no_lookahead(member_frame(member_class(name)(), step=5), small, CUTS_CHEAP,
                        rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name", COSTLY)
def test_costly_members_do_not_look_ahead(small, name):
    from workbench.ensemble.members import member_class

    # one cut and a coarse grid: these members cost seconds per build or per date
    assert_no_lookahead(member_frame(member_class(name)(), step=25), small, (CUT,),
                        rtol=1e-6, atol=1e-9)


def test_ensemble_prediction_does_not_look_ahead(small, fitted):
    tickers = sorted(small.prices["ticker"].unique())[:6]
    dates = pd.bdate_range("2020-04-01", "2020-10-30", freq="21B")

    def fn(universe):
        rows = []
        for d in dates:
            for t in tickers:
                p = fitted.predict(universe, t, as_of=d, horizon=HORIZON)
                rows.append({"key": f"{d.date()}/{t}", "date": p.as_of,
                             "expected_return": p.expected_return, "volatility": p.volatility,
                             "prob_up": p.prob_up, "confidence": p.confidence})
        return pd.DataFrame(rows).set_index("key")

    assert_no_lookahead(fn, small, (CUT,), rtol=1e-6, atol=1e-9, min_rows=6)


def test_transaction_dated_member_is_caught(small):
    """The harness would flag a member that acts on transaction dates (a self-check)."""
    from workbench.ensemble.members_activity import NetworkMember

    class Leaky(NetworkMember):
        name = "leaky"

        def build(self, ctx, horizon):
            st = super().build(ctx, horizon)
            tr = ctx.trades
            # look-ahead on purpose: count trades from their transaction date
            tx = ctx.sessions.searchsorted(pd.to_datetime(tr["transaction_date"]))
            v = np.zeros((ctx.n_sessions, ctx.n_tickers))
            np.add.at(v, (np.minimum(tx, ctx.n_sessions - 1), tr["k"].to_numpy()), 1.0)
            st.value = np.cumsum(v, axis=0)
            return st

    with pytest.raises(AssertionError, match="look-ahead|vanish"):
        assert_no_lookahead(member_frame(Leaky(), step=5), small, ("2020-06-30",))
