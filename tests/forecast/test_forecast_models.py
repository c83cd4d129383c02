"""The networks' outputs, the trainer's determinism and scaling, and ONNX parity."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from workbench.forecast.export import OnnxForecaster, check_parity, export_onnx
from workbench.forecast.folds import PurgedWalkForward
from workbench.forecast.models import MultiTaskLoss, build_model
from workbench.forecast.trainer import ForecastTrainer

TINY = {"hidden": 8, "heads": 2, "max_epochs": 3, "patience": 2, "batch_size": 256}


@pytest.mark.parametrize("kind", ["lstm", "transformer"])
def test_shapes_and_positive_vol(kind):
    torch.manual_seed(0)
    net = build_model(kind, 6, hidden=8, heads=2).eval()
    r, v, logits = net(torch.randn(5, 12, 6))
    assert r.shape == (5,) and v.shape == (5,) and logits.shape == (5, 3)
    assert (v > 0).all()
    loss, parts = MultiTaskLoss(1.0, 2.0, 0.5)(net.forward_raw(torch.randn(5, 12, 6)),
                                               torch.zeros(5), torch.zeros(5),
                                               torch.zeros(5, dtype=torch.long))
    assert float(loss.detach()) == pytest.approx(parts[0] + 2.0 * parts[1] + 0.5 * parts[2], rel=1e-5)


@pytest.fixture(scope="module")
def fitted(small_data, tmp_path_factory):
    tr, te = next(iter(PurgedWalkForward(2, purge=5, test_fraction=0.3).split(small_data.dates)))
    ck = tmp_path_factory.mktemp("ckpt")
    a = ForecastTrainer(**TINY, random_state=3, checkpoint_dir=ck).fit(small_data, tr)
    return a, tr, te, ck


def test_trainer_is_deterministic(fitted, small_data):
    a, tr, te, _ = fitted
    b = ForecastTrainer(**TINY, random_state=3).fit(small_data, tr)
    for (k, x), (_, y) in zip(a.model_.state_dict().items(), b.model_.state_dict().items(),
                              strict=True):
        assert torch.equal(x, y), k
    pa, pb = a.predict(small_data, te), b.predict(small_data, te)
    np.testing.assert_array_equal(pa["proba"], pb["proba"])
    c = ForecastTrainer(**TINY, random_state=4).fit(small_data, tr)
    assert not np.array_equal(c.predict(small_data, te)["ret"], pa["ret"])


def test_trainer_history_checkpoint_and_scaling(fitted, small_data):
    a, tr, te, ck = fitted
    h = a.history_
    assert list(h["epoch"]) == list(range(1, len(h) + 1)) and len(h) <= TINY["max_epochs"]
    assert a.best_val_loss_ == pytest.approx(h["val_loss"].min())
    assert (ck / "best.pt").exists()
    # scaling statistics come from the fitting samples only (a subset of the training fold)
    assert a.n_train_ < len(tr)
    assert float(a.model_.out.ret_std) == pytest.approx(a.scaling_["ret_std"], rel=1e-6)
    assert a.scaling_["ret_std"] != pytest.approx(float(np.std(small_data.ret[te])), rel=1e-3)
    f = a.predict(small_data, te)
    assert f["proba"].shape == (len(te), 3)
    np.testing.assert_allclose(f["proba"].sum(axis=1), 1.0, atol=1e-5)


@pytest.mark.parametrize("kind", ["lstm", "transformer"])
def test_onnx_parity_every_head(kind, small_data, tmp_path):
    tr, te = next(iter(PurgedWalkForward(2, purge=5, test_fraction=0.3).split(small_data.dates)))
    t = ForecastTrainer(**{**TINY, "max_epochs": 1}, model=kind, random_state=1).fit(
        small_data, tr)
    out = export_onnx(t.model_, tmp_path / "onnx", model=kind,
                      feature_names=small_data.feature_names, window=small_data.window,
                      horizon=small_data.horizon, flat_band=small_data.flat_band)
    runner = OnnxForecaster(out)
    assert runner.schema["feature_names"] == list(small_data.feature_names)
    assert runner.schema["scaler"]["applied_in_graph"] is True
    for n in (1, 37, 256):                         # dynamic batch
        diff = check_parity(t.model_, runner, small_data.windows(te[:n]))
        assert set(diff) == {"ret", "vol", "logits"}
        assert max(diff.values()) <= 1e-5, diff


def test_onnx_rejects_mismatched_pair(small_data, tmp_path):
    net = build_model("lstm", len(small_data.feature_names), hidden=4, heads=1)
    out = export_onnx(net, tmp_path, model="lstm", feature_names=small_data.feature_names,
                      window=5, horizon=5, flat_band=0.005)
    (out / "model.onnx").write_bytes((out / "model.onnx").read_bytes() + b"x")
    from workbench.exceptions import WorkbenchError

    with pytest.raises(WorkbenchError, match="does not match"):
        OnnxForecaster(out)
