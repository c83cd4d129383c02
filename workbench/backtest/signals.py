"""Target weights of copy-Congress strategies, from trades as the public sees them.

Every builder returns a session x ticker array of target weights held from the close of a
session to the next close. A trade can first influence the weights at the close of its entry
session (for ``entry="disclosure"`` the first session strictly after the disclosure date, see
:mod:`workbench.factors.inputs`), so no position ever exists on or before a disclosure date.
Weights of a ticker without a price at a session's close are zero at that close (it cannot be
traded); the remaining weights are renormalized.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.factors.inputs import locate_entries, select_trades

__all__ = ["STRATEGIES", "held_weights", "all_buys_targets", "top_n_targets",
           "long_short_targets", "trader_scores", "trader_score_targets", "normalize"]

STRATEGIES = ("all_buys", "top_n", "long_short", "trader_score")


def held_weights(rows, cols, weights, span: int, shape) -> np.ndarray:
    """Session x ticker sum of ``weights`` over rows ``e .. e+span-1`` of each entry ``e``."""
    n_rows, n_cols = shape
    diff = np.zeros((n_rows + span + 1, n_cols))
    np.add.at(diff, (rows, cols), weights)
    np.add.at(diff, (rows + span, cols), -weights)
    out = np.cumsum(diff, axis=0)[:n_rows]
    scale = float(np.max(np.abs(weights))) if len(weights) else 1.0
    out[np.abs(out) < 1e-9 * scale] = 0.0
    return out


def normalize(raw: np.ndarray, gross: float = 1.0) -> np.ndarray:
    """Scale each row to sum to ``gross`` (rows summing to 0 stay 0)."""
    tot = raw.sum(axis=1, keepdims=True)
    return np.where(tot > 0, raw * gross / np.where(tot > 0, tot, 1.0), 0.0)


def _entries(trades, levels, side, weight, entry, asset_types):
    sel = select_trades(trades, side, asset_types)
    w = np.ones(len(sel)) if weight == "equal" else \
        pd.to_numeric(sel[weight], errors="coerce").to_numpy(dtype=float)
    loc = locate_entries(sel, levels, entry, None if weight == "equal" else w)
    ok = (loc["reason"] == "").to_numpy()
    return sel[ok].reset_index(drop=True), loc["row"].to_numpy()[ok], \
        loc["col"].to_numpy()[ok], w[ok]


def _priced(levels: pd.DataFrame) -> np.ndarray:
    return levels.notna().to_numpy()


def all_buys_targets(trades, levels, holding_days=21, weight="equal", entry="disclosure",
                     asset_types=("stock",), side="buy") -> np.ndarray:
    """Hold every disclosed buy for ``holding_days`` sessions; weights by trade, sum to 1."""
    _, rows, cols, w = _entries(trades, levels, side, weight, entry, asset_types)
    raw = held_weights(rows, cols, w, holding_days, levels.shape) * _priced(levels)
    return normalize(raw)


def long_short_targets(trades, levels, holding_days=21, weight="equal", entry="disclosure",
                       asset_types=("stock",)) -> np.ndarray:
    """Disclosed buys long (+0.5 gross) and disclosed sells short (-0.5 gross)."""
    long = all_buys_targets(trades, levels, holding_days, weight, entry, asset_types, "buy")
    short = all_buys_targets(trades, levels, holding_days, weight, entry, asset_types, "sell")
    return 0.5 * long - 0.5 * short


def top_n_targets(trades, levels, top_n=10, lookback_days=63, entry="disclosure",
                  asset_types=("stock",)) -> np.ndarray:
    """Equal weights in the ``top_n`` tickers most bought (sum of ``amount_mid``, dollars)
    over the last ``lookback_days`` sessions of entries; ties go to the earlier column."""
    _, rows, cols, w = _entries(trades, levels, "buy", "amount_mid", entry, asset_types)
    score = held_weights(rows, cols, w, lookback_days, levels.shape) * _priced(levels)
    order = np.argsort(-score, axis=1, kind="stable")[:, :top_n]
    picked = np.take_along_axis(score, order, axis=1) > 0
    raw = np.zeros_like(score)
    np.put_along_axis(raw, order, picked.astype(float), axis=1)
    return normalize(raw)


def trader_scores(trades, levels, market: np.ndarray, holding_days=21, entry="disclosure",
                  asset_types=("stock",)) -> pd.DataFrame:
    """Each covered buy's outcome and its politician's track record *before* the trade.

    The outcome of a buy entered at row ``e`` is its compounded return over rows
    ``e+1..e+holding_days`` minus the market's (``market``: daily market returns per row), known
    at the close of ``e+holding_days``. A trade's ``prior_score`` is the mean outcome of the
    same politician's buys completed by the close of its own entry session, and ``prior_n``
    their number (walk-forward: only data up to the entry close).
    """
    sel, rows, cols, _ = _entries(trades, levels, "buy", "equal", entry, asset_types)
    R = np.nan_to_num(levels.pct_change(fill_method=None).to_numpy())
    growth = np.vstack([np.ones((1, R.shape[1])), np.cumprod(1 + R, axis=0)])
    mgrowth = np.concatenate([[1.0], np.cumprod(1 + np.nan_to_num(market))])
    n = len(levels)
    end = np.minimum(rows + holding_days, n - 1)
    outcome = (growth[end + 1, cols] / growth[rows + 1, cols]
               - mgrowth[end + 1] / mgrowth[rows + 1])
    done = rows + holding_days          # row at whose close the outcome is known
    complete = done <= n - 1
    prior_score = np.full(len(sel), np.nan)
    prior_n = np.zeros(len(sel), dtype=int)
    pol = sel["politician"].astype(str).to_numpy()
    for p in np.unique(pol):
        idx = np.flatnonzero(pol == p)
        fin = idx[complete[idx]]
        order = fin[np.argsort(done[fin], kind="stable")]
        csum = np.concatenate([[0.0], np.cumsum(outcome[order])])
        k = np.searchsorted(done[order], rows[idx], side="right")
        prior_n[idx] = k
        with np.errstate(invalid="ignore", divide="ignore"):
            prior_score[idx] = np.where(k > 0, csum[k] / np.maximum(k, 1), np.nan)
    return pd.DataFrame({"trade_id": sel["trade_id"].to_numpy() if "trade_id" in sel else
                         np.arange(len(sel)), "politician": pol, "row": rows, "col": cols,
                         "outcome": np.where(complete, outcome, np.nan),
                         "prior_score": prior_score, "prior_n": prior_n})


def trader_score_targets(trades, levels, market, holding_days=21, min_trades=5,
                         entry="disclosure", asset_types=("stock",)) -> np.ndarray:
    """Follow only the buys of politicians whose past buys beat the market (walk-forward).

    A buy is copied when its politician had at least ``min_trades`` completed buys by its entry
    close and their mean market-adjusted outcome was positive (:func:`trader_scores`).
    """
    sc = trader_scores(trades, levels, market, holding_days, entry, asset_types)
    keep = (sc["prior_n"] >= min_trades) & (sc["prior_score"] > 0)
    sc = sc[keep]
    raw = held_weights(sc["row"].to_numpy(), sc["col"].to_numpy(), np.ones(len(sc)),
                       holding_days, levels.shape) * _priced(levels)
    return normalize(raw)
