"""The numpy forward pass gives what Keras gives, without importing TensorFlow."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from footy.errors import BadInputError, FootyError
from footy.inference import NumpyNetwork
from footy.model import MatchModel, import_keras

ROOT = Path(__file__).resolve().parent.parent


def test_import_does_not_load_tensorflow():
    code = (
        "import sys, footy.inference, footy.model; "
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def rows(n: int = 400, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    # Features on different scales, so the Normalization layer matters.
    X = rng.normal(size=(n, 12)) * np.linspace(0.1, 5.0, 12) + np.linspace(-3, 3, 12)
    score = X[:, 0] / 0.1 - (X[:, 6] - 0.27) / 2.8 + rng.normal(size=n)
    y = np.where(score > 1.5, 0, np.where(score < -0.5, 2, 1))
    return X, y


@pytest.mark.parametrize(
    ("hidden", "activation", "dropout"),
    [
        ((16,), "relu", 0.0),
        ((16, 8), "tanh", 0.2),
        ((8, 8), "gelu", 0.1),
        ((12,), "selu", 0.0),
        ((8, 4), "swish", 0.0),
        ((8,), "elu", 0.3),
        ((6,), "sigmoid", 0.0),
    ],
)
def test_numpy_matches_keras(tmp_path, hidden, activation, dropout):
    X, y = rows()
    model = MatchModel(
        hidden=hidden, activation=activation, dropout=dropout, epochs=3, batch_size=64, seed=3
    ).fit(X, y)
    path = model.save(tmp_path / "m.keras")
    network = NumpyNetwork.load(path)
    probs = network.predict_proba(X)
    assert probs.shape == (len(X), 3) and probs.dtype == np.float64
    np.testing.assert_allclose(probs, model.predict_proba(X), atol=1e-6, rtol=0)
    assert network.feature_names == model.feature_names_


def test_wrong_width_and_bad_files(tmp_path):
    X, y = rows(200)
    path = MatchModel(hidden=(4,), epochs=1, seed=0).fit(X, y).save(tmp_path / "m.keras")
    network = NumpyNetwork.load(path)
    with pytest.raises(BadInputError, match="12 features"):
        network.predict_proba(X[:, :5])
    path.with_suffix(".json").unlink()
    with pytest.raises(BadInputError, match="sidecar"):
        NumpyNetwork.load(path)
    assert NumpyNetwork.load(path, require_sidecar=False).predict_proba(X).shape == (200, 3)
    with pytest.raises(BadInputError, match="does not exist"):
        NumpyNetwork.load(tmp_path / "nope.keras")


def test_unknown_layer_is_a_clear_error(tmp_path):
    keras = import_keras()
    inputs = keras.Input(shape=(4,))
    x = keras.layers.BatchNormalization()(inputs)
    network = keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(x))
    path = tmp_path / "bn.keras"
    network.save(path)
    with pytest.raises(FootyError, match=r"BatchNormalization.*not support"):
        NumpyNetwork.load(path, require_sidecar=False)


def test_unknown_activation_is_a_clear_error(tmp_path):
    keras = import_keras()
    inputs = keras.Input(shape=(4,))
    network = keras.Model(inputs, keras.layers.Dense(3, activation="mish")(inputs))
    path = tmp_path / "mish.keras"
    network.save(path)
    with pytest.raises(FootyError, match="'mish'"):
        NumpyNetwork.load(path, require_sidecar=False)
