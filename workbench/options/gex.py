"""Dealer gamma exposure (GEX) of an option chain on one quote date.

Dealer positioning convention
-----------------------------
Open interest does not say who is long. The usual public convention (SqueezeMetrics,
SpotGamma), called ``"standard"`` here, assumes customers sell calls and buy puts, so that
dealers are **long calls and short puts**: call gamma counts +1, put gamma -1. Alternatives:
``"dealer_short"`` (customers buy every option: dealers short both, -1/-1) and
``"dealer_long"`` (+1/+1); or pass explicit ``(call_sign, put_sign)``.

Units
-----
GEX of a contract = ``sign * gamma * open_interest * contract_size * S**2 * 0.01``: the dollars
of underlying that dealers must buy (positive) or sell (negative) to re-hedge after a 1 % rise
of the spot ``S``. Negative total GEX means dealer hedging chases the move (amplifies it).
Gamma is Black-Scholes-Merton with each contract's quoted implied volatility; time to expiry is
calendar days from the quote date / 365.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.exceptions import DataError
from workbench.options.bsm import bsm_gamma

__all__ = ["CONVENTIONS", "GexResult", "compute_gex", "gex_profile", "resolve_convention"]

CONVENTIONS: dict[str, tuple[float, float]] = {
    "standard": (1.0, -1.0),
    "dealer_short": (-1.0, -1.0),
    "dealer_long": (1.0, 1.0),
}


def resolve_convention(convention) -> tuple[str, float, float]:
    """``"standard"`` / ``"dealer_short"`` / ``"dealer_long"`` or ``(call_sign, put_sign)``."""
    if isinstance(convention, str):
        if convention not in CONVENTIONS:
            raise ValueError(f"unknown convention {convention!r}; use one of {list(CONVENTIONS)}"
                             " or a (call_sign, put_sign) pair")
        c, p = CONVENTIONS[convention]
        return convention, c, p
    c, p = (float(v) for v in convention)
    return f"custom({c:+g},{p:+g})", c, p


@dataclass(frozen=True)
class GexResult:
    """Gamma exposure of one chain (one ticker, one quote date).

    Attributes
    ----------
    ticker, quote_date, spot
        The chain and the spot it was evaluated at (``underlying_price`` unless overridden).
    convention, call_sign, put_sign
        Dealer positioning (module docstring).
    by_contract : DataFrame
        ``expiration, strike, option_type, open_interest, implied_volatility, years, gamma, gex``.
    by_strike : DataFrame
        ``strike, call_oi, put_oi, call_gex, put_gex, net_gex`` summed over expirations.
    by_expiry : DataFrame
        ``expiration, call_gex, put_gex, net_gex``.
    total_gex : float
        Net dealer GEX at ``spot``, dollars per 1 % move.
    gross_gex : float
        Sum of absolute contract GEX (scale for :attr:`net_gamma_ratio`).
    flip_level : float
        Spot at which the GEX profile changes sign, the crossing nearest to ``spot``
        (linear interpolation on the profile grid); NaN when the profile does not cross zero.
    call_wall, put_wall : float
        Strikes with the largest call / put open interest (all expirations).
    profile : DataFrame
        ``spot, total_gex``: total GEX recomputed over a grid of spot prices (sticky strike:
        each contract keeps its implied volatility).
    dropped : int
        Contracts left out (expired on the quote date, missing IV or open interest).
    """

    ticker: str
    quote_date: pd.Timestamp
    spot: float
    convention: str
    call_sign: float
    put_sign: float
    by_contract: pd.DataFrame
    by_strike: pd.DataFrame
    by_expiry: pd.DataFrame
    total_gex: float
    gross_gex: float
    flip_level: float
    call_wall: float
    put_wall: float
    profile: pd.DataFrame
    dropped: int

    @property
    def net_gamma_ratio(self) -> float:
        """``total_gex / gross_gex`` in [-1, 1]; -1 when every contract is dealer-short gamma."""
        return self.total_gex / self.gross_gex if self.gross_gex > 0 else float("nan")

    def to_frame(self) -> pd.DataFrame:
        """GEX by strike (the table most figures start from)."""
        return self.by_strike.copy()

    def summary(self) -> pd.Series:
        return pd.Series({
            "ticker": self.ticker, "quote_date": self.quote_date, "spot": self.spot,
            "convention": self.convention, "total_gex": self.total_gex,
            "net_gamma_ratio": self.net_gamma_ratio, "flip_level": self.flip_level,
            "call_wall": self.call_wall, "put_wall": self.put_wall,
            "contracts": len(self.by_contract), "dropped": self.dropped,
        })


def _select_chain(chain: pd.DataFrame, ticker: str | None, quote_date) -> pd.DataFrame:
    need = {"quote_date", "ticker", "option_type", "expiration", "strike", "open_interest",
            "implied_volatility", "underlying_price"}
    missing = need - set(chain.columns)
    if missing:
        raise DataError(f"option chain lacks columns {sorted(missing)}", file="options")
    df = chain
    if ticker is not None:
        df = df[df["ticker"] == ticker]
    if quote_date is not None:
        df = df[df["quote_date"] == pd.Timestamp(quote_date)]
    if df.empty:
        raise DataError(f"no option quotes for ticker={ticker!r} quote_date={quote_date}",
                        file="options")
    keys = df[["ticker", "quote_date"]].drop_duplicates()
    if len(keys) > 1:
        raise DataError(f"chain holds {len(keys)} (ticker, quote_date) pairs; pass ticker and "
                        "quote_date to pick one", file="options")
    return df


def _contract_gex(spot, strike, years, iv, oi, sign, r, q, contract_size):
    """GEX (dollars per 1 % move) of each contract at each spot; spot broadcasts."""
    g = bsm_gamma(spot, strike, years, r, iv, q)
    return sign * g * oi * contract_size * np.square(spot) * 0.01


def gex_profile(by_contract: pd.DataFrame, spots, *, call_sign: float = 1.0,
                put_sign: float = -1.0, r: float = 0.0, q: float = 0.0,
                contract_size: int = 100) -> pd.DataFrame:
    """Total GEX at each spot in ``spots`` (sticky strike), dollars per 1 % move.

    ``by_contract`` needs ``strike, option_type, years, implied_volatility, open_interest``.
    """
    spots = np.asarray(spots, dtype=float)
    sign = np.where(by_contract["option_type"].to_numpy() == "call", call_sign, put_sign)
    gex = _contract_gex(spots[:, None], by_contract["strike"].to_numpy(float)[None, :],
                        by_contract["years"].to_numpy(float)[None, :],
                        by_contract["implied_volatility"].to_numpy(float)[None, :],
                        by_contract["open_interest"].to_numpy(float)[None, :], sign[None, :],
                        r, q, contract_size)
    return pd.DataFrame({"spot": spots, "total_gex": gex.sum(axis=1)})


def _flip(profile: pd.DataFrame, spot: float) -> float:
    x, y = profile["spot"].to_numpy(), profile["total_gex"].to_numpy()
    sgn = np.sign(y)
    idx = np.flatnonzero(sgn[:-1] * sgn[1:] < 0)
    zeros = x[np.flatnonzero(y == 0)]
    roots = list(zeros)
    for i in idx:
        roots.append(x[i] - y[i] * (x[i + 1] - x[i]) / (y[i + 1] - y[i]))
    if not roots:
        return float("nan")
    roots = np.asarray(roots)
    return float(roots[np.argmin(np.abs(roots - spot))])


def _normalize_chain(df: pd.DataFrame) -> dict[str, np.ndarray]:
    """Numpy columns of a chain: type as +1 call / -1 put (0 unknown), years from quote date."""
    t = df["option_type"].to_numpy(dtype=object, na_value="")
    first = np.char.lower(np.asarray([str(v)[:1] for v in t], dtype="U1"))
    cp = np.where(first == "c", 1.0, np.where(first == "p", -1.0, 0.0))
    qd = df["quote_date"].to_numpy(dtype="datetime64[ns]")
    exp = df["expiration"].to_numpy(dtype="datetime64[ns]")
    years = (exp.astype("datetime64[D]") - qd.astype("datetime64[D]")).astype(float) / 365.0
    return {"cp": cp, "expiration": exp, "years": years,
            "strike": df["strike"].to_numpy(dtype=float, na_value=np.nan),
            "iv": df["implied_volatility"].to_numpy(dtype=float, na_value=np.nan),
            "oi": df["open_interest"].to_numpy(dtype=float, na_value=np.nan),
            "spot": df["underlying_price"].to_numpy(dtype=float, na_value=np.nan)}


def _gex_core(c: dict[str, np.ndarray], s0: float, csign: float, psign: float, r: float,
              q: float, contract_size: int, grid: np.ndarray) -> dict:
    """GEX numbers of one chain from numpy columns (see :func:`compute_gex`)."""
    keep = ((c["years"] > 0) & np.isfinite(c["iv"]) & (c["iv"] > 0) & np.isfinite(c["oi"])
            & (c["cp"] != 0) & np.isfinite(c["strike"]) & (c["strike"] > 0))
    k, yrs, iv, oi = c["strike"][keep], c["years"][keep], c["iv"][keep], c["oi"][keep]
    is_call = c["cp"][keep] > 0
    sign = np.where(is_call, csign, psign)
    gamma = bsm_gamma(s0, k, yrs, r, iv, q)
    gex = sign * gamma * oi * contract_size * s0 * s0 * 0.01
    prof = _contract_gex(grid[:, None], k[None, :], yrs[None, :], iv[None, :], oi[None, :],
                         sign[None, :], r, q, contract_size).sum(axis=1)
    strikes, inv = np.unique(k, return_inverse=True)
    call_oi = np.bincount(inv, weights=np.where(is_call, oi, 0.0), minlength=len(strikes))
    put_oi = np.bincount(inv, weights=np.where(is_call, 0.0, oi), minlength=len(strikes))

    def wall(v: np.ndarray) -> float:
        return float(strikes[int(v.argmax())]) if (v > 0).any() else float("nan")

    profile = pd.DataFrame({"spot": grid, "total_gex": prof})
    return {"keep": keep, "gamma": gamma, "gex": gex, "is_call": is_call, "strikes": strikes,
            "inv": inv, "call_oi": call_oi, "put_oi": put_oi, "total_gex": float(gex.sum()),
            "gross_gex": float(np.abs(gex).sum()), "profile": profile,
            "flip_level": _flip(profile, s0), "call_wall": wall(call_oi),
            "put_wall": wall(put_oi)}


def compute_gex(chain: pd.DataFrame, *, ticker: str | None = None, quote_date=None,
                spot: float | None = None, r: float = 0.0, q: float = 0.0,
                convention="standard", contract_size: int = 100,
                profile_range: float = 0.2, profile_points: int = 81) -> GexResult:
    """Dealer gamma exposure of a chain by contract, strike and expiry, with profile and flip.

    Parameters
    ----------
    chain : DataFrame
        Quotes in ``OPTION_COLUMNS`` form; filtered to ``ticker`` and ``quote_date`` when
        given, and must then hold exactly one (ticker, quote_date).
    spot : float, optional
        Spot to evaluate at; default the median ``underlying_price`` of the chain.
    r, q : float
        Continuously compounded rate and dividend yield (annual decimals).
    convention : str or (float, float)
        Dealer positioning, see the module docstring. Default ``"standard"``.
    contract_size : int
        Shares per contract.
    profile_range, profile_points : float, int
        The GEX profile spans ``spot * (1 ± profile_range)`` on ``profile_points`` points.

    Returns
    -------
    GexResult
    """
    name, csign, psign = resolve_convention(convention)
    df = _select_chain(chain, ticker, quote_date)
    qd = pd.Timestamp(df["quote_date"].iloc[0])
    tk = str(df["ticker"].iloc[0])
    cols = _normalize_chain(df)
    s0 = float(np.nanmedian(cols["spot"])) if spot is None else float(spot)
    if not np.isfinite(s0) or s0 <= 0:
        raise DataError(f"spot of {tk} on {qd.date()} is {s0}", file="options")
    grid = s0 * (1.0 + np.linspace(-profile_range, profile_range, profile_points))
    core = _gex_core(cols, s0, csign, psign, r, q, contract_size, grid)
    keep, is_call = core["keep"], core["is_call"]
    bc = pd.DataFrame({
        "expiration": cols["expiration"][keep], "strike": cols["strike"][keep],
        "option_type": np.where(is_call, "call", "put"), "open_interest": cols["oi"][keep],
        "implied_volatility": cols["iv"][keep], "years": cols["years"][keep],
        "gamma": core["gamma"], "gex": core["gex"],
    }).sort_values(["expiration", "strike", "option_type"], ignore_index=True)
    gex, inv = core["gex"], core["inv"]
    n = len(core["strikes"])
    call_gex = np.bincount(inv, weights=np.where(is_call, gex, 0.0), minlength=n)
    put_gex = np.bincount(inv, weights=np.where(is_call, 0.0, gex), minlength=n)
    by_strike = pd.DataFrame({"strike": core["strikes"], "call_oi": core["call_oi"],
                              "put_oi": core["put_oi"], "call_gex": call_gex,
                              "put_gex": put_gex, "net_gex": call_gex + put_gex})
    by_expiry = (bc.assign(call_gex=bc["gex"].where(bc["option_type"] == "call", 0.0),
                           put_gex=bc["gex"].where(bc["option_type"] == "put", 0.0))
                 .groupby("expiration", sort=True)[["call_gex", "put_gex"]].sum().reset_index())
    by_expiry["net_gex"] = by_expiry["call_gex"] + by_expiry["put_gex"]
    return GexResult(
        ticker=tk, quote_date=qd, spot=s0, convention=name, call_sign=csign, put_sign=psign,
        by_contract=bc, by_strike=by_strike, by_expiry=by_expiry,
        total_gex=core["total_gex"], gross_gex=core["gross_gex"],
        flip_level=core["flip_level"], call_wall=core["call_wall"], put_wall=core["put_wall"],
        profile=core["profile"], dropped=int((~keep).sum()),
    )
