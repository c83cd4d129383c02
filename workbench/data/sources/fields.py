"""Normalisation of disclosure field values: amounts, dates, owners, sides, asset types, chamber.

Like :mod:`workbench.data.sources.text`, every function here works on one raw value (a ``str`` or
``None``) and is pure, so the parsers call it once per *distinct* value of a column
(:func:`workbench.data.sources.text.map_unique`). Functions that can refuse a value return
``(value, reason)``: ``reason`` is ``None`` when the value is usable and otherwise a short
human-readable explanation that ends up in the rejects table; they never raise.
:mod:`workbench.data.sources.text` re-exports the public names.
"""

from __future__ import annotations

import math
import re
from datetime import datetime

__all__ = [
    "STOCK_ACT_BRACKETS", "parse_amount", "parse_date", "normalize_owner", "normalize_side",
    "classify_asset_type", "normalize_chamber",
]

# Value brackets of the STOCK Act periodic transaction report (lower bound -> upper bound, US$).
# Used to complete ranges whose upper bound was cut off in the scrape ("$15,001 -").
STOCK_ACT_BRACKETS: dict[float, float] = {
    1_001.0: 15_000.0, 15_001.0: 50_000.0, 50_001.0: 100_000.0, 100_001.0: 250_000.0,
    250_001.0: 500_000.0, 500_001.0: 1_000_000.0, 1_000_001.0: 5_000_000.0,
    5_000_001.0: 25_000_000.0, 25_000_001.0: 50_000_000.0,
}

# Whitespace runs (control characters, NBSP and zero-width space included) and the
# tokens that mean "no value"; shared with :mod:`workbench.data.sources.text`.
_WS = re.compile(r"[\s\x00-\x1f\x7f\u00a0\u200b]+")
_NULL_TOKENS = frozenset({"", "--", "-", "n/a", "na", "none", "null", "nan"})


_NUM = r"(-?\s*\$?\s*-?\s*\d[\d,]*(?:\.\d+)?)"
_RANGE = re.compile(rf"^{_NUM}\s*(?:-|–|—|to)\s*{_NUM}?$", re.IGNORECASE)
_SINGLE = re.compile(rf"^{_NUM}$")
_OVER = re.compile(rf"^(?:.*\b)?(?:over|above|more than|>)\s*{_NUM}\+?$", re.IGNORECASE)
_UNKNOWN_AMOUNTS = frozenset({"", "--", "n/a", "unknown", "not disclosed", "none"})
_NaN = float("nan")


def _number(token: str) -> float:
    negative = "-" in token
    digits = re.sub(r"[^\d.]", "", token)
    return -float(digits) if negative else float(digits)


def parse_amount(value: str | None) -> tuple[float, float, float, str | None]:
    """Parse a disclosed amount -> ``(low, high, mid, reason)`` in US dollars.

    * ``"$1,001 - $15,000"`` -> 1001, 15000, mid = (low + high) / 2; line breaks inside the range
      (House scrape: ``"$15,001 -\\n$50,000"``) are whitespace.
    * Truncated range ``"$15,001 -"``: the upper bound is the STOCK Act bracket that starts at
      that lower bound (:data:`STOCK_ACT_BRACKETS`); a non-standard lower bound is refused.
    * Exact amount ``"$1,118.07"``: low = high = mid = value.
    * ``"Over $50,000,000"``: low = 50,000,001 (the bracket starts one dollar above), high = NaN
      (open-ended), mid = low so that a finite size is always available (a lower bound).
    * ``"Unknown"``, blank, ``--``: all NaN, accepted.
    * Negative values and inverted ranges (low > high) are refused.
    """
    if value is None:
        return _NaN, _NaN, _NaN, None
    text = _WS.sub(" ", value).strip()
    if text.lower() in _UNKNOWN_AMOUNTS:
        return _NaN, _NaN, _NaN, None
    m = _OVER.match(text)
    if m:
        low = _number(m.group(1))
        if low < 0:
            return _NaN, _NaN, _NaN, f"negative amount {text!r}"
        low = low + 1.0 if low.is_integer() else low
        return low, _NaN, low, None
    m = _RANGE.match(text)
    if m:
        low = _number(m.group(1))
        if m.group(2) is None:
            if low not in STOCK_ACT_BRACKETS:
                return _NaN, _NaN, _NaN, f"truncated amount range with non-standard lower bound {text!r}"
            high = STOCK_ACT_BRACKETS[low]
        else:
            high = _number(m.group(2))
    else:
        m = _SINGLE.match(text)
        if not m:
            return _NaN, _NaN, _NaN, f"unparseable amount {text[:80]!r}"
        low = high = _number(m.group(1))
    if low < 0 or high < 0:
        return _NaN, _NaN, _NaN, f"negative amount {text!r}"
    if low > high:
        return _NaN, _NaN, _NaN, f"inverted amount range {text!r} (low > high)"
    if not (math.isfinite(low) and math.isfinite(high)):
        return _NaN, _NaN, _NaN, f"unparseable amount {text[:80]!r}"
    return low, high, (low + high) / 2.0, None


def parse_date(value: str | None, formats: tuple[str, ...] = ("%m/%d/%Y",)
               ) -> tuple[datetime | None, str | None]:
    """Parse a date with the first matching format -> ``(datetime | None, reason)``.

    Blank or ``None`` gives ``(None, None)`` (the caller decides whether the date is required);
    impossible dates such as ``02/30/2020`` are refused with a reason.
    """
    if value is None:
        return None, None
    text = value.strip()
    if text.lower() in _NULL_TOKENS:
        return None, None
    for fmt in formats:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if not 1900 <= parsed.year <= 2261:  # outside pandas' nanosecond range: a typo
            return None, f"implausible date {text[:40]!r}"
        return parsed, None
    shown = " or ".join(f.replace("%m", "MM").replace("%d", "DD").replace("%Y", "YYYY")
                        .replace("%y", "YY") for f in formats)
    return None, f"invalid date {text[:40]!r} (expected {shown})"


_OWNERS = {
    "self": "self", "spouse": "spouse", "sp": "spouse", "joint": "joint", "jt": "joint",
    "child": "child", "dependent child": "child", "dependent": "child", "dc": "child",
}


def normalize_owner(value: str | None) -> tuple[str | None, str | None]:
    """``Self``/``Spouse``/``Joint``/``Child``/``Dependent Child`` -> canonical; blank, ``--``
    and ``N/A`` -> ``unknown``; anything else is refused."""
    if value is None:
        return "unknown", None
    key = _WS.sub(" ", value).strip().lower()
    if key in _NULL_TOKENS:
        return "unknown", None
    if key in _OWNERS:
        return _OWNERS[key], None
    if key in ("unknown",):
        return "unknown", None
    return None, f"unknown owner {value[:40]!r}"


_SIDES = {
    "purchase": ("buy", False), "buy": ("buy", False), "p": ("buy", False),
    "sale": ("sell", False), "sale (full)": ("sell", False), "sale_full": ("sell", False),
    "sell": ("sell", False), "s": ("sell", False),
    "sale (partial)": ("sell", True), "sale_partial": ("sell", True),
    "s (partial)": ("sell", True), "partial sale": ("sell", True),
    "exchange": ("exchange", False), "e": ("exchange", False),
}


def normalize_side(value: str | None) -> tuple[str | None, bool, str | None]:
    """Transaction type -> ``(side, is_partial, reason)``: Purchase -> buy, Sale / Sale (Full) /
    Sale (Partial) -> sell (partial flagged), Exchange -> exchange; other types are refused."""
    if value is None:
        return None, False, "missing transaction type"
    key = _WS.sub(" ", value).strip().lower()
    if key in _SIDES:
        side, partial = _SIDES[key]
        return side, partial, None
    return None, False, f"unknown transaction type {value[:40]!r}"


_OPTION_HINT = re.compile(r"option type:|\(stock option\)|\bstock options?\b", re.IGNORECASE)
_BOND_HINT = re.compile(
    r"rate/coupon|\bcoupon\b|\bmatures:|\bbonds?\b|\bnotes? due\b|\d%\s+due\b|\bdebenture",
    re.IGNORECASE)
# Fund wording (case-sensitive on purpose: "ETF", "Fund", "Index" as filed). "Trust" alone is
# not a hint: REITs ("Medical Properties Trust, Inc.") are operating companies; nor is "ETN"
# (Eaton's ticker opens "ETN - Eaton Corporation plc").
_FUND_HINT = re.compile(
    r"\b(?:ETFs?|Fund|Funds|Contrafund|Index|Portfolio|Admiral Shares|Investor Shares)\b"
    r"|(?i:\b(?:iShares|SPDR|ProShares|PowerShares|VictoryShares|Vanguard)\b)")
_TYPE_LABELS = {
    "stock": "stock", "common stock": "stock", "stock option": "option", "option": "option",
    "options": "option", "corporate bond": "bond", "municipal security": "bond",
    "government security": "bond", "bond": "bond", "non-public stock": "other",
    "other securities": "other", "mutual fund": "fund", "etf": "fund", "fund": "fund",
}


def classify_asset_type(asset_type: str | None, description: str | None,
                        has_ticker: bool) -> str:
    """Normalize an asset type to ``stock|option|bond|fund|other`` using the description.

    Rules, in order (``description`` is the raw text, HTML included):

    1. Label ``Stock Option`` or an option hint (``Option Type:``, ``(stock option)``) -> option.
    2. ``Corporate Bond`` / ``Municipal Security`` / ``Government Security`` -> bond.
    3. ``Non-Public Stock`` -> other (private companies, whatever their name says).
    4. ``Stock``, ``Other Securities`` or blank whose description names a fund (``ETF``, ``Fund``,
       ``Index``, ``Portfolio``, an ETF family such as ``iShares``/``SPDR``/``Vanguard``) -> fund.
    5. Blank or ``Other Securities`` with bond wording (``Rate/Coupon``, ``bond``, ``% due``)
       -> bond.
    6. ``Stock`` -> stock; blank with a ticker -> stock; ``Other Securities``, blank without
       hints and unrecognised labels -> other.
    """
    label = _WS.sub(" ", asset_type or "").strip().lower()
    desc = description or ""
    mapped = _TYPE_LABELS.get(label)
    if mapped == "option" or _OPTION_HINT.search(desc):
        return "option"
    if mapped in ("bond", "fund"):
        return mapped
    if label == "non-public stock":
        return "other"
    if label in ("stock", "common stock", "other securities", "") and _FUND_HINT.search(desc):
        return "fund"
    if label in ("other securities", "") and _BOND_HINT.search(desc):
        return "bond"
    if mapped == "stock" or (label == "" and has_ticker):
        return "stock"
    return "other"


def normalize_chamber(value: str | None) -> tuple[str | None, str | None]:
    """``senate``/``sen`` -> senate, ``house``/``rep`` -> house (any case); others are refused."""
    key = (value or "").strip().lower()
    mapped = {"senate": "senate", "sen": "senate", "house": "house", "rep": "house"}.get(key)
    return (mapped, None) if mapped else (None, f"unknown chamber {value!r}")
