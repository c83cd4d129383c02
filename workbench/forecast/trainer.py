"""The training loop of the forecasting networks: seeded, deterministic, early-stopped.

:class:`ForecastTrainer` is a scikit-learn style estimator over :class:`~workbench.forecast.
dataset.ForecastData` samples. ``fit(data, train_idx)`` standardizes inputs and targets with
statistics of the fitting samples only, holds out the last ``val_fraction`` of the training
dates (after a purge of ``h`` sessions) for early stopping, clips gradients, keeps the best
epoch's weights (and writes them to ``checkpoint_dir`` when given) and records the learning
curve in ``history_``. On CPU, two fits with the same ``random_state`` give identical weights
(``torch.use_deterministic_algorithms``); a GPU is used when ``torch.cuda.is_available()``.
"""

from __future__ import annotations

import copy
import io
import os
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from workbench.exceptions import NotFittedError
from workbench.forecast.dataset import ForecastData, WindowDataset
from workbench.forecast.folds import validation_split
from workbench.forecast.models import MultiTaskLoss, build_model

__all__ = ["ForecastTrainer", "set_determinism", "default_device", "Forecast"]


def default_device() -> torch.device:
    """CUDA when available, else CPU (same code either way)."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def set_determinism(seed: int, threads: int | None = None) -> torch.Generator:
    """Seed torch, force deterministic kernels, size the CPU thread pool.

    Returns a CPU generator seeded with ``seed`` for shuffling.
    """
    if torch.cuda.is_available():
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    n = threads if threads is not None else 1
    if torch.get_num_threads() != n:
        torch.set_num_threads(n)
    return torch.Generator().manual_seed(seed)


class Forecast(dict):
    """Predictions of one model on samples: ``ret``, ``vol`` (n,), ``proba`` (n, 3)."""


class ForecastTrainer:
    """Fit a multitask forecasting network (see module notes).

    Parameters
    ----------
    model : {"lstm", "transformer"}
    hidden, layers, heads : int
        Network size (see :mod:`workbench.forecast.models`).
    dropout, lr, weight_decay : float
    w_ret, w_vol, w_dir : float
        Loss weights of the return, volatility and direction heads.
    batch_size, max_epochs, patience : int
        Early stopping after ``patience`` epochs without a better validation loss.
    clip_norm : float
        Gradient-norm clipping.
    val_fraction : float
        Last share of the training dates used for early stopping.
    random_state : int
    device : str, optional
        Default: CUDA when available, else CPU.
    threads : int, optional
        CPU threads for torch (default 1: these small recurrent models do not gain from
        more on a shared 2-core machine, and OpenMP spinning under load slows them down).
    checkpoint_dir : path, optional
        Where the best weights are written (``best.pt``) after each improvement.
    progress : bool
        Show a tqdm bar over epochs.
    calibrate_vol : bool
        After training, rescale the volatility head on the validation samples so that its
        variance forecasts are unbiased there (``mean(y^2 / f^2) = 1``, the scale that
        minimizes QLIKE): a head trained by squared error on log volatility forecasts the
        geometric mean, which sits below the mean variance when volatility is fat-tailed.
        The factor is ``vol_scale_``.
    """

    def __init__(self, model: str = "lstm", hidden: int = 32, layers: int = 1, heads: int = 2,
                 dropout: float = 0.1, lr: float = 3e-3, weight_decay: float = 1e-4,
                 w_ret: float = 1.0, w_vol: float = 1.0, w_dir: float = 1.0,
                 batch_size: int = 256, max_epochs: int = 30, patience: int = 5,
                 clip_norm: float = 1.0, val_fraction: float = 0.2, random_state: int = 0,
                 device: str | None = None, threads: int | None = None,
                 checkpoint_dir: str | Path | None = None, progress: bool = False,
                 calibrate_vol: bool = True):
        self.model = model
        self.hidden = hidden
        self.layers = layers
        self.heads = heads
        self.dropout = dropout
        self.lr = lr
        self.weight_decay = weight_decay
        self.w_ret = w_ret
        self.w_vol = w_vol
        self.w_dir = w_dir
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.patience = patience
        self.clip_norm = clip_norm
        self.val_fraction = val_fraction
        self.random_state = random_state
        self.device = device
        self.threads = threads
        self.checkpoint_dir = checkpoint_dir
        self.progress = progress
        self.calibrate_vol = calibrate_vol

    PARAMS = ("model", "hidden", "layers", "heads", "dropout", "lr", "weight_decay", "w_ret",
              "w_vol", "w_dir", "batch_size", "max_epochs", "patience", "clip_norm",
              "val_fraction", "random_state", "calibrate_vol")

    def get_params(self) -> dict:
        return {k: getattr(self, k) for k in self.PARAMS}

    def set_params(self, **params) -> ForecastTrainer:
        for k, v in params.items():
            setattr(self, k, v)
        return self

    # -- fitting -------------------------------------------------------------------------
    def _scaling(self, data: ForecastData, idx: np.ndarray) -> dict:
        rows = data.features[data.sample_ticker[idx], data.sample_pos[idx]].astype(float)
        logvol = np.log(np.maximum(data.vol[idx], 1e-8))
        return {"x_mean": np.nan_to_num(np.nanmean(rows, axis=0)),
                "x_std": np.nan_to_num(np.nanstd(rows, axis=0), nan=1.0),
                "ret_mean": float(np.mean(data.ret[idx])),
                "ret_std": float(np.std(data.ret[idx])),
                "logvol_mean": float(np.mean(logvol)), "logvol_std": float(np.std(logvol))}

    def _tensors(self, ds: WindowDataset, rows, scale: dict, dev):
        x, r, v, c = ds.batch(rows)
        rz = (r - scale["ret_mean"]) / max(scale["ret_std"], 1e-8)
        vz = (np.log(np.maximum(v, 1e-8)) - scale["logvol_mean"]) / max(scale["logvol_std"], 1e-8)
        return (torch.from_numpy(x).to(dev), torch.from_numpy(rz.astype(np.float32)).to(dev),
                torch.from_numpy(vz.astype(np.float32)).to(dev), torch.from_numpy(c).to(dev))

    def _evaluate(self, net, ds: WindowDataset, scale, loss_fn, dev) -> tuple[float, tuple]:
        net.eval()
        tot, parts, n = 0.0, np.zeros(3), 0
        with torch.no_grad():
            for start in range(0, len(ds), 4096):
                rows = np.arange(start, min(start + 4096, len(ds)))
                x, rz, vz, c = self._tensors(ds, rows, scale, dev)
                loss, p = loss_fn(net.forward_raw(x), rz, vz, c)
                tot += float(loss) * len(rows)
                parts += np.asarray(p) * len(rows)
                n += len(rows)
        return tot / max(n, 1), tuple(parts / max(n, 1))

    def fit(self, data: ForecastData, train_idx, val_idx=None, on_epoch=None) -> ForecastTrainer:
        """Train on samples ``train_idx`` (positions in ``data``).

        ``val_idx`` defaults to a purged time-ordered split of ``train_idx``
        (:func:`~workbench.forecast.folds.validation_split`). ``on_epoch(epoch, val_loss)``
        is called after every epoch (Optuna pruning); it may raise to stop training.
        """
        from tqdm.auto import tqdm

        train_idx = np.asarray(train_idx)
        if val_idx is None:
            fit_idx, val_idx = validation_split(data.dates, train_idx, self.val_fraction,
                                                gap=data.horizon)
        else:
            fit_idx = train_idx
        gen = set_determinism(int(self.random_state), self.threads)
        dev = torch.device(self.device) if self.device else default_device()
        scale = self._scaling(data, fit_idx)
        net = build_model(self.model, len(data.feature_names), hidden=int(self.hidden),
                          layers=int(self.layers), heads=int(self.heads),
                          dropout=float(self.dropout))
        net.set_scaling(**scale)
        net.to(dev)
        opt = torch.optim.AdamW(net.parameters(), lr=float(self.lr),
                                weight_decay=float(self.weight_decay))
        loss_fn = MultiTaskLoss(self.w_ret, self.w_vol, self.w_dir)
        train_ds, val_ds = WindowDataset(data, fit_idx), WindowDataset(data, val_idx)
        best, best_state, best_epoch, stale, rows = np.inf, None, -1, 0, []
        bar = tqdm(range(int(self.max_epochs)), desc=f"{self.model} epochs",
                   disable=not self.progress, leave=False)
        for epoch in bar:
            net.train()
            perm = torch.randperm(len(train_ds), generator=gen).numpy()
            tot, n = 0.0, 0
            for start in range(0, len(perm), int(self.batch_size)):
                b = perm[start:start + int(self.batch_size)]
                x, rz, vz, c = self._tensors(train_ds, b, scale, dev)
                loss, _ = loss_fn(net.forward_raw(x), rz, vz, c)
                opt.zero_grad(set_to_none=True)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(net.parameters(), float(self.clip_norm))
                opt.step()
                tot += float(loss.detach()) * len(b)
                n += len(b)
            val_loss, parts = self._evaluate(net, val_ds, scale, loss_fn, dev)
            rows.append({"epoch": epoch + 1, "train_loss": tot / max(n, 1), "val_loss": val_loss,
                         "val_ret": parts[0], "val_vol": parts[1], "val_dir": parts[2]})
            bar.set_postfix(train=f"{tot / max(n, 1):.4f}", val=f"{val_loss:.4f}")
            if val_loss < best - 1e-6:
                best, best_epoch, stale = val_loss, epoch + 1, 0
                best_state = copy.deepcopy(net.state_dict())
                self._checkpoint(best_state)
            else:
                stale += 1
            if on_epoch is not None:
                on_epoch(epoch, val_loss)
            if stale >= int(self.patience):
                break
        net.load_state_dict(best_state)
        net.eval()
        net = net.cpu()
        self.vol_scale_ = 1.0
        if self.calibrate_vol and len(val_idx):
            f = predict_model(net, data, val_idx)["vol"].astype(float)
            ratio = float(np.mean(data.vol[val_idx] ** 2 / np.maximum(f, 1e-8) ** 2))
            with torch.no_grad():
                net.out.logvol_mean += 0.5 * np.log(ratio)
            self.vol_scale_ = float(np.sqrt(ratio))
        self.model_ = net
        self.device_ = dev
        self.scaling_ = scale
        self.history_ = pd.DataFrame(rows)
        self.best_epoch_ = best_epoch
        self.best_val_loss_ = float(best)
        self.feature_names_ = tuple(data.feature_names)
        self.window_ = int(data.window)
        self.horizon_ = int(data.horizon)
        self.n_train_ = int(len(fit_idx))
        return self

    def _checkpoint(self, state: dict) -> None:
        if self.checkpoint_dir is None:
            return
        from workbench.data.atomic import atomic_write_bytes

        buf = io.BytesIO()
        torch.save(state, buf)
        atomic_write_bytes(Path(self.checkpoint_dir) / "best.pt", buf.getvalue())

    # -- prediction ----------------------------------------------------------------------
    def predict(self, data: ForecastData, idx) -> Forecast:
        """Forecasts for samples ``idx``: ``ret``, ``vol`` (natural units), ``proba``."""
        if not hasattr(self, "model_"):
            raise NotFittedError("call fit() first")
        return predict_model(self.model_, data, idx)


def predict_model(net, data: ForecastData, idx, batch: int = 4096) -> Forecast:
    """Run a fitted network over samples ``idx`` on the CPU."""
    idx = np.asarray(idx)
    out = {"ret": [], "vol": [], "proba": []}
    net.eval()
    with torch.no_grad():
        for start in range(0, len(idx), batch):
            x = torch.from_numpy(data.windows(idx[start:start + batch]).astype(np.float32))
            r, v, logits = net(x)
            out["ret"].append(r.numpy())
            out["vol"].append(v.numpy())
            out["proba"].append(torch.softmax(logits, dim=-1).numpy())
    return Forecast({k: (np.concatenate(v) if v else np.zeros((0, 3) if k == "proba" else 0))
                     for k, v in out.items()})
