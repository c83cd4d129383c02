"""The autoencoder of :class:`~workbench.anomalies.AnomalyDetector`: network, trainer, error.

The ``nn.Module`` holds only the network; :func:`train_autoencoder` owns the loop (full-batch
Adam, mean squared error, fixed epochs). Uses the GPU when ``torch.cuda.is_available()``;
on CPU it runs single-threaded so that results are bit-for-bit reproducible.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

__all__ = ["Autoencoder", "train_autoencoder", "reconstruction_error"]


class Autoencoder(nn.Module):
    """``d -> 2h -> h -> 2h -> d`` with tanh activations."""

    def __init__(self, n_features: int, hidden: int = 4):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(n_features, 2 * hidden), nn.Tanh(),
                                     nn.Linear(2 * hidden, hidden), nn.Tanh())
        self.decoder = nn.Sequential(nn.Linear(hidden, 2 * hidden), nn.Tanh(),
                                     nn.Linear(2 * hidden, n_features))

    def forward(self, x):
        return self.decoder(self.encoder(x))


def _device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def train_autoencoder(model: Autoencoder, x: np.ndarray, *, epochs: int = 300,
                      lr: float = 1e-2, seed: int = 0) -> Autoencoder:
    """Fit ``model`` to reconstruct ``x`` (rows x features, standardized)."""
    dev = _device()
    threads = torch.get_num_threads()
    if dev.type == "cpu":
        torch.set_num_threads(1)
    try:
        torch.manual_seed(seed)
        model.to(dev).train()
        data = torch.as_tensor(x, dtype=torch.float32, device=dev)
        opt = torch.optim.Adam(model.parameters(), lr=lr)
        for _ in range(int(epochs)):
            opt.zero_grad()
            loss = ((model(data) - data) ** 2).mean()
            loss.backward()
            opt.step()
        model.eval()
    finally:
        torch.set_num_threads(threads)
    return model


def reconstruction_error(model: Autoencoder, x: np.ndarray) -> np.ndarray:
    """Mean squared reconstruction error per row."""
    dev = next(model.parameters()).device
    with torch.no_grad():
        data = torch.as_tensor(x, dtype=torch.float32, device=dev)
        err = ((model(data) - data) ** 2).mean(dim=1)
    return err.cpu().numpy().astype(float)
