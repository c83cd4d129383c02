"""Lazy package exports: ``name -> module`` resolved on first attribute access (PEP 562).

Used by package ``__init__`` modules whose public names live in heavier submodules, so that
importing the package stays cheap and does not pull its submodules (or their imports) in.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping

__all__ = ["lazy_getattr"]


def lazy_getattr(package: str, exports: Mapping[str, str]) -> Callable[[str], object]:
    """A module ``__getattr__`` that imports ``exports[name]`` and returns its ``name``."""

    def __getattr__(name: str):
        if name in exports:
            return getattr(importlib.import_module(exports[name]), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
