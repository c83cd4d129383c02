"""What every member needs from a universe, computed once: :class:`UniverseContext`.

A context holds the price calendar (the sessions of the price table), the wide adjusted closes
and daily log returns, the factors on that calendar, the stock trades with their entry session
(the first session strictly after the **disclosure** date, the project's entry rule), the
RiskMetrics volatility, and the members' states by (member, horizon). :func:`context_for`
returns one context per universe object (cached while the universe lives), so the service and
repeated predictions never recompute what a member precomputed.

Every array here at session position ``p`` uses data up to the close of session ``p`` only.
"""

from __future__ import annotations

import logging
import threading
import weakref

import numpy as np
import pandas as pd

from workbench.ensemble.base import MemberPrediction, MemberState, build_state, position_of

__all__ = ["UniverseContext", "Member", "context_for", "FLAT_BAND", "EWMA_LAMBDA",
           "forward_log_return"]

log = logging.getLogger(__name__)

FLAT_BAND = 0.005       # |log return| <= band over the horizon counts as flat (as the service)
EWMA_LAMBDA = 0.94      # RiskMetrics

_LOCK = threading.Lock()
_CONTEXTS: dict[int, UniverseContext] = {}


def forward_log_return(close: np.ndarray, horizon: int) -> np.ndarray:
    """``log(close[p + h] / close[p])`` per session and ticker (NaN past the end or in gaps)."""
    out = np.full(close.shape, np.nan)
    h = int(horizon)
    if h < len(close):
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:-h] = np.log(close[h:] / close[:-h])
    return out


class UniverseContext:
    """Shared, point-in-time inputs of the members for one universe (see module notes).

    Attributes
    ----------
    universe : Universe
    sessions : DatetimeIndex
        Sessions of the price table (the calendar of every position).
    tickers : tuple of str
        Priced tickers (columns of every panel).
    close : ndarray (sessions, tickers)
        Adjusted closes, NaN where a ticker has no quote.
    logret : ndarray
        Daily log returns (row ``p``: close ``p-1`` to close ``p``).
    factors : DataFrame
        ``universe.factors`` on the sessions (NaN where missing).
    trades : DataFrame
        Stock buys and sells with a priced ticker and an entry session inside the calendar:
        the canonical columns plus ``k`` (ticker column), ``entry_pos`` (position of the entry
        session) and ``sign`` (+1 buy, -1 sell).
    ewma_vol : ndarray
        RiskMetrics daily volatility known at each close (lambda 0.94).
    """

    def __init__(self, universe):
        from workbench.factors.inputs import entry_sessions, to_wide_prices

        try:
            self._uref = weakref.ref(universe)
        except TypeError:
            self._uref = lambda u=universe: u
        wide = to_wide_prices(universe.prices, "adj_close").sort_index()
        self.sessions = pd.DatetimeIndex(wide.index).as_unit("ns")
        self.tickers = tuple(str(c) for c in wide.columns)
        self._col = {t: i for i, t in enumerate(self.tickers)}
        self.close = wide.to_numpy(dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            lr = np.full(self.close.shape, np.nan)
            lr[1:] = np.log(self.close[1:] / self.close[:-1])
        self.logret = lr
        fac = getattr(universe, "factors", None)
        self.factors = (fac.reindex(self.sessions) if isinstance(fac, pd.DataFrame)
                        else pd.DataFrame(index=self.sessions))
        t = universe.trades
        keep = (t["ticker"].notna() & t["side"].isin(["buy", "sell"])
                & (t["asset_type"] == "stock") & t["disclosure_date"].notna())
        tr = t.loc[keep.fillna(False).to_numpy()].reset_index(drop=True)
        entry = entry_sessions(tr, "disclosure")
        k = pd.Index(self.tickers).get_indexer(tr["ticker"].astype(str))
        e_ns = entry.to_numpy(dtype="datetime64[ns]").astype(np.int64)
        pos = self.sessions.asi8.searchsorted(e_ns, side="left")
        ok = (k >= 0) & entry.notna().to_numpy() & (pos < len(self.sessions))
        ok &= np.where(ok, self.sessions.asi8[np.minimum(pos, len(self.sessions) - 1)] == e_ns,
                       False)
        tr = tr.loc[ok].reset_index(drop=True)
        tr["k"] = k[ok]
        tr["entry_pos"] = pos[ok]
        tr["sign"] = np.where(tr["side"].astype(str) == "buy", 1.0, -1.0)
        self.trades = tr.sort_values(["entry_pos", "k"], kind="stable").reset_index(drop=True)
        var = pd.DataFrame(lr ** 2).ewm(alpha=1 - EWMA_LAMBDA, adjust=False,
                                        ignore_na=True).mean().to_numpy()
        self.ewma_vol = np.sqrt(np.where(np.isfinite(self.close), var, np.nan))
        self._states: dict[tuple[str, int], MemberState] = {}
        self._locks: dict[tuple[str, int], threading.Lock] = {}
        self._lock = threading.Lock()
        self.cache: dict = {}        # shared intermediate results of members (by name)

    @property
    def universe(self):
        """The universe (held weakly: the context cache must not keep it alive)."""
        return self._uref()

    @property
    def n_sessions(self) -> int:
        return len(self.sessions)

    @property
    def n_tickers(self) -> int:
        return len(self.tickers)

    def column(self, ticker: str) -> int:
        """Column of ``ticker`` (-1 when it has no price series)."""
        return self._col.get(str(ticker).upper(), self._col.get(str(ticker), -1))

    def target(self, horizon: int) -> np.ndarray:
        """Forward log return over ``horizon`` sessions from each close (the label)."""
        key = ("target", int(horizon))
        if key not in self.cache:
            self.cache[key] = forward_log_return(self.close, horizon)
        return self.cache[key]

    def shared(self, name: str, build):
        """``build()`` computed once per context and name (thread-safe)."""
        with self._lock:
            lock = self._locks.setdefault(("shared", name), threading.Lock())
        with lock:
            if name not in self.cache:
                self.cache[name] = build()
            return self.cache[name]

    def state(self, member: Member, horizon: int) -> MemberState:
        """The member's state for ``horizon``, built on first use (one build per key)."""
        key = (member.key(), int(horizon))
        with self._lock:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            st = self._states.get(key)
            if st is None:
                st = build_state(member, self, int(horizon))
                self._states[key] = st
            return st


def context_for(universe) -> UniverseContext:
    """The context of ``universe`` (one per universe object while it lives)."""
    if isinstance(universe, UniverseContext):
        return universe
    key = id(universe)
    with _LOCK:
        ctx = _CONTEXTS.get(key)
        if ctx is not None and ctx.universe is universe:
            return ctx
    ctx = UniverseContext(universe)
    with _LOCK:
        old = _CONTEXTS.get(key)
        if old is not None and old.universe is universe:
            return old
        _CONTEXTS[key] = ctx
        try:
            weakref.finalize(universe, _CONTEXTS.pop, key, None)
        except TypeError:  # not weak-referenceable: kept until the process ends
            pass
    return ctx


class Member:
    """Base of the ensemble's members (see module notes).

    Subclasses set ``name`` and ``label`` (for people) and implement :meth:`build`, which
    returns a :class:`MemberState` for a :class:`~workbench.ensemble.context.UniverseContext`
    and a horizon. Constructor arguments are stored as given (scikit-learn style) and make up
    :meth:`key`, so two configurations of one member never share a cached state.
    """

    name: str = "member"
    label: str = "member"

    def get_params(self) -> dict:
        return {k: v for k, v in vars(self).items() if not k.startswith("_")}

    def key(self) -> str:
        params = ",".join(f"{k}={v!r}" for k, v in sorted(self.get_params().items()))
        return f"{self.name}({params})"

    def build(self, ctx, horizon: int) -> MemberState:
        raise NotImplementedError

    def state(self, universe, horizon: int) -> MemberState:
        """The cached state of this member on ``universe`` (built on first use)."""
        return context_for(universe).state(self, int(horizon))

    def predict(self, universe, ticker: str, as_of=None, horizon: int = 7) -> MemberPrediction:
        """The protocol: this member's view of ``ticker`` at the close of ``as_of``.

        ``as_of`` is read at the last session of the price table on or before it (default:
        the last session). Never raises: failures come back as ``status="failed"``.
        """
        try:
            ctx = context_for(universe)
            k = ctx.column(ticker)
            pos = position_of(ctx.sessions, as_of)
            if k < 0 or pos < 0:
                why = "ticker has no price series" if k < 0 else "as_of before the price history"
                return MemberPrediction(self.name, None, None, "unavailable", why)
            return ctx.state(self, int(horizon)).predict(k, pos)
        except Exception as exc:
            log.warning("ensemble member %s failed: %s", self.name, exc)
            return MemberPrediction(self.name, None, None, "failed",
                                    f"{type(exc).__name__}: {exc}"[:300])
