"""Disclosure-flow features: what the filings themselves say, and who else is buying or selling.

There is no news feed in this project, so there is no news sentiment. This group (the issue's
"sentiment" group, named for what it is) is built from the disclosures: the filing's own content
(how many trades, share of buys, partial sales, comments, amendments, owner, asset type), the
politician's recent buy/sell imbalance, and the Congress-wide buy/sell imbalance in the ticker and
overall. Every count uses trades **disclosed strictly before** the trade's disclosure date
(calendar-day windows), except the filing features, which describe the trade's own filing (known
at the same moment as the trade).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.features.context import Spec, TradeContext

__all__ = ["flow_features", "flow_specs", "windowed_sum", "FLOW_WINDOWS"]

FLOW_WINDOWS = (30, 90, 365)


def windowed_sum(group: np.ndarray, day: np.ndarray, weight: np.ndarray, q_group: np.ndarray,
                 q_day: np.ndarray, window: float) -> np.ndarray:
    """Sum of ``weight`` over events of the query's group with ``q_day - window <= day < q_day``.

    ``group`` codes are non-negative ints (a query with group -1 gets NaN); days are floats
    (NaN events are ignored, NaN queries give NaN). ``window=np.inf`` sums all earlier events.
    """
    ok = (group >= 0) & np.isfinite(day)
    big = 1e7
    key = group[ok] * big + day[ok]
    order = np.argsort(key, kind="stable")
    key = key[order]
    cum = np.concatenate([[0.0], np.cumsum(weight[ok][order])])
    out = np.full(len(q_day), np.nan)
    qok = (q_group >= 0) & np.isfinite(q_day)
    hi = np.searchsorted(key, q_group[qok] * big + q_day[qok], side="left")
    lo_day = np.maximum(q_day[qok] - window, -1.0) if np.isfinite(window) else np.full(
        int(qok.sum()), -1.0)
    lo = np.searchsorted(key, q_group[qok] * big + lo_day, side="left")
    out[qok] = cum[hi] - cum[lo]
    return out


def _codes(values: pd.Series) -> np.ndarray:
    codes, _ = pd.factorize(values.astype("string"), use_na_sentinel=True)
    return codes.astype(np.int64)


def _day(dates: pd.Series) -> np.ndarray:
    d = pd.to_datetime(dates).astype("datetime64[ns]")
    out = d.to_numpy().astype("datetime64[D]").astype("int64").astype(float)
    out[d.isna().to_numpy()] = np.nan
    return out


def flow_features(ctx: TradeContext) -> pd.DataFrame:
    """Filing content and recent disclosed buy/sell imbalances (module docstring)."""
    t = ctx.trades
    side = t["side"].astype("string").fillna("").to_numpy()
    buy = (side == "buy").astype(float)
    sell = (side == "sell").astype(float)
    day = _day(t["disclosure_date"])
    amount = t["amount_mid"].astype(float).to_numpy()
    cols: dict[str, np.ndarray] = {}
    filing = t["filing_id"] if "filing_id" in t.columns else t["trade_id"]
    f = pd.DataFrame({"filing": filing.astype("string").fillna(t["trade_id"]), "buy": buy,
                      "sell": sell, "amount": np.nan_to_num(amount),
                      "ticker": t["ticker"].astype("string")})
    g = f.groupby("filing", sort=False)
    n = g["buy"].transform("size").to_numpy(dtype=float)
    cols["filing_n_trades"] = n
    cols["filing_n_tickers"] = g["ticker"].transform("nunique").to_numpy(dtype=float)
    bs = g["buy"].transform("sum").to_numpy() + g["sell"].transform("sum").to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        cols["filing_buy_share"] = np.where(bs > 0, g["buy"].transform("sum").to_numpy() / bs,
                                            np.nan)
    cols["filing_log_amount"] = np.log1p(g["amount"].transform("sum").to_numpy())
    cols["side_sign"] = buy - sell
    cols["is_partial"] = t["is_partial"].astype("boolean").fillna(False).to_numpy(dtype=float)
    comment = (t["comment"].astype("string") if "comment" in t.columns
               else pd.Series(pd.NA, index=t.index, dtype="string"))
    cols["has_comment"] = comment.fillna("").str.strip().str.len().gt(0).to_numpy(dtype=float)
    cols["comment_length"] = comment.fillna("").str.len().to_numpy(dtype=float)
    text = (t.get("source_url", pd.Series("", index=t.index)).astype("string").fillna("") + " "
            + comment.fillna("") + " " + t["asset_description"].astype("string").fillna(""))
    cols["is_amendment"] = text.str.contains("amend", case=False).to_numpy(dtype=float)
    owner = t["owner"].astype("string").fillna("unknown")
    for o in ("self", "spouse", "joint", "child"):
        cols[f"owner_{o}"] = (owner == o).to_numpy(dtype=float)
    atype = t["asset_type"].astype("string").fillna("other")
    for a in ("stock", "option", "bond", "fund"):
        cols[f"asset_{a}"] = (atype == a).to_numpy(dtype=float)

    pol = _codes(t["politician"])
    tick = _codes(t["ticker"])
    everyone = np.zeros(len(t), dtype=np.int64)
    for w in FLOW_WINDOWS:
        for key, grp in (("pol", pol), ("congress_ticker", tick), ("congress", everyone)):
            b = windowed_sum(grp, day, buy, grp, day, w)
            s = windowed_sum(grp, day, sell, grp, day, w)
            with np.errstate(invalid="ignore", divide="ignore"):
                cols[f"{key}_imbalance_{w}d"] = np.where(b + s > 0, (b - s) / (b + s), 0.0)
            cols[f"{key}_imbalance_{w}d"][~np.isfinite(b)] = np.nan
            if key != "congress":
                cols[f"{key}_n_trades_{w}d"] = b + s
    return pd.DataFrame(cols, index=pd.RangeIndex(len(t), name="row"))


def flow_specs() -> list[Spec]:
    g = "disclosure_flow"
    s = [Spec("filing_n_trades", g, "trades in the same filing", "count", "the filing", "trades.filing_id"),
         Spec("filing_n_tickers", g, "distinct tickers in the same filing", "count", "the filing", "trades.filing_id, ticker"),
         Spec("filing_buy_share", g, "share of buys among the filing's buys and sells", "share", "the filing", "trades.filing_id, side"),
         Spec("filing_log_amount", g, "log(1 + sum of amount_mid in the filing)", "log $", "the filing", "trades.filing_id, amount_mid"),
         Spec("side_sign", g, "+1 buy, -1 sell, 0 exchange", "sign", "none", "trades.side"),
         Spec("is_partial", g, "partial sale", "0/1", "none", "trades.is_partial"),
         Spec("has_comment", g, "the filing row carries a comment", "0/1", "none", "trades.comment"),
         Spec("comment_length", g, "characters of comment", "chars", "none", "trades.comment"),
         Spec("is_amendment", g, "'amend' appears in the source URL, comment or description", "0/1", "none", "trades.source_url, comment, asset_description")]
    s += [Spec(f"owner_{o}", g, f"owner is {o}", "0/1", "none", "trades.owner") for o in ("self", "spouse", "joint", "child")]
    s += [Spec(f"asset_{a}", g, f"asset type is {a}", "0/1", "none", "trades.asset_type") for a in ("stock", "option", "bond", "fund")]
    for w in FLOW_WINDOWS:
        s += [Spec(f"pol_imbalance_{w}d", g, "the politician's (buys - sells) / (buys + sells) among trades disclosed before", "ratio", f"{w} days", "trades.politician, side, disclosure_date"),
              Spec(f"pol_n_trades_{w}d", g, "the politician's buys and sells disclosed before", "count", f"{w} days", "trades.politician, side, disclosure_date"),
              Spec(f"congress_ticker_imbalance_{w}d", g, "Congress-wide (buys - sells) / (buys + sells) in the ticker, disclosed before", "ratio", f"{w} days", "trades.ticker, side, disclosure_date"),
              Spec(f"congress_ticker_n_trades_{w}d", g, "Congress-wide buys and sells in the ticker disclosed before", "count", f"{w} days", "trades.ticker, side, disclosure_date"),
              Spec(f"congress_imbalance_{w}d", g, "Congress-wide (buys - sells) / (buys + sells), all tickers, disclosed before", "ratio", f"{w} days", "trades.side, disclosure_date")]
    return s
