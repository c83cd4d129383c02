"""Calendar effects on trade activity (count models) and on returns (OLS with HAC errors).

Counts are per session and by **transaction date** unless the caller builds them otherwise
(see :func:`~workbench.cycles.activity.trade_activity`); returns are daily decimals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from dateutil.easter import easter

from workbench.exceptions import DataError

__all__ = ["calendar_features", "recess_days", "CalendarEffects", "estimate_calendar_effects",
           "DeadlineEffect", "estimate_deadline_effect"]

DOW_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def recess_days(start, end) -> pd.DatetimeIndex:
    """Approximate congressional recess (district work) days between ``start`` and ``end``.

    A stylized calendar, not the official one: all of August; the week of July 4; Thanksgiving
    week; December 20 to January 2; the two weeks around Easter; the weeks of Presidents' Day and
    Memorial Day. Pass your own days to :func:`calendar_features` when the official calendar is
    at hand.
    """
    days = pd.date_range(pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize())
    flag = np.zeros(len(days), dtype=bool)
    flag |= days.month == 8
    flag |= ((days.month == 12) & (days.day >= 20)) | ((days.month == 1) & (days.day <= 2))
    for year in range(days.min().year, days.max().year + 1):
        spans = []
        e = pd.Timestamp(easter(year))
        spans.append((e - pd.Timedelta(days=9), e + pd.Timedelta(days=5)))
        j4 = pd.Timestamp(year, 7, 4)
        spans.append((j4 - pd.Timedelta(days=j4.day_of_week), j4 - pd.Timedelta(days=j4.day_of_week)
                      + pd.Timedelta(days=6)))
        nov = pd.date_range(f"{year}-11-01", f"{year}-11-30")
        thanks = nov[(nov.day_of_week == 3)][3]
        spans.append((thanks - pd.Timedelta(days=3), thanks + pd.Timedelta(days=3)))
        feb = pd.date_range(f"{year}-02-01", f"{year}-02-28")
        pres = feb[feb.day_of_week == 0][2]
        spans.append((pres, pres + pd.Timedelta(days=6)))
        may = pd.date_range(f"{year}-05-01", f"{year}-05-31")
        mem = may[may.day_of_week == 0][-1]
        spans.append((mem, mem + pd.Timedelta(days=6)))
        for a, b in spans:
            flag |= (days >= a) & (days <= b)
    return days[flag]


def calendar_features(dates, *, recess: pd.DatetimeIndex | None = None) -> pd.DataFrame:
    """Calendar covariates of each date.

    Returns
    -------
    DataFrame indexed by date with ``dow`` (Mon..Fri), ``month`` (Jan..Dec), ``quarter`` (1-4),
    ``quarter_end`` (last 5 sessions of a quarter), ``pre_holiday`` (the next weekday is an
    NYSE holiday), ``election_year`` (even year: federal general elections),
    ``days_to_election`` (calendar days to the next general election day), ``pre_election``
    (within 60 calendar days before it) and ``recess`` (see :func:`recess_days`).
    """
    from workbench.data.calendar import election_days, nyse_holidays

    idx = pd.DatetimeIndex(pd.to_datetime(dates)).normalize()
    if len(idx) == 0:
        raise DataError("no dates")
    hol = nyse_holidays(idx.min(), idx.max() + pd.Timedelta(days=10))
    next_wd = idx + pd.offsets.BDay(1)
    elections = election_days(idx.min(), idx.max() + pd.Timedelta(days=800))
    pos = elections.searchsorted(idx, side="left")
    next_el = elections[np.minimum(pos, len(elections) - 1)]
    days_to = np.asarray((next_el - idx).days, dtype=float)
    rec = recess_days(idx.min(), idx.max()) if recess is None else pd.DatetimeIndex(recess)
    q_end = pd.Series(idx, index=idx).groupby([idx.year, idx.quarter]).rank(ascending=False) <= 5
    out = pd.DataFrame({
        "dow": pd.Categorical([DOW_NAMES[d] if d < 5 else "Weekend" for d in idx.day_of_week],
                              categories=list(DOW_NAMES) + ["Weekend"]),
        "month": pd.Categorical([MONTH_NAMES[m - 1] for m in idx.month],
                                categories=list(MONTH_NAMES)),
        "quarter": idx.quarter.to_numpy(),
        "quarter_end": q_end.to_numpy(),
        "pre_holiday": next_wd.isin(hol),
        "election_year": (idx.year % 2 == 0),
        "days_to_election": days_to,
        "pre_election": (days_to >= 0) & (days_to <= 60),
        "recess": idx.isin(rec),
    }, index=idx)
    return out


def _design(feat: pd.DataFrame) -> pd.DataFrame:
    X = pd.get_dummies(feat[["dow", "month"]], drop_first=True, dtype=float)
    X = X.loc[:, X.std() > 0]
    for c in ("pre_holiday", "quarter_end", "election_year", "pre_election", "recess"):
        if feat[c].std() > 0:
            X[c] = feat[c].astype(float)
    return sm.add_constant(X, has_constant="add")


@dataclass(frozen=True)
class CalendarEffects:
    """Calendar-effect estimates.

    Attributes
    ----------
    effects : DataFrame
        ``term, estimate, ci_low, ci_high, p_value``. For counts ``estimate`` is a rate ratio
        (``exp(coef)``; 1 = no effect) against the baseline (Monday, January, ordinary day); for
        returns it is the mean daily return difference in decimals (``const``: the baseline).
    model : {"poisson", "negative_binomial", "ols_hac"}
    dispersion : float
        Pearson chi-squared / df of the Poisson fit (counts), else NaN.
    n_obs : int
    level : float
    """

    effects: pd.DataFrame
    model: str
    dispersion: float
    n_obs: int
    level: float

    def to_frame(self) -> pd.DataFrame:
        return self.effects.copy()

    def summary(self) -> pd.Series:
        sig = self.effects[(self.effects["p_value"] < 1 - self.level)
                           & (self.effects["term"] != "const")]
        return pd.Series({"model": self.model, "n_obs": self.n_obs,
                          "dispersion": self.dispersion, "significant_terms": ", ".join(sig["term"])})


def estimate_calendar_effects(series: pd.Series, kind: str = "count", *,
                              recess: pd.DatetimeIndex | None = None, level: float = 0.95,
                              hac_lags: int = 5) -> CalendarEffects:
    """Regress a session series on calendar covariates (:func:`calendar_features`).

    Parameters
    ----------
    series : Series
        Indexed by session date: trade counts (``kind="count"``) or daily returns in decimals
        (``kind="return"``).
    kind : {"count", "return"}
        Counts: Poisson GLM, switched to a negative binomial (alpha by maximum likelihood) when
        the Pearson dispersion exceeds 1.2. Returns: OLS with Newey-West errors (``hac_lags``).
    level : float
        Confidence level of the intervals.
    """
    s = series.dropna().astype(float)
    if not isinstance(s.index, pd.DatetimeIndex) or len(s) < 30:
        raise DataError("need a date-indexed series with at least 30 observations")
    feat = calendar_features(s.index, recess=recess)
    X = _design(feat)
    y = s.to_numpy()
    a = 1 - level
    if kind == "count":
        if (y < 0).any() or not np.allclose(y, np.round(y)):
            raise DataError("count model needs non-negative integer counts")
        pois = sm.GLM(y, X, family=sm.families.Poisson()).fit()
        disp = float(pois.pearson_chi2 / pois.df_resid)
        if disp > 1.2:
            nb = sm.NegativeBinomial(y, X).fit(disp=0, maxiter=200)
            params, ci, pv = nb.params.drop("alpha"), nb.conf_int(a).drop("alpha"), \
                nb.pvalues.drop("alpha")
            model = "negative_binomial"
        else:
            params, ci, pv = pois.params, pois.conf_int(a), pois.pvalues
            model = "poisson"
        eff = pd.DataFrame({"term": params.index, "estimate": np.exp(params.to_numpy()),
                            "ci_low": np.exp(ci.iloc[:, 0].to_numpy()),
                            "ci_high": np.exp(ci.iloc[:, 1].to_numpy()),
                            "p_value": pv.to_numpy()})
    elif kind == "return":
        fit = sm.OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": hac_lags})
        ci = fit.conf_int(a)
        eff = pd.DataFrame({"term": fit.params.index, "estimate": fit.params.to_numpy(),
                            "ci_low": ci.iloc[:, 0].to_numpy(), "ci_high": ci.iloc[:, 1].to_numpy(),
                            "p_value": fit.pvalues.to_numpy()})
        model, disp = "ols_hac", np.nan
    else:
        raise ValueError(f"kind must be 'count' or 'return', got {kind!r}")
    return CalendarEffects(eff.reset_index(drop=True), model, disp, len(y), level)


@dataclass(frozen=True)
class DeadlineEffect:
    """Disclosures bunching before the STOCK Act's 45-day deadline.

    Attributes
    ----------
    lags : DataFrame
        ``lag_days, count``: disclosures by reporting lag (disclosure minus transaction date,
        calendar days), 0..``max_lag``.
    rate_ratio, ci_low, ci_high, p_value : float
        Disclosures per day in the ``window`` days up to the deadline (lag 45-window+1..45)
        relative to the ``window`` days before those; CI on the log scale (Poisson counts).
    late_share : float
        Share of disclosures after the deadline (lag > 45).
    """

    lags: pd.DataFrame
    rate_ratio: float
    ci_low: float
    ci_high: float
    p_value: float
    late_share: float
    n: int

    def to_frame(self) -> pd.DataFrame:
        return self.lags.copy()

    def summary(self) -> pd.Series:
        return pd.Series({"n": self.n, "rate_ratio": self.rate_ratio, "ci_low": self.ci_low,
                          "ci_high": self.ci_high, "p_value": self.p_value,
                          "late_share": self.late_share})


def estimate_deadline_effect(trades: pd.DataFrame, *, deadline: int = 45, window: int = 5,
                             max_lag: int = 90, level: float = 0.95) -> DeadlineEffect:
    """Do disclosures pile up just before the deadline? Uses both transaction and disclosure date.

    Trades without a disclosure date, or disclosed before the transaction (data errors), are left
    out of the rate ratio but counted in ``n``.
    """
    from scipy import stats

    if not {"transaction_date", "disclosure_date"} <= set(trades.columns):
        raise DataError("trades need transaction_date and disclosure_date")
    lag = (pd.to_datetime(trades["disclosure_date"]) - pd.to_datetime(trades["transaction_date"])
           ).dt.days.dropna().astype(int)
    lag = lag[lag >= 0]
    counts = np.bincount(np.minimum(lag.to_numpy(), max_lag + 1), minlength=max_lag + 2)
    lags = pd.DataFrame({"lag_days": np.arange(max_lag + 1), "count": counts[: max_lag + 1]})
    near = counts[deadline - window + 1: deadline + 1].sum()
    before = counts[deadline - 2 * window + 1: deadline - window + 1].sum()
    if near == 0 or before == 0:
        rr, lo, hi, p = np.nan, np.nan, np.nan, np.nan
    else:
        rr = near / before
        se = np.sqrt(1 / near + 1 / before)
        z = stats.norm.ppf(0.5 + level / 2)
        lo, hi = rr * np.exp(-z * se), rr * np.exp(z * se)
        p = float(stats.binomtest(int(near), int(near + before), 0.5).pvalue)
    late = float((lag > deadline).mean()) if len(lag) else np.nan
    return DeadlineEffect(lags, float(rr), float(lo), float(hi), float(p), late, int(len(trades)))
