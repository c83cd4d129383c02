"""Figure builders of the analog search return complete plotly figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from workbench.patterns import find_similar_patterns
from workbench.plotting.patterns import plot_analogs, plot_match_shapes


def test_analog_figures(seed):
    rng = np.random.default_rng(seed)
    px = pd.DataFrame(50 * np.exp(np.cumsum(rng.normal(0, 0.01, (400, 3)), axis=0)),
                      index=pd.bdate_range("2018-01-01", periods=400), columns=list("ABC"))
    res = find_similar_patterns(px["A"].iloc[-30:], px, top_k=4, horizons=(10, 30),
                                query_ticker="A")
    fig = plot_analogs(res)
    assert isinstance(fig, go.Figure)
    names = [t.name for t in fig.data]
    # the query trace is named after its ticker since issue 14 ("query A")
    assert "query A" in names and "weighted mean" in names
    assert sum(str(n).startswith("#") for n in names) == len(res.matches)
    mean = next(t for t in fig.data if t.name == "weighted mean")
    f30 = res.forecast.set_index("horizon").loc[30, "mean"]
    assert mean.y[list(mean.x).index(30)] == pytest.approx(f30, rel=1e-9)
    shapes = plot_match_shapes(res)
    q = np.asarray(shapes.data[0].y)
    assert abs(q.mean()) < 1e-9 and q.std() == pytest.approx(1.0, rel=1e-9)
