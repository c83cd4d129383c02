"""The ensemble's answer for one ticker at one date: :class:`EnsemblePrediction`, and its insights.

Insights are short sentences generated from the prediction's own fields only: every number
in them is a field of :meth:`EnsemblePrediction.to_dict` (or one rounded for display:
percentages of decimal fields, counts in ``summary``), which ``tests/ensemble`` checks.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from workbench.ensemble.base import MemberPrediction, signed_pct

__all__ = ["EnsemblePrediction", "build_insights", "json_safe", "LABELS"]

LABELS = {"cycles": "seasonal cycles", "regimes": "market regimes",
          "patterns": "DTW analogs", "factors": "factor model", "congress": "congressional alpha",
          "network": "leaders' communities", "anomaly": "anomaly score",
          "deep_model": "deep model", "options": "options GEX"}


def json_safe(value):
    """Plain JSON values: NaN/inf -> None, numpy scalars -> Python, dates -> ISO strings."""
    tp = type(value)
    if tp is str or tp is int or tp is bool or value is None:    # most leaves: no checks
        return value
    if tp is float:
        return value if math.isfinite(value) else None
    if tp is dict:        # leaves inline: a call per leaf is most of the cost of an answer
        out = {}
        for k, v in value.items():
            tv = type(v)
            if tv is str or tv is int or tv is bool or v is None:
                out[k if type(k) is str else str(k)] = v
            elif tv is float:
                out[k if type(k) is str else str(k)] = v if math.isfinite(v) else None
            else:
                out[k if type(k) is str else str(k)] = json_safe(v)
        return out
    if tp is list or tp is tuple:
        return [v if type(v) is str else json_safe(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [json_safe(v) for v in value]
    if isinstance(value, pd.Timestamp | dt.datetime):
        ts = value if tp is pd.Timestamp else pd.Timestamp(value)
        midnight = not (ts.hour or ts.minute or ts.second or ts.microsecond or ts.nanosecond)
        return ts.date().isoformat() if midnight else ts.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@dataclass(frozen=True)
class EnsemblePrediction:
    """Expected return, volatility, direction probabilities and what each member contributed.

    Returns are log returns from the close of ``as_of`` over ``horizon`` sessions; volatility
    is the standard deviation of that log return. ``confidence`` is the probability of the
    most likely direction after temperature calibration (its out-of-sample ECE is in
    ``meta``). ``attribution[m] = weights[m] * value_m``; ``expected_return = intercept +
    sum(attribution)``.
    """

    ticker: str
    as_of: pd.Timestamp
    horizon: int
    expected_return: float
    volatility: float
    prob_up: float
    prob_flat: float
    prob_down: float
    confidence: float
    attribution: Mapping[str, float]
    intercept: float
    weights: Mapping[str, float]
    members: tuple[MemberPrediction, ...]
    insights: tuple[str, ...] = ()
    similar_patterns: Any = None
    current_regime: Any = None
    factors: Any = None
    anomaly_score: float | None = None
    politician_activity: Any = None
    gamma_exposure: Any = None
    meta: Mapping = field(default_factory=dict)

    @property
    def direction(self) -> str:
        probs = {"up": self.prob_up, "flat": self.prob_flat, "down": self.prob_down}
        return max(probs, key=probs.get)

    def summary_counts(self) -> dict:
        """Counts the insights quote: members available, pointing up / down, the strongest."""
        ok = [m for m in self.members if m.status == "ok"]
        strongest = max(self.attribution, key=lambda n: abs(self.attribution[n]), default=None)
        if strongest is not None and not abs(self.attribution[strongest]) > 0:
            strongest = None
        return {"n_members": len(self.members), "n_available": len(ok),
                "n_up": sum(1 for m in ok if m.value > 0),
                "n_down": sum(1 for m in ok if m.value < 0),
                "n_unavailable": len(self.members) - len(ok), "strongest": strongest,
                "direction": self.direction}

    def to_dict(self) -> dict:
        """JSON-safe dictionary (the schema in :mod:`workbench.ensemble`)."""
        return json_safe({
            "ticker": self.ticker, "as_of": self.as_of, "horizon": self.horizon,
            "expected_return": self.expected_return, "volatility": self.volatility,
            "prob_up": self.prob_up, "prob_flat": self.prob_flat, "prob_down": self.prob_down,
            "confidence": self.confidence, "direction": self.direction,
            "attribution": dict(self.attribution), "intercept": self.intercept,
            "weights": dict(self.weights), "members": [m.to_dict() for m in self.members],
            "insights": list(self.insights), "summary": self.summary_counts(),
            "similar_patterns": self.similar_patterns, "current_regime": self.current_regime,
            "factors": self.factors, "anomaly_score": self.anomaly_score,
            "politician_activity": self.politician_activity,
            "gamma_exposure": self.gamma_exposure, "meta": dict(self.meta)})

    def to_frame(self) -> pd.DataFrame:
        """One row per member: value, uncertainty, status, weight, attribution, reason."""
        return pd.DataFrame([{
            "member": m.name, "label": LABELS.get(m.name, m.name), "status": m.status,
            "value": np.nan if m.value is None else m.value,
            "uncertainty": np.nan if m.uncertainty is None else m.uncertainty,
            "weight": self.weights.get(m.name, np.nan),
            "attribution": self.attribution.get(m.name, 0.0), "reason": m.reason}
            for m in self.members])

    def summary(self) -> pd.Series:
        return pd.Series({"ticker": self.ticker, "as_of": self.as_of, "horizon": self.horizon,
                          "expected_return": self.expected_return,
                          "volatility": self.volatility, "prob_up": self.prob_up,
                          "prob_flat": self.prob_flat, "prob_down": self.prob_down,
                          "confidence": self.confidence, "direction": self.direction})


def _pct(x: float, signed: bool = True, digits: int = 2) -> str:
    return signed_pct(x, digits) if signed else f"{round(x * 100, digits) + 0.0:.{digits}f}%"


def build_insights(pred: EnsemblePrediction) -> tuple[str, ...]:
    """Sentences from the prediction's numbers (module notes); nothing the numbers don't say."""
    s = pred.summary_counts()
    h = pred.horizon
    out = [f"The ensemble expects {_pct(pred.expected_return)} over {h} sessions "
           f"(volatility {_pct(pred.volatility, False)}): up {pred.prob_up * 100:.0f}%, "
           f"flat {pred.prob_flat * 100:.0f}%, down {pred.prob_down * 100:.0f}%."]
    if s["n_available"]:
        line = (f"{s['n_up']} of {s['n_available']} available members point up and "
                f"{s['n_down']} down")
        st = s["strongest"]
        member = next((m for m in pred.members if m.name == st), None)
        if member is not None and member.status == "ok":
            line += (f"; the strongest contribution is the {LABELS.get(st, st)} "
                     f"({_pct(pred.attribution[st])}): {member.reason}")
        out.append(line + ".")
    else:
        out.append("No member could say anything here; the prediction is the intercept.")
    ece = pred.meta.get("ece")
    if ece is not None and np.isfinite(ece):
        out.append(f"Confidence {pred.confidence * 100:.0f}% is the probability of the most "
                   f"likely direction ({pred.direction}), temperature-scaled; its out-of-sample "
                   f"expected calibration error is {ece * 100:.1f} points.")
    else:
        out.append(f"Confidence {pred.confidence * 100:.0f}% is the probability of the most "
                   f"likely direction ({pred.direction}); not calibrated "
                   f"({pred.meta.get('status', 'no out-of-sample check')}).")
    missing = [m.name for m in pred.members if m.status != "ok"]
    if missing:
        out.append("Unavailable here: " + ", ".join(LABELS.get(n, n) for n in missing)
                   + " (reasons in the member list).")
    return tuple(out)
