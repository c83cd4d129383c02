"""What every member profile of one universe shares, computed once per universe.

A profile needs, besides the member's own trades, things that do not depend on the member: the
wide price table and the equal-weight universe portfolio, the similarity of every pair of
traders, the committee relevance of every member, the share of all trades disclosed late and
the sector mix of all trades. :func:`universe_context` computes them and keeps the result in a
small in-process cache keyed by a **fingerprint of the universe's content** (a hash of the
trades, prices, securities and committee tables), so the profiles run one after another in one
kernel (``workbench reports build --politicians top:20``) compute them once, and a different
universe -- another seed, another store, or the same universe with its trades filtered -- can
never be served another one's context: its fingerprint differs.

Dates: the context uses no date beyond what its parts use (the similarity's count series use
the **transaction** date; the late share compares transaction and disclosure dates; the
universe portfolio is by price session).
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["UniverseContext", "universe_context", "universe_fingerprint", "LATE_DAYS"]

LATE_DAYS = 45  # STOCK Act limit, calendar days between transaction and disclosure
_CACHE_SIZE = 2
_CACHE: OrderedDict[str, UniverseContext] = OrderedDict()
_LOCK = threading.Lock()
_TABLES = ("trades", "prices", "securities", "committees", "committee_members")


@dataclass(frozen=True)
class UniverseContext:
    """Member-independent inputs of :func:`workbench.member.member_profile`.

    Attributes
    ----------
    fingerprint : str
        :func:`universe_fingerprint` of the universe it was computed from.
    levels : DataFrame
        Session x ticker adjusted closes.
    universe_returns : Series
        Daily return of the equal-weight universe of priced tickers, by session.
    everyone_late_share : float
        Share of all trades with both dates disclosed more than :data:`LATE_DAYS` calendar days
        after the transaction (NaN without such trades).
    sector_of : Series or None
        Ticker -> GICS sector (``None`` without a securities table with sectors).
    everyone_sector_share : Series or None
        Sector -> share of all trades of known sector.
    relevance : DataFrame or None
        :func:`workbench.data.committees.relevance_by_member` of the universe (``None``
        without committee data).
    similarity : SimilarityResult
        :func:`workbench.network.compute_similarity` of all trades.
    """

    fingerprint: str
    levels: pd.DataFrame
    universe_returns: pd.Series
    everyone_late_share: float
    sector_of: pd.Series | None
    everyone_sector_share: pd.Series | None
    relevance: pd.DataFrame | None
    similarity: object

    def summary(self) -> pd.Series:
        return pd.Series({"fingerprint": self.fingerprint, "sessions": len(self.levels),
                          "tickers": self.levels.shape[1],
                          "traders": len(self.similarity.politicians),
                          "everyone_late_share": self.everyone_late_share,
                          "committee_data": self.relevance is not None})


def _frame_digest(frame) -> bytes:
    if frame is None:
        return b"none"
    if not isinstance(frame, pd.DataFrame):
        return pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL)
    head = repr([(str(c), str(t)) for c, t in frame.dtypes.items()]).encode()
    try:
        values = pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes()
    except TypeError:  # cells pandas cannot hash (lists, dicts): hash their pickle
        values = pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL)
    return head + hashlib.sha256(values).digest()


def universe_fingerprint(universe) -> str:
    """Hash of the content of every table the context reads (trades, prices, securities,
    committees, committee members): values, index, column names and dtypes."""
    h = hashlib.sha256()
    for name in _TABLES:
        h.update(name.encode())
        h.update(_frame_digest(getattr(universe, name, None)))
    return h.hexdigest()[:32]


def _late_share(trades: pd.DataFrame) -> float:
    lag = (pd.to_datetime(trades["disclosure_date"])
           - pd.to_datetime(trades["transaction_date"])).dt.days.dropna()
    return float((lag > LATE_DAYS).mean()) if len(lag) else np.nan


def _compute(universe, fingerprint: str) -> UniverseContext:
    from workbench.factors.findings import universe_returns
    from workbench.factors.inputs import to_wide_prices
    from workbench.network import compute_similarity

    trades = universe.trades
    levels = to_wide_prices(universe.prices)
    securities = getattr(universe, "securities", None)
    sector_of = share = None
    if securities is not None and len(securities) and "sector" in securities:
        sector_of = securities.drop_duplicates("ticker").set_index("ticker")["sector"]
        share = trades["ticker"].map(sector_of).dropna().value_counts(normalize=True)
    relevance = None
    if len(getattr(universe, "committee_members", ())) and len(getattr(universe, "committees",
                                                                          ())):
        from workbench.data.committees import relevance_by_member

        relevance = relevance_by_member(universe)
    return UniverseContext(
        fingerprint=fingerprint, levels=levels, universe_returns=universe_returns(levels),
        everyone_late_share=_late_share(trades), sector_of=sector_of,
        everyone_sector_share=share, relevance=relevance,
        similarity=compute_similarity(trades, securities))


def universe_context(universe, *, cache: bool = True) -> UniverseContext:
    """The :class:`UniverseContext` of ``universe``, from the in-process cache when this
    content was seen (the last :data:`_CACHE_SIZE` universes are kept).

    ``cache=False`` always computes (the reference the cached path is tested against).
    """
    fingerprint = universe_fingerprint(universe)
    if not cache:
        return _compute(universe, fingerprint)
    with _LOCK:
        hit = _CACHE.get(fingerprint)
        if hit is not None:
            _CACHE.move_to_end(fingerprint)
            return hit
    ctx = _compute(universe, fingerprint)
    with _LOCK:
        _CACHE[fingerprint] = ctx
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return ctx
