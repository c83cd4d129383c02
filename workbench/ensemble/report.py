"""What notebook ``11_ensemble`` shows, computed in one call: :func:`run_ensemble_study`.

The notebook only displays the :class:`EnsembleStudy` this returns (findings, tables,
figures), so that every number in the report comes from the package.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from workbench.ensemble.model import MultiModelEnsemble
from workbench.ensemble.prediction import EnsemblePrediction

__all__ = ["EnsembleStudy", "run_ensemble_study", "pick_ticker", "InsightsBlock"]


def pick_ticker(universe, ticker: str = "") -> str:
    """``ticker`` upper-cased when it has prices; empty: the priced ticker with the most
    disclosed stock trades (the first in name order on ties)."""
    priced = set(universe.prices["ticker"].astype(str))
    if ticker:
        t = str(ticker).strip().upper()
        if t not in priced:
            raise ValueError(f"ticker {ticker!r} has no price series in this universe")
        return t
    tr = universe.trades
    tr = tr[tr["ticker"].astype(str).isin(priced) & (tr["asset_type"] == "stock")]
    if not len(tr):
        return sorted(priced)[0]
    counts = tr["ticker"].astype(str).value_counts()
    top = counts[counts == counts.max()].index
    return sorted(top)[0]


@dataclass(frozen=True)
class InsightsBlock:
    """The prediction's insights as an escaped HTML list."""

    lines: tuple[str, ...]
    title: str = "Insights"

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(s)}</li>" for s in self.lines)
        return f'<div class="wb-insights"><h3>{html.escape(self.title)}</h3><ul>{items}</ul></div>'

    def __repr__(self) -> str:
        return "\n".join(f"- {s}" for s in self.lines)


@dataclass(frozen=True)
class EnsembleStudy:
    """A fitted ensemble, its evaluation at one horizon and one ticker's prediction.

    Attributes
    ----------
    ensemble : MultiModelEnsemble
    horizon : int
    ticker : str
    prediction : EnsemblePrediction
        At ``as_of`` (the last session on or before it; default the last session).
    """

    ensemble: MultiModelEnsemble
    horizon: int
    ticker: str
    prediction: EnsemblePrediction

    @property
    def evaluation(self):
        return self.ensemble.evaluations_.get(self.horizon)

    def to_frame(self) -> pd.DataFrame:
        """Member availability and out-of-sample skill (:func:`member_table`)."""
        from workbench.ensemble.findings import member_table

        return member_table(self.ensemble, self.horizon)

    def summary(self) -> pd.Series:
        return pd.Series(self.ensemble.info_.get(self.horizon, {}))

    def prediction_frame(self) -> pd.DataFrame:
        """The prediction's headline numbers, one row."""
        p = self.prediction
        return pd.DataFrame([{
            "ticker": p.ticker, "as_of": p.as_of, "horizon_sessions": p.horizon,
            "expected_return": p.expected_return, "volatility": p.volatility,
            "prob_up": p.prob_up, "prob_flat": p.prob_flat, "prob_down": p.prob_down,
            "confidence": p.confidence, "direction": p.direction}])

    def members_frame(self) -> pd.DataFrame:
        """The prediction's members: status, value, weight, attribution, reason."""
        return self.prediction.to_frame().drop(columns="member")

    def insights(self) -> InsightsBlock:
        p = self.prediction
        return InsightsBlock(p.insights, title=f"Insights: {p.ticker} on "
                                               f"{pd.Timestamp(p.as_of).date()}")

    def weights_frame(self) -> pd.DataFrame:
        """Weights of each fold and the served weights (return units)."""
        ev = self.evaluation
        served = dict(zip(self.ensemble.member_names, self.ensemble.metas_[self.horizon].weights_,
                          strict=True))
        rows = [] if ev is None else ev.weights.to_dict("records")
        rows.append({"fold": "served", **served})
        out = pd.DataFrame(rows)
        return out[["fold", *self.ensemble.member_names]]


def run_ensemble_study(universe, *, ticker: str = "", horizon: int = 7, as_of: str = "",
                       smoke: bool = False) -> EnsembleStudy:
    """Fit the default ensemble at ``horizon`` and predict ``ticker`` at ``as_of``.

    ``smoke`` changes nothing but is accepted for the notebooks' signature (the CI universe is
    already small). Dates: the prediction uses data known at the close of ``as_of``
    (trades from the session after their **disclosure** date).
    """
    t = pick_ticker(universe, ticker)
    ens = MultiModelEnsemble(horizons=(int(horizon),)).fit(universe)
    pred = ens.predict(universe, t, as_of=as_of or None, horizon=int(horizon))
    return EnsembleStudy(ensemble=ens, horizon=int(horizon), ticker=t, prediction=pred)
