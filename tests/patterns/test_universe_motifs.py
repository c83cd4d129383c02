"""DTW search recovers the repeated motifs planted in the synthetic universe."""

from __future__ import annotations

from workbench.patterns import find_similar_patterns


def test_planted_motifs_found(universe):
    motifs = universe.truth.motifs
    prices = universe.prices_wide("adj_close")
    sessions = prices.index
    found, total = 0, 0
    for _, group in motifs.groupby("motif_id"):
        plants = [(r.ticker, sessions.searchsorted(r.start_date)) for r in group.itertuples()
                  if r.ticker in prices.columns]
        tick, s0 = plants[0]
        length = int(group["length"].iloc[0])
        query = prices[tick].iloc[s0:s0 + length]
        res = find_similar_patterns(query, prices, top_k=len(plants) + 2, query_ticker=tick,
                                    as_of=sessions[-1], require_outcome=False)
        hits = {(r.ticker, sessions.get_loc(r.start)) for r in res.matches.itertuples()}
        for t, s in plants[1:]:
            total += 1
            found += any(ht == t and abs(hs - s) <= 3 for ht, hs in hits)
    assert total > 0
    # measured 6/6 for seeds 20120101, 2, 3, 4; 4/6 for seed 1, where a market-wide August 2015
    # shape across all tickers outranks one motif's repeats
    assert found / total >= 0.6, f"found {found} of {total} planted repeats"
