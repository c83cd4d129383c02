"""Inputs of the causal questions: activity panels, treated/control series, price controls.

Trading activity is counted by **transaction date** (rolled forward to a session): the
question is what politicians did after an event, which happens when they trade, not when the
public learns of it; nothing here decides a trade. Price inputs use adjusted closes; control
tickers are chosen from returns *before* the event only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["EventSpec", "COVID_BRIEFING", "activity_panel", "activity_inputs", "price_inputs",
           "group_outcomes", "match_politicians", "CONTROL_SETS"]

CONTROL_SETS = ("others", "others_same_side", "others_and_own_other_side")


@dataclass(frozen=True)
class EventSpec:
    """A dated event and the group it is said to have treated (from public reporting)."""

    date: str
    politicians: tuple[str, ...]
    label: str
    reference: str


COVID_BRIEFING = EventSpec(
    date="2020-01-24",
    politicians=("Burr", "Loeffler", "Inhofe", "Feinstein"),
    label="Senate COVID-19 briefing (24 January 2020)",
    reference=("Senators whose sales after the late-January 2020 coronavirus briefings were "
               "reported in the press in March 2020 (Richard Burr, Kelly Loeffler, James "
               "Inhofe, Dianne Feinstein); the group is taken from public reporting, not "
               "from the data, and reporting found no charges."),
)


def match_politicians(names: Iterable[str], patterns: Sequence[str]) -> list[str]:
    """Names whose last word equals one of ``patterns`` (case-insensitive), or equal in full."""
    pats = {p.strip().lower() for p in patterns if p.strip()}
    out = []
    for n in sorted({str(x) for x in names}):
        low = n.lower().replace(",", " ").split()
        if n.lower() in pats or (low and (low[-1] in pats or any(w in pats for w in low[-2:]))):
            out.append(n)
    return out


def activity_panel(trades: pd.DataFrame, *, side: str = "sell", asset_types=("stock",),
                   sessions: pd.DatetimeIndex | None = None, freq: str = "session",
                   chamber: str | None = None) -> pd.DataFrame:
    """Counts of trades per period (rows) and politician (columns), by transaction date.

    Parameters
    ----------
    side : {"sell", "buy", "any"}
    sessions : DatetimeIndex, optional
        Sessions to count on (default: every NYSE session from the first to the last trade);
        periods without trades are zero.
    freq : {"session", "week"}
        Per session, or summed into weeks ending Friday (labelled by the Friday).
    chamber : str, optional
        Keep only ``senate`` or ``house`` trades.
    """
    from workbench.data import calendar

    t = trades
    keep = t["asset_type"].isin(list(asset_types)) & t["transaction_date"].notna()
    if side != "any":
        keep &= t["side"] == side
    if chamber:
        keep &= t["chamber"] == chamber
    t = t[keep.fillna(False).to_numpy()]
    day = pd.DatetimeIndex(calendar.roll_forward(pd.to_datetime(t["transaction_date"])))
    if sessions is None:
        sessions = calendar.trading_days(trades["transaction_date"].min(),
                                         trades["transaction_date"].max())
    frame = pd.DataFrame({"day": day, "who": t["politician"].astype(str).to_numpy()})
    frame = frame[frame["day"].isin(sessions)]
    panel = (frame.groupby(["day", "who"]).size().unstack(fill_value=0)
             .reindex(sessions, fill_value=0).astype(float))
    panel.index.name, panel.columns.name = "period", "politician"
    if freq == "week":
        panel = panel.resample("W-FRI").sum()
    elif freq != "session":
        raise ValueError("freq must be 'session' or 'week'")
    return panel


def activity_inputs(trades: pd.DataFrame, treated: Sequence[str], *, side: str = "sell",
                    controls: str = "others", freq: str = "session",
                    sessions: pd.DatetimeIndex | None = None, chamber: str | None = None
                    ) -> tuple[pd.Series, pd.DataFrame]:
    """The treated group's activity and control series for :func:`causal_impact`.

    ``y`` is the treated politicians' summed count of ``side`` trades per period. Controls:
    ``"others_same_side"``: everyone else's count of that side; ``"others"``: plus everyone
    else's count of the other side; ``"others_and_own_other_side"``: plus the treated group's
    own count of the other side (valid only if the event cannot have moved it).
    """
    if controls not in CONTROL_SETS:
        raise ValueError(f"controls must be one of {CONTROL_SETS}")
    if side not in ("sell", "buy"):
        raise ValueError("side must be 'sell' or 'buy'")
    other = "buy" if side == "sell" else "sell"
    kw = {"sessions": sessions, "freq": freq, "chamber": chamber}
    same = activity_panel(trades, side=side, **kw)
    opp = activity_panel(trades, side=other, **kw).reindex(same.index, fill_value=0.0)
    treated = [t for t in treated]
    missing = set(treated) - set(same.columns) - set(opp.columns)
    if len(missing) == len(treated):
        raise ValueError("none of the treated politicians traded in the data")
    t_same = same.reindex(columns=treated, fill_value=0.0)
    y = t_same.sum(axis=1).rename(f"treated_{side}s")
    X = pd.DataFrame({f"others_{side}s": same.drop(columns=treated, errors="ignore").sum(axis=1)})
    if controls in ("others", "others_and_own_other_side"):
        X[f"others_{other}s"] = opp.drop(columns=treated, errors="ignore").sum(axis=1)
    if controls == "others_and_own_other_side":
        X[f"treated_{other}s"] = opp.reindex(columns=treated, fill_value=0.0).sum(axis=1)
    return y, X


def group_outcomes(panel: pd.DataFrame, treated: Sequence[str], name: str = "treated group",
                   donors: Sequence[str] | None = None) -> pd.DataFrame:
    """Period x unit outcomes with the treated group's per-member mean as one unit.

    The treated politicians are replaced by their mean (one unit, ``name``); the donors are the
    other politicians (or ``donors``), each as they are.
    """
    treated = [t for t in treated if t in panel.columns]
    if not treated:
        raise ValueError("none of the treated politicians is in the panel")
    pool = [c for c in (donors if donors is not None else panel.columns) if c not in treated]
    out = panel[pool].copy()
    out.insert(0, name, panel[treated].mean(axis=1))
    return out


def price_inputs(prices: pd.DataFrame, ticker: str, event_date, *, n_controls: int = 20,
                 lookback: int = 250) -> tuple[pd.Series, pd.DataFrame]:
    """Log adjusted close of ``ticker`` and of its ``n_controls`` best pre-event controls.

    Controls are the tickers whose daily log returns correlate most with ``ticker``'s over the
    ``lookback`` sessions before ``event_date`` (the post-period is never looked at), among
    tickers with a complete series over the sessions where ``ticker`` has one.
    """
    from workbench.factors.inputs import to_wide_prices

    wide = to_wide_prices(prices)
    if ticker not in wide.columns:
        raise ValueError(f"no price series for {ticker!r}")
    wide = wide.loc[wide[ticker].notna()]
    logp = np.log(wide.loc[:, wide.notna().all()])
    t0 = int(logp.index.searchsorted(pd.Timestamp(event_date)))
    if t0 < 30:
        raise ValueError(f"fewer than 30 sessions of {ticker} before {event_date}")
    rets = logp.iloc[max(0, t0 - lookback):t0].diff().iloc[1:]
    corr = rets.corrwith(rets[ticker]).drop(ticker).dropna()
    picks = corr.sort_values(ascending=False).index[:n_controls]
    return logp[ticker].rename(ticker), logp[list(picks)]
