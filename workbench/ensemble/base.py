"""The member protocol: every analysis seen as a predictor of a ticker's next-h-session return.

A member answers ``predict(universe, ticker, as_of, horizon) -> MemberPrediction``: the log
return it expects from the close of ``as_of`` (a session) to the close ``horizon`` sessions
later (``value``), the standard deviation of that log return (``uncertainty``), a ``status``
and a one-line ``reason``. It reads data up to the close of ``as_of`` only: trades count from
their entry session (the first session after the **disclosure** date, see
:func:`workbench.factors.inputs.entry_sessions`), prices and factors up to ``as_of``.

Members derive from :class:`workbench.ensemble.context.Member`. Behind the protocol each
member builds, once per universe and horizon, a :class:`MemberState`
that answers for every ticker at any session position (``at(pos)``); the ensemble's training
panels and the service read it. Building a state is where failures happen: they are caught,
logged and turned into a state whose every answer is ``status="failed"`` with the error in the
reason (:func:`build_state`), so one broken analysis never stops the ensemble.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["STATUSES", "MemberPrediction", "MemberState", "ArrayState", "FailedState",
           "build_state", "position_of", "signed_pct"]

log = logging.getLogger(__name__)

STATUSES = ("ok", "unavailable", "failed")


@dataclass(frozen=True)
class MemberPrediction:
    """One member's view of one ticker at one decision session.

    Attributes
    ----------
    name : str
        Member name (``regimes``, ``patterns`` ...).
    value : float or None
        Expected log return over the horizon (None unless ``status == "ok"``).
    uncertainty : float or None
        Standard deviation of that log return (None when the member has none).
    status : {"ok", "unavailable", "failed"}
        ``unavailable``: the member cannot say anything here (no history, no option chain);
        ``failed``: the member raised (the error is in ``reason``).
    reason : str
        One line for people, built from the numbers behind ``value``.
    details : Mapping
        The numbers the reason quotes (counts, medians, probabilities), JSON-safe.
    """

    name: str
    value: float | None
    uncertainty: float | None
    status: str
    reason: str
    details: Mapping = field(default_factory=dict)

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {self.status!r}")

    def to_dict(self) -> dict:
        def num(x):
            return None if x is None or not math.isfinite(float(x)) else float(x)

        return {"name": self.name, "value": num(self.value),
                "uncertainty": num(self.uncertainty), "status": self.status,
                "reason": self.reason, "details": dict(self.details)}


class MemberState:
    """What a member knows about a universe for one horizon (see module notes).

    Subclasses implement :meth:`at` (values and uncertainties of every ticker at a session
    position, ``NaN`` where unavailable) and :meth:`explain`; :meth:`one` defaults to one
    entry of :meth:`at` and is overridden where a single query is much cheaper.
    """

    name: str = ""
    reason: str = ""          # why the whole member is unavailable/failed ("" when usable)
    status: str = "ok"

    def at(self, pos: int) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def one(self, k: int, pos: int) -> tuple[float, float]:
        v, u = self.at(pos)
        return float(v[k]), float(u[k])

    def explain(self, k: int, pos: int, value: float, unc: float) -> tuple[str, dict]:
        """``(reason, details)`` of the answer for ticker column ``k`` at ``pos``."""
        return "", {}

    def predict(self, k: int, pos: int) -> MemberPrediction:
        """The :class:`MemberPrediction` of ticker column ``k`` at session position ``pos``."""
        if self.status != "ok":
            return MemberPrediction(self.name, None, None, self.status, self.reason)
        try:
            v, u = self.one(k, pos)
            why, details = self.explain(k, pos, v, u)
        except Exception as exc:  # isolated: one member's error never reaches the caller
            log.warning("ensemble member %s failed at %s: %s", self.name, pos, exc)
            return MemberPrediction(self.name, None, None, "failed",
                                    f"{type(exc).__name__}: {exc}"[:300])
        if not np.isfinite(v):
            return MemberPrediction(self.name, None, None, "unavailable",
                                    why or "no prediction here", details)
        return MemberPrediction(self.name, float(v), float(u) if np.isfinite(u) else None,
                                "ok", why, details)

    def at_cols(self, pos: int, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`at` for some ticker columns only (states with a per-query cost override it)."""
        v, u = self.at(pos)
        return np.asarray(v)[cols], np.asarray(u)[cols]

    def safe_at(self, pos: int, n: int, cols=None) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`at` (or :meth:`at_cols`) with failures turned into NaN (training panels)."""
        m = n if cols is None else len(cols)
        if self.status != "ok":
            return np.full(m, np.nan), np.full(m, np.nan)
        try:
            v, u = self.at(pos) if cols is None else self.at_cols(pos, np.asarray(cols))
            return np.asarray(v, float), np.asarray(u, float)
        except Exception as exc:
            log.warning("ensemble member %s failed at %s: %s", self.name, pos, exc)
            return np.full(m, np.nan), np.full(m, np.nan)


class ArrayState(MemberState):
    """A state held as session x ticker arrays of values and uncertainties."""

    def __init__(self, name: str, value: np.ndarray, unc: np.ndarray):
        self.name = name
        self.value = np.asarray(value, float)
        self.unc = np.asarray(unc, float)

    def at(self, pos: int) -> tuple[np.ndarray, np.ndarray]:
        return self.value[pos], self.unc[pos]

    def one(self, k: int, pos: int) -> tuple[float, float]:
        return float(self.value[pos, k]), float(self.unc[pos, k])


class FailedState(MemberState):
    """Every answer ``unavailable`` or ``failed`` with the same reason."""

    def __init__(self, name: str, status: str, reason: str):
        self.name, self.status, self.reason = name, status, reason

    def at(self, pos: int):
        raise RuntimeError(self.reason)


def build_state(member, ctx, horizon: int) -> MemberState:
    """``member.build(ctx, horizon)`` with failures isolated (logged, shown in every answer)."""
    try:
        st = member.build(ctx, horizon)
    except Exception as exc:
        log.warning("ensemble member %s could not be built: %s", member.name, exc)
        return FailedState(member.name, "failed", f"{type(exc).__name__}: {exc}"[:300])
    st.name = member.name
    return st


def position_of(sessions: pd.DatetimeIndex, as_of) -> int:
    """Position of the last session on or before ``as_of`` (-1 before the first; None: last)."""
    if as_of is None:
        return len(sessions) - 1
    ts = pd.Timestamp(as_of)
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return int(sessions.asi8.searchsorted(ts.as_unit("ns").value, side="right")) - 1


def signed_pct(x: float, digits: int = 2) -> str:
    """``x`` (a decimal) as a signed percentage, ``+0.00%`` rather than ``-0.00%`` when it
    rounds to zero."""
    v = round(float(x) * 100, digits) + 0.0  # + 0.0 turns -0.0 into 0.0
    return f"{v:+.{digits}f}%"
