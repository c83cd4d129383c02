"""Committee relevance of trades and their abnormal returns: the trade-level causal question.

Do committee-relevant trades (ticker's sector overseen by one of the trader's committees,
:func:`workbench.data.committees.committee_relevance`) earn a different abnormal return than
the same members' other trades? Abnormal returns come from the project's event study
(:func:`workbench.factors.event_study`) anchored at each trade's **entry session**
(:func:`workbench.factors.inputs.entry_sessions`, the first session after the disclosure
date): the CAR covers the ``horizon`` sessions after that close, what a follower of the
disclosure could earn. Committee membership is current-Congress only, so relevance of older
trades is an approximation (see :mod:`workbench.data.committees`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["trade_abnormal_returns", "committee_frame", "committee_effect"]


def trade_abnormal_returns(trades: pd.DataFrame, prices: pd.DataFrame, factors: pd.DataFrame,
                           *, side: str = "buy", horizon: int = 21, model: str = "market",
                           asset_types=("stock",)) -> pd.DataFrame:
    """Per-trade CAR over sessions ``entry + 1 .. entry + horizon`` (disclosure entry).

    Returns the trades that have a price series and an estimation window, with the event
    study's ``day0`` (the entry session), ``sigma`` and ``car`` (decimal) joined to the
    trade's own columns by ``trade_id``.
    """
    from workbench.factors import event_study
    from workbench.factors.inputs import entry_sessions

    keep = (trades["side"] == side) & trades["asset_type"].isin(list(asset_types))
    sel = trades[keep.fillna(False).to_numpy()].reset_index(drop=True)
    # The event study rolls its date to a session: anchoring it at the entry session makes
    # day 1 the first return a follower of the disclosure earns.
    shifted = sel.assign(disclosure_date=entry_sessions(sel, entry="disclosure").to_numpy())
    es = event_study(shifted, prices, factors, date="disclosure", model=model, side=side,
                     estimation_window=(-250, -30), event_window=(1, horizon),
                     windows=((1, horizon),), asset_types=asset_types)
    ev = es.events[["trade_id", "day0", "sigma", "car"]].rename(columns={"day0": "entry_date"})
    return sel.merge(ev, on="trade_id", how="inner")


def committee_frame(universe, *, side: str = "buy", horizon: int = 21,
                    model: str = "market") -> pd.DataFrame:
    """Trades with their CAR, committee relevance and the common causes of the question.

    Columns added: ``car`` (decimal), ``committee_relevant`` (bool; trades whose relevance
    cannot be told are dropped), ``sector``, ``year`` (of the disclosure, as text),
    ``log_amount`` (log of the amount midpoint, 0 when unknown), ``party``.
    """
    from workbench.data.committees import committee_relevance

    car = trade_abnormal_returns(universe.trades, universe.prices, universe.factors,
                                 side=side, horizon=horizon, model=model)
    rel = committee_relevance(universe, car)
    sector = car["ticker"].map(universe.securities.set_index("ticker")["sector"]
                               .groupby(level=0).first())
    out = car.assign(committee_relevant=rel.to_numpy(), sector=sector.to_numpy(),
                     year=pd.to_datetime(car["disclosure_date"]).dt.year.astype(str),
                     log_amount=np.log(car["amount_mid"].astype(float).fillna(1.0).clip(lower=1.0)))
    out = out[out["committee_relevant"].notna() & out["sector"].notna()].copy()
    out["committee_relevant"] = out["committee_relevant"].astype(bool)
    return out.reset_index(drop=True)


def committee_effect(frame: pd.DataFrame, *, fixed_effects: str | None = "politician",
                     num_simulations: int = 20, random_state: int = 0):
    """:func:`~workbench.causal.effect.estimate_effect` of relevance on CAR.

    Common causes: sector and year (sector returns and years differ, and relevance depends
    on the sector), the log amount; ``fixed_effects="politician"`` compares each member's
    relevant trades with their own other trades.
    """
    from workbench.causal.effect import estimate_effect

    return estimate_effect(frame, "committee_relevant", "car", ["sector", "year", "log_amount"],
                           fixed_effects=fixed_effects, num_simulations=num_simulations,
                           random_state=random_state)
