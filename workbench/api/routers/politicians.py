"""``GET /politicians/{bioguide_id}/performance``: a member's disclosed trading and its alpha.

Performance is :func:`workbench.factors.politician_performance` over every politician of the
served universe (computed once per serving state; the first request may take seconds): buys
entered at the close of the first session after **disclosure**, held 21 sessions, equal weight,
annualized Fama-French five-factor alpha with HAC errors, Benjamini-Hochberg ``q`` across
politicians. Members with fewer than 10 priced buys get no performance and say so.
"""

from __future__ import annotations

from typing import Annotated

import pandas as pd
from fastapi import APIRouter, Depends, HTTPException, Path
from starlette.concurrency import run_in_threadpool

from workbench.api.deps import error_responses, get_state, require_key
from workbench.api.schemas import BIOGUIDE_PATTERN, PoliticianResponse, json_safe

__all__ = ["router", "performance_table", "politician_body"]

router = APIRouter(tags=["politicians"])
Z95 = 1.959963984540054


def performance_table(state) -> pd.DataFrame:
    """Per-politician performance of the state's universe (computed once per state)."""
    from workbench.factors.performance import politician_performance

    u = state.universe

    def build():
        return politician_performance(u.trades, u.prices, u.factors).table
    return state.lazy("politician_performance", build)


def _first(frame: pd.DataFrame, col: str):
    if col not in frame.columns:
        return None
    v = frame[col].dropna()
    return str(v.iloc[-1]) if len(v) else None


def politician_body(state, bioguide_id: str) -> dict:
    u = state.universe
    name = state.bioguide[bioguide_id]
    mine = u.trades[u.trades["bioguide_id"].astype("string") == bioguide_id]
    disc = pd.to_datetime(mine["disclosure_date"]).dropna()
    table = performance_table(state)
    row = table[table["politician"] == name]
    perf, verdict = None, "fewer than 10 priced buys: no performance estimate"
    if len(row):
        r = row.iloc[0]
        lo, hi = r["alpha"] - Z95 * r["alpha_se"], r["alpha"] + Z95 * r["alpha_se"]
        perf = {"model": "ff5", "holding_days": 21, "entry": "disclosure", "side": "buy",
                "n_covered": int(r["n_covered"]), "active_days": int(r["active_days"]),
                "excess_return": r["excess_return"], "alpha": r["alpha"],
                "alpha_se": r["alpha_se"], "alpha_low": lo, "alpha_high": hi,
                "alpha_t": r["alpha_t"], "p": r["p"], "q": r["q"],
                "significant": bool(r["significant"])}
        sign = "positive" if r["alpha"] > 0 else "negative"
        verdict = (f"annualized alpha {r['alpha'] * 100:+.1f}% (95% interval "
                   f"{lo * 100:+.1f}% to {hi * 100:+.1f}%); "
                   + (f"significantly {sign} after correcting for {len(table)} politicians "
                      f"(q = {r['q']:.3f})" if r["significant"] else
                      f"not significant after correcting for {len(table)} politicians "
                      f"(q = {r['q']:.3f})"))
    side = mine["side"].astype("string")
    return json_safe({
        "bioguide_id": bioguide_id, "politician": name, "party": _first(mine, "party"),
        "chamber": _first(mine, "chamber"), "state": _first(mine, "state"),
        "n_trades": int(len(mine)), "n_buys": int((side == "buy").sum()),
        "n_sells": int((side == "sell").sum()),
        "first_disclosure": disc.min().date() if len(disc) else None,
        "last_disclosure": disc.max().date() if len(disc) else None,
        "performance": perf, "verdict": verdict,
        "date_rule": "buys entered at the first session after disclosure",
    })


@router.get("/politicians/{bioguide_id}/performance", response_model=PoliticianResponse,
            responses=error_responses(401, 403, 404, 414, 422, 429),
            summary="A member's disclosed trades and the alpha of copying their buys")
async def get_performance(
        bioguide_id: Annotated[str, Path(pattern=BIOGUIDE_PATTERN,
                                         description="Bioguide id, e.g. P000197")],
        key_id: str = Depends(require_key), state=Depends(get_state)) -> dict:
    if bioguide_id not in state.bioguide:
        raise HTTPException(404, "unknown bioguide_id")
    return await run_in_threadpool(politician_body, state, bioguide_id)
