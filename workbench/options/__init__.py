"""Option pricing, dealer gamma exposure and politicians' option trades.

- :mod:`workbench.options.bsm`: vectorized Black-Scholes-Merton prices, greeks, implied vol.
- :mod:`workbench.options.gex`: dealer gamma exposure of a chain (by strike/expiry, profile,
  flip level, walls) under a stated, switchable dealer-positioning convention.
- :mod:`workbench.options.trades`: parse option-trade descriptions, moneyness, days to expiry,
  GEX context, squeeze-setup score and realized move.
"""

from workbench.options.bsm import (
    IV_REASONS,
    Greeks,
    ImpliedVolResult,
    bsm_gamma,
    bsm_greeks,
    bsm_price,
    implied_volatility,
)
from workbench.options.gex import CONVENTIONS, GexResult, compute_gex, gex_profile
from workbench.options.trades import (
    OptionTradeResult,
    analyze_option_trades,
    gex_for_trade,
    parse_option_description,
    select_option_trades,
    squeeze_auc,
)

__all__ = [
    "IV_REASONS", "Greeks", "ImpliedVolResult", "bsm_gamma", "bsm_greeks", "bsm_price", "implied_volatility",
    "CONVENTIONS", "GexResult", "compute_gex", "gex_profile",
    "OptionTradeResult", "analyze_option_trades", "gex_for_trade", "parse_option_description",
    "select_option_trades", "squeeze_auc",
]
