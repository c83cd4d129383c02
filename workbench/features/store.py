"""The point-in-time feature store: :func:`trade_features` and the :class:`FeatureSet` it returns.

One row per trade (indexed by ``trade_id``), every feature computed only from what was known at
the trade's **disclosure** (its decision session: the last price session on or before the
disclosure date; other trades only when disclosed strictly before it). Features named ``*_tx``
are read at the transaction session: they describe what the trader knew when trading, are
known by the disclosure too, and are left out of :meth:`FeatureSet.public` (what a public
strategy may use). See :mod:`workbench.features.context` for the clocks.

Groups: ``time``, ``returns``, ``liquidity``, ``technical``, ``exposures``, ``network``,
``disclosure_flow`` (the issue's sentiment group: there is no news feed, so it is built from the
filings), ``macro``, ``history`` (the politician's own record) and ``committee``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.features.context import Spec, build_context, price_blocks, spec_frame

__all__ = ["FeatureSet", "trade_features", "GROUPS", "feature_catalog"]

GROUPS = ("time", "returns", "liquidity", "technical", "exposures", "network",
          "disclosure_flow", "macro", "history", "committee")
_PRICE_GROUPS = {"returns", "liquidity", "technical", "exposures"}


@dataclass(frozen=True)
class FeatureSet:
    """Features of trades and their catalog.

    Attributes
    ----------
    frame : DataFrame
        One row per trade, indexed by ``trade_id`` (sorted), one float column per feature.
    catalog : DataFrame
        ``name, group, description, unit, lookback, sources`` per column of ``frame``, plus
        ``public`` (False for ``*_tx``).
    as_of : Timestamp or None
        Trades disclosed after it were left out (and prices after it were not read).
    """

    frame: pd.DataFrame
    catalog: pd.DataFrame
    as_of: pd.Timestamp | None = None

    def public(self) -> pd.DataFrame:
        """The frame without ``*_tx`` features (what a public strategy may use)."""
        return self.frame[self.catalog.loc[self.catalog["public"], "name"].tolist()]

    def group(self, name: str) -> pd.DataFrame:
        return self.frame[self.catalog.loc[self.catalog["group"] == name, "name"].tolist()]

    def coverage(self, rows=None) -> pd.DataFrame:
        """Share of non-missing values per group (over ``rows``, default every trade)."""
        f = self.frame if rows is None else self.frame.loc[rows]
        share = f.notna().mean()
        cat = self.catalog.set_index("name")
        out = share.groupby(cat.loc[share.index, "group"]).agg(["mean", "min", "size"])
        out.columns = ["share_non_missing", "worst_feature_share", "n_features"]
        return out.reindex([g for g in GROUPS if g in out.index])

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def summary(self) -> pd.DataFrame:
        """Features per group, public and ``*_tx`` counts, and coverage."""
        c = self.catalog.groupby("group").agg(n_features=("name", "size"),
                                              n_public=("public", "sum"))
        c["n_tx"] = c["n_features"] - c["n_public"]
        cov = self.coverage()["share_non_missing"]
        c["share_non_missing"] = cov.reindex(c.index)
        return c.reindex([g for g in GROUPS if g in c.index])

    def to_parquet(self, path: str | Path) -> Path:
        """Write the frame (catalog in the file's metadata) atomically; returns the path."""
        import json

        import pyarrow as pa
        import pyarrow.parquet as pq

        from workbench.data.atomic import atomic_write_bytes

        table = pa.Table.from_pandas(self.frame, preserve_index=True)
        meta = dict(table.schema.metadata or {})
        meta[b"workbench.catalog"] = json.dumps(self.catalog.to_dict("records")).encode()
        table = table.replace_schema_metadata(meta)
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink)
        path = Path(path)
        atomic_write_bytes(path, sink.getvalue().to_pybytes())
        return path


def _truncate(universe, as_of):
    import dataclasses

    cut = pd.Timestamp(as_of)
    t = universe.trades
    known = (pd.to_datetime(t["disclosure_date"]) <= cut).fillna(False).to_numpy()
    p = universe.prices
    return dataclasses.replace(
        universe, trades=t.loc[known].reset_index(drop=True),
        prices=p.loc[(pd.to_datetime(p["date"]) <= cut).to_numpy()].reset_index(drop=True),
        factors=universe.factors.loc[universe.factors.index <= cut])


def _price_group_frame(universe, ctx, client, block_size: int, groups) -> pd.DataFrame:
    from workbench.features.prices import block_features

    blocks = price_blocks(universe, ctx, block_size=block_size)
    groups = tuple(g for g in GROUPS if g in _PRICE_GROUPS & set(groups))
    if client is not None:
        parts = client.gather(client.map(block_features, blocks, groups=groups, pure=False))
    else:
        parts = [block_features(b, groups) for b in blocks]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(index=pd.RangeIndex(len(ctx.trades), name="row"))
    return pd.concat(parts).reindex(pd.RangeIndex(len(ctx.trades), name="row"))


def trade_features(universe, *, as_of=None, groups=None, client=None, block_size: int = 40,
                   network_freq: str = "QS", regimes: bool = True) -> FeatureSet:
    """Point-in-time features of every trade (module docstring).

    Parameters
    ----------
    universe : Universe
    as_of : date-like, optional
        Keep only trades disclosed on or before it, and prices/factors up to it.
    groups : sequence of str, optional
        Subset of :data:`GROUPS` (default all).
    client : dask.distributed.Client, optional
        Fan the per-ticker-block price work and the network snapshots out as Dask tasks; the
        result is identical to the serial run.
    block_size : int
        Tickers per block of price work (the unit of a Dask task).
    network_freq : {"MS", "QS"}
        Network snapshot frequency (monthly or quarterly).
    regimes : bool
        Compute the walk-forward regime probabilities of the macro group (the slowest part).

    Returns
    -------
    FeatureSet
    """
    groups = tuple(GROUPS if groups is None else groups)
    unknown = set(groups) - set(GROUPS)
    if unknown:
        raise ValueError(f"unknown feature groups {sorted(unknown)}; known: {GROUPS}")
    as_of_ts = None if as_of is None else pd.Timestamp(as_of)
    if as_of_ts is not None:
        universe = _truncate(universe, as_of_ts)
    ctx = build_context(universe)
    parts: list[pd.DataFrame] = []
    if "time" in groups:
        from workbench.features.timing import time_features

        parts.append(time_features(ctx))
    if _PRICE_GROUPS & set(groups):
        parts.append(_price_group_frame(universe, ctx, client, block_size, groups))
    if "network" in groups:
        from workbench.features.network import network_features

        parts.append(network_features(ctx, universe.securities, freq=network_freq,
                                      client=client))
    if "disclosure_flow" in groups:
        from workbench.features.flow import flow_features

        parts.append(flow_features(ctx))
    macro_cols: list[str] = []
    if "macro" in groups:
        from workbench.features.macro import macro_features, market_panel

        panel = market_panel(ctx, regimes=regimes)
        macro_cols = list(panel.columns)
        parts.append(macro_features(ctx, panel))
    if "history" in groups:
        from workbench.features.history import history_features

        parts.append(history_features(ctx, _adj_close(universe, ctx)))
    if "committee" in groups:
        from workbench.features.history import committee_features

        parts.append(committee_features(ctx, universe))
    frame = pd.concat(parts, axis=1) if parts else pd.DataFrame(index=ctx.trades.index)
    frame.index = pd.Index(ctx.trades["trade_id"].astype(str).to_numpy(), name="trade_id")
    catalog = feature_catalog(groups, macro_cols)
    catalog = catalog[catalog["name"].isin(frame.columns)].reset_index(drop=True)
    frame = frame[catalog["name"].tolist()].astype(float)
    return FeatureSet(frame=frame, catalog=catalog, as_of=as_of_ts)


def _adj_close(universe, ctx) -> np.ndarray:
    from workbench.features.context import _wide

    return _wide(universe.prices, "adj_close", ctx.sessions, list(ctx.tickers)).to_numpy()


def feature_catalog(groups=GROUPS, macro_columns=None) -> pd.DataFrame:
    """The catalog of the given groups (``macro_columns``: the macro panel's columns)."""
    from workbench.features.flow import flow_specs
    from workbench.features.history import committee_specs, history_specs
    from workbench.features.macro import _DESC, macro_specs
    from workbench.features.network import network_specs
    from workbench.features.panels import panel_specs
    from workbench.features.prices import exposure_specs, since_tx_specs
    from workbench.features.timing import time_specs

    specs: list[Spec] = []
    specs += time_specs()
    for suffix in ("", "_tx"):
        specs += panel_specs(suffix, "decision" if not suffix else "transaction")
        specs += exposure_specs(suffix)
    specs += since_tx_specs()
    specs += network_specs() + flow_specs()
    if macro_columns is None:
        macro_columns = [c for c in _DESC if not c.startswith("term")] + [
            f"regime_p_{n}" for n in ("bull", "bear", "high_vol", "low_vol")]
    specs += macro_specs(macro_columns)
    specs += history_specs() + committee_specs()
    cat = spec_frame(specs)
    cat = cat[cat["group"].isin(list(groups))].drop_duplicates("name").reset_index(drop=True)
    cat["public"] = ~cat["name"].str.endswith("_tx")
    return cat
