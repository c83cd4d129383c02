"""``POST /anomaly-detection``: anomalous trades among those disclosed in a date range.

The detector is :func:`workbench.anomalies.detect_anomalies` run once per serving state over
the whole universe (the first request may take seconds); a request selects the trades whose
**disclosure** date lies in ``[start, end]`` and returns the most anomalous ones with their
score, global rank, flag, kind guess and explanation, and a summary. Scores are those of the
detector fitted on everything the service holds (the service answers "which of these trades
look unusual now", not a walk-forward backtest). Without the anomalies package the endpoint
answers 503 and says why.
"""

from __future__ import annotations

import pandas as pd
from fastapi import APIRouter, Depends, HTTPException
from starlette.concurrency import run_in_threadpool

from workbench.api.deps import error_responses, get_state, require_key
from workbench.api.schemas import AnomalyRequest, AnomalyResponse, json_safe

__all__ = ["router", "anomaly_table", "anomaly_body"]

router = APIRouter(tags=["anomalies"])

OUT_COLUMNS = ("trade_id", "politician", "bioguide_id", "ticker", "side", "transaction_date",
               "disclosure_date", "amount_mid", "score", "rank", "flagged", "kind",
               "explanation")


DETECTOR = ("workbench.anomalies.AnomalyDetector: isolation forest, autoencoder and robust "
            "z-scores, rank-averaged; fitted on every trade the service holds")


class AnomaliesUnavailable(RuntimeError):
    pass


def anomaly_table(state) -> tuple[pd.DataFrame, str, float | None]:
    """Scored trades (canonical columns joined), the detector's name and its threshold."""
    try:
        from workbench.anomalies import detect_anomalies
    except ImportError as exc:
        raise AnomaliesUnavailable(
            f"anomaly detection unavailable: {exc.name} is not installed in this build"
        ) from None

    def build():
        result = detect_anomalies(state.universe)
        table = result.to_frame() if hasattr(result, "to_frame") else pd.DataFrame(result)
        table = table.copy()
        trades = state.universe.trades
        extra = [c for c in OUT_COLUMNS if c not in table.columns and c in trades.columns]
        if extra:
            table = table.merge(trades[["trade_id", *extra]], on="trade_id", how="left")
        if "rank" not in table.columns:
            table["rank"] = table["score"].rank(ascending=False, method="first")
        if "flagged" not in table.columns:
            table["flagged"] = False
        for c in OUT_COLUMNS:
            if c not in table.columns:
                table[c] = None
        for c in ("kind", "explanation"):       # unexplained trades carry ""
            table[c] = table[c].where(table[c].astype("string").str.len() > 0, None)
        table["disclosure_date"] = pd.to_datetime(table["disclosure_date"])
        table = table.sort_values("score", ascending=False, kind="stable").reset_index(
            drop=True)
        return table, DETECTOR, getattr(result, "threshold", None)
    return state.lazy("anomalies", build)


def anomaly_body(state, req: AnomalyRequest) -> dict:
    table, detector, threshold = anomaly_table(state)
    d = table["disclosure_date"]
    sel = table[(d >= pd.Timestamp(req.start)) & (d <= pd.Timestamp(req.end))]
    if req.ticker:
        sel = sel[sel["ticker"].astype("string").str.upper() == req.ticker.upper()]
    if req.bioguide_id:
        sel = sel[sel["bioguide_id"].astype("string") == req.bioguide_id]
    flagged = sel[sel["flagged"].astype(bool)]
    shown = (flagged if req.flagged_only else sel).head(req.limit)
    kinds = flagged["kind"].dropna().astype(str).value_counts().to_dict()
    n, nf = len(sel), len(flagged)
    top = ", ".join(f"{k} {v}" for k, v in kinds.items()) or "none"
    summary = (f"{nf} of {n} trades disclosed {req.start.isoformat()} to "
               f"{req.end.isoformat()} are flagged as anomalous"
               + (f" ({nf / n * 100:.1f}%); by kind: {top}." if n else "."))
    rows = shown[list(OUT_COLUMNS)].to_dict(orient="records")
    return json_safe({
        "summary": {"start": req.start, "end": req.end, "date_field": "disclosure_date",
                    "n_trades": n, "n_flagged": nf, "flag_rate": nf / n if n else None,
                    "n_returned": len(rows), "kinds": kinds, "detector": detector,
                    "threshold": threshold,
                    "summary": summary},
        "anomalies": rows,
    })


@router.post("/anomaly-detection", response_model=AnomalyResponse,
             responses=error_responses(400, 401, 403, 413, 414, 422, 429, 503),
             summary="Anomalous trades among those disclosed in a date range")
async def post_anomalies(req: AnomalyRequest, key_id: str = Depends(require_key),
                         state=Depends(get_state)) -> dict:
    try:
        return await run_in_threadpool(anomaly_body, state, req)
    except AnomaliesUnavailable as exc:
        raise HTTPException(503, str(exc)) from None
