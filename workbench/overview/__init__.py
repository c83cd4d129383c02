"""Data overview and coverage statistics (the ``00_data_overview`` report, ``workbench data summary``).

``summary``   :func:`compute_overview` and the trade selection behind the overview report
``coverage``  :func:`compute_coverage`: how much of the trades the price data covers
"""
