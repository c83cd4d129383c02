"""No look-ahead, proven: every feature of every trade disclosed on or before a cut is the same
with and without the future (all groups, including the walk-forward regimes and the network)."""

from __future__ import annotations

import pandas as pd
from lookahead import assert_no_lookahead

from workbench.features import trade_features


def test_every_group_is_point_in_time(small_universe):
    disclosed = small_universe.trades.set_index("trade_id")["disclosure_date"]

    def fn(u):
        return trade_features(u).frame

    def date_of(frame):
        return pd.to_datetime(disclosed.reindex(frame.index))

    full = fn(small_universe)
    # the check must compare real values: regimes and network exist before the cuts
    early = full[date_of(full) <= "2019-06-28"]
    for col in ("regime_p_bull", "net_pagerank", "pol_past_hit_rate", "rsi_14",
                "b_mkt_252", "congress_ticker_imbalance_90d"):
        assert early[col].notna().sum() > 100, col
    assert_no_lookahead(fn, small_universe, ["2019-06-28"], date_of=date_of,
                        min_rows=2000)
