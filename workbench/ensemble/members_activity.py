"""Members built on disclosed trades and option chains: network, anomaly, options.

All three act on trades from their entry session (the first session strictly after the
**disclosure** date) and measure what followed with the *copier outcome* of a trade: its sign
(buy +1, sell -1) times the log return over ``h`` sessions after the entry close, known ``h``
sessions after the entry. A group's track record at session ``p`` is the mean outcome of its
trades known by ``p``, shrunk toward 0 as ``n / (n + shrink)``.

- :class:`NetworkMember`: walk-forward trader network. Every ``refit_every`` sessions, on the
  trades disclosed before the refit only: similarity (:func:`workbench.network.
  compute_similarity`, transaction dates of those trades), graph, Louvain communities and
  leaders (:func:`workbench.network.rank_leaders`, no permutation test). A ticker's value is
  the sum, over trades in it by members of communities with a leader (two or more members)
  entered in the last ``recent`` sessions, of sign x the community's track record.
- :class:`AnomalyMember`: anomaly scores from :func:`workbench.anomalies.detect_anomalies`
  with ``walk_forward=True`` (fitted on the trades disclosed before each calendar year; trades
  of a year scored in-sample are left out). Flagged trades entered in the last ``recent``
  sessions contribute sign x the track record of all flagged trades.
- :class:`OptionsMember`: the latest option chain of the ticker quoted at most ``max_age``
  sessions before the decision (:func:`workbench.options.compute_gex`). A chain is a *squeeze
  setup* when dealers are net short gamma and the call wall is at most ``wall_distance`` above
  spot; the value is the track record of past chains in the same class (setup or not), whose
  outcome is the log return over ``h`` sessions after the quote date's close.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.ensemble.base import ArrayState, FailedState, signed_pct
from workbench.ensemble.context import Member
from workbench.ensemble.rolling import prior_group_mean

__all__ = ["NetworkMember", "AnomalyMember", "OptionsMember", "copier_outcomes"]


def copier_outcomes(ctx, horizon: int) -> tuple[np.ndarray, np.ndarray]:
    """Signed log return of each context trade over ``h`` sessions after its entry, and when
    it is known (``entry + h``)."""
    tr = ctx.trades
    e, k = tr["entry_pos"].to_numpy(), tr["k"].to_numpy()
    b = e + int(horizon)
    out = np.full(len(tr), np.nan)
    ok = b < ctx.n_sessions
    with np.errstate(invalid="ignore", divide="ignore"):
        out[ok] = tr["sign"].to_numpy()[ok] * np.log(ctx.close[b[ok], k[ok]]
                                                     / ctx.close[e[ok], k[ok]])
    return out, b


class _SumState(ArrayState):
    """Contributions of recent trades, with the trade list behind each value."""

    def __init__(self, name, value, unc, ctx, recent, contrib, label, extra=None):
        super().__init__(name, value, unc)
        self.ctx, self.recent, self.contrib, self.label = ctx, recent, contrib, label
        self.extra = extra

    def rows(self, k, pos):
        tr = self.ctx.trades
        e = tr["entry_pos"].to_numpy()
        m = (tr["k"].to_numpy() == k) & (e <= pos) & (e > pos - self.recent) & (
            self.contrib != 0) & np.isfinite(self.contrib)
        return np.flatnonzero(m)

    def explain(self, k, pos, value, unc):
        idx = self.rows(k, pos)
        tr = self.ctx.trades
        trades = [{"politician": str(tr["politician"].iat[i]), "side": str(tr["side"].iat[i]),
                   "contribution_pct": float(self.contrib[i] * 100)} for i in idx[:10]]
        details = {"n_trades": int(len(idx)), "recent_sessions": int(self.recent),
                   "value_pct": float(value * 100), "trades": trades}
        if self.extra is not None:
            details.update(self.extra(k, pos, idx))
        if not len(idx):
            return f"no {self.label} in the last {self.recent} sessions", details
        return (f"{len(idx)} {self.label} in the last {self.recent} sessions, together "
                f"{signed_pct(value)}", details)


class NetworkMember(Member):
    """Leaders' communities trading the ticker (module notes)."""

    name = "network"
    label = "leaders' communities"

    def __init__(self, refit_every: int = 126, min_train: int = 126, recent: int = 10,
                 shrink: float = 20.0, random_state: int = 0):
        self.refit_every = refit_every
        self.min_train = min_train
        self.recent = recent
        self.shrink = shrink
        self.random_state = random_state

    def _communities(self, ctx, r: int) -> pd.Series:
        """Community (with a leader, size >= 2) of each politician, from trades known at ``r``."""
        from workbench.network import (
            build_network,
            compute_similarity,
            detect_communities,
            politician_attributes,
            rank_leaders,
        )

        known = ctx.trades[ctx.trades["entry_pos"].to_numpy() <= r]
        if known["politician"].nunique() < 3:
            return pd.Series(dtype=float)
        sim = compute_similarity(known, ctx.universe.securities)
        g = build_network(sim, politician_attributes(known))
        com = detect_communities(g, random_state=self.random_state)
        lead = rank_leaders(g, known, com.membership, n_permutations=0,
                            random_state=self.random_state).table
        keep = lead.loc[lead["is_leader"], "community"]
        m = com.membership
        return m[m.isin(set(keep))].astype(float)

    def build(self, ctx, horizon):
        h = int(horizon)
        T = ctx.n_sessions
        tr = ctx.trades
        starts = list(range(self.min_train, T, self.refit_every))
        if not starts or not len(tr):
            return FailedState(self.name, "unavailable",
                               f"fewer than {self.min_train} sessions before the first refit")
        o, known = copier_outcomes(ctx, h)
        e = tr["entry_pos"].to_numpy()
        pols = tr["politician"].astype(str).to_numpy()
        contrib = np.zeros(len(tr))
        comm_of = np.full(len(tr), -1.0)
        for j, r in enumerate(starts):
            stop = starts[j + 1] if j + 1 < len(starts) else T
            member = self._communities(ctx, r)
            c = pd.Series(pols).map(member).to_numpy(dtype=float)
            live = (e >= r) & (e < stop + self.recent) & np.isfinite(c)
            if not live.any():
                continue
            grp = np.where(np.isfinite(c), c, -1).astype(np.int64) + 1
            s, n = prior_group_mean(grp, known, np.where(np.isfinite(c), o, np.nan),
                                    grp[live], e[live])
            # a trade's contribution uses the refit in force at its entry session
            first = live & (e < stop)
            sub = np.flatnonzero(live)
            val = np.where(n > 0, s / np.maximum(n, 1), 0.0) * n / (n + self.shrink)
            take = first[sub]
            contrib[sub[take]] = tr["sign"].to_numpy()[sub[take]] * val[take]
            comm_of[sub[take]] = c[sub[take]]
        value = _recent_sum(ctx, contrib, self.recent)
        value[: starts[0]] = np.nan
        unc = np.sqrt(np.maximum(ctx.ewma_vol ** 2 * h, 0))

        def extra(k, pos, idx):
            return {"communities": sorted({int(comm_of[i]) for i in idx if comm_of[i] >= 0})}

        return _SumState(self.name, value, unc, ctx, self.recent, contrib,
                         "trades by leaders' communities", extra)


def _recent_sum(ctx, contrib: np.ndarray, recent: int) -> np.ndarray:
    """Sum of trade contributions entered in the last ``recent`` sessions, per session/ticker."""
    tr = ctx.trades
    T, K = ctx.n_sessions, ctx.n_tickers
    diff = np.zeros((T + 1, K))
    e, k = tr["entry_pos"].to_numpy(), tr["k"].to_numpy()
    c = np.where(np.isfinite(contrib), contrib, 0.0)
    np.add.at(diff, (e, k), c)
    np.add.at(diff, (np.minimum(e + recent, T), k), -c)
    out = np.cumsum(diff, axis=0)[:T]
    return np.round(out, 12)


class AnomalyMember(Member):
    """Recent flagged (unusual) trades in the ticker (module notes)."""

    name = "anomaly"
    label = "anomaly score"

    def __init__(self, recent: int = 10, shrink: float = 20.0, random_state: int = 0):
        self.recent = recent
        self.shrink = shrink
        self.random_state = random_state

    def scores(self, ctx) -> pd.DataFrame:
        from workbench.anomalies import detect_anomalies

        def build():
            res = detect_anomalies(ctx.universe, walk_forward=True, n_explain=0,
                                   random_state=self.random_state)
            t = res.table
            t = t[~t["fit"].astype(str).str.startswith("in-sample")]
            return t.set_index("trade_id")[["score", "flagged"]]

        return ctx.shared(f"anomaly_scores:{self.random_state}", build)

    def build(self, ctx, horizon):
        h = int(horizon)
        tr = ctx.trades
        if "trade_id" not in tr.columns or not len(tr):
            return FailedState(self.name, "unavailable", "no trades")
        sc = self.scores(ctx).reindex(tr["trade_id"].astype(str))
        score = sc["score"].to_numpy(dtype=float)
        flagged = sc["flagged"].fillna(False).to_numpy(dtype=bool)
        o, known = copier_outcomes(ctx, h)
        e = tr["entry_pos"].to_numpy()
        grp = np.zeros(len(tr), dtype=np.int64)
        s, n = prior_group_mean(grp, known, np.where(flagged, o, np.nan), grp, e)
        val = np.where(n > 0, s / np.maximum(n, 1), 0.0) * n / (n + self.shrink)
        contrib = np.where(flagged, tr["sign"].to_numpy() * val, 0.0)
        scored = np.isfinite(score)
        value = _recent_sum(ctx, contrib, self.recent)
        # before the first walk-forward score there is nothing to say
        first = int(e[scored].min()) if scored.any() else ctx.n_sessions
        value[:first] = np.nan
        unc = np.sqrt(ctx.ewma_vol ** 2 * h)
        k_all = tr["k"].to_numpy()

        def extra(k, pos, idx):
            m = (k_all == k) & (e <= pos) & (e > pos - self.recent) & scored
            top = float(np.max(score[m])) if m.any() else None
            return {"score": top, "n_scored": int(m.sum()), "n_flagged": int((m & flagged).sum())}

        return _SumState(self.name, value, unc, ctx, self.recent, contrib,
                         "flagged trades", extra)


class OptionsMember(Member):
    """Dealer gamma exposure of the latest option chain (module notes)."""

    name = "options"
    label = "options GEX"

    def __init__(self, max_age: int = 21, wall_distance: float = 0.05, shrink: float = 10.0):
        self.max_age = max_age
        self.wall_distance = wall_distance
        self.shrink = shrink

    def chains(self, ctx) -> pd.DataFrame:
        """One row per (ticker, quote session): GEX summary, setup flag, column, position."""
        from workbench.options import compute_gex

        def build():
            o = ctx.universe.options
            if o is None or not len(o):
                return pd.DataFrame()
            keys = o[["ticker", "quote_date"]].drop_duplicates().sort_values(
                ["quote_date", "ticker"])
            rows = []
            groups = o.groupby(["ticker", "quote_date"], sort=False)
            for tk, qd in keys.itertuples(index=False):
                k = ctx.column(str(tk))
                p = int(ctx.sessions.searchsorted(pd.Timestamp(qd), side="right")) - 1
                if k < 0 or p < 0:
                    continue
                try:
                    g = compute_gex(groups.get_group((tk, qd)))
                except Exception:   # an unusable chain is skipped, not fatal
                    continue
                ratio = g.net_gamma_ratio
                dist = g.call_wall / g.spot - 1 if g.spot > 0 else np.nan
                rows.append({"k": k, "pos": p, "quote_date": g.quote_date, "spot": g.spot,
                             "net_gamma_ratio": ratio, "flip_level": g.flip_level,
                             "call_wall": g.call_wall, "put_wall": g.put_wall,
                             "wall_distance": dist,
                             "setup": bool(ratio < 0 and 0 <= dist <= self.wall_distance)})
            return pd.DataFrame(rows)

        return ctx.shared(f"gex_chains:{self.wall_distance}", build)

    def build(self, ctx, horizon):
        h = int(horizon)
        ch = self.chains(ctx)
        T, K = ctx.n_sessions, ctx.n_tickers
        if not len(ch):
            return FailedState(self.name, "unavailable", "no option chains in the data")
        k, p = ch["k"].to_numpy(), ch["pos"].to_numpy()
        with np.errstate(invalid="ignore", divide="ignore"):
            o = np.where(p + h < T, np.log(ctx.close[np.minimum(p + h, T - 1), k]
                                           / ctx.close[p, k]), np.nan)
        grp = ch["setup"].to_numpy().astype(np.int64)
        # latest chain of each ticker at each session (within max_age)
        latest = np.full((T, K), -1, dtype=np.int64)
        latest[p, k] = np.arange(len(ch))
        idx = np.maximum.accumulate(latest, axis=0)
        age = np.arange(T)[:, None] - np.where(idx >= 0, p[np.maximum(idx, 0)], -10 ** 9)
        idx[age > self.max_age] = -1
        qs = np.flatnonzero(idx.ravel() >= 0)
        row = idx.ravel()[qs]
        s, n = prior_group_mean(grp, p + h, o, grp[row], qs // K)
        s2, _ = prior_group_mean(grp, p + h, o ** 2, grp[row], qs // K)
        value = np.full(T * K, np.nan)
        unc = np.full(T * K, np.nan)
        mean = np.where(n > 0, s / np.maximum(n, 1), 0.0)
        value[qs] = mean * n / (n + self.shrink)
        unc[qs] = np.sqrt(np.maximum(np.where(n > 1, s2 / np.maximum(n, 1) - mean ** 2, np.nan),
                                     0))
        stats = (s, n, qs, row)
        st = ArrayState(self.name, value.reshape(T, K), unc.reshape(T, K))

        def explain(kk, pos, v, u):
            i = int(idx[pos, kk])
            if i < 0:
                return (f"no option chain of this ticker in the last {self.max_age} "
                        "sessions", {})
            c = ch.iloc[i]
            j = int(np.searchsorted(stats[2], pos * K + kk))
            nn = int(stats[1][j])
            kind = "a squeeze setup" if c["setup"] else "no squeeze setup"
            gex = {key: c[key] for key in ("quote_date", "spot", "net_gamma_ratio",
                                          "flip_level", "call_wall", "put_wall",
                                          "wall_distance", "setup")}
            return (f"chain of {pd.Timestamp(c['quote_date']).date()}: {kind}; {nn} past "
                    f"chains of that kind, shrunk mean {signed_pct(v)} over {h} sessions",
                    {"gex": gex, "n_past": nn, "value_pct": v * 100, "horizon": h})

        st.explain = explain
        return st
