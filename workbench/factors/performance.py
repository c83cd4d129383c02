"""Per-politician performance: excess return over the market, factor alpha, multiple testing."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

from workbench.exceptions import DataError
from workbench.factors.model import fit_factor_model
from workbench.factors.portfolios import group_portfolios

__all__ = ["PoliticianPerformance", "politician_performance"]


@dataclass(frozen=True)
class PoliticianPerformance:
    """One calendar-time portfolio per politician, its alpha and a corrected significance.

    Attributes
    ----------
    table : DataFrame
        Per politician: ``politician, party, chamber, n_trades, n_covered, active_days,
        excess_return`` (annualized mean of portfolio minus market return on active sessions),
        ``alpha, alpha_se, alpha_t, p`` (annualized factor alpha, HAC), ``q`` (adjusted p) and
        ``significant`` (``q < level``). Sorted by alpha, descending.
    model, method, level, holding_days, entry, side, weight
        How it was computed (``method`` is a statsmodels ``multipletests`` method).
    """

    table: pd.DataFrame
    model: str
    method: str
    level: float
    holding_days: int
    entry: str
    side: str
    weight: str

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def summary(self) -> pd.Series:
        t = self.table
        return pd.Series({"politicians": len(t), "significant": int(t["significant"].sum()),
                          "positive_alpha": int((t["alpha"] > 0).sum()),
                          "median_alpha": float(t["alpha"].median()) if len(t) else np.nan,
                          "method": self.method, "level": self.level})


def politician_performance(trades: pd.DataFrame, prices: pd.DataFrame, factors: pd.DataFrame,
                           holding_days: int = 21, entry: str = "disclosure",
                           side: str = "buy", weight: str = "equal", model: str = "ff5",
                           min_trades: int = 10, method: str = "fdr_bh", level: float = 0.05,
                           hac_lags: int | None = None) -> PoliticianPerformance:
    """Alpha of each politician's calendar-time portfolio, with multiple-testing control.

    Parameters
    ----------
    holding_days, entry, side, weight
        Portfolio construction (:func:`workbench.factors.calendar_time_portfolio`); the default
        acts at disclosure (first session after the disclosure date).
    model : {"capm", "ff3", "ff5"}
    min_trades : int
        Politicians with fewer covered trades are left out.
    method : str
        ``multipletests`` method across politicians: ``fdr_bh`` (Benjamini-Hochberg false
        discovery rate), ``holm`` or ``bonferroni`` (family-wise error).
    level : float
        Significance level of the corrected test.
    """
    if factors is None or "Mkt-RF" not in factors.columns:
        raise DataError("politician_performance needs the factors table")
    groups = group_portfolios(trades, prices, by="politician", side=side,
                              holding_days=holding_days, weight=weight, entry=entry)
    market = (factors["Mkt-RF"] + factors["RF"])
    meta = trades.groupby("politician").agg(
        party=("party", "first"), chamber=("chamber", "first"))
    rows = []
    for name, p in groups.portfolios:
        n_cov = int(p.positions["covered"].sum())
        if n_cov < min_trades:
            continue
        r = p.returns.dropna()
        try:
            fr = fit_factor_model(r, factors, model, hac_lags)
        except DataError:
            continue
        m = market.reindex(r.index)
        rows.append({"politician": name, "party": meta.loc[name, "party"],
                     "chamber": meta.loc[name, "chamber"], "n_trades": len(p.positions),
                     "n_covered": n_cov, "active_days": len(r),
                     "excess_return": float((r - m).mean() * 252), "alpha": fr.alpha,
                     "alpha_se": fr.alpha_se, "alpha_t": fr.alpha_t, "p": fr.alpha_p})
    cols = ["politician", "party", "chamber", "n_trades", "n_covered", "active_days",
            "excess_return", "alpha", "alpha_se", "alpha_t", "p", "q", "significant"]
    table = pd.DataFrame(rows)
    if len(table):
        reject, q, _, _ = multipletests(table["p"].to_numpy(), alpha=level, method=method)
        table["q"], table["significant"] = q, reject
        table = table.sort_values("alpha", ascending=False).reset_index(drop=True)[cols]
    else:
        table = pd.DataFrame(columns=cols)
    return PoliticianPerformance(table, model, method, level, int(holding_days), entry, side,
                                 weight)
