"""Test modules are imported by basename (pytest's default import mode, no __init__.py), so two
test files with the same name in different folders break collection of the whole suite."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path


def test_test_module_basenames_are_unique():
    seen = defaultdict(list)
    for path in Path(__file__).parent.rglob("test_*.py"):
        seen[path.name].append(str(path.relative_to(Path(__file__).parent)))
    clashes = {name: paths for name, paths in seen.items() if len(paths) > 1}
    assert not clashes, f"rename one of each: {clashes}"
