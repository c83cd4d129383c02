"""Party, state and chamber of a trade from the legislator's term covering its transaction date.

The congress-legislators CSVs carry each member's *last* term only; ``legislators-current.yaml``
(:func:`workbench.data.sources.legislator_terms.read_legislator_terms`) carries every term of
current members. :func:`date_trades_by_term` takes party, state and chamber from the term
covering each trade's **transaction date** (the trader's situation when trading), and records
how each trade was dated in ``party_source``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["date_trades_by_term", "TERM", "LAST_TERM", "dating_counts"]

TERM, LAST_TERM = "term", "last_term"
DATED_COLUMNS = ("party", "state", "chamber")


def _covering(trades: pd.DataFrame, terms: pd.DataFrame) -> np.ndarray:
    """Row of ``terms`` covering each trade (``start <= transaction_date < end``), -1 if none."""
    n = len(trades)
    out = np.full(n, -1, dtype=np.int64)
    if n == 0 or len(terms) == 0:
        return out
    when = pd.to_datetime(trades["transaction_date"]).to_numpy(dtype="datetime64[ns]")
    bio = trades["bioguide_id"].astype(object).to_numpy()
    t = terms.reset_index(drop=True)
    # Periods of one member do not overlap (ends are exclusive), so the covering period, if
    # any, is the last one starting on or before the day.
    by_member = {b: idx.to_numpy() for b, idx in t.groupby("bioguide_id", sort=False).groups.items()}
    starts = t["start"].to_numpy(dtype="datetime64[ns]")
    ends = t["end"].to_numpy(dtype="datetime64[ns]")
    for b, rows in pd.Series(np.arange(n)).groupby(bio, sort=False).groups.items():
        if b not in by_member:
            continue
        own = by_member[b][np.argsort(starts[by_member[b]], kind="stable")]
        rows = np.asarray(rows)
        d = when[rows]
        k = np.searchsorted(starts[own], d, side="right") - 1
        ok = (k >= 0) & ~np.isnat(d)
        cand = own[np.clip(k, 0, None)]
        ok &= d < ends[cand]
        out[rows[ok]] = cand[ok]
    return out


def date_trades_by_term(trades: pd.DataFrame, terms: pd.DataFrame) -> pd.DataFrame:
    """Set party, state and chamber from the term covering each trade's transaction date.

    Parameters
    ----------
    trades : DataFrame
        Resolved trades (``bioguide_id``, ``transaction_date``; ``party``, ``state`` and
        ``chamber`` as resolution left them: the CSV's last term).
    terms : DataFrame
        ``LEGISLATOR_TERM_COLUMNS`` (one row per term period, ``end`` exclusive).

    Returns
    -------
    DataFrame
        A copy. Where a period of the trader covers the **transaction date**
        (``start <= transaction_date < end``), ``party``, ``state`` and ``chamber`` are that
        period's and ``party_source`` is ``"term"``. Other resolved trades (trader absent from
        the YAML, i.e. not a current member; a date outside every term; no transaction date)
        keep their values with ``party_source`` ``"last_term"``. Unresolved trades
        (``bioguide_id`` null) keep theirs with ``party_source`` null.

    Notes
    -----
    ``chamber`` then says where the trader sat on the transaction date, which can differ from
    the chamber of the filing for a member who moved between chambers.
    """
    out = trades.copy()
    row = _covering(out, terms)
    hit = row >= 0
    if hit.any():
        t = terms.reset_index(drop=True)
        for c in DATED_COLUMNS:
            vals = out[c].astype(object).to_numpy(copy=True)
            vals[hit] = t[c].astype(object).to_numpy()[row[hit]]
            out[c] = pd.array(vals, dtype="string")
    source = np.where(hit, TERM, np.where(out["bioguide_id"].notna().to_numpy(), LAST_TERM, None))
    out["party_source"] = pd.array(source, dtype="string")
    return out


def dating_counts(trades: pd.DataFrame) -> pd.Series:
    """Trades dated by term, by last term and unresolved (``party_source`` null), by chamber."""
    src = trades["party_source"].astype(object).where(trades["party_source"].notna(),
                                                      "unresolved")
    return src.groupby([trades["chamber"].astype(object), src]).size().rename("n_trades")
