"""Slow, obviously-correct event-by-event backtest loop (reference for workbench.backtest).

Walks the sessions one by one, opening positions when their entry session comes, closing them
when their holding period ends, and computing returns, drift, turnover and costs with dicts.
Same rules as the vectorized engine (see workbench.backtest.engine), written independently.
Also used by benchmarks/bench_backtest.py.
"""

from __future__ import annotations

import bisect
import math

import numpy as np
import pandas as pd

from workbench.data.calendar import trading_days


def _entries(trades, levels, side, entry):
    """(row, ticker, trade) for every tradable stock trade of ``side``, by a plain loop."""
    px_row = {d: i for i, d in enumerate(levels.index)}
    sessions = list(trading_days(levels.index[0] - pd.Timedelta(days=90),
                                 levels.index[-1] + pd.Timedelta(days=30)))
    has_px = levels.notna()
    out = []
    for t in trades.to_dict("records"):
        if t["side"] != side or t["asset_type"] != "stock":
            continue
        tk = t["ticker"]
        if tk is None or (isinstance(tk, float) and math.isnan(tk)) or tk not in levels.columns:
            continue
        d = t["disclosure_date"] if entry == "disclosure" else t["transaction_date"]
        if pd.isna(d):
            continue
        # first session strictly after (disclosure) / on or after (transaction) the date
        k = (bisect.bisect_right if entry == "disclosure" else bisect.bisect_left)(sessions, d)
        e = sessions[k] if k < len(sessions) else None
        if e is None or e not in px_row:
            continue
        i = px_row[e]
        if not has_px.iat[i, levels.columns.get_loc(tk)]:
            continue
        out.append((i, tk, t))
    return out


def naive_backtest(trades, levels, strategy="all_buys", holding_days=21, top_n=10,
                   lookback_days=63, min_trades=5, weight="equal", cost_bps=0.0,
                   slippage_bps=0.0, entry="disclosure", market=None):
    """Event-by-event loop; returns a DataFrame (gross, turnover, cost, net, equity)."""
    days = list(levels.index)
    tickers = list(levels.columns)
    n = len(days)
    rets = levels.pct_change(fill_method=None).fillna(0.0)
    ret = [dict(zip(tickers, row, strict=True)) for row in rets.to_numpy().tolist()]
    priced = [dict(zip(tickers, row, strict=True))
              for row in levels.notna().to_numpy().tolist()]
    sides = ["buy", "sell"] if strategy == "long_short" else ["buy"]
    events = {s: _entries(trades, levels, s, entry) for s in sides}
    if market is None:
        market = [0.0] * n
    # trader_score: outcome of each buy, known at the close of entry + holding_days
    done_at: dict[int, list] = {}
    if strategy == "trader_score":
        for i, tk, t in events["buy"]:
            end = min(i + holding_days, n - 1)
            if i + holding_days > n - 1:
                continue
            g = m = 1.0
            for k in range(i + 1, end + 1):
                g *= 1 + ret[k][tk]
                m *= 1 + (0.0 if np.isnan(market[k]) else market[k])
            done_at.setdefault(i + holding_days, []).append((t["politician"], g - m))
    by_row = {s: {} for s in sides}
    for s in sides:
        for ev in events[s]:
            by_row[s].setdefault(ev[0], []).append(ev)
    record: dict[str, list] = {}
    open_pos = []            # [entry_row, ticker, weight, side]
    prev = {}
    equity = 1.0
    rows = []
    for t in range(n):
        gross = sum(w * ret[t][tk] for tk, w in prev.items())
        drifted = {tk: w * (1 + ret[t][tk]) / (1 + gross) for tk, w in prev.items()}
        for pol, out in done_at.get(t, []):
            record.setdefault(pol, []).append(out)
        for s in sides:
            for i, tk, tr in by_row[s].get(t, []):
                if strategy == "trader_score":
                    rec = record.get(tr["politician"], [])
                    if len(rec) < min_trades or sum(rec) / len(rec) <= 0:
                        continue
                w = 1.0 if weight == "equal" or strategy == "top_n" else float(tr[weight])
                if strategy == "top_n":
                    w = float(tr["amount_mid"])
                open_pos.append([i, tk, w, s])
        span = lookback_days if strategy == "top_n" else holding_days
        open_pos = [p for p in open_pos if p[0] + span - 1 >= t]
        target = {}
        if strategy == "top_n":
            score = {}
            for _, tk, w, _ in open_pos:
                if priced[t][tk]:
                    score[tk] = score.get(tk, 0.0) + w
            ranked = sorted((tk for tk in score if score[tk] > 0),
                            key=lambda tk: (-score[tk], tickers.index(tk)))[:top_n]
            target = {tk: 1.0 / len(ranked) for tk in ranked}
        else:
            for s in sides:
                raw = {}
                for _, tk, w, side in open_pos:
                    if side == s and priced[t][tk]:
                        raw[tk] = raw.get(tk, 0.0) + w
                tot = sum(raw.values())
                gross_side = 0.5 if strategy == "long_short" else 1.0
                sign = 1.0 if s == "buy" else -1.0
                for tk, v in raw.items():
                    target[tk] = target.get(tk, 0.0) + sign * gross_side * v / tot
        turnover = sum(abs(target.get(tk, 0.0) - drifted.get(tk, 0.0))
                       for tk in set(target) | set(drifted))
        cost = turnover * (cost_bps + slippage_bps) / 1e4
        net = gross - cost
        equity *= 1 + net
        rows.append((gross, turnover, cost, net, equity))
        prev = {tk: w for tk, w in target.items() if w != 0}
    return pd.DataFrame(rows, index=levels.index,
                        columns=["gross", "turnover", "cost", "net", "equity"])
