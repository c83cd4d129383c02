"""Walk-forward evaluation of the ensemble against every single member on the same folds.

The folds are :class:`workbench.forecast.folds.PurgedWalkForward` over the samples' decision
dates (the grid of :mod:`workbench.ensemble.samples`), with a purge of ``ceil(h / step)`` grid
dates (no training label overlaps a test label) and an embargo. In every fold, on the same
training samples:

- the **ensemble**: a :class:`~workbench.ensemble.meta.MetaLearner` on all members;
- each **member alone**: the same learner on that member's value only (so a member's scale
  is fitted as the ensemble's weights are, and the comparison is like for like);
- **baselines**: zero return and the training mean.

Probabilities are tempered with a temperature fitted on the out-of-sample predictions of the
earlier folds (fold 0 keeps 1), so calibration is measured out of sample too. Losses:
squared error of the return, log loss of the direction; ensemble vs each member and vs the
best member (the member with the lowest out-of-sample loss, picked after the fact, which
favours the member) by the Diebold-Mariano test of :mod:`workbench.forecast.evaluation`
(losses averaged per date, Newey-West with ``ceil(h / step) - 1`` lags: labels of
neighbouring grid dates overlap by that many dates).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.ensemble.meta import MetaLearner, fit_temperature, temper
from workbench.forecast import evaluation as ev

__all__ = ["EnsembleEvaluation", "evaluate_walk_forward", "make_folds", "ALPHA"]

ALPHA = 0.05
DIRECTIONS = ("down", "flat", "up")


def make_folds(horizon: int, step: int, n_splits: int = 4, test_fraction: float = 0.4,
               embargo: int = 1):
    """The purged walk-forward folds over grid dates (purge = ``ceil(h / step)`` dates)."""
    from workbench.forecast.folds import PurgedWalkForward

    return PurgedWalkForward(n_splits=n_splits, purge=int(np.ceil(horizon / step)),
                             embargo=embargo, test_fraction=test_fraction)


@dataclass(frozen=True)
class EnsembleEvaluation:
    """Out-of-sample predictions of the ensemble, each member alone and the baselines.

    Attributes
    ----------
    horizon, step : int
    members : tuple of str
    predictions : DataFrame
        One row per test sample: ``fold, date, ticker, y, direction, ens_ret, ens_vol,
        ens_p_down, ens_p_flat, ens_p_up``, per member ``<m>_value`` (its raw prediction),
        ``<m>_ret`` and ``<m>_p_<class>`` (alone, through the learner), ``zero_ret``,
        ``mean_ret``, ``base_vol``.
    weights : DataFrame
        Ensemble weights per fold (return units) with the intercept and the ridge penalty.
    temperatures : Series
        Temperature used in each fold.
    layout : DataFrame
        Fold layout (:meth:`PurgedWalkForward.layout`).
    coverage : Series
        Share of all samples where each member is available.
    """

    horizon: int
    step: int
    members: tuple
    predictions: pd.DataFrame
    weights: pd.DataFrame
    temperatures: pd.Series
    layout: pd.DataFrame
    coverage: pd.Series

    def to_frame(self) -> pd.DataFrame:
        return self.predictions.copy()

    @property
    def lags(self) -> int:
        """Grid dates a label spans (``ceil(h / step)``): the Diebold-Mariano horizon."""
        return max(int(np.ceil(self.horizon / self.step)), 1)

    def _proba(self, name: str, p: pd.DataFrame) -> np.ndarray:
        return p[[f"{name}_p_{c}" for c in DIRECTIONS]].to_numpy()

    def skill(self, rows=None) -> pd.DataFrame:
        """Per predictor: coverage, return MSE, out-of-sample R2 vs zero, direction log loss,
        accuracy, ECE; sorted by MSE. ``rows`` restricts to some prediction rows."""
        p = self.predictions if rows is None else self.predictions.loc[rows]
        y, d = p["y"].to_numpy(), p["direction"].to_numpy()
        mse0 = float(np.mean(y ** 2)) if len(y) else np.nan
        recs = []
        for name in ("ensemble", *self.members, "zero", "mean"):
            col = "ens" if name == "ensemble" else name
            f = p[f"{col}_ret"].to_numpy()
            mse = float(np.mean((y - f) ** 2)) if len(y) else np.nan
            rec = {"predictor": name, "mse": mse, "rmse": float(np.sqrt(mse)),
                   "r2_oos": 1 - mse / mse0 if mse0 > 0 else np.nan,
                   "coverage": (float(self.coverage.get(name, np.nan))
                                if name in self.members else 1.0),
                   "log_loss": np.nan, "accuracy": np.nan, "ece": np.nan}
            if f"{col}_p_up" in p.columns and len(y):
                pr = self._proba(col, p)
                rec.update(log_loss=float(ev.log_loss(d, pr).mean()),
                           accuracy=ev.accuracy(d, pr),
                           ece=ev.expected_calibration_error(d, pr))
            recs.append(rec)
        return pd.DataFrame(recs)

    def best_member(self, rows=None) -> str:
        """Member with the lowest out-of-sample MSE alone (picked after the fact)."""
        s = self.skill(rows)
        s = s[s["predictor"].isin(self.members)]
        return str(s.sort_values("mse", kind="stable")["predictor"].iloc[0])

    def comparisons(self, rows=None) -> pd.DataFrame:
        """Ensemble vs each member, the best member and the baselines (Diebold-Mariano).

        ``dm_p`` is one-sided for "the ensemble has the lower loss". Direction comparisons
        are made only against predictors with probabilities.
        """
        p = self.predictions if rows is None else self.predictions.loc[rows]
        y, d, dates = p["y"].to_numpy(), p["direction"].to_numpy(), p["date"].to_numpy()
        best = self.best_member(rows) if len(p) else ""
        recs = []
        le = (y - p["ens_ret"].to_numpy()) ** 2
        for name in (*self.members, "zero", "mean"):
            lb = (y - p[f"{name}_ret"].to_numpy()) ** 2
            dm = ev.diebold_mariano(le, lb, dates, self.lags)
            recs.append({"task": "return", "loss": "squared error", "vs": name,
                         "is_best": name == best, "ensemble_loss": float(le.mean()),
                         "other_loss": float(lb.mean()), **dm.to_dict()})
        lle = ev.log_loss(d, self._proba("ens", p))
        for name in self.members:
            llb = ev.log_loss(d, self._proba(name, p))
            dm = ev.diebold_mariano(lle, llb, dates, self.lags)
            recs.append({"task": "direction", "loss": "log loss", "vs": name,
                         "is_best": name == best, "ensemble_loss": float(lle.mean()),
                         "other_loss": float(llb.mean()), **dm.to_dict()})
        out = pd.DataFrame(recs)
        if len(out):
            out["verdict"] = np.where(out["dm_p"] < ALPHA, "beats baseline",
                                      "does not beat baseline")
        return out

    def by_fold(self) -> pd.DataFrame:
        """Per fold: test dates, samples, MSE of the ensemble, of the best member and of zero."""
        best = self.best_member()
        rows = []
        for fold, p in self.predictions.groupby("fold"):
            y = p["y"].to_numpy()
            rows.append({"fold": int(fold), "start": p["date"].min(), "end": p["date"].max(),
                         "n_samples": len(p), "best_member": best,
                         "ensemble_mse": float(np.mean((y - p["ens_ret"]) ** 2)),
                         "best_member_mse": float(np.mean((y - p[f"{best}_ret"]) ** 2)),
                         "zero_mse": float(np.mean(y ** 2))})
        return pd.DataFrame(rows)

    def calibration(self, n_bins: int = 10) -> pd.DataFrame:
        """Reliability curve of the ensemble's top-label probability (out of sample)."""
        p = self.predictions
        return ev.reliability_curve(p["direction"].to_numpy(), self._proba("ens", p), n_bins)

    def ece(self) -> float:
        p = self.predictions
        return ev.expected_calibration_error(p["direction"].to_numpy(), self._proba("ens", p))

    def summary(self) -> pd.DataFrame:
        return self.comparisons()


def _fit_predict(learner_kw, stack, tr, te, cols):
    ml = MetaLearner(**learner_kw).fit(stack.X[tr][:, cols], stack.U[tr][:, cols], stack.y[tr],
                                       stack.direction[tr], stack.base_vol[tr],
                                       stack.dates[tr])
    return ml, ml.predict(stack.X[te][:, cols], stack.U[te][:, cols], stack.base_vol[te])


def evaluate_walk_forward(stack, folds, learner_kw: dict | None = None) -> EnsembleEvaluation:
    """Fit and test the ensemble and every member alone on each fold (module notes)."""
    learner_kw = dict(learner_kw or {})
    members = tuple(stack.members)
    M = len(members)
    parts, wrows, temps = [], [], {}
    oos_p, oos_y = [], []
    for fold, (tr, te) in enumerate(folds.split(stack.dates)):
        if len(tr) < 20 or len(te) == 0:
            continue
        ml, out = _fit_predict(learner_kw, stack, tr, te, list(range(M)))
        t = fit_temperature(np.vstack(oos_p), np.concatenate(oos_y)) if oos_p else 1.0
        temps[fold] = t
        raw_p = out["proba"]
        oos_p.append(raw_p)
        oos_y.append(stack.direction[te])
        frame = {"fold": fold, "date": stack.dates[te], "ticker": stack.tickers[te],
                 "y": stack.y[te], "direction": stack.direction[te],
                 "base_vol": stack.base_vol[te], "ens_ret": out["ret"], "ens_vol": out["vol"]}
        pe = temper(raw_p, t)
        for c, name in enumerate(DIRECTIONS):
            frame[f"ens_p_{name}"] = pe[:, c]
            frame[f"ens_raw_p_{name}"] = raw_p[:, c]
        for j, m in enumerate(members):
            _, o = _fit_predict(learner_kw, stack, tr, te, [j])
            frame[f"{m}_value"] = stack.X[te, j]
            frame[f"{m}_ret"] = o["ret"]
            for c, name in enumerate(DIRECTIONS):
                frame[f"{m}_p_{name}"] = o["proba"][:, c]
        frame["zero_ret"] = np.zeros(len(te))
        frame["mean_ret"] = np.full(len(te), float(np.mean(stack.y[tr])))
        parts.append(pd.DataFrame(frame))
        wrows.append({"fold": fold, **dict(zip(members, ml.weights_, strict=True)),
                      "intercept": ml.intercept_, "ridge_alpha": ml.alpha_,
                      "n_train": len(tr), "n_test": len(te)})
    if not parts:
        raise ValueError("no fold had enough training samples")
    return EnsembleEvaluation(
        horizon=stack.horizon, step=stack.step, members=members,
        predictions=pd.concat(parts, ignore_index=True), weights=pd.DataFrame(wrows),
        temperatures=pd.Series(temps, name="temperature").rename_axis("fold"),
        layout=folds.layout(stack.dates), coverage=stack.coverage())
