"""Option-chain snapshots (yfinance-style CSV) with OCC contract-symbol parsing and checks.

A chain is one quote per contract on one quote date. The OCC (OSI) contract symbol
``AAPL210115C00150000`` encodes root ``AAPL``, expiration ``2021-01-15``, type ``C`` and strike
``150.000`` (8 digits, thousandths of a dollar); the reader fills option type, expiration and
strike from it when columns are missing and rejects rows where both are present and disagree.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.data.schema import OPTION_COLUMNS, REJECT_COLUMNS, ParseResult, coerce_frame
from workbench.data.sources.prices import (
    _key,
    _parse_dates,
    _raw_text,
    _read_csv_text,
    normalize_ticker,
)
from workbench.exceptions import DataError

__all__ = ["read_option_chain", "parse_occ_symbol", "make_occ_symbol"]

SOURCE = "yfinance_options"
OPTION_ALIASES: dict[str, tuple[str, ...]] = {
    "contract_symbol": ("contractsymbol", "occsymbol", "osisymbol", "contract"),
    "quote_date": ("quotedate", "date", "asof", "asofdate", "fetchdate", "snapshotdate"),
    "ticker": ("ticker", "underlyingsymbol", "underlying", "root"),
    "option_type": ("optiontype", "type", "putcall", "callput", "right"),
    "expiration": ("expiration", "expirationdate", "expiry", "expirydate", "expdate"),
    "strike": ("strike", "strikeprice"),
    "last_trade_date": ("lasttradedate",),
    "last_price": ("lastprice", "last"),
    "bid": ("bid",),
    "ask": ("ask",),
    "volume": ("volume",),
    "open_interest": ("openinterest",),
    "implied_volatility": ("impliedvolatility", "iv"),
    "underlying_price": ("underlyingprice", "regularmarketprice", "spot", "stockprice",
                         "underlyinglast"),
}
TYPE_WORDS = {"c": "call", "call": "call", "calls": "call", "p": "put", "put": "put",
              "puts": "put"}
_OCC = r"^(?P<root>[A-Z0-9.]{1,6})(?P<ymd>\d{6})(?P<cp>[CP])(?P<strike>\d{8})$"
_DATE_IN_NAME = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")
STRIKE_TOL = 5e-4  # dollars; the OCC strike has three decimals


def parse_occ_symbol(symbols: pd.Series) -> pd.DataFrame:
    """Split OCC/OSI contract symbols into root, expiration, option_type, strike.

    Spaces are removed first (the padded 21-character OSI form ``AAPL  210115C00150000``).
    Unparseable symbols give missing values in every column.

    Returns
    -------
    DataFrame
        ``root`` (str), ``expiration`` (datetime64, the date in the symbol; a Saturday for
        contracts listed before 2015), ``option_type`` (``call``/``put``), ``strike`` (dollars).
    """
    s = pd.Series(symbols, dtype="string").str.replace(" ", "", regex=False).str.upper()
    m = s.str.extract(_OCC)
    exp = pd.to_datetime("20" + m["ymd"], format="%Y%m%d", errors="coerce")
    return pd.DataFrame({
        "root": m["root"].astype("string"),
        "expiration": exp.astype("datetime64[ns]"),
        "option_type": m["cp"].map({"C": "call", "P": "put"}).astype("string"),
        "strike": pd.to_numeric(m["strike"], errors="coerce") / 1000.0,
    }, index=s.index)


def make_occ_symbol(root: str, expiration, option_type: str, strike: float) -> str:
    """The OCC symbol of a contract: ``make_occ_symbol("AAPL", "2021-01-15", "call", 150)``
    -> ``"AAPL210115C00150000"``."""
    exp = pd.Timestamp(expiration)
    return (f"{root.upper()}{exp:%y%m%d}{'C' if option_type == 'call' else 'P'}"
            f"{round(float(strike) * 1000):08d}")


def _map(columns) -> dict[str, str]:
    by_key = {_key(c): c for c in columns}
    out = {}
    for canon, aliases in OPTION_ALIASES.items():
        hit = next((by_key[a] for a in aliases if a in by_key), None)
        if hit is not None:
            out[canon] = hit
    return out


def _quote_date_from_name(path: Path) -> pd.Timestamp | None:
    m = _DATE_IN_NAME.search(path.stem)
    if not m:
        return None
    ts = pd.to_datetime("".join(m.groups()), format="%Y%m%d", errors="coerce")
    return None if ts is pd.NaT else ts


def read_option_chain(path: str | Path, *, ticker: str | None = None,
                      quote_date=None) -> ParseResult:
    """Read a yfinance-style option-chain CSV into :data:`OPTION_COLUMNS`.

    Parameters
    ----------
    path : path
        CSV with yfinance ``Ticker.option_chain`` columns (``contractSymbol, lastTradeDate,
        strike, lastPrice, bid, ask, change, percentChange, volume, openInterest,
        impliedVolatility, inTheMoney, contractSize, currency``) plus, where available,
        ``expiration``, ``optionType``/``type``, ``quote_date`` and an underlying price column
        (``underlying_price``, ``underlyingPrice``, ``regularMarketPrice``, ``spot``).
    ticker : str, optional
        Underlying ticker; else a ``ticker``/``underlyingSymbol`` column, else the OCC root
        (trailing digits of adjusted-contract roots such as ``AAPL1`` dropped; rows without a
        symbol take the most common root of the file).
    quote_date : date-like, optional
        Date of the snapshot; else a ``quote_date``/``date`` column, else a ``YYYY-MM-DD`` or
        ``YYYYMMDD`` date in the file name. Raises :class:`DataError` if none is known (a
        chain without a quote date cannot be placed in time without look-ahead risk).

    Returns
    -------
    ParseResult
        ``accepted``: one row per contract quote; ``implied_volatility`` is annualized, in
        decimals, as yfinance reports it; prices in dollars per share. Rows are rejected for:
        an unparseable quote date or expiration, missing option type, option type /
        expiration / strike disagreeing with the contract symbol (an expiration one day
        before a Saturday symbol date is the same contract), missing or non-positive
        strike, a negative price, bid > ask, negative volume, open interest or implied
        volatility, an expiration before the quote date, a ``lastTradeDate`` after the quote
        date (its calendar date, as written), a missing ticker, and a duplicate
        contract on the same quote date (first kept). A missing contract symbol is built
        from ticker, expiration, type and strike.
    """
    path = Path(path)
    if not path.exists():
        raise DataError("no such file", file=str(path))
    df = _read_csv_text(path)
    cols = _map(df.columns)
    has_id = "contract_symbol" in cols or {"option_type", "expiration"} <= set(cols)
    missing = [c for c in ("strike", "bid", "ask") if c not in cols]
    if missing or not has_id:
        need = missing + ([] if has_id else ["contractSymbol (or optionType and expiration)"])
        raise DataError(f"option chain: missing columns {need} (header: {list(df.columns)})",
                        file=str(path), row=1)
    n = len(df)
    idx = df.index

    def col(name):
        return df[cols[name]] if name in cols else pd.Series(pd.NA, index=idx, dtype=object)

    def num(name):
        return pd.to_numeric(col(name), errors="coerce").astype("float64")

    reason = pd.Series(pd.NA, index=idx, dtype="string")

    def flag(mask, text):
        mask = np.asarray(mask, dtype=bool) & reason.isna().to_numpy()
        reason[mask] = text if isinstance(text, str) else text[mask]

    # Quote date.
    if quote_date is not None:
        qd = pd.Series(pd.Timestamp(quote_date).normalize(), index=idx).astype("datetime64[ns]")
    elif "quote_date" in cols:
        qd = _parse_dates(col("quote_date"))
    else:
        from_name = _quote_date_from_name(path)
        if from_name is None:
            raise DataError("no quote date: pass quote_date=, add a quote_date column or put "
                            "YYYY-MM-DD in the file name", file=str(path))
        qd = pd.Series(from_name, index=idx).astype("datetime64[ns]")
    flag(qd.isna(), "unparseable quote date")

    # Contract symbol, and what it encodes.
    sym = col("contract_symbol").astype("string").str.strip().str.replace(" ", "", regex=False)
    sym = sym.str.upper().mask(sym == "")
    occ = parse_occ_symbol(sym)
    flag(sym.notna() & occ["root"].isna(), "unparseable OCC contract symbol")

    typ_raw = col("option_type").astype("string").str.strip().str.lower()
    typ_col = typ_raw.map(TYPE_WORDS).astype("string")
    flag(typ_raw.notna() & typ_col.isna(), "unrecognized option type")
    exp_col = _parse_dates(col("expiration")) if "expiration" in cols else \
        pd.Series(pd.NaT, index=idx, dtype="datetime64[ns]")
    flag(col("expiration").notna() & exp_col.isna(), "unparseable expiration")
    strike = num("strike")

    both = typ_col.notna() & occ["option_type"].notna()
    flag(both & (typ_col != occ["option_type"]),
         "option type column (" + typ_col.fillna("") + ") disagrees with contract symbol ("
         + occ["option_type"].fillna("") + ")")
    friday_of_saturday = (occ["expiration"].dt.day_of_week == 5) & (
        exp_col == occ["expiration"] - pd.Timedelta(days=1))
    both = exp_col.notna() & occ["expiration"].notna()
    flag(both & (exp_col != occ["expiration"]) & ~friday_of_saturday,
         "expiration column (" + exp_col.dt.strftime("%Y-%m-%d").fillna("") + ") disagrees "
         "with contract symbol (" + occ["expiration"].dt.strftime("%Y-%m-%d").fillna("") + ")")
    both = strike.notna() & occ["strike"].notna()
    flag(both & ((strike - occ["strike"]).abs() > STRIKE_TOL),
         "strike column disagrees with contract symbol")

    option_type = typ_col.fillna(occ["option_type"])
    expiration = exp_col.fillna(occ["expiration"])
    flag(option_type.isna(), "missing option type")
    flag(expiration.isna(), "missing expiration")
    flag(strike.isna(), "missing or non-numeric strike")
    flag(strike <= 0, "non-positive strike")
    prices = pd.DataFrame({c: num(c) for c in ("last_price", "bid", "ask")})
    flag((prices < 0).any(axis=1), "negative price")
    flag(prices["bid"] > prices["ask"], "bid > ask")
    extras = pd.DataFrame({c: num(c) for c in ("volume", "open_interest",
                                                "implied_volatility", "underlying_price")})
    flag((extras[["volume", "open_interest", "implied_volatility"]] < 0).any(axis=1),
         "negative volume, open interest or implied volatility")
    flag(extras["underlying_price"] <= 0, "non-positive underlying price")
    flag(expiration < qd, "expiration before quote date")
    if "last_trade_date" in cols:
        # a snapshot cannot hold a trade from after its own date (mislabelled quote date)
        flag(_parse_dates(col("last_trade_date")) > qd, "last trade after quote date")

    if ticker is not None:
        tick = pd.Series(normalize_ticker(ticker), index=idx, dtype="string")
    elif "ticker" in cols:
        tick = col("ticker").map(normalize_ticker).astype("string")
    else:
        tick = occ["root"].str.replace(r"\d+$", "", regex=True).map(
            normalize_ticker, na_action="ignore").astype("string")
        # A chain holds one underlying: rows without a symbol take the file's root.
        if tick.notna().any() and tick.isna().any():
            tick = tick.fillna(tick.mode().iloc[0])
    flag(tick.isna(), "missing ticker")

    built = pd.Series([
        make_occ_symbol(t, e, o, k) if reason.iat[i] is pd.NA else pd.NA
        for i, (t, e, o, k) in enumerate(zip(tick, expiration, option_type, strike, strict=True))
    ], index=idx, dtype="string") if sym.isna().any() else pd.Series(pd.NA, index=idx,
                                                                     dtype="string")
    contract = sym.fillna(built)

    out = pd.DataFrame({
        "quote_date": qd, "ticker": tick, "contract_symbol": contract,
        "option_type": option_type, "expiration": expiration, "strike": strike,
        "last_price": prices["last_price"], "bid": prices["bid"], "ask": prices["ask"],
        "volume": extras["volume"], "open_interest": extras["open_interest"],
        "implied_volatility": extras["implied_volatility"],
        "underlying_price": extras["underlying_price"],
    })
    ok = reason.isna()
    dup = out[ok].duplicated(["quote_date", "contract_symbol"], keep="first")
    reason[dup[dup].index] = "duplicate contract on the same quote date"
    bad = reason.notna().to_numpy()
    rows = np.arange(1, n + 1)
    rejects = coerce_frame(pd.DataFrame({
        "source": SOURCE, "file": str(path), "source_row": rows[bad],
        "reason": reason[bad].to_numpy(), "raw": _raw_text(df[bad]).to_numpy(),
    }), REJECT_COLUMNS)
    accepted = coerce_frame(out[~bad], OPTION_COLUMNS)
    notes = tuple(f"dropped column {c}" for c in df.columns if c not in cols.values())
    return ParseResult(SOURCE, str(path), n, accepted, rejects, notes=notes)
