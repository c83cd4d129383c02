"""Small hand-made markets for the factors tests (fast; the `universe` fixture is bigger)."""

from __future__ import annotations

import pytest
from market_fixtures import make_market


@pytest.fixture
def market(seed):
    return make_market(seed)
