"""Multitask forecasting networks (torch): one encoder, three heads.

Both networks take a batch of windows ``x`` of shape ``(batch, window, features)`` in raw
feature units and return a tuple ``(ret, vol, logits)``:

- ``ret`` (batch,): forecast log return over the horizon;
- ``vol`` (batch,): forecast realized daily volatility over the horizon, positive
  (``exp`` of a log-volatility head);
- ``logits`` (batch, 3): direction scores for down / flat / up (softmax for probabilities).

Input standardization and target scales are buffers of the module (``x_mean``, ``x_std``,
``ret_mean``, ``ret_std``, ``logvol_mean``, ``logvol_std``) set by the trainer from the
training fold only (:meth:`set_scaling`), so an exported model (ONNX) takes raw features and
returns natural units. :meth:`forward_raw` returns the standardized outputs the loss uses.

The modules hold the network only; :class:`~workbench.forecast.trainer.ForecastTrainer` owns
the loop, optimizer, early stopping and checkpoints.
"""

from __future__ import annotations

import math

import torch
from torch import nn

__all__ = ["TradingLSTM", "TradingTransformer", "MultiTaskLoss", "build_model", "MODELS"]


class _Heads(nn.Module):
    """Return, log-volatility and direction heads plus the scaling buffers."""

    def __init__(self, n_features: int, width: int, dropout: float):
        super().__init__()
        self.ret_head = nn.Sequential(nn.Dropout(dropout), nn.Linear(width, 1))
        self.vol_head = nn.Sequential(nn.Dropout(dropout), nn.Linear(width, 1))
        self.dir_head = nn.Sequential(nn.Dropout(dropout), nn.Linear(width, 3))
        for name in ("x_mean", "x_std"):
            self.register_buffer(name, torch.zeros(n_features) if name == "x_mean"
                                 else torch.ones(n_features))
        for name, value in (("ret_mean", 0.0), ("ret_std", 1.0), ("logvol_mean", 0.0),
                            ("logvol_std", 1.0)):
            self.register_buffer(name, torch.tensor(value))

    def heads(self, z: torch.Tensor):
        return self.ret_head(z).squeeze(-1), self.vol_head(z).squeeze(-1), self.dir_head(z)


class _Base(nn.Module):
    def set_scaling(self, x_mean, x_std, ret_mean, ret_std, logvol_mean, logvol_std) -> None:
        """Copy training-fold statistics into the buffers (standard deviations floored)."""
        h = self.out
        with torch.no_grad():
            h.x_mean.copy_(torch.as_tensor(x_mean, dtype=torch.float32))
            h.x_std.copy_(torch.clamp(torch.as_tensor(x_std, dtype=torch.float32), min=1e-6))
            h.ret_mean.fill_(float(ret_mean))
            h.ret_std.fill_(max(float(ret_std), 1e-8))
            h.logvol_mean.fill_(float(logvol_mean))
            h.logvol_std.fill_(max(float(logvol_std), 1e-8))

    def encode(self, x: torch.Tensor) -> torch.Tensor:  # pragma: no cover - abstract
        raise NotImplementedError

    def forward_raw(self, x: torch.Tensor):
        """Standardized outputs ``(ret_z, logvol_z, logits)`` (what the loss compares)."""
        x = (x - self.out.x_mean) / self.out.x_std
        return self.out.heads(self.encode(x))

    def forward(self, x: torch.Tensor):
        rz, vz, logits = self.forward_raw(x)
        h = self.out
        return (rz * h.ret_std + h.ret_mean, torch.exp(vz * h.logvol_std + h.logvol_mean),
                logits)


class TradingLSTM(_Base):
    """Bidirectional LSTM, multi-head self-attention over its outputs, three heads.

    Parameters
    ----------
    n_features : int
    hidden : int
        LSTM units per direction (the attention width is ``2 * hidden``).
    layers : int
    heads : int
        Attention heads; must divide ``2 * hidden``.
    dropout : float
    """

    def __init__(self, n_features: int, hidden: int = 32, layers: int = 1, heads: int = 2,
                 dropout: float = 0.1):
        super().__init__()
        width = 2 * hidden
        if width % heads:
            raise ValueError(f"heads={heads} must divide 2*hidden={width}")
        self.lstm = nn.LSTM(n_features, hidden, num_layers=layers, batch_first=True,
                            bidirectional=True, dropout=dropout if layers > 1 else 0.0)
        self.attn = nn.MultiheadAttention(width, heads, dropout=dropout, batch_first=True)
        self.norm = nn.LayerNorm(width)
        self.out = _Heads(n_features, 2 * width, dropout)

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        h, _ = self.lstm(x)
        a, _ = self.attn(h, h, h, need_weights=False)
        a = self.norm(h + a)
        # the last step (most recent session) and the mean over the window
        return torch.cat([a[:, -1], a.mean(dim=1)], dim=-1)


class _Positional(nn.Module):
    def __init__(self, width: int, max_len: int = 512):
        super().__init__()
        pos = torch.arange(max_len).unsqueeze(1)
        div = torch.exp(torch.arange(0, width, 2) * (-math.log(10000.0) / width))
        pe = torch.zeros(max_len, width)
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div)[:, : width // 2]
        self.register_buffer("pe", pe)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.pe[: x.shape[1]]


class TradingTransformer(_Base):
    """Small encoder-only Transformer with the same three heads (for comparison).

    Parameters
    ----------
    n_features : int
    hidden : int
        Model width ``d_model``; must be divisible by ``heads``.
    layers, heads : int
    dropout : float
    """

    def __init__(self, n_features: int, hidden: int = 32, layers: int = 1, heads: int = 2,
                 dropout: float = 0.1):
        super().__init__()
        if hidden % heads:
            raise ValueError(f"heads={heads} must divide hidden={hidden}")
        self.embed = nn.Linear(n_features, hidden)
        self.pos = _Positional(hidden)
        layer = nn.TransformerEncoderLayer(hidden, heads, dim_feedforward=2 * hidden,
                                           dropout=dropout, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.out = _Heads(n_features, 2 * hidden, dropout)

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        h = self.encoder(self.pos(self.embed(x)))
        return torch.cat([h[:, -1], h.mean(dim=1)], dim=-1)


MODELS = {"lstm": TradingLSTM, "transformer": TradingTransformer}


def build_model(kind: str, n_features: int, **params) -> _Base:
    """``TradingLSTM`` (``kind="lstm"``) or ``TradingTransformer`` (``"transformer"``)."""
    if kind not in MODELS:
        raise ValueError(f"model must be one of {sorted(MODELS)}, not {kind!r}")
    return MODELS[kind](n_features, **params)


class MultiTaskLoss(nn.Module):
    """Weighted sum of the three task losses on standardized targets.

    ``w_ret * MSE(ret_z) + w_vol * MSE(logvol_z) + w_dir * CrossEntropy(direction)``; the
    volatility loss on the log scale is the Gaussian QML of log-volatility.
    """

    def __init__(self, w_ret: float = 1.0, w_vol: float = 1.0, w_dir: float = 1.0):
        super().__init__()
        self.w_ret, self.w_vol, self.w_dir = float(w_ret), float(w_vol), float(w_dir)
        self.ce = nn.CrossEntropyLoss()

    def forward(self, outputs, ret_z, logvol_z, direction):
        rz, vz, logits = outputs
        parts = (nn.functional.mse_loss(rz, ret_z), nn.functional.mse_loss(vz, logvol_z),
                 self.ce(logits, direction))
        total = self.w_ret * parts[0] + self.w_vol * parts[1] + self.w_dir * parts[2]
        return total, tuple(float(p.detach()) for p in parts)
