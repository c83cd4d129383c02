"""Macro features: market regime probabilities known at the date, market volatility, rates.

Regime probabilities come from :func:`workbench.regimes.walkforward.walk_forward_proba` on the
market excess return (``Mkt-RF``): each session's probabilities use only a model fitted on data
before its last refit and filtered up to that session. The Fama-French file has no term spread,
so no term-spread feature is produced unless the factor frame carries a ``TERM`` column (then
its level and 63-session change are added). Read at the decision session (public) and at the
transaction session (``*_tx``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.features.context import Spec, TradeContext

__all__ = ["macro_features", "macro_specs", "market_panel", "REGIME_REFIT_EVERY"]

REGIME_REFIT_EVERY = 252


def market_panel(ctx: TradeContext, *, regimes: bool = True,
                 refit_every: int = REGIME_REFIT_EVERY, random_state: int = 0) -> pd.DataFrame:
    """Per-session macro values on the price grid (causal)."""
    f = ctx.factors
    mkt = f["Mkt-RF"].astype(float)
    out = pd.DataFrame(index=ctx.sessions)
    out["mkt_ret_21"] = mkt.rolling(21, min_periods=21).sum()
    out["mkt_ret_63"] = mkt.rolling(63, min_periods=63).sum()
    out["mkt_vol_21"] = mkt.rolling(21, min_periods=21).std()
    out["mkt_vol_63"] = mkt.rolling(63, min_periods=63).std()
    rf = f["RF"].astype(float) * 252
    out["rf_level"] = rf
    out["rf_change_63"] = rf - rf.shift(63)
    for c in ("SMB", "HML", "RMW", "CMA"):
        out[f"{c.lower()}_ret_63"] = f[c].astype(float).rolling(63, min_periods=63).sum()
    if "TERM" in f.columns:
        out["term_spread"] = f["TERM"].astype(float)
        out["term_spread_change_63"] = out["term_spread"] - out["term_spread"].shift(63)
    if regimes:
        from workbench.regimes import regime_features
        from workbench.regimes.walkforward import walk_forward_proba

        series = mkt.dropna()
        if len(series) > 600:
            feats = regime_features(series)
            proba = walk_forward_proba(feats, n_states=4, refit_every=refit_every,
                                       min_train=504, random_state=random_state)
            proba = proba.reindex(ctx.sessions)
            for name in ("bull", "bear", "high_vol", "low_vol"):
                out[f"regime_p_{name}"] = (proba[name] if name in proba.columns
                                           else np.nan)
        else:
            for name in ("bull", "bear", "high_vol", "low_vol"):
                out[f"regime_p_{name}"] = np.nan
    return out


def macro_features(ctx: TradeContext, panel: pd.DataFrame) -> pd.DataFrame:
    """Read the macro panel at each trade's decision and transaction sessions."""
    vals = panel.to_numpy(dtype=float)
    cols: dict[str, np.ndarray] = {}
    for suffix, pos in (("", ctx.dpos), ("_tx", ctx.tpos)):
        v = vals[np.clip(pos, 0, None)]
        v[pos < 0] = np.nan
        for j, c in enumerate(panel.columns):
            cols[f"{c}{suffix}"] = v[:, j]
    return pd.DataFrame(cols, index=pd.RangeIndex(len(ctx.trades), name="row"))


_DESC = {"mkt_ret_21": ("sum of daily Mkt-RF", "decimal", "21 sessions"),
         "mkt_ret_63": ("sum of daily Mkt-RF", "decimal", "63 sessions"),
         "mkt_vol_21": ("std of daily Mkt-RF", "decimal/day", "21 sessions"),
         "mkt_vol_63": ("std of daily Mkt-RF", "decimal/day", "63 sessions"),
         "rf_level": ("risk-free rate, annualized (RF x 252)", "decimal/yr", "1 session"),
         "rf_change_63": ("change of the annualized RF", "decimal/yr", "63 sessions"),
         "smb_ret_63": ("sum of daily SMB", "decimal", "63 sessions"),
         "hml_ret_63": ("sum of daily HML", "decimal", "63 sessions"),
         "rmw_ret_63": ("sum of daily RMW", "decimal", "63 sessions"),
         "cma_ret_63": ("sum of daily CMA", "decimal", "63 sessions"),
         "term_spread": ("term spread (factor file TERM column)", "decimal", "1 session"),
         "term_spread_change_63": ("change of the term spread", "decimal", "63 sessions")}


def macro_specs(columns) -> list[Spec]:
    s = []
    for suffix in ("", "_tx"):
        for c in columns:
            if c.startswith("regime_p_"):
                d = (f"walk-forward filtered probability of the {c[9:]} regime (HMM on Mkt-RF, "
                     f"refit every {REGIME_REFIT_EVERY} sessions on data before the refit)")
                s.append(Spec(f"{c}{suffix}", "macro", d, "probability", "all history", "factors.Mkt-RF"))
            else:
                d, u, lb = _DESC[c]
                s.append(Spec(f"{c}{suffix}", "macro", d, u, lb, "factors"))
    return s
