"""How complete a trades table is: counts, legislator resolution, price coverage, disclosure lag.

Pure pandas on canonical frames (``schema.TRADE_COLUMNS``, ``schema.PRICE_COLUMNS``); nothing is
read from or written to disk. :func:`compute_coverage` returns a frozen :class:`Coverage`.

Dates used
----------
- Counts by year use the **transaction** year (when the trade happened).
- The disclosure lag is ``disclosure_date - transaction_date`` in **calendar days**.
- Price coverage asks whether the ticker's daily price series brackets the **transaction** date.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["Coverage", "compute_coverage", "LAG_QUANTILES", "STOCK_ACT_DEADLINE_DAYS"]

LAG_QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99)
# STOCK Act: a periodic transaction report is due within 45 days of the transaction
# (30 days from notification, at most 45 from the trade).
STOCK_ACT_DEADLINE_DAYS = 45


@dataclass(frozen=True)
class Coverage:
    """Coverage of a trades table (see :func:`compute_coverage` for every definition).

    Attributes
    ----------
    n_trades : int
        Rows of the trades table.
    n_missing_transaction_date : int
        Trades without a transaction date (absent from the per-year tables, counted here).
    by_chamber_year : DataFrame
        Trade counts, index ``chamber``, one int column per **transaction** year.
    by_party : DataFrame
        ``chamber, party, n_trades``; unresolved party is reported as ``"unknown"``.
    resolution_rate : float
        Share of trades with a non-null ``bioguide_id`` (NaN for an empty table).
    unresolved : DataFrame
        ``politician, raw_name, chamber, n_trades`` of trades without ``bioguide_id``, most first.
    price_coverage : float
        Share of stock trades whose price series brackets the transaction date (NaN without
        prices or without stock trades).
    price_coverage_table : DataFrame
        ``chamber, year, n_stock_trades, n_covered, coverage`` by transaction year.
    lag_days : Series
        Disclosure minus transaction date in calendar days, aligned to the trades' index;
        NaN where either date is missing.
    lag_quantiles : Series
        Quantiles of the known lags at :data:`LAG_QUANTILES`, in calendar days.
    share_after_deadline : float
        Share of trades with a known lag that exceeds ``deadline_days``.
    latest_filers : DataFrame
        ``politician, n_late, share_late, max_lag`` for politicians with at least one late
        disclosure, most late trades first.
    deadline_days : int
        Deadline used, calendar days.
    has_prices : bool
        Whether prices were given.
    """

    n_trades: int
    n_missing_transaction_date: int
    by_chamber_year: pd.DataFrame
    by_party: pd.DataFrame
    resolution_rate: float
    unresolved: pd.DataFrame
    price_coverage: float
    price_coverage_table: pd.DataFrame
    lag_days: pd.Series
    lag_quantiles: pd.Series
    share_after_deadline: float
    latest_filers: pd.DataFrame
    deadline_days: int
    has_prices: bool

    def summary(self) -> pd.DataFrame:
        """Headline figures as rows ``(section, item) -> value`` (value as float)."""
        rows: list[tuple[str, str, float]] = [("trades", "total", float(self.n_trades)),
                                              ("trades", "missing transaction date",
                                               float(self.n_missing_transaction_date))]
        for chamber, row in self.by_chamber_year.iterrows():
            rows.append(("trades", f"{chamber}", float(row.sum())))
        rows.append(("resolution", "rate", self.resolution_rate))
        rows.append(("resolution", "unresolved names", float(len(self.unresolved))))
        rows.append(("prices", "stock-trade coverage", self.price_coverage))
        for q, v in self.lag_quantiles.items():
            rows.append(("lag_days", f"q{q:g}", float(v)))
        rows.append(("lag_days", f"share > {self.deadline_days} days", self.share_after_deadline))
        rows.append(("lag_days", "known", float(self.lag_days.notna().sum())))
        idx = pd.MultiIndex.from_tuples([r[:2] for r in rows], names=["section", "item"])
        return pd.DataFrame({"value": [r[2] for r in rows]}, index=idx)

    def to_frame(self) -> pd.DataFrame:
        """Trade counts by chamber and transaction year, long form ``chamber, year, n_trades``."""
        long = self.by_chamber_year.stack().rename("n_trades").reset_index()
        return long.rename(columns={"level_1": "year"})

    def to_text(self, *, top: int = 20) -> str:
        """A printable coverage report (tables as plain text; ``top`` rows of name lists)."""
        def pct(x: float) -> str:
            return "n/a" if pd.isna(x) else f"{100 * x:.1f}%"

        table = self.by_chamber_year.copy()
        if not table.empty:
            table["total"] = table.sum(axis=1)
        parts = [f"Trades: {self.n_trades:,}"
                 + (f" ({self.n_missing_transaction_date} without transaction date)"
                    if self.n_missing_transaction_date else ""),
                 "", "Trades per chamber and transaction year:",
                 table.to_string() if not table.empty else "  (none)", "",
                 f"Resolved to a legislator (bioguide_id): {pct(self.resolution_rate)}",
                 "Price coverage of stock trades: "
                 + (pct(self.price_coverage) if self.has_prices else "n/a (no prices)")]
        if self.has_prices and not self.price_coverage_table.empty:
            by = self.price_coverage_table.groupby("chamber")[["n_stock_trades", "n_covered"]].sum()
            parts += [f"  {ch}: {pct(r.n_covered / r.n_stock_trades)} of {r.n_stock_trades:,}"
                      for ch, r in by.iterrows()]
        parts.append("")
        known = int(self.lag_days.notna().sum())
        parts.append(f"Disclosure lag, calendar days ({known:,} trades with both dates):")
        if known:
            parts.append("  " + "  ".join(f"q{q:g}={v:.0f}" for q, v in self.lag_quantiles.items()))
        parts.append(f"Disclosed more than {self.deadline_days} days after the trade: "
                     f"{pct(self.share_after_deadline)}")
        parts += ["", f"Unresolved names (top {top} of {len(self.unresolved)}):",
                  self.unresolved.head(top).to_string(index=False)
                  if not self.unresolved.empty else "  (none)"]
        if not self.latest_filers.empty:
            late = self.latest_filers.head(top).copy()
            late["share_late"] = late["share_late"].map(pct)
            parts += ["", f"Most trades disclosed after {self.deadline_days} days (top {top}):",
                      late.to_string(index=False)]
        return "\n".join(parts)


def price_bracket(trades: pd.DataFrame, prices: pd.DataFrame) -> pd.Series:
    """Boolean per trade: the ticker has a quote on or before, and one after, the transaction date.

    Equivalent to ``first_quote <= transaction_date < last_quote`` for the trade's ticker.
    Trades without ticker or transaction date are False.
    """
    span = prices.groupby("ticker", observed=True)["date"].agg(["min", "max"])
    tick = trades["ticker"].astype("object").where(trades["ticker"].notna(), None)
    first = tick.map(span["min"])
    last = tick.map(span["max"])
    t = pd.to_datetime(trades["transaction_date"])
    ok = (first <= t) & (t < last)
    return ok.fillna(False).astype(bool)


def compute_coverage(trades: pd.DataFrame, prices: pd.DataFrame | None = None, *,
                     deadline_days: int = STOCK_ACT_DEADLINE_DAYS) -> Coverage:
    """Coverage of a canonical trades table.

    Parameters
    ----------
    trades : DataFrame
        Canonical trades (needs ``politician, bioguide_id, chamber, party, ticker, asset_type,
        transaction_date, disclosure_date``; ``raw_name`` is used when present).
    prices : DataFrame, optional
        Long daily price table with at least ``date, ticker`` (one row per quote).
    deadline_days : int
        Disclosure deadline in calendar days after the transaction (STOCK Act: 45).

    Returns
    -------
    Coverage

    Notes
    -----
    Price coverage: the denominator is every trade with ``asset_type == "stock"`` (including
    those whose ticker is unknown); a stock trade is *covered* when its ticker has a price quote
    dated on or before the transaction date **and** a quote dated strictly after it, i.e.
    ``first_quote <= transaction_date < last_quote``. That is what an event study needs: a price
    at the trade and a later price to measure a return. Gaps inside the series are not checked.

    Lag: ``disclosure_date - transaction_date`` in calendar days; negative lags (disclosure
    before the trade, data errors) are kept. ``share_after_deadline`` is the share of trades with
    a known lag whose lag exceeds ``deadline_days``; trades without a disclosure date are left
    out of numerator and denominator.
    """
    df = trades
    n = len(df)
    tx = pd.to_datetime(df["transaction_date"])
    dx = pd.to_datetime(df["disclosure_date"])
    year = tx.dt.year
    chamber = df["chamber"].astype("object").fillna("unknown")

    has_tx = tx.notna()
    counts = (pd.DataFrame({"chamber": chamber[has_tx], "year": year[has_tx].astype(int)})
              .groupby(["chamber", "year"]).size())
    by_chamber_year = (counts.unstack("year", fill_value=0).astype(int) if len(counts)
                       else pd.DataFrame(index=pd.Index([], name="chamber")))
    by_chamber_year.columns.name = "year"

    party = df["party"].astype("object").fillna("unknown")
    by_party = (pd.DataFrame({"chamber": chamber, "party": party})
                .groupby(["chamber", "party"]).size().rename("n_trades").reset_index()
                .sort_values(["chamber", "n_trades"], ascending=[True, False],
                             ignore_index=True))

    resolved = df["bioguide_id"].notna()
    resolution_rate = float(resolved.mean()) if n else float("nan")
    names = pd.DataFrame({
        "politician": df["politician"].astype("object").fillna(""),
        "raw_name": (df["raw_name"] if "raw_name" in df.columns else df["politician"])
        .astype("object").fillna(""),
        "chamber": chamber,
    })[~resolved.to_numpy()]
    unresolved = (names.groupby(["politician", "raw_name", "chamber"]).size()
                  .rename("n_trades").reset_index()
                  .sort_values(["n_trades", "politician"], ascending=[False, True],
                               ignore_index=True))

    is_stock = (df["asset_type"] == "stock").fillna(False).astype(bool)
    if prices is not None:
        covered = price_bracket(df, prices) & is_stock
        pc = pd.DataFrame({"chamber": chamber, "year": year, "stock": is_stock,
                           "covered": covered})[is_stock.to_numpy()]
        price_coverage = float(pc["covered"].mean()) if len(pc) else float("nan")
        tab = (pc.dropna(subset=["year"]).astype({"year": int})
               .groupby(["chamber", "year"])
               .agg(n_stock_trades=("stock", "size"), n_covered=("covered", "sum"))
               .reset_index())
        tab["n_covered"] = tab["n_covered"].astype(int)
        tab["coverage"] = tab["n_covered"] / tab["n_stock_trades"]
        price_coverage_table = tab
    else:
        price_coverage = float("nan")
        price_coverage_table = pd.DataFrame(
            {"chamber": pd.Series(dtype=object), "year": pd.Series(dtype=int),
             "n_stock_trades": pd.Series(dtype=int), "n_covered": pd.Series(dtype=int),
             "coverage": pd.Series(dtype=float)})

    lag = (dx - tx).dt.days.astype("float64").rename("lag_days")
    known = lag.dropna()
    lag_quantiles = (known.quantile(list(LAG_QUANTILES)) if len(known)
                     else pd.Series(np.nan, index=list(LAG_QUANTILES)))
    lag_quantiles.index.name = "quantile"
    lag_quantiles.name = "lag_days"
    late = lag > deadline_days
    share_after_deadline = float(late[lag.notna()].mean()) if len(known) else float("nan")

    per = pd.DataFrame({"politician": df["politician"].astype("object").fillna(""),
                        "late": late, "lag": lag})[lag.notna().to_numpy()]
    filers = (per.groupby("politician")
              .agg(n_late=("late", "sum"), n_known=("late", "size"), max_lag=("lag", "max"))
              .reset_index())
    filers["n_late"] = filers["n_late"].astype(int)
    filers["share_late"] = filers["n_late"] / filers["n_known"]
    latest_filers = (filers[filers["n_late"] > 0]
                     .sort_values(["n_late", "max_lag", "politician"],
                                  ascending=[False, False, True], ignore_index=True)
                     [["politician", "n_late", "share_late", "max_lag"]])

    return Coverage(
        n_trades=n, n_missing_transaction_date=int((~has_tx).sum()),
        by_chamber_year=by_chamber_year, by_party=by_party, resolution_rate=resolution_rate,
        unresolved=unresolved, price_coverage=price_coverage,
        price_coverage_table=price_coverage_table, lag_days=lag, lag_quantiles=lag_quantiles,
        share_after_deadline=share_after_deadline, latest_filers=latest_filers,
        deadline_days=int(deadline_days), has_prices=prices is not None)
