"""A small policy-gradient allocation agent (torch), trained walk-forward.

The policy scores each selected ticker from its own trailing state (returns over 5, 21 and 63
sessions, volatility over 21 and 63, all cross-sectionally standardized at the decision
date) with a small two-layer network, and allocates by a softmax over the selected names
(long-only, fully invested). It is trained by *direct* policy gradient (Moody and Saffell's
direct reinforcement): the reward of an allocation decided at the close of ``s`` is the
portfolio's simple return over the next ``hold`` sessions, and the parameters ascend the
gradient of the Sharpe ratio of those rewards over the training decision dates, minus a
penalty on concentration. Rewards are differentiable in the weights, so no value function or
sampling is needed.

Walk-forward: at each refit date ``T`` the policy is retrained (from its previous weights)
on decision dates ``s`` with ``s + hold <= T`` in the trailing ``train_window`` sessions, so
every reward it learns from was observable at ``T``.

References
----------
Moody, J. and Saffell, M. (2001). Learning to trade via direct reinforcement. IEEE Trans.
Neural Networks 12(4), 875-889. doi:10.1109/72.935097
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

__all__ = ["PolicyGradientAllocator", "state_features", "FEATURES"]

FEATURES = ("ret_5", "ret_21", "ret_63", "vol_21", "vol_63")


def state_features(returns: np.ndarray) -> np.ndarray:
    """(sessions, tickers, 5) trailing state known at each close (NaN where too short)."""
    r = np.asarray(returns, dtype=float)
    lr = np.log1p(np.nan_to_num(r))
    cum = np.vstack([np.zeros((1, r.shape[1])), np.cumsum(lr, axis=0)])
    sq = np.vstack([np.zeros((1, r.shape[1])), np.cumsum(lr ** 2, axis=0)])
    T = r.shape[0]
    out = np.full((T, r.shape[1], len(FEATURES)), np.nan)
    for j, w in enumerate((5, 21, 63)):
        out[w:, :, j] = (cum[w + 1:] - cum[1:-w])
    for j, w in zip((3, 4), (21, 63), strict=True):
        m = (cum[w + 1:] - cum[1:-w]) / w
        out[w:, :, j] = np.sqrt(np.maximum((sq[w + 1:] - sq[1:-w]) / w - m ** 2, 0.0))
    return out


def _standardize(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Cross-sectional z-scores over the masked names of each date (0 elsewhere)."""
    import warnings

    z = np.where(mask[..., None], np.nan_to_num(x), np.nan)
    with warnings.catch_warnings():            # dates with no selected name stay all-NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        mu = np.nanmean(z, axis=1, keepdims=True)
        sd = np.nanstd(z, axis=1, keepdims=True)
    out = (z - mu) / np.where(sd > 1e-12, sd, 1.0)
    return np.nan_to_num(out)


class _Policy(nn.Module):
    def __init__(self, n_in: int, hidden: int):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(n_in, hidden), nn.Tanh(), nn.Linear(hidden, 1))

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        score = self.net(x).squeeze(-1)
        score = score.masked_fill(~mask, -1e9)
        w = torch.softmax(score, dim=-1)
        return w * mask


class PolicyGradientAllocator:
    """Walk-forward direct-reinforcement allocator (scikit-learn style).

    Parameters
    ----------
    hold : int
        Sessions an allocation is held (the reward horizon; the rebalancing period).
    refit_every : int
        Sessions between retrainings.
    train_window : int
        Trailing sessions of decision dates used at each refit.
    hidden : int
    lr : float
    steps : int
        Adam steps per refit.
    concentration_penalty : float
        Weight of the Herfindahl index of the weights in the loss.
    random_state : int
    """

    def __init__(self, hold: int = 21, refit_every: int = 126, train_window: int = 504,
                 hidden: int = 8, lr: float = 1e-2, steps: int = 150,
                 concentration_penalty: float = 0.05, random_state: int = 0):
        self.hold = hold
        self.refit_every = refit_every
        self.train_window = train_window
        self.hidden = hidden
        self.lr = lr
        self.steps = steps
        self.concentration_penalty = concentration_penalty
        self.random_state = random_state

    def _train(self, policy, opt, X, M, fwd, rows) -> float:
        x = torch.from_numpy(X[rows]).float()
        m = torch.from_numpy(M[rows])
        f = torch.from_numpy(np.nan_to_num(fwd[rows])).float()
        loss = torch.tensor(0.0)
        for _ in range(int(self.steps)):
            w = policy(x, m)
            reward = (w * f).sum(dim=-1)
            sharpe = reward.mean() / (reward.std() + 1e-6)
            loss = -sharpe + self.concentration_penalty * (w ** 2).sum(dim=-1).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
        return float(loss.detach())

    def allocate(self, returns: np.ndarray, selected: np.ndarray,
                 decision_rows: np.ndarray) -> np.ndarray:
        """Weights (len(decision_rows), tickers) decided at each decision row.

        ``returns`` (sessions, tickers) are simple close-to-close returns; ``selected`` a
        boolean mask of the names allowed at each session. Before the first training date
        (too little history) the agent holds equal weights over the selection.
        """
        from workbench.forecast.trainer import set_determinism

        set_determinism(int(self.random_state))
        r = np.nan_to_num(np.asarray(returns, dtype=float))
        T, k = r.shape
        feats = state_features(r)
        mask = np.asarray(selected, dtype=bool) & ~np.isnan(feats).any(axis=2)
        X = _standardize(feats, mask).astype(np.float32)
        growth = np.vstack([np.ones((1, k)), np.cumprod(1.0 + r, axis=0)])
        fwd = np.full((T, k), np.nan)
        h = int(self.hold)
        fwd[: T - h] = growth[h + 1:] / growth[1: T - h + 1] - 1.0   # sessions s+1..s+h
        policy = _Policy(len(FEATURES), int(self.hidden))
        opt = torch.optim.Adam(policy.parameters(), lr=float(self.lr))
        out = np.zeros((len(decision_rows), k))
        trained_at = None
        self.losses_ = []
        for i, t in enumerate(np.asarray(decision_rows, dtype=int)):
            if trained_at is None or t - trained_at >= int(self.refit_every):
                last = t - h                                  # reward of s known at s + h <= t
                rows = np.arange(max(63, last - int(self.train_window)), last + 1)
                rows = rows[mask[rows].sum(axis=1) >= 2]
                if len(rows) >= 20:
                    self.losses_.append((int(t), self._train(policy, opt, X, mask, fwd, rows)))
                    trained_at = t
            m = mask[t]
            if not m.any():
                continue
            if trained_at is None:
                out[i, m] = 1.0 / m.sum()
                continue
            with torch.no_grad():
                w = policy(torch.from_numpy(X[t][None]), torch.from_numpy(m[None]))
            out[i] = w.numpy()[0]
        return out
