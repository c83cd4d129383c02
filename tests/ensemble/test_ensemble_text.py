"""Numbers in member reasons and insights: no "-0.00%"."""

from __future__ import annotations

from workbench.ensemble.base import signed_pct
from workbench.ensemble.prediction import _pct


def test_signed_pct_has_no_negative_zero():
    assert signed_pct(-0.000001) == "+0.00%" and signed_pct(0.0) == "+0.00%"
    assert signed_pct(-0.0123) == "-1.23%" and signed_pct(0.021, 1) == "+2.1%"
    assert signed_pct(-0.0004, 1) == "+0.0%" and signed_pct(-0.0006, 1) == "-0.1%"


def test_insight_percentages_have_no_negative_zero():
    assert _pct(-1e-7) == "+0.00%" and _pct(-0.0123) == "-1.23%"
    assert _pct(-1e-7, signed=False) == "0.00%"
