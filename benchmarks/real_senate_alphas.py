"""Real data: Senate calendar-time buy, sell and long-short alphas, 2012-2020.

Run:  .venv/bin/python benchmarks/real_senate_alphas.py [SHARED_DATA_DIR]

Conventions (printed with the table):
* trades: Senate periodic transaction reports (all_daily_summaries.json, accepted rows),
  asset_type ``stock``, side buy / sell (Sale Full and Sale Partial), transaction dates
  2012-01-01..2020-12-31; Exchanges and options excluded.
* entry: close of the first NYSE session strictly after the disclosure (filing) date; each
  position earns the close-to-close adjusted-close returns of the next H sessions
  (H = 21, 63, 126).
* weighting: equal weight per trade, daily rebalanced (calendar-time); sessions with no position
  dropped from the regressions. Long-short = buy minus sell portfolio on sessions where both
  exist (zero investment: no RF subtracted).
* prices: S&P 500 (2021 members) adjusted closes 2010-2021 (survivorship-biased); trades with no
  price series are counted and left out, never filled.
* factors: Ken French daily FF5 (+RF), decimals; CAPM / FF3 / FF5 alphas annualized x252 with
  Newey-West errors (lags floor(4 (T/100)^(2/9))); regression sample = sessions 2012-01-03 ..
  2020-12-31 (positions entered in 2021 from late filings are cut at the sample end).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from workbench.config import shared_data_dir
from workbench.data import read_french_factors, read_prices, read_senate_daily_summaries
from workbench.factors import calendar_time_portfolio, fit_factor_model
from workbench.factors.inputs import to_wide_prices


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    root = Path(argv[0]) if argv else shared_data_dir()
    parsed = read_senate_daily_summaries(root / "senate" / "all_daily_summaries.json")
    trades = parsed.accepted
    trades = trades[(trades["transaction_date"] >= "2012-01-01")
                    & (trades["transaction_date"] <= "2020-12-31")]
    px = read_prices(root / "prices" / "sp500_daily_2010_2021.parquet",
                     start="2011-06-01", end="2021-04-21").accepted
    levels = to_wide_prices(px)
    factors = read_french_factors(root / "factors" / "F-F_Research_Data_5_Factors_2x3_daily.CSV")
    sample = (pd.Timestamp("2012-01-03"), pd.Timestamp("2020-12-31"))
    print(f"Senate trades 2012-2020 accepted: {len(trades):,}; stock: "
          f"{(trades['asset_type'] == 'stock').sum():,}; buys {((trades['asset_type'] == 'stock') & (trades['side'] == 'buy')).sum():,}, "
          f"sells {((trades['asset_type'] == 'stock') & (trades['side'] == 'sell')).sum():,}")
    rows, cov_rows = [], []
    for h in (21, 63, 126):
        for side in ("buy", "sell", "long_short"):
            p = calendar_time_portfolio(trades, levels, side, h, weight="equal",
                                        entry="disclosure")
            r = p.returns.loc[sample[0]:sample[1]].dropna()
            row = {"holding": h, "portfolio": side, "sessions": len(r),
                   "covered": int(p.positions["covered"].sum()),
                   "trades": len(p.positions), "coverage": p.coverage_ratio}
            for model in ("capm", "ff3", "ff5"):
                fr = fit_factor_model(r, factors, model, subtract_rf=side != "long_short")
                row[f"{model}_alpha"] = fr.alpha
                row[f"{model}_t"] = fr.alpha_t
            row["mkt_beta_ff5"] = fr.betas["Mkt-RF"]
            rows.append(row)
            if h == 21 and side != "long_short":
                cov_rows.append(p.coverage.assign(holding=h))
    table = pd.DataFrame(rows)
    pd.set_option("display.width", 200)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.4f}"))
    print()
    print(pd.concat(cov_rows).to_string(index=False))
    return table


if __name__ == "__main__":
    main()
