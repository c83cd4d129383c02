"""Pattern analogs: exact z-normalized DTW search across price histories and analog forecasts."""

from workbench.patterns.analogs import PatternSearchResult, find_similar_patterns
from workbench.patterns.search import band_radius, dtw_distance, znormalize

__all__ = ["PatternSearchResult", "band_radius", "dtw_distance", "find_similar_patterns",
           "znormalize"]
