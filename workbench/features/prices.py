"""Price-based features of the trades of one block of tickers (the unit of Dask work).

:func:`block_features` computes every panel of :mod:`workbench.features.panels` once over the
block's sessions, reads it at each trade's decision session (public features) and transaction
session (``*_tx``), and adds what depends on the trade itself: amount against dollar volume,
rolling FF5 exposures and what the price did between transaction and disclosure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.features.context import PriceBlock, Spec
from workbench.features.panels import (
    _rsum,
    liquidity_panels,
    return_panels,
    technical_panels,
)

__all__ = ["block_features", "exposure_panels", "EXPOSURE_WINDOWS", "exposure_specs",
           "since_tx_specs", "EXPOSURE_NAMES"]

EXPOSURE_WINDOWS = (63, 252)
EXPOSURE_NAMES = ("b_mkt", "b_smb", "b_hml", "b_rmw", "b_cma")


def exposure_panels(excess: np.ndarray, factors: np.ndarray, w: int) -> np.ndarray:
    """Rolling OLS of each ticker's excess return on the five factors (with intercept) over the
    ``w`` sessions ending at each session (inclusive).

    Computed from trailing sums of the cross-products (differences of cumulative sums):
    ``X'X`` is shared by every ticker, ``X'y`` and ``y'y`` are per ticker. Returns an array
    (sessions, tickers, 8): five betas, daily alpha, idiosyncratic volatility (residual std,
    ``ddof=6``) and R^2; NaN when the window is incomplete or holds a missing value.
    """
    n, k = excess.shape
    x = np.column_stack([np.ones(n), factors[:, :5]])                  # (n, 6)
    p = x.shape[1]

    def roll(a: np.ndarray) -> np.ndarray:
        return _rsum(a, w)

    xx = roll((x[:, :, None] * x[:, None, :]).reshape(n, p * p)).reshape(n, p, p)
    ok_y = np.isfinite(excess)
    xy = np.stack([roll(np.where(ok_y, excess * x[:, [j]], np.nan)) for j in range(p)], axis=2)
    yy = roll(excess ** 2)
    sy = xy[:, :, 0]
    out = np.full((n, k, 8), np.nan)
    good_t = np.isfinite(xx).all(axis=(1, 2))
    if not good_t.any():
        return out
    inv = np.full_like(xx, np.nan)
    inv[good_t] = np.linalg.inv(xx[good_t])
    beta = np.einsum("tij,tkj->tki", inv, xy)                           # (n, k, 6)
    sse = yy - np.einsum("tki,tki->tk", beta, xy)
    sst = yy - sy ** 2 / w
    out[:, :, :5] = beta[:, :, 1:]
    out[:, :, 5] = beta[:, :, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        out[:, :, 6] = np.sqrt(np.clip(sse, 0, None) / (w - p))
        out[:, :, 7] = np.where(sst > 0, 1.0 - sse / sst, np.nan)
    return out


def _range_max(values: np.ndarray, lo: np.ndarray, hi: np.ndarray, col: np.ndarray) -> np.ndarray:
    """max of ``values[lo:hi+1, col]`` per query (NaN-skipping; NaN if empty or all NaN), by a
    sparse table over the rows."""
    v = np.where(np.isfinite(values), values, -np.inf)
    table = [v]
    j = 1
    while (1 << j) <= len(v):
        prev = table[-1]
        half = 1 << (j - 1)
        table.append(np.maximum(prev[:-half], prev[half:]))
        j += 1
    out = np.full(len(lo), np.nan)
    ok = hi >= lo
    length = hi[ok] - lo[ok] + 1
    level = np.floor(np.log2(length)).astype(int)
    res = np.empty(int(ok.sum()))
    for lv in np.unique(level):
        m = level == lv
        a = table[lv][lo[ok][m], col[ok][m]]
        b = table[lv][hi[ok][m] - (1 << lv) + 1, col[ok][m]]
        res[m] = np.maximum(a, b)
    res[~np.isfinite(res)] = np.nan
    out[ok] = res
    return out


def _read(panel: np.ndarray, pos: np.ndarray, col: np.ndarray) -> np.ndarray:
    v = panel[np.clip(pos, 0, None), col].astype(float)
    v[pos < 0] = np.nan
    return v


def block_features(b: PriceBlock, groups=("returns", "liquidity", "technical",
                                          "exposures")) -> pd.DataFrame:
    """Price features of the block's trades, indexed by their rows in the trade context.

    ``groups`` selects among ``returns``, ``liquidity``, ``technical``, ``exposures``.
    """
    panels: dict[str, np.ndarray] = {}
    if "returns" in groups:
        panels.update(return_panels(b))
    if "liquidity" in groups:
        panels.update(liquidity_panels(b))
    if "technical" in groups:
        panels.update(technical_panels(b))
    expo = {}
    if "exposures" in groups:
        with np.errstate(invalid="ignore", divide="ignore"):
            excess = (pd.DataFrame(b.close).pct_change(fill_method=None).to_numpy()
                      - b.factors[:, 5:6])
        expo = {w: exposure_panels(excess, b.factors, w) for w in EXPOSURE_WINDOWS}
    cols: dict[str, np.ndarray] = {}
    for suffix, pos in (("", b.dpos), ("_tx", b.tpos)):
        for name, panel in panels.items():
            if name.startswith("adv_"):
                continue
            cols[f"{name}{suffix}"] = _read(panel, pos, b.col)
        for w in (21, 63) if "liquidity" in groups else ():
            adv = _read(panels[f"adv_{w}"], pos, b.col)
            with np.errstate(invalid="ignore", divide="ignore"):
                cols[f"amount_to_adv_{w}{suffix}"] = np.where(adv > 0, b.amount / adv, np.nan)
        for w, est in expo.items():
            for j, name in enumerate((*EXPOSURE_NAMES, "alpha", "idio_vol", "r2")):
                cols[f"{name}_{w}{suffix}"] = _read(est[:, :, j], pos, b.col)
    if "returns" in groups:
        cols.update(_since_tx(b))
    return pd.DataFrame(cols, index=pd.Index(b.rows, name="row"))


def _since_tx(b: PriceBlock) -> dict[str, np.ndarray]:
    """What the stock did between the transaction and the decision session (public at
    disclosure): total and market-adjusted return, largest daily abnormal move."""
    close = b.close
    t0, t1, c = b.tpos, b.dpos, b.col
    ok = (t0 >= 0) & (t1 >= 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        daily = np.vstack([np.full((1, close.shape[1]), np.nan), close[1:] / close[:-1] - 1.0])
        abn_daily = np.abs(daily - b.market[:, None])
        mlevel = np.cumprod(1.0 + np.where(np.isfinite(b.market), b.market, 0.0))
        a, z = np.clip(t0, 0, None), np.clip(t1, 0, None)
        ret = np.where(ok, close[z, c] / close[a, c] - 1.0, np.nan)
        abn = ret - (mlevel[z] / mlevel[a] - 1.0)
    big = _range_max(abn_daily, a + 1, z, c)
    big = np.where(ok & (t1 == t0), 0.0, big)
    big[~ok] = np.nan
    # the first session after the transaction, when it is known by the decision session
    nxt = ok & (t1 > t0)
    first = np.full(len(t0), np.nan)
    first[nxt] = (daily - b.market[:, None])[a[nxt] + 1, c[nxt]]
    return {"ret_since_tx": ret, "abn_mkt_since_tx": abn, "max_abs_abn_since_tx": big,
            "abn_first_after_tx": first, "signed_abn_first_after_tx": first * b.side_sign}


def exposure_specs(suffix: str) -> list[Spec]:
    src = "prices.adj_close, factors"
    s = []
    for w in EXPOSURE_WINDOWS:
        for name in EXPOSURE_NAMES:
            s.append(Spec(f"{name}_{w}{suffix}", "exposures",
                          f"OLS loading on {name[2:].upper()} (excess return on FF5)", "beta",
                          f"{w} sessions", src))
        s += [Spec(f"alpha_{w}{suffix}", "exposures", "FF5 intercept", "decimal/day", f"{w} sessions", src),
              Spec(f"idio_vol_{w}{suffix}", "exposures", "residual std of the FF5 regression", "decimal/day", f"{w} sessions", src),
              Spec(f"r2_{w}{suffix}", "exposures", "R^2 of the FF5 regression", "share", f"{w} sessions", src)]
    return s


def since_tx_specs() -> list[Spec]:
    src = "prices.adj_close, factors, trades.transaction_date, trades.disclosure_date"
    return [Spec("ret_since_tx", "returns", "return from the transaction session to the decision session (public at disclosure)", "decimal", "transaction..disclosure", src),
            Spec("abn_mkt_since_tx", "returns", "the same minus the market's compounded return", "decimal", "transaction..disclosure", src),
            Spec("max_abs_abn_since_tx", "returns", "largest |daily return - market| after the transaction, up to the decision session", "decimal", "transaction..disclosure", src),
            Spec("abn_first_after_tx", "returns", "return - market on the first session after the transaction (NaN if that session is after the decision session)", "decimal", "1 session", src),
            Spec("signed_abn_first_after_tx", "returns", "the same times +1 for a buy, -1 for a sell (the move in the trade's favour)", "decimal", "1 session", src + ", trades.side")]
