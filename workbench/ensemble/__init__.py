"""Multi-model ensemble: every analysis' view of a ticker combined into one calibrated prediction.

Members (:mod:`~workbench.ensemble.members`) wrap the analyses as predictors of the log return
of a ticker over the next ``h`` sessions after the close of ``as_of``: cycles (harmonic
forecast), regimes (walk-forward regime probabilities, regime-conditional mean and volatility),
patterns (DTW analog outcomes), factors (factor-model expected return), congress (the
congressional alpha of the ticker's recent traders), network (leaders' communities trading the ticker), anomaly (scores of
recent trades), deep model (ONNX) and options (dealer gamma exposure). Each answers
``predict(universe, ticker, as_of, horizon) -> MemberPrediction`` from data known at the close
of ``as_of`` only (trades from the first session after their **disclosure** date); a failing
member is logged and reported ``failed``, never raised.

:class:`MultiModelEnsemble` stacks the members' out-of-sample predictions with a
:class:`MetaLearner` (ridge for the return, multinomial logistic for the direction, temperature
calibrated, NNLS for the volatility) fitted and evaluated walk-forward on the forecasting
package's purged folds; :class:`EnsembleEvaluation` compares it with every member alone
(Diebold-Mariano) and reports the reliability curve and ECE.

The service's interface
-----------------------
``predict_ticker(universe, ticker, *, as_of=None, horizon=7, ensemble=None)`` returns an
:class:`EnsemblePrediction`; ``fit_ensemble(universe, horizons=(7, 30, 90))`` and
``load_ensemble(path_or_uri=None)`` give the ``ensemble`` to pass (without one, a default
ensemble is fitted on the universe on first use per horizon; ``ensemble.warm(universe,
horizons)`` does that ahead; ``score_members(ensemble, universe, horizons)`` then stores every
member's prediction of every ticker at the latest session, which ``predict`` reads instead of
recomputing: batch scoring, same answers). ``predict_ticker`` raises :class:`NoPrediction` (a
``LookupError``) when the ticker has no price up to ``as_of``.

``EnsemblePrediction.to_dict()`` (JSON-safe: NaN -> null, dates ISO ``YYYY-MM-DD``)::

    ticker: str                 as_of: "YYYY-MM-DD" (the decision session)
    horizon: int                (sessions)
    expected_return: float      log return over the horizon
    volatility: float           standard deviation of that log return
    prob_up, prob_flat, prob_down: float   (flat: |log return| <= 0.005), sum to 1
    confidence: float           probability of the most likely direction (calibrated)
    direction: "up" | "flat" | "down"
    attribution: {member: float}   weight x member value (log return); with ``intercept``
                                   they add up to expected_return
    intercept: float            weights: {member: float} (return units)
    members: [{name, value, uncertainty, status ("ok"|"unavailable"|"failed"), reason,
               details: {...}}]
    insights: [str]             sentences generated from these numbers only
    summary: {n_members, n_available, n_up, n_down, n_unavailable, strongest, direction}
    similar_patterns: [{rank, ticker, start, end, distance, outcome}] | null   (DTW analogs)
    current_regime: {name, probability, probabilities: {regime: p}} | null
    factors: {factor_return_pct, betas: {factor: beta}, congress_alpha_pct, n_recent_buys,
              n_recent_sells, recent_trades: [{politician, side, age_sessions,
              track_record_pct, n_track}], ...} | null   (factors and congress members)
    anomaly_score: float | null  highest anomaly score of the ticker's recent trades
    politician_activity: null    (left to the service's own activity index)
    gamma_exposure: {quote_date, spot, net_gamma_ratio, flip_level, call_wall, put_wall, ...}
                    | null
    meta: {status, ece, temperature, n_train, best_member, fitted_on}

Names are imported lazily: ``import workbench.ensemble`` imports no analysis.
"""

from __future__ import annotations

from workbench._lazy import lazy_getattr

_EXPORTS = {
    "MemberPrediction": "workbench.ensemble.base",
    "Member": "workbench.ensemble.context",
    "MemberState": "workbench.ensemble.base",
    "UniverseContext": "workbench.ensemble.context",
    "context_for": "workbench.ensemble.context",
    "default_members": "workbench.ensemble.members",
    "MEMBERS": "workbench.ensemble.members",
    "CyclesMember": "workbench.ensemble.members_market",
    "RegimesMember": "workbench.ensemble.members_market",
    "FactorsMember": "workbench.ensemble.members_factors",
    "CongressMember": "workbench.ensemble.members_factors",
    "PatternsMember": "workbench.ensemble.members_patterns",
    "NetworkMember": "workbench.ensemble.members_activity",
    "AnomalyMember": "workbench.ensemble.members_activity",
    "OptionsMember": "workbench.ensemble.members_activity",
    "DeepMember": "workbench.ensemble.members_deep",
    "StackData": "workbench.ensemble.samples",
    "build_stack": "workbench.ensemble.samples",
    "MetaLearner": "workbench.ensemble.meta",
    "EnsembleEvaluation": "workbench.ensemble.evaluation",
    "evaluate_walk_forward": "workbench.ensemble.evaluation",
    "EnsemblePrediction": "workbench.ensemble.prediction",
    "MultiModelEnsemble": "workbench.ensemble.model",
    "NoPrediction": "workbench.ensemble.model",
    "fit_ensemble": "workbench.ensemble.model",
    "predict_ticker": "workbench.ensemble.model",
    "score_members": "workbench.ensemble.batch",
    "load_ensemble": "workbench.ensemble.model",
    "save_ensemble": "workbench.ensemble.model",
}

__all__ = sorted(_EXPORTS)

__getattr__ = lazy_getattr(__name__, _EXPORTS)
