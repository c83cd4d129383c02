"""The deep-model member: the forecasting package's network, refitted walk-forward, run in ONNX.

Every ``refit_every`` sessions from session ``min_train`` on, a
:class:`workbench.forecast.ForecastTrainer` (LSTM by default, small sizes) is fitted on the
samples of :func:`workbench.forecast.build_dataset` (horizon ``h``, price features of the
forecasting package) whose label was known at the refit close (decision date ``+ h <=`` the
refit session), on a fixed subset of tickers (chosen by a hash of their name, so the subset
does not depend on the data) and every ``train_stride``-th decision date. The fitted network is
exported with :func:`workbench.forecast.export_onnx` and run with onnxruntime
(:class:`workbench.forecast.OnnxForecaster`) on every ticker's window for the sessions up to the
next refit. So a value at session ``p`` always comes from a network trained on labels known at
``p``: the meta-learner stacks out-of-sample predictions of the network, and the service runs
the same ONNX graph.

Value: the network's log-return forecast over ``h``; uncertainty: its volatility forecast
(daily) times ``sqrt(h)``. Needs a full window of returns.

The registry champion of ``workbench train forecast`` (horizon 5, its own training cut) is not
used here: its predictions before its training cut are in-sample, so they cannot be stacked.
"""

from __future__ import annotations

import tempfile
import zlib

import numpy as np

from workbench.ensemble.base import ArrayState, FailedState, signed_pct
from workbench.ensemble.context import Member

__all__ = ["DeepMember", "in_training_subset"]


def in_training_subset(ticker: str, every: int) -> bool:
    """Deterministic ~1/``every`` subset of tickers (CRC-32 of the name)."""
    return zlib.crc32(str(ticker).encode("utf-8")) % max(int(every), 1) == 0


class DeepMember(Member):
    """Walk-forward deep forecaster in ONNX (module notes).

    Parameters
    ----------
    model : {"lstm", "transformer"}
    window : int
        Input window (sessions).
    refit_every, min_train : int
        Sessions between refits; first refit session.
    ticker_every : int
        About one ticker in ``ticker_every`` trains the network (all are predicted).
    train_stride : int
        Every ``train_stride``-th decision date trains.
    hidden, max_epochs, patience, batch_size : int
        :class:`~workbench.forecast.ForecastTrainer` sizes.
    random_state : int
    """

    name = "deep_model"
    label = "deep model"

    def __init__(self, model: str = "lstm", window: int = 21, refit_every: int = 252,
                 min_train: int = 252, ticker_every: int = 4, train_stride: int = 5,
                 hidden: int = 8, max_epochs: int = 4, patience: int = 2,
                 batch_size: int = 512, random_state: int = 0):
        self.model = model
        self.window = window
        self.refit_every = refit_every
        self.min_train = min_train
        self.ticker_every = ticker_every
        self.train_stride = train_stride
        self.hidden = hidden
        self.max_epochs = max_epochs
        self.patience = patience
        self.batch_size = batch_size
        self.random_state = random_state

    def build(self, ctx, horizon):
        from workbench.forecast.dataset import build_dataset
        from workbench.forecast.export import OnnxForecaster, export_onnx
        from workbench.forecast.trainer import ForecastTrainer

        h, w = int(horizon), int(self.window)
        T, K = ctx.n_sessions, ctx.n_tickers
        starts = list(range(self.min_train, T, self.refit_every))
        if not starts:
            return FailedState(self.name, "unavailable",
                               f"fewer than {self.min_train} sessions before the first refit")
        data = build_dataset(ctx.universe.prices, horizon=h, window=w)
        if not data.sessions.equals(ctx.sessions) or tuple(data.tickers) != ctx.tickers:
            return FailedState(self.name, "failed", "feature calendar differs from the prices")
        feats = data.features                                   # (K, T, F)
        ret_ok = np.isfinite(feats[:, :, 0])
        full = np.zeros((K, T), dtype=bool)
        c = np.concatenate([np.zeros((K, 1)), np.cumsum(ret_ok, axis=1)], axis=1)
        full[:, w - 1:] = (c[:, w:] - c[:, :-w]) == w
        subset = np.array([in_training_subset(t, self.ticker_every) for t in data.tickers])
        value, unc = np.full((T, K), np.nan), np.full((T, K), np.nan)
        refits = []
        with tempfile.TemporaryDirectory(prefix="wb-ensemble-deep-") as tmp:
            for j, r in enumerate(starts):
                stop = starts[j + 1] if j + 1 < len(starts) else T
                idx = np.flatnonzero((data.sample_pos + h <= r) & subset[data.sample_ticker]
                                     & (data.sample_pos % self.train_stride == 0))
                if len(idx) < 200:
                    continue
                trainer = ForecastTrainer(
                    model=self.model, hidden=self.hidden, max_epochs=self.max_epochs,
                    patience=self.patience, batch_size=self.batch_size,
                    random_state=self.random_state, threads=1).fit(data, idx)
                path = export_onnx(trainer.model_, f"{tmp}/refit{j}", model=self.model,
                                   feature_names=data.feature_names, window=w, horizon=h,
                                   flat_band=data.flat_band)
                runner = OnnxForecaster(path)
                kk, pp = np.nonzero(full[:, r:stop])
                pp = pp + r
                for a in range(0, len(kk), 8192):
                    ks, ps = kk[a:a + 8192], pp[a:a + 8192]
                    x = feats[ks[:, None], ps[:, None] + np.arange(-w + 1, 1)[None, :]]
                    rr, vv, _ = runner.run(np.nan_to_num(x))
                    value[ps, ks] = rr
                    unc[ps, ks] = vv * np.sqrt(h)
                refits.append({"session": ctx.sessions[r], "n_train": int(len(idx))})
        if not refits:
            return FailedState(self.name, "unavailable", "too few training samples at every refit")
        st = ArrayState(self.name, value, unc)
        r_pos = np.array([ctx.sessions.get_loc(x["session"]) for x in refits])

        def explain(k, pos, v, u):
            j = int(np.searchsorted(r_pos, pos, side="right")) - 1
            if j < 0:
                return f"no network fitted before this session (first refit {refits[0]['session'].date()})", {}
            if not np.isfinite(v):
                return f"no complete {w}-session window of returns", {}
            ref = refits[j]
            return (f"{self.model.upper()} refitted {ref['session'].date()} on "
                    f"{ref['n_train']} samples (ONNX): {signed_pct(v)} over {h} sessions",
                    {"refit": ref["session"], "n_train": ref["n_train"],
                     "value_pct": v * 100, "horizon": h})

        st.explain = explain
        return st
