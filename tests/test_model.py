"""MatchModel: the estimator contract, a sanity check on a synthetic league, saving."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pandas as pd
import pytest
from conftest import assert_real_picture

from footy.errors import BadInputError, FootyError
from footy.model import MatchModel, load_h5, load_json_weights, load_model
from footy.outcomes import score_table
from footy.plots.training import plot_training

FEATURES = [f"{side}_{name}" for side in ("home", "away") for name in ("strength", "form", "noise")]


def synthetic_league(n: int = 600, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Matches in time order where the stronger side usually wins.

    Each match pairs two of 20 teams with fixed strengths; the features are noisy
    views of each side's strength plus pure noise, and the outcome comes from the
    strength difference (plus a small home edge) through an ordered logit.
    """
    rng = np.random.default_rng(seed)
    strength = np.linspace(-1.5, 1.5, 20)
    home, away = rng.integers(0, 20, n), rng.integers(0, 20, n)
    away = np.where(home == away, (away + 1) % 20, away)
    X = pd.DataFrame(
        {
            "home_strength": strength[home] + rng.normal(0, 0.2, n),
            "home_form": strength[home] + rng.normal(0, 0.8, n),
            "home_noise": rng.normal(0, 1, n),
            "away_strength": strength[away] + rng.normal(0, 0.2, n),
            "away_form": strength[away] + rng.normal(0, 0.8, n),
            "away_noise": rng.normal(0, 1, n),
        }
    )
    diff = 2.0 * (strength[home] - strength[away]) + 0.3 + rng.logistic(size=n)
    y = np.where(diff > 0.6, 0, np.where(diff < -0.6, 2, 1))
    return X, y


SMALL = dict(hidden=(16, 8), epochs=30, batch_size=64, patience=5, seed=0)


@pytest.fixture(scope="module")
def league():
    return synthetic_league()


@pytest.fixture(scope="module")
def fitted(league):
    X, y = league
    return MatchModel(**SMALL).fit(X, y)


def test_init_stores_hyper_parameters_only():
    model = MatchModel(hidden=(8,), dropout=0.1)
    assert model.get_params()["hidden"] == [8]
    assert not [k for k in vars(model) if k.endswith("_")]


def test_predict_before_fit_says_what_to_do():
    with pytest.raises(FootyError, match=r"not fitted yet: call fit\(\) first"):
        MatchModel().predict_proba(np.zeros((2, 6)))


def test_probabilities_are_softmax_rows(fitted, league):
    X, _ = league
    probs = fitted.predict_proba(X)
    assert probs.shape == (len(X), 3)
    assert probs.dtype == np.float64
    assert np.all(probs >= 0)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-12)


def test_stronger_side_gets_higher_win_probability(fitted):
    strong = {"strength": 1.4, "form": 1.4, "noise": 0.0}
    weak = {"strength": -1.4, "form": -1.4, "noise": 0.0}
    rows = pd.DataFrame(
        [
            {
                **{f"home_{k}": v for k, v in strong.items()},
                **{f"away_{k}": v for k, v in weak.items()},
            },
            {
                **{f"home_{k}": v for k, v in weak.items()},
                **{f"away_{k}": v for k, v in strong.items()},
            },
        ]
    )
    probs = fitted.predict_proba(rows)
    assert probs[0, 0] > probs[0, 2] + 0.3  # strong at home beats weak
    assert probs[1, 2] > probs[1, 0] + 0.3  # strong away beats weak


def test_learned_state_history_and_metrics(fitted, league):
    X, y = league
    assert fitted.feature_names_ == FEATURES
    assert set(fitted.history_) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    lengths = {len(v) for v in fitted.history_.values()}
    assert len(lengths) == 1 and 1 <= lengths.pop() <= SMALL["epochs"]
    n_val = int(len(X) * 0.15)
    assert fitted.metrics_["rows"] == {"train": len(X) - n_val, "validation": n_val}
    # The validation slice is the LAST rows, never a random sample.
    expected = score_table(fitted.predict_proba(X.iloc[-n_val:]), y[-n_val:])
    assert fitted.metrics_["validation"] == pytest.approx(expected)
    assert set(fitted.metrics_["train"]) >= {"rps", "log_loss", "accuracy"}
    assert fitted.metrics_["validation"]["rps"] < 0.2


def test_dataframe_columns_are_matched_by_name(fitted, league):
    X, _ = league
    shuffled = X[list(reversed(X.columns))]
    np.testing.assert_array_equal(fitted.predict_proba(shuffled), fitted.predict_proba(X))
    with pytest.raises(BadInputError, match="missing"):
        fitted.predict_proba(X.drop(columns="home_form"))
    with pytest.raises(BadInputError, match="expects 6 features"):
        fitted.predict_proba(np.zeros((3, 5)))


def test_bad_training_input():
    X = np.zeros((50, 3))
    with pytest.raises(BadInputError, match="outcomes must be"):
        MatchModel(epochs=1).fit(X, np.full(50, 3))
    with pytest.raises(BadInputError, match="rows"):
        MatchModel(epochs=1).fit(X, np.zeros(49, int))
    with pytest.raises(BadInputError, match="NaN"):
        MatchModel(epochs=1).fit(np.full((50, 3), np.nan), np.zeros(50, int))


def test_same_seed_same_model_other_seed_differs(league, capsys):
    X, y = league
    X, y = X.iloc[:300], y[:300]
    params = dict(hidden=(8,), epochs=3, batch_size=32, dropout=0.1)
    a = MatchModel(**params, seed=7).fit(X, y, progress=True).predict_proba(X)
    captured = capsys.readouterr()
    assert captured.out == ""  # the progress bar goes to stderr only
    assert "training" in captured.err
    b = MatchModel(**params, seed=7).fit(X, y).predict_proba(X)
    c = MatchModel(**params, seed=8).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


def test_save_load_keras_with_sidecar(fitted, league, tmp_path):
    X, _ = league
    path = tmp_path / "m.keras"
    fitted.save(path, sidecar={"data": ["results.csv"], "window": 10})
    side = json.loads((tmp_path / "m.json").read_text())
    assert side["feature_names"] == FEATURES
    assert side["data"] == ["results.csv"] and side["window"] == 10
    assert len(side["sha256"]) == 64 and side["footy_version"]
    assert side["hyper_parameters"]["hidden"] == [16, 8]
    assert side["epochs_trained"] == len(fitted.history_["loss"])
    assert not list(tmp_path.glob(".*"))  # no temporary file left behind

    loaded = load_model(path)
    np.testing.assert_array_equal(loaded.predict_proba(X), fitted.predict_proba(X))
    assert loaded.sidecar_["window"] == 10
    assert loaded.feature_names_ == FEATURES
    assert loaded.get_params() == fitted.get_params()

    with pytest.raises(BadInputError, match="--force"):
        fitted.save(path)
    fitted.save(path, force=True)
    with pytest.raises(ValueError, match="sha256"):
        fitted.save(tmp_path / "n.keras", sidecar={"sha256": "x"})


def test_export_h5_and_json_weights(fitted, league, tmp_path):
    X, _ = league
    expected = fitted.predict_proba(X)
    fitted.export_h5(tmp_path / "m.h5")
    np.testing.assert_array_equal(load_h5(tmp_path / "m.h5").predict_proba(X.to_numpy()), expected)
    fitted.export_json_weights(tmp_path / "arch.json", tmp_path / "m.weights.h5")
    loaded = load_json_weights(tmp_path / "arch.json", tmp_path / "m.weights.h5", FEATURES)
    np.testing.assert_array_equal(loaded.predict_proba(X), expected)
    with pytest.raises(BadInputError, match="--force"):
        fitted.export_h5(tmp_path / "m.h5")


@pytest.fixture
def saved(fitted, tmp_path):
    path = tmp_path / "good.keras"
    fitted.save(path)
    return path


def test_bad_model_files(saved, tmp_path):
    with pytest.raises(BadInputError, match="does not exist"):
        load_model(tmp_path / "missing.keras")

    text = tmp_path / "text.keras"
    text.write_text("date,home_team\n")
    with pytest.raises(BadInputError, match="not a Keras model file"):
        load_model(text)

    truncated = tmp_path / "truncated.keras"
    truncated.write_bytes(saved.read_bytes()[:500])
    with pytest.raises(BadInputError, match="truncated or corrupt"):
        load_model(truncated)

    other_zip = tmp_path / "other.keras"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(BadInputError, match="not a Keras model"):
        load_model(other_zip)

    lonely = tmp_path / "lonely.keras"
    lonely.write_bytes(saved.read_bytes())
    with pytest.raises(BadInputError, match=r"sidecar .* is missing"):
        load_model(lonely)

    side = saved.with_suffix(".json")
    record = json.loads(side.read_text())
    side.write_text(json.dumps({**record, "sha256": "0" * 64}))
    with pytest.raises(BadInputError, match="does not match its sidecar"):
        load_model(saved)

    side.write_text("{not json")
    with pytest.raises(BadInputError, match="not valid JSON"):
        load_model(saved)


def test_plot_training(fitted, tmp_path):
    out = plot_training(fitted.history_, tmp_path / "curves.png")
    assert_real_picture(out)
    with pytest.raises(BadInputError, match="no training history"):
        plot_training({}, tmp_path / "empty.png")
