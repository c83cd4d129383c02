"""Trader networks: similarity, graph, communities, leaders and followers.

- :mod:`workbench.network.similarity`: vectorized pairwise similarity and combined weight.
- :mod:`workbench.network.graph`: the networkx graph with party, chamber and state.
- :mod:`workbench.network.communities`: deterministic Louvain communities and profiles.
- :mod:`workbench.network.leaders`: centrality, lead-lag permutation test, leadership score.
"""

from workbench.network.communities import (
    CommunityResult,
    detect_communities,
    mean_signed_return,
    profile_communities,
    signed_trade_returns,
)
from workbench.network.graph import build_network, politician_attributes
from workbench.network.leaders import (
    LeadershipResult,
    compute_centrality,
    lead_lag_counts,
    rank_leaders,
)
from workbench.network.similarity import (
    DEFAULT_WEIGHTS,
    SimilarityResult,
    combine_weights,
    compute_similarity,
    count_correlation,
    sector_overlap,
    side_agreement,
    ticker_jaccard,
    trade_matrices,
)

__all__ = [
    "CommunityResult", "detect_communities", "mean_signed_return", "profile_communities",
    "signed_trade_returns",
    "build_network", "politician_attributes",
    "LeadershipResult", "compute_centrality", "lead_lag_counts", "rank_leaders",
    "DEFAULT_WEIGHTS", "SimilarityResult", "combine_weights", "compute_similarity",
    "count_correlation", "sector_overlap", "side_agreement", "ticker_jaccard", "trade_matrices",
]
