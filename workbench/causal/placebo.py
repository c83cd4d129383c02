"""Placebo test of :func:`~workbench.causal.impact.causal_impact`: fake events in the pre-period.

Each placebo date lies strictly inside the pre-period; the model is refitted on the data before
it and evaluated on the ``post`` periods that follow it, all before the real event, so no
placebo sees the real post-period. Under a well-specified model a fraction ``alpha`` of
placebos should come out significant (the false-positive rate), and the real effect should be
extreme among the placebo effects (the rank p-value).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.causal.impact import ImpactResult, causal_impact

__all__ = ["PlaceboResult", "placebo_test", "placebo_dates"]


@dataclass(frozen=True)
class PlaceboResult:
    """Effects estimated at fake event dates, beside the real one.

    Attributes
    ----------
    placebos : DataFrame
        One row per placebo date: ``date, average_effect, average_low, average_high, p_value,
        significant, z`` (average effect over its half-width in standard-normal units).
    stats : Series
        ``n_placebo, false_positive_rate`` (share of placebos with p < alpha), ``expected_rate``
        (alpha), ``real_effect, real_z, rank_p_value`` ((1 + #{|z_placebo| >= |z_real|}) /
        (1 + n)).
    real : ImpactResult
        The estimate at the real event date.
    """

    placebos: pd.DataFrame
    stats: pd.Series
    real: ImpactResult

    def to_frame(self) -> pd.DataFrame:
        return self.placebos

    def summary(self) -> pd.Series:
        return self.stats


def _z(stats: pd.Series, alpha: float) -> float:
    from scipy.stats import norm

    half = (stats["average_high"] - stats["average_low"]) / 2
    return float(stats["average_effect"] / half * norm.ppf(1 - alpha / 2)) if half > 0 else np.nan


def placebo_dates(index: pd.Index, event_date, *, n_placebo: int, post: int,
                  min_pre: int) -> pd.Index:
    """``n_placebo`` evenly spaced fake event dates whose post window ends before the event."""
    t0 = int(index.searchsorted(pd.Timestamp(event_date) if isinstance(index, pd.DatetimeIndex)
                                else event_date))
    last = t0 - post
    if last <= min_pre:
        raise ValueError(f"pre-period too short for placebos: {t0} periods before the event, "
                         f"need more than {min_pre + post}")
    pos = np.unique(np.linspace(min_pre, last, n_placebo).round().astype(int))
    return index[pos]


def placebo_test(y: pd.Series, X: pd.DataFrame | None, event_date, *, n_placebo: int = 20,
                 post: int | None = None, pre: int | None = None, alpha: float = 0.05,
                 min_pre: int | None = None, seasonal: int | None = None, n_sims: int = 500,
                 random_state: int | None = 0) -> PlaceboResult:
    """Causal impact at the real date and at ``n_placebo`` fake dates of the pre-period.

    Parameters
    ----------
    post : int, optional
        Post-period length, the same for the real event and every placebo (default: up to the
        end of the series for the real event, capped at a third of the pre-period).
    pre : int, optional
        Pre-period length for each fit (default: all earlier periods).
    min_pre : int, optional
        Shortest pre-period a placebo may have (default ``max(60, 3 x controls)``).

    Other parameters are those of :func:`~workbench.causal.impact.causal_impact`.
    """
    index = pd.Index(y.index)
    t0 = int(index.searchsorted(pd.Timestamp(event_date) if isinstance(index, pd.DatetimeIndex)
                                else event_date))
    k = 0 if X is None else X.shape[1]
    if post is None:
        post = min(len(index) - t0, max(1, t0 // 3))
    min_pre = max(60, 3 * k) if min_pre is None else min_pre
    real = causal_impact(y, X, event_date, pre=pre, post=post, alpha=alpha, seasonal=seasonal,
                         n_sims=n_sims, random_state=random_state)
    rows = []
    # Placebos see only data before the real event.
    y_pre = y.iloc[:t0]
    X_pre = None if X is None else X.iloc[:t0]
    for i, d in enumerate(placebo_dates(index[:t0 + 1], event_date, n_placebo=n_placebo,
                                        post=post, min_pre=min_pre)):
        r = causal_impact(y_pre, X_pre, d, pre=pre, post=post, alpha=alpha, seasonal=seasonal,
                          n_sims=n_sims, random_state=None if random_state is None
                          else random_state + 1 + i)
        s = r.stats
        rows.append({"date": d, "average_effect": s["average_effect"],
                     "average_low": s["average_low"], "average_high": s["average_high"],
                     "p_value": s["p_value"], "significant": s["p_value"] < alpha,
                     "z": _z(s, alpha)})
    placebos = pd.DataFrame(rows)
    z_real = _z(real.stats, alpha)
    n = len(placebos)
    extreme = int((placebos["z"].abs() >= abs(z_real)).sum()) if n else 0
    stats = pd.Series({"n_placebo": n,
                       "false_positive_rate": float(placebos["significant"].mean()) if n else np.nan,
                       "expected_rate": alpha, "real_effect": real.stats["average_effect"],
                       "real_z": z_real, "rank_p_value": (1 + extreme) / (1 + n)})
    return PlaceboResult(placebos, stats, real)
