"""ONNX export of a trained forecasting network, and its onnxruntime runner.

The artifact the prediction service loads is a directory with two files:

``model.onnx``
    One input ``x``: float32, shape ``(batch, window, n_features)`` (``batch`` dynamic), the
    *raw* per-session features of :mod:`workbench.forecast.dataset` in ``feature_names``
    order, oldest session first, the decision date last. Standardization with the training
    fold's statistics happens inside the graph. Three outputs: ``ret`` (batch,) forecast log
    return over ``horizon`` sessions; ``vol`` (batch,) forecast realized daily volatility over
    the horizon; ``logits`` (batch, 3) direction scores for ``directions`` (softmax them).
``schema.json``
    ``{"format": "workbench-forecast-onnx", "version": 1, "model", "horizon", "window",
    "flat_band", "feature_names", "directions", "inputs", "outputs", "scaler", "opset",
    "onnx_sha256", "created"}``; ``scaler`` holds ``x_mean``/``x_std`` (per feature) and the
    target scales, with ``"applied_in_graph": true`` (informational: do not scale again).
    ``onnx_sha256`` lets a loader check the pair belongs together.

Files are written atomically. :func:`check_parity` compares onnxruntime with torch eager.
"""

from __future__ import annotations

import hashlib
import io
import json
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import torch

from workbench.data.atomic import atomic_write_bytes, atomic_write_text
from workbench.exceptions import WorkbenchError

__all__ = ["SCHEMA_FORMAT", "export_onnx", "OnnxForecaster", "check_parity", "build_schema"]

SCHEMA_FORMAT = "workbench-forecast-onnx"
OPSET = 17


class _Wrapped(torch.nn.Module):
    """Natural-unit outputs as a plain tuple (what the exporter traces)."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        r, v, logits = self.net(x)
        return r, v, logits


def build_schema(net, *, model: str, feature_names, window: int, horizon: int,
                 flat_band: float) -> dict:
    h = net.out
    return {
        "format": SCHEMA_FORMAT, "version": 1, "model": model, "horizon": int(horizon),
        "window": int(window), "flat_band": float(flat_band),
        "feature_names": list(feature_names), "directions": ["down", "flat", "up"],
        "inputs": {"x": {"dtype": "float32", "shape": ["batch", int(window),
                                                       len(feature_names)]}},
        "outputs": {"ret": {"dtype": "float32", "shape": ["batch"], "unit": "log return"},
                    "vol": {"dtype": "float32", "shape": ["batch"],
                            "unit": "daily realized volatility"},
                    "logits": {"dtype": "float32", "shape": ["batch", 3]}},
        "scaler": {"applied_in_graph": True, "x_mean": h.x_mean.tolist(),
                   "x_std": h.x_std.tolist(), "ret_mean": float(h.ret_mean),
                   "ret_std": float(h.ret_std), "logvol_mean": float(h.logvol_mean),
                   "logvol_std": float(h.logvol_std)},
        "opset": OPSET,
    }


def export_onnx(net, out_dir: str | Path, *, model: str, feature_names, window: int,
                horizon: int, flat_band: float) -> Path:
    """Export ``net`` (a fitted network) to ``out_dir/model.onnx`` + ``schema.json``.

    Returns the directory. The batch dimension is dynamic.
    """
    out_dir = Path(out_dir)
    net = net.cpu().eval()
    dummy = torch.zeros(2, int(window), len(feature_names))
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(_Wrapped(net), (dummy,), buf, input_names=["x"],
                          output_names=["ret", "vol", "logits"], opset_version=OPSET,
                          dynamic_axes={"x": {0: "batch"}, "ret": {0: "batch"},
                                        "vol": {0: "batch"}, "logits": {0: "batch"}},
                          dynamo=False)
    data = buf.getvalue()
    schema = build_schema(net, model=model, feature_names=feature_names, window=window,
                          horizon=horizon, flat_band=flat_band)
    schema["onnx_sha256"] = hashlib.sha256(data).hexdigest()
    schema["created"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    atomic_write_bytes(out_dir / "model.onnx", data)
    atomic_write_text(out_dir / "schema.json", json.dumps(schema, indent=1))
    return out_dir


@dataclass
class OnnxForecaster:
    """An exported forecaster run with onnxruntime (CPU, one intra-op thread by default)."""

    path: Path
    threads: int = 1

    def __post_init__(self):
        import onnxruntime as ort

        self.path = Path(self.path)
        self.schema = json.loads((self.path / "schema.json").read_text(encoding="utf-8"))
        if self.schema.get("format") != SCHEMA_FORMAT:
            raise WorkbenchError(f"{self.path}: not a {SCHEMA_FORMAT} artifact")
        data = (self.path / "model.onnx").read_bytes()
        if hashlib.sha256(data).hexdigest() != self.schema.get("onnx_sha256"):
            raise WorkbenchError(f"{self.path}: model.onnx does not match schema.json")
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = int(self.threads)
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(data, opts, providers=["CPUExecutionProvider"])

    def run(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(ret, vol, logits)`` for raw windows ``x`` (batch, window, features)."""
        x = np.ascontiguousarray(x, dtype=np.float32)
        w, f = self.schema["inputs"]["x"]["shape"][1:]
        if x.ndim != 3 or x.shape[1:] != (w, f):
            raise WorkbenchError(f"input must have shape (batch, {w}, {f}), got {x.shape}")
        r, v, logits = self.session.run(["ret", "vol", "logits"], {"x": x})
        return r, v, logits


def check_parity(net, runner: OnnxForecaster, x: np.ndarray) -> dict[str, float]:
    """Largest absolute difference of each head between onnxruntime and torch eager."""
    net = net.cpu().eval()
    with torch.no_grad():
        ref = [t.numpy() for t in net(torch.from_numpy(np.asarray(x, dtype=np.float32)))]
    got = runner.run(x)
    return {name: float(np.max(np.abs(a - b))) if a.size else 0.0
            for name, a, b in zip(("ret", "vol", "logits"), ref, got, strict=True)}
