"""Late filings: trades disclosed after the STOCK Act's 45-day limit, and politicians whose
lateness in a year is unusual against their own earlier record.

Lag = disclosure date - transaction date, in calendar days. A politician-year is tested against
the politician's late share in all earlier years (Laplace-smoothed: (late + 1) / (trades + 2))
with a one-sided binomial test; with no earlier year the Congress-wide late share of earlier
years is the reference.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import binom

__all__ = ["late_trades", "late_filers", "DEADLINE_DAYS"]

DEADLINE_DAYS = 45


def late_trades(trades: pd.DataFrame, deadline: int = DEADLINE_DAYS) -> pd.DataFrame:
    """Trades with lag > ``deadline`` days: ``trade_id, politician, ticker, transaction_date,
    disclosure_date, lag_days, days_late``, longest lag first."""
    lag = (pd.to_datetime(trades["disclosure_date"]) - pd.to_datetime(trades["transaction_date"])
           ).dt.days
    late = trades.loc[(lag > deadline).fillna(False).to_numpy(),
                      ["trade_id", "politician", "ticker", "transaction_date", "disclosure_date"]]
    late = late.assign(lag_days=lag[late.index], days_late=lag[late.index] - deadline)
    return late.sort_values(["lag_days", "trade_id"], ascending=[False, True],
                            ignore_index=True)


def late_filers(trades: pd.DataFrame, deadline: int = DEADLINE_DAYS, alpha: float = 0.01,
                min_late: int = 3) -> pd.DataFrame:
    """One row per politician and disclosure year, with the test against their own history.

    Returns ``politician, year, n_trades, n_late, late_share, median_lag, reference_share,
    reference`` ("own earlier years" or "Congress earlier years"), ``p_value`` (one-sided
    binomial, P(late >= observed)) and ``unusual`` (p < ``alpha`` and at least ``min_late``
    late trades), sorted by p-value.
    """
    t = trades.loc[trades["disclosure_date"].notna() & trades["transaction_date"].notna()
                   & trades["politician"].notna()].copy()
    t["lag"] = (pd.to_datetime(t["disclosure_date"]) - pd.to_datetime(t["transaction_date"])
                ).dt.days
    t["late"] = t["lag"] > deadline
    t["year"] = pd.to_datetime(t["disclosure_date"]).dt.year
    g = t.groupby(["politician", "year"]).agg(n_trades=("late", "size"), n_late=("late", "sum"),
                                              median_lag=("lag", "median")).reset_index()
    g = g.sort_values(["politician", "year"], ignore_index=True)
    prior_n = g.groupby("politician")["n_trades"].cumsum() - g["n_trades"]
    prior_late = g.groupby("politician")["n_late"].cumsum() - g["n_late"]
    yearly = t.groupby("year")["late"].agg(["sum", "size"])
    cum = yearly.cumsum() - yearly
    congress = ((cum["sum"] + 1) / (cum["size"] + 2)).reindex(g["year"]).to_numpy()
    own = ((prior_late + 1) / (prior_n + 2)).to_numpy()
    has_own = prior_n.to_numpy() > 0
    ref = np.where(has_own, own, congress)
    g["late_share"] = g["n_late"] / g["n_trades"]
    g["reference_share"] = ref
    g["reference"] = np.where(has_own, "own earlier years", "Congress earlier years")
    g["p_value"] = binom.sf(g["n_late"] - 1, g["n_trades"], ref)
    g["unusual"] = (g["p_value"] < alpha) & (g["n_late"] >= min_late)
    return g.sort_values(["p_value", "politician", "year"], ignore_index=True)
