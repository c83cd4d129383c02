"""Causal impact of an event on a time series: a structural time-series counterfactual.

In the style of Brodersen et al. (2015, "Inferring causal impact using Bayesian structural
time-series models", Ann. Appl. Stat. 9(1), doi:10.1214/14-AOAS788): the series is modelled
before the event as a local level (+ optional seasonal) plus a regression on control series
that the event did not affect; the model fitted on the pre-period only forecasts the
post-period from the controls, and observed minus forecast is the effect.

Implementation: ``statsmodels`` ``UnobservedComponents`` (local level, ``mle_regression=False``
so the regression coefficients are states estimated by the Kalman filter and their
uncertainty enters the forecast), variances by maximum likelihood, post-period paths drawn from
the predictive distribution (``simulate(anchor="end")``) for pointwise and cumulative
intervals and the posterior tail probability. Differences from the R package: variances are
point estimates (MLE) rather than integrated over, and there is no spike-and-slab selection of
controls (pass few, relevant controls). Maintained Python ports were checked: ``tfcausalimpact``
needs TensorFlow, ``causalimpact`` 0.2.x needs PyMC/PyTensor and ``pycausalimpact`` (0.1.1,
2020) is unmaintained and fails on pandas 3 (``DataFrame.applymap``), so the project uses
statsmodels directly; parity with a port could therefore not be checked.

Series are standardized on the pre-period before fitting and results are reported in the
units of ``y``. Both ``y`` and ``X`` share one index (sessions, weeks, ...); periods are
positions on that index.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["ImpactResult", "causal_impact", "fit_counterfactual"]


@dataclass(frozen=True)
class ImpactResult:
    """Observed vs counterfactual, pointwise and cumulative effects with intervals.

    Attributes
    ----------
    series : DataFrame
        Indexed like ``y`` over the pre- and post-period: ``observed, predicted,
        predicted_low, predicted_high, point_effect, point_low, point_high, cum_effect,
        cum_low, cum_high, post`` (bool). Pre-period predictions are one-step-ahead; cumulative
        effects start at the event.
    stats : Series
        ``average_effect, average_low, average_high, cumulative_effect, cumulative_low,
        cumulative_high, relative_effect, p_value`` (posterior tail probability, two-sided),
        ``actual_mean, predicted_mean, n_pre, n_post, sigma_irregular, sigma_level``.
    event_date : Timestamp
        First index value of the post-period.
    alpha : float
        Intervals are ``1 - alpha``.
    """

    series: pd.DataFrame
    stats: pd.Series
    event_date: pd.Timestamp
    alpha: float

    def to_frame(self) -> pd.DataFrame:
        return self.series

    def summary(self) -> pd.DataFrame:
        """Average and cumulative effect with intervals, as CausalImpact prints them."""
        s = self.stats
        return pd.DataFrame({
            "actual": [s["actual_mean"], s["actual_mean"] * s["n_post"]],
            "predicted": [s["predicted_mean"], s["predicted_mean"] * s["n_post"]],
            "effect": [s["average_effect"], s["cumulative_effect"]],
            "low": [s["average_low"], s["cumulative_low"]],
            "high": [s["average_high"], s["cumulative_high"]],
            "p_value": [s["p_value"], s["p_value"]]}, index=["average", "cumulative"])

    @property
    def significant(self) -> bool:
        return bool(self.stats["p_value"] < self.alpha)


def _split(y: pd.Series, X: pd.DataFrame | None, event_date, pre: int | None,
           post: int | None):
    y = pd.Series(y, dtype=float)
    if X is None:
        X = pd.DataFrame(index=y.index)
    X = pd.DataFrame(X).astype(float)
    if not y.index.equals(X.index):
        raise ValueError("y and X must share one index")
    if y.isna().any() or X.isna().any().any():
        raise ValueError("y and X must not contain NaN (fill or drop them first)")
    t0 = int(y.index.searchsorted(pd.Timestamp(event_date) if isinstance(
        y.index, pd.DatetimeIndex) else event_date))
    lo = 0 if pre is None else max(0, t0 - int(pre))
    hi = len(y) if post is None else min(len(y), t0 + int(post))
    if t0 - lo < 10 + X.shape[1] or hi <= t0:
        raise ValueError(f"need at least {10 + X.shape[1]} pre-period and 1 post-period "
                         f"observations (have {t0 - lo} and {max(hi - t0, 0)})")
    return y.iloc[lo:hi], X.iloc[lo:hi], t0 - lo


def fit_counterfactual(y_pre: np.ndarray, X_pre: np.ndarray, seasonal: int | None = None):
    """Fit the local-level (+ seasonal) + regression model; returns the statsmodels results."""
    import warnings

    from statsmodels.tsa.statespace.structural import UnobservedComponents

    kw = {"exog": X_pre, "mle_regression": False} if X_pre.shape[1] else {}
    if seasonal:
        kw["freq_seasonal"] = [{"period": int(seasonal), "harmonics": max(1, int(seasonal) // 2)}]
    model = UnobservedComponents(y_pre, level="llevel", **kw)
    with warnings.catch_warnings():
        # MLE on short or flat series warns about convergence; the likelihood is still used.
        warnings.simplefilter("ignore")
        params = model.fit(disp=False, method="lbfgs", maxiter=200, cov_type="none",
                           return_params=True)
    # The Kalman filter is all the forecast needs (no smoother, no parameter covariance).
    return model.filter(params, cov_type="none")


def causal_impact(y: pd.Series, X: pd.DataFrame | None, event_date, *, pre: int | None = None,
                  post: int | None = None, alpha: float = 0.05, seasonal: int | None = None,
                  n_sims: int = 1000, random_state: int | None = 0) -> ImpactResult:
    """Effect of an event on ``y`` against a counterfactual built from control series ``X``.

    Parameters
    ----------
    y : Series
        Outcome, indexed by period (e.g. sessions). No NaN.
    X : DataFrame or None
        Control series on the same index, unaffected by the event; ``None`` for a pure
        local-level forecast.
    event_date : date-like (or index value)
        First period of the post-period (the event acts from here on).
    pre, post : int, optional
        Number of periods before / from the event to use (default: all).
    alpha : float
        Intervals are ``1 - alpha``; the verdict uses the posterior tail probability.
    seasonal : int, optional
        Period of a seasonal component (e.g. 5 for the weekday cycle of sessions).
    n_sims : int
        Predictive paths drawn for the intervals and the tail probability.
    random_state : int
        Seed of those draws.

    Returns
    -------
    ImpactResult

    Notes
    -----
    Brodersen, Gallusser, Koehler, Remy & Scott (2015), doi:10.1214/14-AOAS788. The model
    is fitted on the pre-period only; the post-period's ``y`` never enters the fit. Dates are
    whatever the caller indexed the series by (for trading activity, the transaction date
    when the question is what politicians did; see :mod:`workbench.causal.series`).

    Examples
    --------
    >>> res = causal_impact(sells, controls, "2020-01-24", post=40)   # doctest: +SKIP
    >>> res.summary()                                                 # doctest: +SKIP
    """
    from threadpoolctl import threadpool_limits

    # The Kalman filter multiplies small matrices: BLAS threads only add synchronisation.
    with threadpool_limits(1, user_api="blas"):
        return _causal_impact(y, X, event_date, pre=pre, post=post, alpha=alpha,
                              seasonal=seasonal, n_sims=n_sims, random_state=random_state)


def _causal_impact(y, X, event_date, *, pre, post, alpha, seasonal, n_sims, random_state):
    if not 0 < alpha < 1:
        raise ValueError("alpha must be in (0, 1)")
    ys, Xs, t0 = _split(y, X, event_date, pre, post)
    yv, Xv = ys.to_numpy(), Xs.to_numpy()
    mu, sd = yv[:t0].mean(), yv[:t0].std()
    sd = sd if sd > 0 else 1.0
    xm, xs = Xv[:t0].mean(axis=0), Xv[:t0].std(axis=0)
    xs = np.where(xs > 0, xs, 1.0)
    yz, Xz = (yv - mu) / sd, (Xv - xm) / xs
    res = fit_counterfactual(yz[:t0], Xz[:t0], seasonal)
    n_post = len(yv) - t0
    rng = np.random.default_rng(random_state)
    sims = res.simulate(n_post, repetitions=n_sims, anchor="end",
                        exog=Xz[t0:] if Xz.shape[1] else None, rng=rng)
    paths = np.asarray(sims).reshape(n_post, n_sims) * sd + mu  # post x sims, units of y
    q = (alpha / 2, 1 - alpha / 2)
    obs_post = yv[t0:]
    pred_post = paths.mean(axis=1)
    p_lo, p_hi = np.quantile(paths, q, axis=1)
    eff_paths = obs_post[:, None] - paths
    cum_paths = np.cumsum(eff_paths, axis=0)
    pre_pred = res.get_prediction()
    pre_mean = pre_pred.predicted_mean * sd + mu
    pre_ci = np.asarray(pre_pred.conf_int(alpha=alpha)) * sd + mu
    burn = min(int(res.loglikelihood_burn), t0)  # diffuse start: no one-step prediction yet
    pre_mean[:burn], pre_ci[:burn] = np.nan, np.nan
    observed = yv
    predicted = np.r_[pre_mean, pred_post]
    lo = np.r_[pre_ci[:, 0], p_lo]
    hi = np.r_[pre_ci[:, 1], p_hi]
    e_lo, e_hi = np.quantile(eff_paths, q, axis=1)
    c_lo, c_hi = np.quantile(cum_paths, q, axis=1)
    nan = np.full(t0, np.nan)
    series = pd.DataFrame({
        "observed": observed, "predicted": predicted, "predicted_low": lo, "predicted_high": hi,
        "point_effect": observed - predicted,
        "point_low": np.r_[observed[:t0] - pre_ci[:, 1], e_lo],
        "point_high": np.r_[observed[:t0] - pre_ci[:, 0], e_hi],
        "cum_effect": np.r_[nan, np.cumsum(obs_post - pred_post)],
        "cum_low": np.r_[nan, c_lo], "cum_high": np.r_[nan, c_hi],
        "post": np.r_[np.zeros(t0, bool), np.ones(n_post, bool)]}, index=ys.index)
    total = cum_paths[-1]
    cum = float(obs_post.sum() - pred_post.sum())
    # Posterior tail-area probability, two-sided: twice CausalImpact's one-sided tail area, so
    # that p < alpha agrees with the 1 - alpha cumulative interval excluding zero.
    sim_sums = paths.sum(axis=0)
    tail = min((sim_sums >= obs_post.sum()).sum(), (sim_sums <= obs_post.sum()).sum())
    p_value = min(1.0, 2 * (tail + 1) / (n_sims + 1))
    c_lo_tot, c_hi_tot = np.quantile(total, q)
    pm = float(pred_post.mean())
    params = dict(zip(res.model.param_names, np.asarray(res.params), strict=True))
    stats = pd.Series({
        "average_effect": cum / n_post, "average_low": c_lo_tot / n_post,
        "average_high": c_hi_tot / n_post, "cumulative_effect": cum,
        "cumulative_low": float(c_lo_tot), "cumulative_high": float(c_hi_tot),
        "relative_effect": cum / n_post / pm if pm != 0 else np.nan, "p_value": p_value,
        "actual_mean": float(obs_post.mean()), "predicted_mean": pm, "n_pre": t0,
        "n_post": n_post,
        "sigma_irregular": float(np.sqrt(params.get("sigma2.irregular", np.nan))) * sd,
        "sigma_level": float(np.sqrt(params.get("sigma2.level", np.nan))) * sd})
    return ImpactResult(series, stats, pd.Timestamp(ys.index[t0]) if isinstance(
        ys.index, pd.DatetimeIndex) else ys.index[t0], alpha)
