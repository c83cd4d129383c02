"""Politicians' option trades: contract details, moneyness, GEX context and squeeze score.

Which date
----------
The analysis characterizes the *setup a trade was placed in* (the chain quoted on the trade
date and the move that followed), so spot, chain, days to expiry and the 7-session move use
``transaction_date`` by default. It takes no position and makes no decision from the trade, so
this is not look-ahead; what a copier could have earned is reported separately as
``move_7d_after_disclosure``: entered at the close of the first session strictly after the
**disclosure date** (the project's entry rule, :func:`workbench.data.entries.entry_sessions`)
and held 7 sessions. Pass ``date_col="disclosure_date"`` to describe the setup (chain, spot,
``move_7d``) as of the disclosure date instead.

Squeeze-setup score
-------------------
For a call **buy** with a chain on the trade date, the mean of three components in [0, 1]:

1. ``c_gamma = (1 - net_gamma_ratio) / 2``: dealers net short gamma at spot (total GEX / gross
   GEX from :func:`~workbench.options.gex.compute_gex`, standard convention); 1 when every
   contract's GEX is negative, 0.5 when balanced.
2. ``c_put = put OI / (call OI + put OI)`` over strikes within ``near`` (default 5 %) of spot:
   heavy put open interest at the money.
3. ``c_wall = 1 - d / max_wall_distance`` for a call wall (largest call-OI strike) at
   ``d = call_wall / spot - 1`` with ``0 < d <= max_wall_distance`` (default 10 %), else 0.

Other trades (puts, sells, exchanges) score 0; trades without a chain score NaN.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.data.sources.text import strip_html
from workbench.exceptions import DataError
from workbench.options.gex import GexResult, _gex_core, _normalize_chain, compute_gex

__all__ = ["OPTION_DETAIL_COLUMNS", "OptionTradeResult", "parse_option_description",
           "select_option_trades", "analyze_option_trades", "gex_for_trade", "squeeze_auc"]

OPTION_DETAIL_COLUMNS = ("underlying", "option_type", "strike", "expiration", "detail_status")

_DETAIL = re.compile(
    r"^(?P<company>.*?)\s*Option Type:\s*(?P<type>[a-z]+)\s*"
    r"Strike price:\s*\$?\s*(?P<strike>[\d,]*\.?\d+)\s*"
    r"Expires:\s*(?P<exp>\d{1,2}/\d{1,2}/\d{2,4})", re.IGNORECASE)
_BARE = re.compile(r"^\s*(?P<company>.*?)\s*\(\s*(?:stock\s+)?options?\s*\)\s*$", re.IGNORECASE)
_HINT = re.compile(r"option type:|\(\s*(?:stock\s+)?options?\s*\)", re.IGNORECASE)


def parse_option_description(descriptions) -> pd.DataFrame:
    """Contract details from Senate-style option descriptions.

    Accepts the cleaned form ``"<Company> Option Type: Put Strike price: $120.00 Expires:
    05/15/2020"`` and the raw HTML it came from; bare rows such as ``"MDLZ (stock option)"``
    give NaN details.

    Returns
    -------
    DataFrame
        Same index as the input; ``underlying`` (company text), ``option_type`` (call/put),
        ``strike`` (float, dollars), ``expiration`` (Timestamp) and ``detail_status``:
        ``parsed``, ``no_details`` (recognised as an option without contract terms) or
        ``unparsed``.
    """
    s = pd.Series(descriptions)
    rows = []
    for raw in s.to_numpy(dtype=object):
        text = "" if raw is None or (isinstance(raw, float) and np.isnan(raw)) or raw is pd.NA \
            else strip_html(str(raw))
        m = _DETAIL.search(text)
        if m:
            exp = pd.to_datetime(m["exp"], format="%m/%d/%Y", errors="coerce")
            rows.append((m["company"].strip(" -") or None, m["type"].lower(),
                         float(m["strike"].replace(",", "")), exp,
                         "parsed" if pd.notna(exp) else "unparsed"))
            continue
        b = _BARE.match(text)
        rows.append(((b["company"] or None) if b else (text or None), None, np.nan, pd.NaT,
                     "no_details" if b else "unparsed"))
    out = pd.DataFrame(rows, columns=list(OPTION_DETAIL_COLUMNS), index=s.index)
    out["strike"] = out["strike"].astype(float)
    out["expiration"] = pd.to_datetime(out["expiration"]).astype("datetime64[ns]")
    return out


def select_option_trades(trades: pd.DataFrame) -> pd.DataFrame:
    """Rows that are options: ``asset_type == "option"`` or an option hint in the description."""
    at = trades["asset_type"].astype("string").fillna("")
    desc = trades["asset_description"].astype("string").fillna("")
    mask = (at == "option") | desc.str.contains(_HINT)
    return trades.loc[mask.to_numpy(dtype=bool)]


@dataclass(frozen=True)
class OptionTradeResult:
    """One row per option trade with what could be computed for it.

    Attributes
    ----------
    trades : DataFrame
        ``trade_id, politician, party, ticker, side, owner, option_type, strike, expiration,
        detail_status, trade_date, disclosure_date, notional, spot, moneyness, days_to_expiry,
        has_chain, total_gex, net_gamma_ratio, flip_level, call_wall, put_wall, wall_distance,
        put_share_near, c_gamma, c_put, c_wall, squeeze_score, move_7d, max_move_7d,
        move_7d_after_disclosure``. ``notional`` is the midpoint of the disclosed dollar range
        (the value of the option position as reported, not the underlying's notional);
        ``moneyness = spot / strike`` from the unadjusted close on the trade date (calls are in
        the money above 1, puts below); ``days_to_expiry`` in calendar days; ``move_7d`` and
        ``max_move_7d`` are simple returns of the adjusted close from the last session on or
        before the trade date to 7 sessions later (``max_move_7d``: the highest close within
        those 7 sessions); ``move_7d_after_disclosure`` is what a copier earns: from the close of
        the first session strictly after the disclosure date (:func:`workbench.data.entries.
        entry_sessions`) to 7 sessions later, NaN without a price at that entry.
    date_col : str
        The trade date used.
    counts : Series
        ``trades, parsed, no_details, unparsed, with_price, with_chain``.
    """

    trades: pd.DataFrame
    date_col: str
    counts: pd.Series

    def to_frame(self) -> pd.DataFrame:
        return self.trades.copy()

    def summary(self) -> pd.Series:
        return self.counts.copy()


def _asof_index(dates: pd.DatetimeIndex, when: pd.Series) -> np.ndarray:
    """Position of the last session on or before each date (-1 when before the first)."""
    return np.searchsorted(dates.to_numpy(), when.to_numpy(dtype="datetime64[ns]"),
                           side="right") - 1


def _lookup(wide: pd.DataFrame, tickers: pd.Series, pos: np.ndarray) -> np.ndarray:
    out = np.full(len(pos), np.nan)
    cols = {c: i for i, c in enumerate(wide.columns)}
    ci = np.array([cols.get(t, -1) if isinstance(t, str) else -1 for t in tickers])
    ok = (ci >= 0) & (pos >= 0) & (pos < len(wide))
    vals = wide.to_numpy(dtype=float)
    out[ok] = vals[pos[ok], ci[ok]]
    return out


def _forward_moves(adj: pd.DataFrame, tickers: pd.Series, when: pd.Series, horizon: int):
    pos = _asof_index(adj.index, when)
    p0 = _lookup(adj, tickers, pos)
    end = _lookup(adj, tickers, np.where(pos + horizon < len(adj), pos + horizon, -1))
    best = np.full(len(pos), -np.inf)
    for h in range(1, horizon + 1):
        ph = _lookup(adj, tickers, np.where(pos + h < len(adj), pos + h, -1))
        best = np.fmax(best, ph)
    best[~np.isfinite(best)] = np.nan
    return end / p0 - 1.0, best / p0 - 1.0


def _copier_moves(adj: pd.DataFrame, out: pd.DataFrame, horizon: int) -> np.ndarray:
    """Return from the entry close after the disclosure (the project's rule) to ``horizon``
    sessions later; NaN when the entry has no price or the exit is past the history."""
    from workbench.data.entries import locate_entries

    frame = pd.DataFrame({"ticker": out["ticker"].astype(object),
                          "disclosure_date": out["disclosure_date"]}, index=out.index)
    loc = locate_entries(frame, adj, "disclosure")
    row, col = loc["row"].to_numpy(), loc["col"].to_numpy()
    ok = (loc["reason"] == "").to_numpy() & (row + horizon < len(adj))
    vals = adj.to_numpy(dtype=float)
    move = np.full(len(out), np.nan)
    move[ok] = vals[row[ok] + horizon, col[ok]] / vals[row[ok], col[ok]] - 1.0
    return move


def _chain_context(cols: dict[str, np.ndarray], near: float, max_wall_distance: float) -> dict:
    s0 = float(np.nanmedian(cols["spot"]))
    grid = s0 * (1.0 + np.linspace(-0.2, 0.2, 81))
    g = _gex_core(cols, s0, 1.0, -1.0, 0.0, 0.0, 100, grid)
    band = np.abs(g["strikes"] - s0) <= near * s0
    oi = g["call_oi"][band].sum() + g["put_oi"][band].sum()
    put_share = float(g["put_oi"][band].sum() / oi) if oi > 0 else np.nan
    ngr = g["total_gex"] / g["gross_gex"] if g["gross_gex"] > 0 else np.nan
    d = g["call_wall"] / s0 - 1.0
    c_wall = float(1.0 - d / max_wall_distance) if 0 < d <= max_wall_distance else 0.0
    return {"total_gex": g["total_gex"], "net_gamma_ratio": ngr,
            "flip_level": g["flip_level"], "call_wall": g["call_wall"],
            "put_wall": g["put_wall"], "wall_distance": d, "put_share_near": put_share,
            "c_gamma": (1.0 - ngr) / 2.0, "c_put": put_share, "c_wall": c_wall}


_CONTEXT = ("total_gex", "net_gamma_ratio", "flip_level", "call_wall", "put_wall",
            "wall_distance", "put_share_near", "c_gamma", "c_put", "c_wall")


def analyze_option_trades(trades: pd.DataFrame, prices: pd.DataFrame | None = None,
                          options: pd.DataFrame | None = None, *,
                          date_col: str = "transaction_date", horizon: int = 7,
                          near: float = 0.05, max_wall_distance: float = 0.10
                          ) -> OptionTradeResult:
    """Details, moneyness, GEX context, squeeze score and realized move of option trades.

    Parameters
    ----------
    trades : DataFrame
        Canonical trades; option rows are picked with :func:`select_option_trades`.
    prices : DataFrame, optional
        Long price table; without it spot, moneyness and moves are NaN.
    options : DataFrame, optional
        Option chains (``OPTION_COLUMNS``); a trade gets GEX context when the chain of its
        ticker is quoted on its trade date.
    date_col : str
        Trade date (see the module docstring); default ``"transaction_date"``.
    horizon : int
        Sessions for the realized move (default 7).
    near, max_wall_distance : float
        Squeeze-score parameters (module docstring), fractions of spot.

    Returns
    -------
    OptionTradeResult
    """
    if date_col not in trades.columns:
        raise DataError(f"trades have no column {date_col!r}", file="trades")
    opt = select_option_trades(trades).reset_index(drop=True)
    det = parse_option_description(opt["asset_description"])
    tick = opt["ticker"].astype(object).where(opt["ticker"].notna(), None)
    # "MDLZ (stock option)" without a ticker: the bare form names the ticker itself
    bare_ticker = det["underlying"].where(det["detail_status"] == "no_details")
    bare_ticker = bare_ticker.where(bare_ticker.fillna("").str.fullmatch(r"[A-Z][A-Z.]{0,5}"))
    tick = tick.where(tick.notna(), bare_ticker.astype(object)).where(lambda v: v.notna(), None)
    out = pd.DataFrame({
        "trade_id": opt["trade_id"].astype(str), "politician": opt["politician"].astype(object),
        "party": opt["party"].astype(object), "ticker": tick, "side": opt["side"].astype(object),
        "owner": opt["owner"].astype(object),
        "option_type": det["option_type"], "strike": det["strike"],
        "expiration": det["expiration"], "detail_status": det["detail_status"],
        "trade_date": pd.to_datetime(opt[date_col]).astype("datetime64[ns]"),
        "disclosure_date": pd.to_datetime(opt["disclosure_date"]).astype("datetime64[ns]"),
        "notional": opt["amount_mid"].astype(float),
    })
    out["days_to_expiry"] = (out["expiration"] - out["trade_date"]).dt.days.astype(float)
    nan = np.full(len(out), np.nan)
    out["spot"] = nan
    out["move_7d"] = nan
    out["max_move_7d"] = nan
    out["move_7d_after_disclosure"] = nan
    if prices is not None and len(prices) and len(out):
        from workbench.data.sources.prices import to_wide

        close = to_wide(prices, "close")
        adj = to_wide(prices, "adj_close").reindex(close.index)
        out["spot"] = _lookup(close, out["ticker"], _asof_index(close.index, out["trade_date"]))
        out["move_7d"], out["max_move_7d"] = _forward_moves(adj, out["ticker"], out["trade_date"],
                                                            horizon)
        out["move_7d_after_disclosure"] = _copier_moves(adj, out, horizon)
    out["moneyness"] = out["spot"] / out["strike"]

    for c in _CONTEXT:
        out[c] = np.nan
    out["has_chain"] = False
    if options is not None and len(options) and len(out):
        cols = _normalize_chain(options)
        keys = pd.MultiIndex.from_arrays([options["ticker"].astype(object),
                                          pd.to_datetime(options["quote_date"])])
        groups = pd.Series(np.arange(len(options))).groupby(keys).indices
        ctx_rows, has = [], np.zeros(len(out), dtype=bool)
        for i, (tk, day) in enumerate(zip(out["ticker"], out["trade_date"], strict=True)):
            rows = groups.get((tk, day))
            if rows is None:
                ctx_rows.append({})
                continue
            ctx_rows.append(_chain_context({k: v[rows] for k, v in cols.items()}, near,
                                           max_wall_distance))
            has[i] = True
        ctx = pd.DataFrame.from_records(ctx_rows, columns=list(_CONTEXT), index=out.index)
        for c in _CONTEXT:
            out[c] = ctx[c].astype(float)
        out["has_chain"] = has
    call_buy = (out["option_type"] == "call") & (out["side"] == "buy")
    comp = out[["c_gamma", "c_put", "c_wall"]].mean(axis=1, skipna=False)
    out["squeeze_score"] = np.where(out["has_chain"], np.where(call_buy, comp, 0.0), np.nan)

    counts = pd.Series({
        "trades": len(out),
        "parsed": int((out["detail_status"] == "parsed").sum()),
        "no_details": int((out["detail_status"] == "no_details").sum()),
        "unparsed": int((out["detail_status"] == "unparsed").sum()),
        "with_price": int(out["spot"].notna().sum()),
        "with_chain": int(out["has_chain"].sum()),
    })
    order = ["trade_id", "politician", "party", "ticker", "side", "owner", "option_type",
             "strike", "expiration", "detail_status", "trade_date", "disclosure_date",
             "notional", "spot", "moneyness", "days_to_expiry", "has_chain", *_CONTEXT,
             "squeeze_score", "move_7d", "max_move_7d", "move_7d_after_disclosure"]
    return OptionTradeResult(trades=out[order], date_col=date_col, counts=counts)


def gex_for_trade(options: pd.DataFrame | None, result: OptionTradeResult, *,
                  ticker: str = "", date: str = "", convention="standard") -> GexResult | None:
    """GEX of the chain behind one option trade, for notebooks.

    With ``ticker`` and ``date`` empty, picks the trade with the highest squeeze score that has
    a chain (ties: the latest); otherwise the chain of ``ticker`` quoted on ``date`` (ISO).
    Returns None when no such chain exists (e.g. real data without option chains).
    """
    if options is None or options.empty:
        return None
    if not ticker or not date:
        cand = result.trades[result.trades["has_chain"]]
        if cand.empty:
            return None
        best = cand.sort_values(["squeeze_score", "trade_date"], ascending=False).iloc[0]
        ticker, day = str(best["ticker"]), pd.Timestamp(best["trade_date"])
    else:
        day = pd.Timestamp(date)
    sel = options[(options["ticker"] == ticker) & (options["quote_date"] == day)]
    if sel.empty:
        return None
    return compute_gex(sel, convention=convention)


def squeeze_auc(scores, labels) -> float:
    """ROC AUC of ``scores`` for boolean ``labels`` (scikit-learn), NaN scores dropped.

    NaN when either class is empty after dropping.
    """
    from sklearn.metrics import roc_auc_score

    s = np.asarray(scores, dtype=float)
    y = np.asarray(labels, dtype=bool)
    keep = np.isfinite(s)
    if y[keep].all() or not y[keep].any():
        return float("nan")
    return float(roc_auc_score(y[keep], s[keep]))
