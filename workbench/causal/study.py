"""The causal report in one call: event impact on activity and on a price, committee relevance.

:func:`run_causal_study` resolves the event (the planted one on the synthetic universe, the
late-January 2020 Senate COVID-19 briefing on real data, or the caller's date and group),
builds the series (:mod:`workbench.causal.series`) and runs every method of the package on
them; :class:`CausalStudy` keeps the results for the figures, the findings and the
planted-vs-recovered table (:mod:`workbench.causal.findings`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench.causal.series import COVID_BRIEFING, match_politicians

__all__ = ["CausalStudy", "run_causal_study", "resolve_event"]


@dataclass(frozen=True)
class CausalStudy:
    """Every result of the causal report (``None`` where a question could not be asked).

    Attributes
    ----------
    event_date : Timestamp
    group : tuple of str
        Treated politicians (activity questions).
    group_note : str
        How the group was defined.
    series : str
        ``sells`` or ``buys`` (the activity outcome).
    ticker : str
        The ticker of the price question.
    activity, price : ImpactResult or None
        Causal impact on the group's weekly count and on the ticker's log price.
    placebo : PlaceboResult or None
        Placebo dates for the activity model.
    synth_activity, synth_price : SynthControlResult or None
    did : DiDResult or None
    effect, effect_naive : EffectResult or None
        Committee relevance with and without trader fixed effects.
    skipped : dict
        Question -> reason it was not run.
    first_trade : dict
        Treated politician -> first transaction date, for members whose trades start more than
        26 weeks after the data's first trade (e.g. newly seated: little baseline of their
        own).
    """

    event_date: pd.Timestamp
    group: tuple[str, ...]
    group_note: str
    series: str
    ticker: str
    post_weeks: int
    activity: object = None
    price: object = None
    placebo: object = None
    synth_activity: object = None
    synth_price: object = None
    did: object = None
    effect: object = None
    effect_naive: object = None
    skipped: dict = field(default_factory=dict)
    first_trade: dict = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """One row per method: the estimate, its interval and p-value (units in ``unit``)."""
        from workbench.causal.findings import estimates_table

        return estimates_table(self)

    def summary(self) -> pd.DataFrame:
        return self.to_frame()

    def group_frame(self) -> pd.DataFrame:
        """The treated politicians (``group_note`` says how the group was defined)."""
        return pd.DataFrame({"politician": list(self.group) or ["(none found in the trades)"]})

    def refutations_frame(self) -> pd.DataFrame:
        """The committee estimate and its refuters side by side, with and without trader
        fixed effects (empty when the question was not run)."""
        parts = [res.to_frame().assign(model=label) for res, label in
                 ((self.effect, "trader fixed effects"), (self.effect_naive, "no fixed effects"))
                 if res is not None]
        if not parts:
            return pd.DataFrame(columns=["model", "refuter", "estimated_effect", "new_effect",
                                         "p_value", "passed", "simulations"])
        out = pd.concat(parts, ignore_index=True)
        return out[["model", *[c for c in out.columns if c != "model"]]]

    def event_study_frame(self) -> pd.DataFrame:
        """Lead and lag coefficients of the DiD (empty when not run)."""
        if self.did is None:
            return pd.DataFrame(columns=["k", "coef", "se", "low", "high", "p_value"])
        return self.did.event_study.reset_index()


def resolve_event(universe, event_date: str = "", treated: str = ""):
    """``(date, group, note)``: the event and the treated politicians.

    Defaults: the planted intensity event on the synthetic universe; the 24 January 2020
    Senate briefing and the senators reported in the press (:data:`COVID_BRIEFING`) on real
    data. ``treated`` is a comma-separated list of names or last names.
    """
    truth = getattr(universe, "truth", None)
    events = getattr(truth, "events", None)
    planted = None
    if events is not None and len(events) and (events["kind"] == "intensity").any():
        planted = events.set_index("kind").loc["intensity"]
    names = universe.trades["politician"].dropna().unique()
    if treated.strip():
        group = match_politicians(names, [t for t in treated.split(",")])
        note = f"treated group given as a parameter ({treated.strip()})"
    elif planted is not None:
        group = planted["group"].split(",")
        note = "the planted group of the synthetic universe (SyntheticTruth.events)"
    else:
        group = match_politicians(universe.trades.loc[universe.trades["chamber"] == "senate",
                                                      "politician"].dropna().unique(),
                                  COVID_BRIEFING.politicians)
        missing = [p for p in COVID_BRIEFING.politicians
                   if not any(g.split()[-1].lower() == p.lower() for g in group)]
        note = COVID_BRIEFING.reference + (f" Not in this data (no electronic trade reports): "
                                           f"{', '.join(missing)}." if missing else "")
    if event_date.strip():
        date = pd.Timestamp(event_date)
    elif planted is not None and not treated.strip():
        date = pd.Timestamp(planted["date"])
    else:
        date = pd.Timestamp(COVID_BRIEFING.date)
    return date, tuple(group), note


def _default_ticker(universe, date, group, side):
    truth = getattr(universe, "truth", None)
    events = getattr(truth, "events", None)
    if events is not None and (events["kind"] == "price_level").any():
        return str(events.set_index("kind").loc["price_level", "ticker"])
    t = universe.trades
    priced = set(universe.prices["ticker"].astype(str).unique())
    after = t[t["politician"].isin(group) & (t["side"] == side[:-1])
              & (t["transaction_date"] >= date) & t["ticker"].isin(priced)]
    if after.empty:
        after = t[(t["transaction_date"] >= date) & t["ticker"].isin(priced)]
    return str(after["ticker"].value_counts().index[0]) if len(after) else ""


def run_causal_study(universe, *, event_date: str = "", series: str = "sells", treated: str = "",
                     controls: str = "others", ticker: str = "", post_weeks: int = 12,
                     n_placebo: int = 30, n_simulations: int = 100, smoke: bool = False,
                     random_state: int = 0) -> CausalStudy:
    """Run every causal method of the report on ``universe``.

    Parameters
    ----------
    event_date, treated : str
        See :func:`resolve_event` ("" for the defaults).
    series : {"sells", "buys"}
        Activity outcome: the group's weekly count of stock sells (or buys), by transaction
        date.
    controls : str
        Control series of the activity model (:data:`~workbench.causal.series.CONTROL_SETS`).
    ticker : str
        Price question ("" = the planted ticker on synthetic data; on real data the ticker
        the group traded most often on that side after the event).
    post_weeks : int
        Post-period of the activity questions (weeks); the price questions use 20 sessions.
    n_placebo, n_simulations : int
        Placebo dates of the activity model; DoWhy refuter simulations (``smoke`` shrinks
        both).
    """
    from workbench.causal.committee import committee_effect, committee_frame
    from workbench.causal.did import difference_in_differences, panel_from_wide
    from workbench.causal.impact import causal_impact
    from workbench.causal.placebo import placebo_test
    from workbench.causal.series import (
        activity_inputs,
        activity_panel,
        group_outcomes,
        price_inputs,
    )
    from workbench.causal.synth import synthetic_control

    if series not in ("sells", "buys"):
        raise ValueError("series must be 'sells' or 'buys'")
    side = series[:-1]
    date, group, note = resolve_event(universe, event_date, treated)
    ticker = ticker.strip().upper() or _default_ticker(universe, date, group, series)
    out: dict = {"skipped": {}}
    if smoke:
        n_placebo, n_simulations = min(n_placebo, 8), min(n_simulations, 10)
    sessions = universe.sessions()
    chamber = "senate" if not getattr(universe, "truth", None) and not treated.strip() else None
    if not group:
        out["skipped"]["activity"] = "no treated politician found in the trades"
    else:
        steps = {
            "activity": lambda: causal_impact(y, X, date, post=post_weeks,
                                              random_state=random_state),
            # Placebos need half a year of history each (weekly model).
            "placebo": lambda: placebo_test(y, X, date, n_placebo=n_placebo, post=post_weeks,
                                            min_pre=26, n_sims=300, random_state=random_state),
            "synth_activity": lambda: synthetic_control(group_outcomes(weekly, group),
                                                        "treated group", date, pre=52,
                                                        post=post_weeks),
            "did": lambda: difference_in_differences(panel_from_wide(weekly), group, date,
                                                     leads=8, lags=post_weeks - 1),
        }
        try:
            y, X = activity_inputs(universe.trades, group, side=side, controls=controls,
                                   freq="week", sessions=sessions, chamber=chamber)
            weekly = activity_panel(universe.trades, side=side, sessions=sessions, freq="week",
                                    chamber=chamber)
        except ValueError as exc:
            out["skipped"]["activity"] = str(exc)
            steps = {}
        for name, step in steps.items():
            try:
                out[name] = step()
            except ValueError as exc:
                out["skipped"][name] = str(exc)
    if ticker:
        try:
            yp, Xp = price_inputs(universe.prices, ticker, date, n_controls=20)
            out["price"] = causal_impact(yp, Xp, date, pre=250, post=20, random_state=random_state)
            logp = np.log(universe.prices_wide("adj_close"))
            out["synth_price"] = synthetic_control(logp, ticker, date, pre=60, post=10,
                                                   center="last", alpha=0.01)
        except ValueError as exc:
            out["skipped"]["price"] = str(exc)
    else:
        out["skipped"]["price"] = "no ticker with a price series"
    if len(getattr(universe, "committee_members", ())) == 0:
        out["skipped"]["committee"] = "no committee membership in this data"
    else:
        try:
            frame = committee_frame(universe, horizon=21)
            out["effect"] = committee_effect(frame, num_simulations=n_simulations,
                                             random_state=random_state)
            out["effect_naive"] = committee_effect(frame, fixed_effects=None,
                                                   num_simulations=n_simulations,
                                                   random_state=random_state)
        except ValueError as exc:
            out["skipped"]["committee"] = str(exc)
    t = universe.trades
    first = t[t["politician"].isin(group)].groupby("politician")["transaction_date"].min()
    # Only members whose trades start well after the data does (e.g. newly seated) count.
    start = t["transaction_date"].min() + pd.Timedelta(weeks=26)
    return CausalStudy(event_date=date, group=group, group_note=note, series=series,
                       ticker=ticker, post_weeks=post_weeks,
                       first_trade={k: pd.Timestamp(v) for k, v in first.items() if v > start},
                       **out)
