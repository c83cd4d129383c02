"""Slow, obviously-right references for workbench.features (one row or one trade at a time)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.data.calendar import next_session, trading_days


def activity_row(trades: pd.DataFrame, date, ticker: str, window: int,
                 asset_types=("stock",)) -> dict:
    """Disclosed activity of one ticker at one date, by filtering the trades table."""
    date = pd.Timestamp(date)
    t = trades[(trades["ticker"] == ticker) & trades["side"].isin(["buy", "sell"])
               & trades["asset_type"].isin(list(asset_types)) & trades["disclosure_date"].notna()]
    entry = pd.Series(next_session(t["disclosure_date"]), index=t.index)
    known = t[entry <= date]
    sessions = trading_days(date - pd.Timedelta(days=400), date)
    first = sessions[-window] if len(sessions) >= window else sessions[0]
    win = known[entry[known.index] >= first]
    buys = win[win["side"] == "buy"]
    sells = win[win["side"] == "sell"]
    nb, ns = len(buys), len(sells)
    out = {
        f"n_buys_{window}": nb, f"n_sells_{window}": ns,
        f"net_imbalance_{window}": (nb - ns) / (nb + ns) if nb + ns else 0.0,
        f"amount_buy_{window}": buys["amount_mid"].fillna(0).sum(),
        f"amount_sell_{window}": sells["amount_mid"].fillna(0).sum(),
        f"n_politicians_{window}": win["politician"].nunique(),
        "n_trades_known": len(known),
    }
    out[f"net_amount_{window}"] = out[f"amount_buy_{window}"] - out[f"amount_sell_{window}"]
    if len(known):
        last = entry[known.index].max()
        out["sessions_since_last"] = len(trading_days(last, date)) - 1
    else:
        out["sessions_since_last"] = np.nan
    return out


# ---------------------------------------------------------------------------------------------
# trade features, one trade at a time, from the long tables (prefix up to the session only)

_CACHE: dict = {}


def _cached(universe):
    """Per-ticker price frames and per-date sector mean returns, split once per universe.

    The sector return of a date is the mean of that date's returns of the sector's tickers,
    so precomputing it and slicing up to a session reads no later data."""
    key = id(universe)
    if key not in _CACHE:
        p = universe.prices.copy()
        p["ticker"] = p["ticker"].astype(str)
        sessions = pd.DatetimeIndex(np.sort(pd.to_datetime(p["date"]).unique()))
        by = {t: g.set_index("date") for t, g in p.groupby("ticker")}
        sec = universe.securities.set_index("ticker")["sector"].astype(str)
        rets = pd.DataFrame({t: g["adj_close"].reindex(sessions) for t, g in by.items()}
                            ).pct_change(fill_method=None)
        sector_ret = {s_: rets[[t for t in rets.columns if sec.get(t) == s_]].mean(axis=1)
                      for s_ in sec.unique()}
        _CACHE.clear()
        _CACHE[key] = (sessions, by, sec, sector_ret)
    return _CACHE[key]


def sessions_of(universe) -> pd.DatetimeIndex:
    return _cached(universe)[0]


def decision_sessions(universe, trade) -> tuple:
    """(decision session, transaction session) of a trade row, or None where before the data."""
    s = sessions_of(universe)
    d = s[s <= pd.Timestamp(trade["disclosure_date"])]
    if len(d) == 0:
        return None, None
    dec = d[-1]
    t = s[s <= pd.Timestamp(trade["transaction_date"])]
    tx = t[-1] if len(t) and t[-1] <= dec else dec
    return dec, tx


def _series(universe, ticker: str, field: str, upto) -> pd.Series:
    sessions, by, _, _ = _cached(universe)
    p = by[ticker][field].astype(float)
    return p.reindex(sessions[sessions <= upto])


def _wilder(x: pd.Series, n: int) -> pd.Series:
    """Wilder's recursive average written out as a loop (first value = first observation)."""
    out = np.full(len(x), np.nan)
    prev = np.nan
    seen = 0
    for i, v in enumerate(x.to_numpy(dtype=float)):
        if np.isnan(v):
            out[i] = prev if seen >= n else np.nan
            continue
        prev = v if np.isnan(prev) else prev + (v - prev) / n
        seen += 1
        out[i] = prev if seen >= n else np.nan
    return pd.Series(out, index=x.index)


def price_features_at(universe, trade, when: str) -> dict:
    """Every price feature of one trade at its decision (``when="dec"``) or transaction session,
    computed on the ticker's own series cut at that session."""
    dec, tx = decision_sessions(universe, trade)
    day = dec if when == "dec" else tx
    tk = str(trade["ticker"])
    close = _series(universe, tk, "adj_close", day)
    raw = _series(universe, tk, "close", day)
    f = close / raw
    high = _series(universe, tk, "high", day) * f
    low = _series(universe, tk, "low", day) * f
    vol = _series(universe, tk, "volume", day)
    fac = universe.factors.reindex(close.index)
    mkt = fac["Mkt-RF"] + fac["RF"]
    _, _, sec, sector_ret = _cached(universe)
    sec_ret = sector_ret[sec[tk]].loc[:day]
    r1 = close.pct_change(fill_method=None)
    o: dict = {}

    def last(x):
        return float(x.iloc[-1])

    mlev = (1 + mkt.fillna(0)).cumprod()
    slev = (1 + sec_ret.fillna(0)).cumprod()
    for w in (1, 5, 21, 63, 126, 252):
        if len(close) > w:
            r = close.iloc[-1] / close.iloc[-1 - w] - 1
            o[f"ret_{w}"] = r
            o[f"abn_mkt_{w}"] = r - (mlev.iloc[-1] / mlev.iloc[-1 - w] - 1)
            o[f"abn_sec_{w}"] = r - (slev.iloc[-1] / slev.iloc[-1 - w] - 1)
        else:
            o[f"ret_{w}"] = o[f"abn_mkt_{w}"] = o[f"abn_sec_{w}"] = np.nan
    o["vol_21"] = last(r1.rolling(21).std())
    o["vol_63"] = last(r1.rolling(63).std())
    o["skew_63"] = last(r1.rolling(63).skew())
    o["drawdown_63"] = last(close / close.rolling(63).max() - 1)
    o["dist_52w_high"] = last(close / close.rolling(252).max() - 1)
    o["dist_52w_low"] = last(close / close.rolling(252).min() - 1)
    dv = raw * vol
    illiq = r1.abs() / dv.where(dv > 0) * 1e6
    for w in (21, 63):
        adv = last(dv.rolling(w).mean())
        o[f"log_dollar_volume_{w}"] = np.log(adv) if adv > 0 else np.nan
        o[f"amihud_{w}"] = last(illiq.rolling(w).mean())
        o[f"amount_to_adv_{w}"] = float(trade["amount_mid"]) / adv if adv > 0 else np.nan
    for w in (63, 252):
        o[f"volume_z_{w}"] = last((vol - vol.rolling(w).mean()) / vol.rolling(w).std())
    o["volume_ratio_5_63"] = np.log(last(vol.rolling(5).mean()) / last(vol.rolling(63).mean()))
    o["zero_volume_share_63"] = last((vol <= 0).astype(float).rolling(63).mean())
    d = close.diff()
    for n in (14, 28):
        up, down = _wilder(d.clip(lower=0), n), _wilder((-d).clip(lower=0), n)
        o[f"rsi_{n}"] = last(100 - 100 / (1 + up / down))
    macd = (close.ewm(span=12, adjust=False, min_periods=12).mean()
            - close.ewm(span=26, adjust=False, min_periods=26).mean())
    sig = macd.ewm(span=9, adjust=False, min_periods=9).mean()
    o["macd"], o["macd_signal"] = last(macd / close), last(sig / close)
    o["macd_hist"] = last((macd - sig) / close)
    m20, s20 = close.rolling(20).mean(), close.rolling(20).std(ddof=0)
    o["bb_pctb_20"] = last((close - (m20 - 2 * s20)) / (4 * s20))
    o["bb_width_20"] = last(4 * s20 / m20)
    prev = close.shift(1)
    tr = pd.concat([high - low, (high - prev).abs(), (low - prev).abs()], axis=1).max(axis=1)
    atr = _wilder(tr, 14)
    o["atr_14"] = last(atr / close)
    hh, ll = high.rolling(14).max(), low.rolling(14).min()
    k = 100 * (close - ll) / (hh - ll)
    o["stoch_k_14"], o["stoch_d_3"] = last(k), last(k.rolling(3).mean())
    o["williams_r_14"] = last(-100 * (hh - close) / (hh - ll))
    up_m, dn_m = high.diff(), -low.diff()
    pdm = pd.Series(np.where((up_m > dn_m) & (up_m > 0), up_m, 0.0), index=close.index).where(up_m.notna())
    mdm = pd.Series(np.where((dn_m > up_m) & (dn_m > 0), dn_m, 0.0), index=close.index).where(dn_m.notna())
    pdi, mdi = 100 * _wilder(pdm, 14) / atr, 100 * _wilder(mdm, 14) / atr
    o["plus_di_14"], o["minus_di_14"] = last(pdi), last(mdi)
    o["adx_14"] = last(_wilder(100 * (pdi - mdi).abs() / (pdi + mdi), 14))
    obv = (np.sign(d).fillna(0) * vol.fillna(0)).cumsum()
    o["obv_z_63"] = last((obv - obv.rolling(63).mean()) / obv.rolling(63).std())
    o["obv_slope_21"] = last((obv - obv.shift(21)) / (21 * vol.rolling(21).mean()))
    for w in (5, 10, 20, 50, 200):
        o[f"ma_gap_{w}"] = last(close / close.rolling(w).mean() - 1)
    o["sma_50_200"] = last(close.rolling(50).mean() / close.rolling(200).mean() - 1)
    tp = (high + low + close) / 3
    mad = tp.rolling(20).apply(lambda x: np.mean(np.abs(x - x.mean())), raw=True)
    o["cci_20"] = last((tp - tp.rolling(20).mean()) / (0.015 * mad))
    o["roc_10"] = last(close / close.shift(10) - 1)
    ex = r1 - fac["RF"]
    for w in (63, 252):
        y = ex.iloc[-w:].to_numpy()
        x = fac[["Mkt-RF", "SMB", "HML", "RMW", "CMA"]].iloc[-w:].to_numpy()
        names = ("b_mkt", "b_smb", "b_hml", "b_rmw", "b_cma", "alpha", "idio_vol", "r2")
        if len(y) < w or not (np.isfinite(y).all() and np.isfinite(x).all()):
            o.update({f"{nm}_{w}": np.nan for nm in names})
            continue
        X = np.column_stack([np.ones(w), x])
        beta, *_ = np.linalg.lstsq(X, y, rcond=None)
        res = y - X @ beta
        vals = [*beta[1:], beta[0], np.sqrt(res @ res / (w - 6)),
                1 - res @ res / ((y - y.mean()) @ (y - y.mean()))]
        o.update({f"{nm}_{w}": v for nm, v in zip(names, vals, strict=True)})
    suffix = "" if when == "dec" else "_tx"
    return {f"{k}{suffix}": v for k, v in o.items()}


def since_tx_features(universe, trade) -> dict:
    dec, tx = decision_sessions(universe, trade)
    close = _series(universe, str(trade["ticker"]), "adj_close", dec)
    mkt = (universe.factors["Mkt-RF"] + universe.factors["RF"]).reindex(close.index)
    r = close.loc[dec] / close.loc[tx] - 1
    m = (1 + mkt.loc[tx:dec].iloc[1:].fillna(0)).prod() - 1
    seg = (close.pct_change(fill_method=None) - mkt).loc[tx:dec].iloc[1:].abs()
    big = 0.0 if dec == tx else (seg.max() if seg.notna().any() else np.nan)
    after = (close.pct_change(fill_method=None) - mkt).loc[tx:dec].iloc[1:]
    first = after.iloc[0] if len(after) else np.nan
    sign = {"buy": 1.0, "sell": -1.0}.get(trade["side"], 0.0)
    return {"ret_since_tx": r, "abn_mkt_since_tx": r - m, "max_abs_abn_since_tx": big,
            "abn_first_after_tx": first, "signed_abn_first_after_tx": first * sign}


def flow_features_of(trades: pd.DataFrame, trade) -> dict:
    """Disclosure-flow windows by filtering the trades table (strictly earlier disclosures)."""
    d = pd.Timestamp(trade["disclosure_date"])
    o = {}
    for w in (30, 90, 365):
        lo = d - pd.Timedelta(days=w)
        win = trades[(trades["disclosure_date"] < d) & (trades["disclosure_date"] >= lo)]
        for key, sub in (("pol", win[win["politician"] == trade["politician"]]),
                         ("congress_ticker", win[win["ticker"] == trade["ticker"]]),
                         ("congress", win)):
            b, s = (sub["side"] == "buy").sum(), (sub["side"] == "sell").sum()
            o[f"{key}_imbalance_{w}d"] = (b - s) / (b + s) if b + s else 0.0
            if key != "congress":
                o[f"{key}_n_trades_{w}d"] = float(b + s)
    same = trades[trades["filing_id"] == trade["filing_id"]]
    o["filing_n_trades"] = float(len(same))
    return o


def history_features_of(universe, trade, horizon: int = 21) -> dict:
    """Own-history features by filtering; outcomes recomputed per earlier trade."""
    t = universe.trades
    d = pd.Timestamp(trade["disclosure_date"])
    mine = t[(t["politician"] == trade["politician"]) & (t["disclosure_date"] < d)]
    o = {"pol_n_prior_trades": float(len(mine)),
         "pol_n_prior_in_ticker": float((mine["ticker"] == trade["ticker"]).sum())}
    lags = (mine["disclosure_date"] - mine["transaction_date"]).dt.days
    o["pol_median_lag_prior"] = float(lags.median()) if len(mine) else np.nan
    dec, _ = decision_sessions(universe, trade)
    s = sessions_of(universe)
    wins, abns = [], []
    mkt = (universe.factors["Mkt-RF"] + universe.factors["RF"]).reindex(s).fillna(0)
    for _, e in t[t["politician"] == trade["politician"]].iterrows():
        if (e["side"] not in ("buy", "sell") or pd.isna(e["ticker"])
                or str(e["ticker"]) not in _cached(universe)[1]):
            continue
        edec, _ = decision_sessions(universe, e)
        if edec is None:
            continue
        i = s.get_loc(edec) + 1
        if i + horizon >= len(s) or s[i + horizon] > dec:
            continue
        px = _series(universe, str(e["ticker"]), "adj_close", s[i + horizon])
        if len(px) == 0 or px.isna().all():
            continue
        r = px.loc[s[i + horizon]] / px.loc[s[i]] - 1
        m = (1 + mkt.iloc[i + 1:i + horizon + 1]).prod() - 1
        v = (1 if e["side"] == "buy" else -1) * (r - m)
        if np.isfinite(v):
            wins.append(v > 0)
            abns.append(v)
    o["pol_n_outcomes_known"] = float(len(abns))
    o["pol_past_hit_rate"] = float(np.mean(wins)) if abns else np.nan
    o["pol_past_abn_return"] = float(np.mean(abns)) if abns else np.nan
    return o
