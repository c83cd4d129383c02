"""Plotly figure builders, one module per analysis. They build and return figures only."""
