"""MatchModel(ensemble=k): k networks averaged inside one Keras model."""

from __future__ import annotations

import numpy as np
import pytest

from footy.errors import BadInputError
from footy.inference import NumpyNetwork
from footy.model import MatchModel, load_model


def rows(n: int = 300, seed: int = 4) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 6)) * np.linspace(0.5, 4.0, 6)
    score = X[:, 0] - X[:, 3] / 4 + rng.normal(size=n)
    return X, np.where(score > 0.7, 0, np.where(score < -0.7, 2, 1))


def test_an_ensemble_averages_its_members_and_saves_as_one_file(tmp_path):
    X, y = rows()
    model = MatchModel(hidden=(8, 4), epochs=3, batch_size=64, ensemble=3, seed=1).fit(X, y)
    network = model.model_
    members = [network.get_layer(f"member_{m}_outcome").output for m in range(3)]
    keras_members = type(network)(network.inputs, members)
    by_member = np.stack([np.asarray(p) for p in keras_members.predict(X, verbose=0)])
    probs = model.predict_proba(X)
    np.testing.assert_allclose(probs, by_member.mean(axis=0), atol=1e-6)
    # Members start from different weights, so they disagree.
    assert np.abs(by_member[0] - by_member[1]).max() > 1e-3
    assert model.get_params()["ensemble"] == 3

    path = model.save(tmp_path / "ensemble.keras")
    np.testing.assert_allclose(NumpyNetwork.load(path).predict_proba(X), probs, atol=1e-6, rtol=0)
    reloaded = load_model(path)
    assert reloaded.ensemble == 3
    np.testing.assert_allclose(reloaded.predict_proba(X), probs, atol=1e-6)


def test_ensemble_of_one_is_the_plain_network():
    X, y = rows(120)
    model = MatchModel(hidden=(4,), epochs=1, ensemble=1, seed=0).fit(X, y)
    assert [layer.name for layer in model.model_.layers][-1] == "outcome"
    assert not any(layer.name.startswith("member_") for layer in model.model_.layers)


@pytest.mark.parametrize("bad", [0, -2, 1.5])
def test_bad_ensemble_size(bad):
    X, y = rows(60)
    with pytest.raises(BadInputError, match="ensemble"):
        MatchModel(hidden=(4,), epochs=1, ensemble=bad).fit(X, y)


def test_numpy_runs_merge_layers_as_keras_does(tmp_path):
    from footy.model import import_keras

    keras = import_keras()
    keras.utils.set_random_seed(0)
    inputs = keras.Input(shape=(6,), name="features")
    a = keras.layers.Dense(5, activation="tanh")(inputs)
    b = keras.layers.Dense(5, activation="relu")(inputs)
    joined = keras.layers.Concatenate()([keras.layers.Add()([a, b]), a])
    c = keras.layers.Dense(3, activation="softmax")(joined)
    d = keras.layers.Dense(3, activation="softmax")(b)
    network = keras.Model(inputs, keras.layers.Average()([c, d]))
    path = tmp_path / "merge.keras"
    network.save(path)
    X, _ = rows(50)
    expected = np.asarray(network.predict(X, verbose=0), dtype=float)
    got = NumpyNetwork.load(path, require_sidecar=False).forward(X)
    np.testing.assert_allclose(got, expected, atol=1e-6, rtol=0)


def test_a_config_file_asks_train_model_for_an_ensemble(tmp_path):
    import json

    from conftest import synthetic_league

    from footy.training import read_config, train_model

    path = tmp_path / "config.json"
    path.write_text(json.dumps({"ensemble": 2, "feature_set": ["seed", "goals"]}))
    settings = read_config(path)
    assert settings == {"ensemble": 2, "feature_set": ["seed", "goals"]}
    feature_set = settings.pop("feature_set")
    table = synthetic_league(list("ABCD"), matches=120, seed=5)
    model, sidecar = train_model(
        table, feature_set=feature_set, epochs=1, hidden=(4,), seed=0, **settings
    )
    assert model.ensemble == 2 and sidecar["feature_set"] == ["seed", "goals"]
    assert model.predict_proba(np.zeros((1, len(model.feature_names_)))).shape == (1, 3)
