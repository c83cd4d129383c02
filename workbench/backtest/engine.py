"""Daily walk-forward backtester of copy-Congress strategies with costs.

Timing: target weights decided at the close of session ``t`` (from trades whose entry session
is ``<= t``) are held over session ``t+1``; the gross return of ``t+1`` is
``sum_j w[t, j] * r[t+1, j]`` with ``r`` the close-to-close return (a missing return counts as
0). Rebalancing happens at each close: the pre-trade weights are the previous targets drifted by
the day's returns, ``d[t, j] = w[t-1, j] (1 + r[t, j]) / (1 + gross[t])``; turnover is
``sum_j |w[t, j] - d[t, j]|`` (one-way, fraction of equity) and costs
``turnover x (cost_bps + slippage_bps) / 1e4`` are charged on the same session. Equity compounds
the net returns from 1. Cash earns nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench import metrics
from workbench.backtest import signals
from workbench.exceptions import DataError, NotFittedError
from workbench.factors.inputs import to_wide_prices

__all__ = ["BacktestResult", "Backtester", "run_backtest", "simulate"]


def simulate(targets: np.ndarray, returns: np.ndarray, cost_bps: float = 0.0,
             slippage_bps: float = 0.0) -> dict[str, np.ndarray]:
    """Vectorized daily simulation of target weights (see module notes for the timing).

    Parameters
    ----------
    targets : ndarray (sessions, tickers)
        Weights held from each close to the next.
    returns : ndarray (sessions, tickers)
        Close-to-close simple returns (NaN -> 0).

    Returns
    -------
    dict of ndarray (sessions,)
        ``gross``, ``turnover``, ``cost``, ``net``, ``equity``.
    """
    R = np.nan_to_num(np.asarray(returns, dtype=float))
    W = np.asarray(targets, dtype=float)
    n = len(W)
    gross = np.zeros(n)
    if n > 1:
        gross[1:] = np.einsum("ij,ij->i", W[:-1], R[1:])
    drifted = np.zeros_like(W)
    if n > 1:
        drifted[1:] = W[:-1] * (1.0 + R[1:]) / (1.0 + gross[1:, None])
    turnover = np.abs(W - drifted).sum(axis=1)
    cost = turnover * (cost_bps + slippage_bps) / 1e4
    net = gross - cost
    return {"gross": gross, "turnover": turnover, "cost": cost, "net": net,
            "equity": np.cumprod(1.0 + net)}


@dataclass(frozen=True)
class BacktestResult:
    """Daily path and metrics of one strategy.

    Attributes
    ----------
    returns : Series
        Daily net returns (after costs), decimal, by session.
    gross_returns, costs, turnover : Series
        Before costs; cost charged (decimal of equity); one-way turnover (fraction of equity).
    equity : Series
        Compounded net wealth starting from 1.
    benchmark : Series
        Daily benchmark returns (market = Mkt-RF + RF, or a ticker's returns).
    weights : DataFrame
        Session x ticker target weights held from each close to the next.
    n_holdings : Series
        Tickers with a non-zero weight per session.
    strategy : str
    params : dict
    factors : DataFrame or None
        Factors used for alpha in :meth:`summary`.
    """

    returns: pd.Series
    gross_returns: pd.Series
    costs: pd.Series
    turnover: pd.Series
    equity: pd.Series
    benchmark: pd.Series
    weights: pd.DataFrame
    n_holdings: pd.Series
    strategy: str
    params: dict = field(default_factory=dict)
    factors: pd.DataFrame | None = None

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"net": self.returns, "gross": self.gross_returns,
                             "cost": self.costs, "turnover": self.turnover,
                             "equity": self.equity, "benchmark": self.benchmark,
                             "n_holdings": self.n_holdings})

    def drawdown(self) -> pd.Series:
        return metrics.drawdown(self.returns)

    def summary(self, periods_per_year: int = 252) -> pd.Series:
        """Metrics of the net returns from the first session with a position onward."""
        active = self.n_holdings > 0
        start = active.idxmax() if active.any() else self.returns.index[-1]
        r = self.returns.loc[start:]
        b = self.benchmark.reindex(r.index)
        out = {
            "strategy": self.strategy, "start": start, "sessions": len(r),
            "cagr": metrics.cagr(r, periods_per_year),
            "volatility": metrics.annual_volatility(r, periods_per_year),
            "sharpe": metrics.sharpe_ratio(r, periods_per_year=periods_per_year),
            "sortino": metrics.sortino_ratio(r, periods_per_year=periods_per_year),
            "max_drawdown": metrics.max_drawdown(r),
            "calmar": metrics.calmar_ratio(r, periods_per_year),
            "win_rate": metrics.win_rate(r[self.n_holdings.loc[start:].shift(1) > 0]),
            "hit_rate": metrics.hit_rate(r, b),
            "beta": metrics.beta(r, b),
            "ff5_alpha": (metrics.ff5_alpha(r, self.factors, periods_per_year,
                                            subtract_rf=self.strategy != "long_short")
                          if self.factors is not None else np.nan),
            "psr": metrics.probabilistic_sharpe_ratio(r),
            "benchmark_cagr": metrics.cagr(b.dropna(), periods_per_year),
            "annual_turnover": float(self.turnover.loc[start:].mean() * periods_per_year),
            "total_cost": float(self.costs.sum()),
            "mean_holdings": float(self.n_holdings.loc[start:].mean()),
        }
        return pd.Series(out)


class Backtester:
    """Walk-forward copy-Congress backtester (scikit-learn style).

    Parameters
    ----------
    strategy : {"all_buys", "top_n", "long_short", "trader_score"}
        ``all_buys``: hold every disclosed stock buy for ``holding_days`` sessions;
        ``top_n``: the ``top_n`` tickers most bought by dollar amount over ``lookback_days``;
        ``long_short``: buys long and sells short, 0.5 gross each;
        ``trader_score``: buys of politicians whose earlier buys beat the market (scores from
        completed past trades only, see :func:`signals.trader_scores`).
    holding_days, top_n, lookback_days, min_trades : int
        Sessions held; names held; sessions of buying looked back over; completed trades a
        politician needs before being followed.
    weight : {"equal", "amount_mid", "amount_low"}
        Weighting of trades in ``all_buys``/``long_short``.
    party, politicians : optional
        Only trades of this party / these politicians.
    cost_bps, slippage_bps : float
        Charged on one-way turnover, in basis points.
    entry : {"disclosure", "transaction"}
        ``transaction`` is a look-ahead counterfactual (the politician's timing) for comparison.
    benchmark : "market" or a ticker
        ``market`` = Mkt-RF + RF from the factors.
    """

    def __init__(self, strategy: str = "all_buys", holding_days: int = 21, top_n: int = 10,
                 lookback_days: int = 63, min_trades: int = 5, weight: str = "equal",
                 party: str | None = None, politicians=None, cost_bps: float = 10.0,
                 slippage_bps: float = 5.0, entry: str = "disclosure",
                 benchmark: str = "market"):
        self.strategy = strategy
        self.holding_days = holding_days
        self.top_n = top_n
        self.lookback_days = lookback_days
        self.min_trades = min_trades
        self.weight = weight
        self.party = party
        self.politicians = politicians
        self.cost_bps = cost_bps
        self.slippage_bps = slippage_bps
        self.entry = entry
        self.benchmark = benchmark

    def get_params(self) -> dict:
        return {k: getattr(self, k) for k in (
            "strategy", "holding_days", "top_n", "lookback_days", "min_trades", "weight",
            "party", "politicians", "cost_bps", "slippage_bps", "entry", "benchmark")}

    def _filter(self, trades: pd.DataFrame) -> pd.DataFrame:
        out = trades
        if self.party is not None:
            out = out[out["party"] == self.party]
        if self.politicians is not None:
            out = out[out["politician"].isin(list(self.politicians))]
        return out

    def _benchmark(self, levels, returns, factors) -> pd.Series:
        if self.benchmark == "market":
            if factors is None:
                raise DataError("benchmark='market' needs the factors table (Mkt-RF, RF)")
            f = factors.reindex(levels.index)
            return (f["Mkt-RF"] + f["RF"]).rename("benchmark")
        if self.benchmark not in returns.columns:
            raise DataError(f"benchmark ticker {self.benchmark!r} has no price series")
        return returns[self.benchmark].rename("benchmark")

    def targets(self, trades, levels, market) -> np.ndarray:
        """Target weights (sessions x tickers) of the configured strategy."""
        t = self._filter(trades)
        h = int(self.holding_days)
        if self.strategy == "all_buys":
            return signals.all_buys_targets(t, levels, h, self.weight, self.entry)
        if self.strategy == "long_short":
            return signals.long_short_targets(t, levels, h, self.weight, self.entry)
        if self.strategy == "top_n":
            return signals.top_n_targets(t, levels, int(self.top_n), int(self.lookback_days),
                                         self.entry)
        if self.strategy == "trader_score":
            return signals.trader_score_targets(t, levels, market, h, int(self.min_trades),
                                                self.entry)
        raise ValueError(f"strategy must be one of {signals.STRATEGIES}, not {self.strategy!r}")

    def fit(self, trades: pd.DataFrame, prices: pd.DataFrame,
            factors: pd.DataFrame | None = None) -> Backtester:
        """Run the backtest over the sessions of ``prices``; the result is ``result_``."""
        levels = to_wide_prices(prices)
        returns = levels.pct_change(fill_method=None)
        bench = self._benchmark(levels, returns, factors)
        if factors is not None:
            f = factors.reindex(levels.index)
            market = (f["Mkt-RF"] + f["RF"]).to_numpy()
        else:
            market = np.nanmean(returns.to_numpy(), axis=1)
        W = self.targets(trades, levels, market)
        sim = simulate(W, returns.to_numpy(), self.cost_bps, self.slippage_bps)
        idx = levels.index
        self.weights_ = pd.DataFrame(W, index=idx, columns=levels.columns)
        self.result_ = BacktestResult(
            returns=pd.Series(sim["net"], idx, name="net"),
            gross_returns=pd.Series(sim["gross"], idx, name="gross"),
            costs=pd.Series(sim["cost"], idx, name="cost"),
            turnover=pd.Series(sim["turnover"], idx, name="turnover"),
            equity=pd.Series(sim["equity"], idx, name="equity"),
            benchmark=bench, weights=self.weights_,
            n_holdings=pd.Series((W != 0).sum(axis=1), idx, name="n_holdings"),
            strategy=self.strategy, params=self.get_params(), factors=factors)
        return self

    def summary(self) -> pd.Series:
        if not hasattr(self, "result_"):
            raise NotFittedError("call fit() first")
        return self.result_.summary()


def run_backtest(trades: pd.DataFrame, prices: pd.DataFrame,
                 factors: pd.DataFrame | None = None, **params) -> BacktestResult:
    """One-shot :class:`Backtester` (``params`` are its constructor arguments)."""
    return Backtester(**params).fit(trades, prices, factors).result_
