"""The data contract: canonical column sets, dtypes and the parse-result container.

Every loader returns a :class:`ParseResult` whose ``accepted`` frame follows the canonical
schema of its kind and whose ``rejects`` frame explains every row that was not accepted, so
that ``len(accepted) + len(rejects) == rows_read`` always holds.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pandas as pd

from workbench.exceptions import DataError

__all__ = [
    "TRADE_COLUMNS", "TRADE_EXTRA_COLUMNS", "PRICE_COLUMNS", "FACTOR_COLUMNS", "OPTION_COLUMNS", "LEGISLATOR_COLUMNS",
    "SECURITY_COLUMNS", "LEGISLATOR_TERM_COLUMNS", "COMMITTEE_COLUMNS", "COMMITTEE_MEMBER_COLUMNS",
    "REJECT_COLUMNS", "OWNERS", "SIDES", "ASSET_TYPES", "CHAMBERS",
    "ParseResult", "empty_trades", "empty_rejects", "make_trade_id", "coerce_trades",
    "validate_trades",
]

# Canonical trades table (ARCHITECTURE.md). Order matters: stores and exports use it.
TRADE_COLUMNS: dict[str, str] = {
    "trade_id": "string",
    "politician": "string",
    "bioguide_id": "string",
    "chamber": "string",
    "party": "string",
    "state": "string",
    "owner": "string",
    "ticker": "string",
    "asset_description": "string",
    "asset_type": "string",
    "side": "string",
    "is_partial": "bool",
    "transaction_date": "datetime64[ns]",
    "disclosure_date": "datetime64[ns]",
    "amount_low": "float64",
    "amount_high": "float64",
    "amount_mid": "float64",
    "source": "string",
    "source_url": "string",
}

# Extra per-trade fields parsers keep beside the contract: what legislator resolution and
# provenance need (raw name as filed, House district, the source's own bioguide id if any).
TRADE_EXTRA_COLUMNS: dict[str, str] = {
    "filing_id": "string",
    "raw_name": "string",
    "district": "string",
    "source_bioguide_id": "string",
    "comment": "string",
    # How party, state and chamber were dated: "term" (the legislators-current.yaml term
    # covering the transaction date) or "last_term" (the CSV's last term); null when unresolved.
    "party_source": "string",
}

OWNERS = ("self", "spouse", "joint", "child", "unknown")
SIDES = ("buy", "sell", "exchange")
ASSET_TYPES = ("stock", "option", "bond", "fund", "other")
CHAMBERS = ("senate", "house")

# Long price table: one row per (date, ticker); adj_close is split- and dividend-adjusted.
PRICE_COLUMNS: dict[str, str] = {
    "date": "datetime64[ns]", "ticker": "string", "open": "float64", "high": "float64",
    "low": "float64", "close": "float64", "adj_close": "float64", "volume": "float64",
}

# Daily factor returns in decimals, indexed by date.
FACTOR_COLUMNS = ("Mkt-RF", "SMB", "HML", "RMW", "CMA", "RF")

# One row per contract quote on a quote date (yfinance-style fields, snake_case).
OPTION_COLUMNS: dict[str, str] = {
    "quote_date": "datetime64[ns]", "ticker": "string", "contract_symbol": "string",
    "option_type": "string", "expiration": "datetime64[ns]", "strike": "float64",
    "last_price": "float64", "bid": "float64", "ask": "float64", "volume": "float64",
    "open_interest": "float64", "implied_volatility": "float64", "underlying_price": "float64",
}

LEGISLATOR_COLUMNS: dict[str, str] = {
    "bioguide_id": "string", "first_name": "string", "middle_name": "string",
    "last_name": "string", "suffix": "string", "nickname": "string", "full_name": "string",
    "birthday": "datetime64[ns]", "gender": "string", "chamber": "string", "state": "string",
    "district": "string", "party": "string", "is_current": "bool",
}

SECURITY_COLUMNS: dict[str, str] = {"ticker": "string", "name": "string", "sector": "string"}

# One row per term period of a member (a term split at party switches); ``end`` is exclusive.
LEGISLATOR_TERM_COLUMNS: dict[str, str] = {
    "bioguide_id": "string", "start": "datetime64[ns]", "end": "datetime64[ns]",
    "chamber": "string", "state": "string", "district": "string", "party": "string",
}

# Committees and subcommittees (``parent_id`` null for full committees); ``sectors`` is a tuple
# of GICS sector names the committee oversees (a ``;``-joined string in the store).
COMMITTEE_COLUMNS: dict[str, str] = {
    "committee_id": "string", "parent_id": "string", "name": "string", "chamber": "string",
    "jurisdiction": "string", "url": "string", "sectors": "object",
}

# Committee seats of the current Congress (no history): ``side`` is majority/minority.
COMMITTEE_MEMBER_COLUMNS: dict[str, str] = {
    "committee_id": "string", "bioguide_id": "string", "rank": "int64", "title": "string",
    "side": "string",
}

# Every loader's rejects: where the row was, why it was refused, and the raw text of it.
REJECT_COLUMNS: dict[str, str] = {
    "source": "string", "file": "string", "source_row": "int64", "reason": "string",
    "raw": "string",
}


@dataclass(frozen=True)
class ParseResult:
    """What a loader read: accepted rows in canonical form plus a reason for every reject.

    Attributes
    ----------
    source : str
        Registry name of the parser (``senate_daily``, ``house``, ...).
    file : str
        The file that was read.
    rows_read : int
        Data rows found in the file (transactions, not filings, for filing-shaped sources).
    accepted, rejects : DataFrame
        ``len(accepted) + len(rejects) == rows_read``.
    empty_filings : int
        Filings with no transactions (Senate paper filings); they hold no rows, so they are
        counted here rather than rejected.
    duplicates : int
        Accepted rows identical in every field to an earlier row of the same filing (kept:
        PTRs list separate lots as separate lines).
    """

    source: str
    file: str
    rows_read: int
    accepted: pd.DataFrame
    rejects: pd.DataFrame
    empty_filings: int = 0
    duplicates: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if len(self.accepted) + len(self.rejects) != self.rows_read:
            raise DataError(
                f"parser {self.source!r} lost rows: {len(self.accepted)} accepted + "
                f"{len(self.rejects)} rejected != {self.rows_read} read", file=self.file)

    def summary(self) -> pd.Series:
        return pd.Series({
            "source": self.source, "file": self.file, "rows_read": self.rows_read,
            "accepted": len(self.accepted), "rejected": len(self.rejects),
            "empty_filings": self.empty_filings, "duplicates": self.duplicates,
        })


def empty_frame(columns: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})


def empty_trades() -> pd.DataFrame:
    return empty_frame(TRADE_COLUMNS | TRADE_EXTRA_COLUMNS)


def empty_rejects() -> pd.DataFrame:
    return empty_frame(REJECT_COLUMNS)


def make_trade_id(*parts: object) -> str:
    """Stable 16-hex-digit id from the parts (source, filing, row...): same input, same id."""
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def coerce_frame(df: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """Select and order ``columns`` and cast them to their canonical dtypes."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(f"missing columns {missing}")
    out = df.loc[:, list(columns)].copy()
    for col, dtype in columns.items():
        if dtype.startswith("datetime"):
            out[col] = pd.to_datetime(out[col]).astype("datetime64[ns]")
        else:
            out[col] = out[col].astype(dtype)
    return out.reset_index(drop=True)


def coerce_trades(df: pd.DataFrame) -> pd.DataFrame:
    """Canonical columns in order, then whichever extra columns the frame has (missing -> NA)."""
    out = df.copy()
    for col in TRADE_EXTRA_COLUMNS:
        if col not in out.columns:
            out[col] = pd.NA
    return coerce_frame(out, TRADE_COLUMNS | TRADE_EXTRA_COLUMNS)


def validate_trades(df: pd.DataFrame, *, file: str | None = None) -> pd.DataFrame:
    """Check a trades frame against the contract; raise :class:`DataError` on the first breach."""
    df = coerce_trades(df)
    checks = [
        ("chamber", CHAMBERS), ("owner", OWNERS), ("side", SIDES), ("asset_type", ASSET_TYPES),
    ]
    for col, allowed in checks:
        bad = ~df[col].isin(allowed)
        if bad.any():
            i = int(bad.idxmax())
            raise DataError(f"{col}={df[col].iloc[i]!r} not in {allowed}", file=file, row=i + 1,
                            column=col)
    if df["trade_id"].duplicated().any():
        i = int(df["trade_id"].duplicated().idxmax())
        raise DataError(f"duplicate trade_id {df['trade_id'].iloc[i]}", file=file, row=i + 1)
    lo, hi = df["amount_low"], df["amount_high"]
    bad = (lo > hi) | (lo < 0)
    if bad.any():
        i = int(bad.idxmax())
        raise DataError("amount range inverted or negative", file=file, row=i + 1)
    return df
