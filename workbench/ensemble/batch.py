"""Batch scoring: every member's prediction for every priced ticker at one session, ahead of use.

A service answers most requests at the latest session. :func:`score_members` computes, once
per universe, member and horizon, the :class:`~workbench.ensemble.base.MemberPrediction` of
every ticker column at a session position (default: the last session) and keeps them in the
universe's :class:`~workbench.ensemble.context.UniverseContext` (``ctx.cache``, keyed by the
member's :meth:`~workbench.ensemble.context.Member.key`, the horizon and the position).
:meth:`MultiModelEnsemble.predict <workbench.ensemble.model.MultiModelEnsemble.predict>` reads
a stored prediction when there is one and computes the member on demand otherwise (any other
session), so an answer at the scored session costs only the meta-learner, the calibration and
the insights.

Exactness: a stored prediction is produced by the very call the on-demand path makes,
``ctx.state(member, h).predict(k, pos)``, so both paths give identical answers (tests compare
them field by field). The members' values are already held as session x ticker arrays where
the member allows (:class:`~workbench.ensemble.base.ArrayState`: cycles, regimes, factors,
congress, network, anomaly, deep model, options), so what the batch saves per request is the
explanation (reason and details: analog rows, recent traders, ...) and, for the DTW analogs,
the search. The analog search is run per ticker here, not as one batched matrix product: a
float32 product of many query rows is not bit-identical to a one-row product, and the analogs
picked near a tie could then differ from the on-demand answer.

Look-ahead: the position is a decision session; each member reads data up to its close only,
as on demand (trades count from the first session after their **disclosure** date).
"""

from __future__ import annotations

import logging
import time

from workbench.ensemble.context import context_for

__all__ = ["score_members", "stored_predictions", "BATCH_KEY"]

log = logging.getLogger(__name__)

BATCH_KEY = "member_batch"


def _key(member, horizon: int, pos: int) -> tuple:
    return (BATCH_KEY, member.key(), int(horizon), int(pos))


def score_members(ensemble, universe, horizons, pos: int | None = None) -> dict:
    """Store every member's prediction of every ticker at session position ``pos``.

    Parameters
    ----------
    ensemble : MultiModelEnsemble
        Its members are scored (their states are built first when missing).
    universe : Universe
    horizons : iterable of int
        Horizons in sessions.
    pos : int, optional
        Decision session position on the price calendar (default: the last session).

    Returns
    -------
    dict
        ``{"pos", "session", "horizons", "tickers", "seconds"}`` (what was scored, how long
        it took).
    """
    ctx = context_for(universe)
    pos = ctx.n_sessions - 1 if pos is None else int(pos)
    t0 = time.perf_counter()
    hs = tuple(int(h) for h in horizons)
    for h in hs:
        for m in ensemble.members_:
            key = _key(m, h, pos)
            if key in ctx.cache:
                continue
            state = ctx.state(m, h)
            preds = tuple(state.predict(k, pos) for k in range(ctx.n_tickers))
            ctx.cache[key] = preds          # one assignment: readers see all or nothing
    seconds = time.perf_counter() - t0
    log.info("scored %d members x %d tickers x %d horizons at %s in %.1f s",
             len(ensemble.members_), ctx.n_tickers, len(hs), ctx.sessions[pos].date(), seconds)
    return {"pos": pos, "session": ctx.sessions[pos], "horizons": hs,
            "tickers": ctx.n_tickers, "seconds": seconds}


def stored_predictions(ctx, members, horizon: int, k: int, pos: int) -> list:
    """The members' predictions of column ``k`` at ``pos``: stored ones where
    :func:`score_members` computed them, the others computed now (same call)."""
    out = []
    cache = ctx.cache
    for m in members:
        batch = cache.get(_key(m, horizon, pos))
        out.append(batch[k] if batch is not None else ctx.state(m, horizon).predict(k, pos))
    return out
