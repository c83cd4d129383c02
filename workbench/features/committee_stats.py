"""Do committee-relevant trades earn a different abnormal return?

A trade is committee-relevant when its ticker's sector is overseen by one of the trader's
committees (:func:`workbench.data.committees.committee_relevance`; **current-Congress
membership only**, an approximation for older trades). The outcome is each stock trade's signed
market-adjusted return over ``horizon`` sessions after its entry (the close of the session after
the disclosure; :func:`workbench.features.history.trade_outcomes`). Relevant and other trades
are compared with Welch's t-test and, because outcomes of the same politician are correlated, a
politician-clustered regression (statsmodels OLS with cluster-robust errors).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["CommitteeTest", "committee_return_test"]


@dataclass(frozen=True)
class CommitteeTest:
    """Relevant vs other trades: counts, mean outcomes, difference with tests.

    Attributes
    ----------
    outcomes : DataFrame
        ``trade_id, politician, relevant, outcome`` of the trades compared.
    share_relevant : float
        Share of compared trades that are committee-relevant.
    mean_relevant, mean_other, difference : float
        Mean signed abnormal return (decimal over ``horizon`` sessions) and their difference.
    ci_low, ci_high : float
        95% interval of the difference (politician-clustered).
    p_welch, p_clustered : float
    horizon : int
    """

    outcomes: pd.DataFrame
    share_relevant: float
    mean_relevant: float
    mean_other: float
    difference: float
    ci_low: float
    ci_high: float
    p_welch: float
    p_clustered: float
    horizon: int

    def to_frame(self) -> pd.DataFrame:
        return self.outcomes.copy()

    def summary(self) -> pd.Series:
        o = self.outcomes
        return pd.Series({"trades": len(o), "relevant": int(o["relevant"].sum()),
                          "share_relevant": self.share_relevant,
                          "mean_relevant": self.mean_relevant, "mean_other": self.mean_other,
                          "difference": self.difference, "ci_low": self.ci_low,
                          "ci_high": self.ci_high, "p_welch": self.p_welch,
                          "p_clustered": self.p_clustered, "horizon": self.horizon})


def committee_return_test(universe, *, trades: pd.DataFrame | None = None,
                          horizon: int = 21) -> CommitteeTest:
    """Compare outcomes of committee-relevant and other stock trades (module docstring).

    ``trades`` selects the trades (e.g. a chamber, current members); default all.
    """
    import statsmodels.api as sm
    from scipy.stats import ttest_ind

    from workbench.data.committees import committee_relevance
    from workbench.features.context import _wide, build_context
    from workbench.features.history import trade_outcomes

    ctx = build_context(universe)
    close = _wide(universe.prices, "adj_close", ctx.sessions, list(ctx.tickers)).to_numpy()
    y, _ = trade_outcomes(ctx, close, horizon)
    out = pd.Series(y, index=ctx.trades["trade_id"].astype(str).to_numpy())
    t = universe.trades if trades is None else trades
    t = t[t["asset_type"] == "stock"]
    rel = committee_relevance(universe, t)
    df = pd.DataFrame({"trade_id": t["trade_id"].astype(str).to_numpy(),
                       "politician": t["politician"].astype(str).to_numpy(),
                       "relevant": rel.to_numpy(dtype=float)})
    df["outcome"] = out.reindex(df["trade_id"]).to_numpy()
    df = df.dropna().reset_index(drop=True)
    df["relevant"] = df["relevant"].astype(bool)
    a, b = df.loc[df["relevant"], "outcome"], df.loc[~df["relevant"], "outcome"]
    nan = float("nan")
    if len(a) < 2 or len(b) < 2:
        return CommitteeTest(df, float(df["relevant"].mean()) if len(df) else nan,
                             float(a.mean()) if len(a) else nan, float(b.mean()) if len(b) else nan,
                             nan, nan, nan, nan, nan, horizon)
    p_welch = float(ttest_ind(a, b, equal_var=False).pvalue)
    X = sm.add_constant(df["relevant"].astype(float).to_numpy())
    fit = sm.OLS(df["outcome"].to_numpy(), X).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(df["politician"])[0]})
    lo, hi = fit.conf_int()[1]
    return CommitteeTest(outcomes=df, share_relevant=float(df["relevant"].mean()),
                         mean_relevant=float(a.mean()), mean_other=float(b.mean()),
                         difference=float(a.mean() - b.mean()), ci_low=float(lo),
                         ci_high=float(hi), p_welch=p_welch, p_clustered=float(fit.pvalues[1]),
                         horizon=horizon)
