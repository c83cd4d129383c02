"""Resolve filer names to members of Congress (:func:`resolve_legislators`).

Maps each trade's name as filed (``raw_name``) to a ``bioguide_id`` and fills ``politician``,
``party`` and ``state`` from the legislators table read by
:func:`workbench.data.sources.legislators.read_legislators` (re-exported here, as the old
``workbench.data.legislators`` module did).

The CSVs carry one row per person with the *last* term's chamber, state, district and party,
and no term or death dates: resolution cannot check that someone sat in the filing chamber at
the trade date (see :func:`resolve_legislators` for what it checks instead), and ``party`` and
``state`` are those of the last term, not of the trade date. For members in
``legislators-current.yaml``, :func:`workbench.data.terms.date_trades_by_term` then takes party,
state and chamber from the term covering the transaction date (the store does it on every
ingest; ``party_source`` records which trades were dated by term).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.data.schema import LEGISLATOR_COLUMNS
from workbench.data.sources.legislators import (
    MAX_AGE_YEARS,
    MIN_AGE_YEARS,
    read_legislators,
)
from workbench.data.sources.names import (
    METHOD_SCORES,
    NICKNAMES,
    SUFFIXES,
    WEAK_METHODS,
    _ascii,
    _Given,
    _given_names,
    _last_keys,
    _missing,
    _name_method,
    normalize_name,
)
from workbench.exceptions import DataError

__all__ = ["read_legislators", "resolve_legislators", "ResolutionResult", "normalize_name",
           "NICKNAMES"]

_DISTRICT_RE = re.compile(r"^\s*([A-Za-z]{2})\s*-?\s*(\d{1,2}|AL)?\s*$")


@dataclass(frozen=True)
class ResolutionResult:
    """Outcome of :func:`resolve_legislators`.

    Attributes
    ----------
    trades : DataFrame
        Copy of the input with ``bioguide_id``, ``party``, ``state`` and ``politician`` (the
        legislator's display name "First Last") set on resolved rows; ``bioguide_id`` is null
        on unresolved rows, whose other fields are left as given.
    match_rate : float
        Share of trades (rows) resolved; NaN for an empty input.
    by_name : DataFrame
        One row per unique ``(raw_name, chamber, district)``: ``raw_name, chamber, district,
        n_trades, bioguide_id, politician, method, score, decided_by``. ``method`` is how the
        given names matched (exact, nickname, initials, middle, given, last_only; "unmatched"
        when unresolved); ``decided_by`` is the rule that left one candidate (unique, age,
        state, district, chamber, name, current).
    unmatched : DataFrame
        ``raw_name, chamber, district, n_trades, reason`` for the names left unresolved.
    """

    trades: pd.DataFrame
    match_rate: float
    by_name: pd.DataFrame
    unmatched: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.by_name

    def summary(self) -> pd.Series:
        n = len(self.trades)
        resolved = int(self.trades["bioguide_id"].notna().sum()) if n else 0
        methods = self.by_name.groupby("method")["n_trades"].sum()
        return pd.Series(dtype=object, data={
            "n_trades": n, "n_resolved": resolved, "match_rate": self.match_rate,
            "n_names": len(self.by_name), "n_names_unmatched": len(self.unmatched),
            "n_ambiguous": int(self.unmatched["reason"].str.startswith("ambiguous").sum()),
            **{f"trades_{m}": int(v) for m, v in methods.items()},
        })


class _Index:
    """Legislators indexed by last-name key, with given-name sets computed on demand."""

    def __init__(self, legislators: pd.DataFrame):
        leg = legislators.reset_index(drop=True)
        self.leg = leg
        self.by_key: dict[str, list[tuple[int, bool]]] = {}
        lasts = leg["last_name"].to_numpy(dtype=object, na_value=None).tolist()
        keys = {last: _last_keys(last) for last in set(lasts)}   # ~7k distinct of ~13k
        for i, last in enumerate(lasts):
            for key, partial in keys[last]:
                self.by_key.setdefault(key, []).append((i, partial))
        self._given: dict[int, _Given] = {}
        self._names = list(zip(*(leg[c].to_numpy(dtype=object, na_value=None) for c in (
            "first_name", "middle_name", "last_name", "nickname", "full_name")), strict=True))
        self.birthday = leg["birthday"].to_numpy(dtype="datetime64[ns]")
        self.cols = {c: leg[c].to_numpy(dtype=object, na_value=None)
                     for c in ("state", "district", "chamber", "is_current", "bioguide_id")}

    def given(self, i: int) -> _Given:
        if i not in self._given:
            self._given[i] = _given_names(*self._names[i])
        return self._given[i]

    def candidates(self, toks, bracket) -> tuple[dict[int, tuple[str, float]], str]:
        """Legislators compatible with a tokenized name: {row: (method, score)}, why-not."""
        found: dict[int, tuple[str, float]] = {}
        surnamed = 0
        for k in (3, 2, 1):
            if len(toks) < k:
                continue
            hits = self.by_key.get("".join(toks[-k:]), [])
            surnamed += len(hits)
            for i, partial in hits:
                method = _name_method(toks[:-k], bracket, self.given(i))
                if method is None:
                    continue
                score = METHOD_SCORES[method] - (0.05 if partial else 0.0)
                if i not in found or score > found[i][1]:
                    found[i] = (method, score)
        if found:
            return found, ""
        if surnamed:
            return found, f"given names match none of {surnamed} legislators surnamed {toks[-1]!r}"
        return found, f"no legislator surnamed {toks[-1]!r}"


def _parse_district(text) -> tuple[str | None, str | None]:
    m = None if _missing(text) else _DISTRICT_RE.match(str(text))
    if not m:
        return None, None
    num = m.group(2)
    district = None if num is None else ("0" if num.upper() == "AL" else str(int(num)))
    return m.group(1).upper(), district


def _pick(index: _Index, found: dict, chamber, state, district, lo, hi):
    """Apply the rules of :func:`resolve_legislators` in order.

    Hard rules drop candidates (none left: unmatched); soft rules keep their subset only when
    it is non-empty. Returns (row or None, decided_by, reason).
    """
    col = index.cols
    dated = not pd.isna(lo)

    def of_age(i) -> bool:  # unknown birthdays cannot be ruled out
        b = index.birthday[i]
        if np.isnat(b) or not dated:
            return True
        b = pd.Timestamp(b)
        return (b + pd.DateOffset(years=MIN_AGE_YEARS) <= hi
                and lo <= b + pd.DateOffset(years=MAX_AGE_YEARS))

    def best(cands):
        top = max(found[i][1] for i in cands)
        return [i for i in cands if found[i][1] >= top]

    rules = [  # (name, hard, filter of a candidate list, applies)
        ("age", True, lambda c: [i for i in c if of_age(i)], dated),
        ("state", True, lambda c: [i for i in c if col["state"][i] == state], bool(state)),
        # Weak name evidence (last name only, an initial of the first name) needs a known
        # birthday and the state, and the district where both are known.
        ("evidence", True, lambda c: [i for i in c if found[i][0] not in WEAK_METHODS or (
            col["state"][i] == state and not np.isnat(index.birthday[i])
            and (not district or col["district"][i] in (None, district)))], True),
        ("age", False, lambda c: [i for i in c if not np.isnat(index.birthday[i])], dated),
        ("district", False, lambda c: [i for i in c if col["district"][i] == district],
         bool(district)),
        ("chamber", False, lambda c: [i for i in c if col["chamber"][i] == chamber],
         bool(chamber)),
        ("name", False, best, True),
        ("current", False, lambda c: [i for i in c if col["is_current"][i]], True),
    ]
    cands, decided_by = list(found), "unique"
    for name, hard, keep, applies in rules:
        if not applies:
            continue
        kept = keep(cands)
        if hard and not kept:
            return None, "", f"ruled out by {name}: {_describe(index, cands)}"
        if kept and len(kept) < len(cands):
            cands, decided_by = kept, name
        if len(cands) == 1 and not hard:  # every hard rule is checked, even for one candidate
            return cands[0], decided_by, ""
    return None, "", f"ambiguous: {_describe(index, cands)}"


def _describe(index: _Index, rows) -> str:
    leg = index.leg
    return ", ".join(
        f"{leg.at[i, 'bioguide_id']} ({_display(leg.loc[i])}, {leg.at[i, 'state']}, "
        f"{leg.at[i, 'chamber']}, born {str(leg.at[i, 'birthday'])[:4]})" for i in rows)


def _display(row) -> str:
    """Display name "First Last".

    The nickname and last name when a nickname is recorded; else ``full_name`` without its
    suffix, initials and quoted parts ("J. French Hill" -> "French Hill", "Thomas H. Kean,
    Jr." -> "Thomas Kean"); else the first name (the middle name after a bare initial).
    """
    last = row["last_name"]
    if not pd.isna(row["nickname"]):
        return f"{row['nickname']} {last}"
    full = row["full_name"]
    if not pd.isna(full):
        text = re.sub(r"\"[^\"]*\"|“[^”]*”|\([^)]*\)", " ", str(full).split(",")[0])
        words = [w for w in text.split() if len(w.strip(".")) > 1 or not w.endswith(".")]
        words = [w for w in words if w.strip(".").lower() not in SUFFIXES]
        if len(words) >= 2 and " ".join(words).endswith(str(last)):
            return " ".join(words)
    first = row["first_name"] if not pd.isna(row["first_name"]) else ""
    if len(_ascii(first).strip(". ")) <= 1 and not pd.isna(row["middle_name"]):
        first = row["middle_name"]
    return f"{first} {last}".strip()


def _resolve_one(index: _Index, g) -> tuple:
    """(legislator row or -1, method, score, decided_by, reason) for one unique name."""
    toks, bracket = normalize_name(g.raw_name)
    found, why = index.candidates(toks, bracket) if toks else ({}, "empty name")
    if not found:
        return -1, "unmatched", 0.0, pd.NA, why
    state, district = _parse_district(g.district)
    if state is None and not _missing(g.state_hint):
        state = str(g.state_hint).upper()
    chamber = None if _missing(g.chamber) else str(g.chamber)
    pick, decided_by, why = _pick(index, found, chamber, state, district, g.lo, g.hi)
    if pick is None:
        return -1, "unmatched", 0.0, pd.NA, why
    return pick, found[pick][0], found[pick][1], decided_by, pd.NA


def resolve_legislators(trades: pd.DataFrame, legislators: pd.DataFrame) -> ResolutionResult:
    """Resolve each trade's filer name to a legislator (bioguide id).

    Names are matched, never ids: ``source_bioguide_id`` is ignored here (use it to audit).
    Work is done once per unique ``(raw_name, chamber, district)``.

    Parameters
    ----------
    trades : DataFrame
        Canonical trades plus ``raw_name`` (name as filed; ``politician`` is used where absent)
        and, for the House, ``district`` (``"NJ07"``, ``"AL00"`` at large). ``state``, when
        given, is used as a hint. Dates: ``transaction_date`` (falling back to
        ``disclosure_date``) is used for the age check only.
    legislators : DataFrame
        As returned by :func:`read_legislators`.

    Returns
    -------
    ResolutionResult

    Notes
    -----
    Candidates share the filed last name (compound and hyphenated names included; trailing
    suffixes, honorifics, case, accents and punctuation ignored) and have compatible given
    names (``method``): first name, nickname (the ``nickname`` column, ``full_name`` and
    :data:`NICKNAMES`), initials, middle name. A clash of given names excludes a candidate.

    Hard rules, applied even to a lone candidate (none left: unmatched, "ruled out by ..."):
    (1) *age*: 25 to 100 years old at the trade dates (the CSVs hold no term or death dates,
    so "alive" means "under 100"; unknown birthdays pass); (2) *state*: the state of the
    House district (or of the ``state`` hint) when known; (3) *evidence*: weak name matches
    (last name only, or only the initial of the member's first name, as in "Nicholas V.
    Taylor" for Van Taylor) also need a known birthday, the state and the district.
    Soft rules, each keeping its subset only when non-empty, in this order: known birthday,
    same district number, same chamber (of the member's last term), best name-match score,
    current member. Two or more left: unmatched with reason ``"ambiguous: ..."``.
    """
    out, n = trades.copy(), len(trades)
    if "raw_name" not in out.columns and "politician" not in out.columns:
        raise DataError("trades need a 'raw_name' or 'politician' column")
    lacking = [c for c in LEGISLATOR_COLUMNS if c not in legislators.columns]
    if lacking:
        raise DataError(f"legislators table lacks columns {lacking}")
    col = lambda c: out[c] if c in out.columns else pd.Series(pd.NA, index=out.index)  # noqa: E731
    names = col("raw_name").astype("string").fillna(col("politician").astype("string"))
    when = pd.to_datetime(col("transaction_date")).fillna(pd.to_datetime(col("disclosure_date")))
    key = pd.DataFrame({"raw_name": names, "chamber": col("chamber").astype("string"),
                        "district": col("district").astype("string"),
                        "state_hint": col("state").astype("string"), "when": when})
    cols = ["raw_name", "chamber", "district"]
    gid = key.groupby(cols, dropna=False, sort=False).ngroup().to_numpy()
    first = np.unique(gid, return_index=True)[1]
    by_gid = key.groupby(gid)
    groups = key.iloc[first][cols].reset_index(drop=True).assign(
        n_trades=np.bincount(gid, minlength=len(first)) if n else [],
        lo=by_gid["when"].min().to_numpy(), hi=by_gid["when"].max().to_numpy(),
        state_hint=by_gid["state_hint"].first().to_numpy())

    index = _Index(legislators)
    rows = [_resolve_one(index, g) for g in groups.itertuples()]
    res = pd.DataFrame(rows, columns=["leg_row", "method", "score", "decided_by", "reason"])
    leg_row = res["leg_row"].to_numpy(dtype=np.int64)
    hit = leg_row >= 0
    filled = {c: np.full(len(res), pd.NA, dtype=object)
              for c in ("bioguide_id", "politician", "party", "state")}
    if hit.any():
        rows_hit = index.leg.iloc[leg_row[hit]]
        for c in ("bioguide_id", "party", "state"):
            filled[c][hit] = rows_hit[c].to_numpy(dtype=object, na_value=pd.NA)
        filled["politician"][hit] = [_display(r) for _, r in rows_hit.iterrows()]
    groups = groups.assign(**{c: pd.array(v, dtype="string") for c, v in filled.items()},
                           **res)
    resolved = hit[gid] if n else np.zeros(0, dtype=bool)
    for c, v in filled.items():
        base = col(c).astype("string").to_numpy(dtype=object, na_value=pd.NA)
        out[c] = pd.array(v[gid] if c == "bioguide_id" else np.where(resolved, v[gid], base),
                          dtype="string")
    keys = ["raw_name", "chamber", "district", "n_trades"]
    by_name = groups[keys + ["bioguide_id", "politician", "method", "score", "decided_by"]]
    unmatched = groups.loc[~hit, keys + ["reason"]].sort_values("n_trades", ascending=False)
    rate = float(resolved.mean()) if n else float("nan")
    return ResolutionResult(trades=out, match_rate=rate, by_name=by_name,
                            unmatched=unmatched.reset_index(drop=True))
