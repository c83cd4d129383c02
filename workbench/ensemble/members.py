"""The registry of ensemble members and the default line-up.

``MEMBERS`` maps a member name to its class (``module:Class`` strings, imported on first use so
that ``import workbench.ensemble`` stays cheap). :func:`default_members` returns one instance
of each with its default parameters; :func:`member_from_dict` rebuilds a member written by
:func:`workbench.ensemble.save_ensemble`.
"""

from __future__ import annotations

import importlib

__all__ = ["MEMBERS", "default_members", "member_from_dict", "member_class"]

MEMBERS = {
    "cycles": "workbench.ensemble.members_market:CyclesMember",
    "regimes": "workbench.ensemble.members_market:RegimesMember",
    "patterns": "workbench.ensemble.members_patterns:PatternsMember",
    "factors": "workbench.ensemble.members_factors:FactorsMember",
    "congress": "workbench.ensemble.members_factors:CongressMember",
    "network": "workbench.ensemble.members_activity:NetworkMember",
    "anomaly": "workbench.ensemble.members_activity:AnomalyMember",
    "deep_model": "workbench.ensemble.members_deep:DeepMember",
    "options": "workbench.ensemble.members_activity:OptionsMember",
}


def member_class(name: str):
    """The class registered as ``name``."""
    try:
        ref = MEMBERS[name]
    except KeyError:
        raise KeyError(f"unknown ensemble member {name!r}; known: {sorted(MEMBERS)}") from None
    module, _, attr = ref.partition(":")
    return getattr(importlib.import_module(module), attr)


def default_members(names=None) -> list:
    """One instance of each registered member (or of ``names``), default parameters."""
    return [member_class(n)() for n in (MEMBERS if names is None else names)]


def member_from_dict(d: dict):
    """A member from ``{"name": ..., "params": {...}}``."""
    params = {k: tuple(v) if isinstance(v, list) else v for k, v in d.get("params", {}).items()}
    return member_class(d["name"])(**params)
