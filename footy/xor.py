"""The tutorial's smoke test: a tiny network that learns XOR.

``Dense(16, relu)`` on two inputs, then ``Dense(1, sigmoid)``; mean squared
error, Adam, binary accuracy. The tutorial trains 1,000 epochs of one step each
(one Python round trip per step, about half a minute). ``train_xor`` makes the
same 1,000 full-batch updates in a handful of compiled calls: the four rows are
repeated into one array read in order, four rows (one copy of XOR) per step.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from footy.errors import BadInputError, FootyError
from footy.model import import_keras, save_legacy_h5, set_seed

XOR_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
XOR_TARGETS = np.array([[0], [1], [1], [0]], dtype=np.float32)
EXPECTED = [0, 1, 1, 0]
UPDATES = 1000  # the tutorial's 1,000 epochs of one step each
SAVE_FILES = ("xor.keras", "xor.h5", "xor.json", "xor.weights.h5")


@dataclass
class XorResult:
    """A trained XOR network and how it did on the four rows."""

    model: object
    loss: float
    accuracy: float
    predictions: list[int]
    updates: int
    seconds: float


def build_xor(steps_per_execution: int = 1):
    """The tutorial's network, compiled: MSE loss, Adam, binary accuracy."""
    keras = import_keras()
    model = keras.Sequential(
        [
            keras.Input(shape=(2,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ],
        name="xor",
    )
    model.compile(
        loss="mean_squared_error",
        optimizer="adam",
        metrics=["binary_accuracy"],
        steps_per_execution=steps_per_execution,
    )
    return model


def xor_predictions(model) -> list[int]:
    """The network's rounded outputs on the four XOR rows."""
    out = model.predict(XOR_INPUTS, verbose=0)
    return [int(v) for v in np.round(out).ravel()]


def _evaluate(model) -> tuple[float, float]:
    loss, accuracy = model.evaluate(XOR_INPUTS, XOR_TARGETS, verbose=0)
    return float(loss), float(accuracy)


def train_xor(seed: int = 0, updates: int = UPDATES, max_rounds: int = 20) -> XorResult:
    """Train fast: rounds of ``updates`` full-batch steps until 100% binary accuracy."""
    set_seed(seed)
    start = time.perf_counter()
    model = build_xor(steps_per_execution=100)
    X = np.tile(XOR_INPUTS, (updates, 1))
    y = np.tile(XOR_TARGETS, (updates, 1))
    done = 0
    for _ in range(max_rounds):
        # shuffle=False keeps every batch of four exactly one copy of the XOR table.
        model.fit(X, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
        done += updates
        loss, accuracy = _evaluate(model)
        if accuracy == 1.0:
            break
    else:
        raise FootyError(
            f"XOR did not reach 100% accuracy after {done} updates (seed {seed}); try another seed"
        )
    seconds = time.perf_counter() - start
    return XorResult(model, loss, accuracy, xor_predictions(model), done, seconds)


def train_xor_tutorial(seed: int = 0, epochs: int = UPDATES) -> XorResult:
    """Train the tutorial's slow way: ``fit(epochs=1000)`` on the four rows (for benchmarks)."""
    set_seed(seed)
    start = time.perf_counter()
    model = build_xor()
    model.fit(XOR_INPUTS, XOR_TARGETS, epochs=epochs, verbose=0)
    seconds = time.perf_counter() - start
    loss, accuracy = _evaluate(model)
    return XorResult(model, loss, accuracy, xor_predictions(model), epochs, seconds)


def save_xor(model, folder: Path, force: bool = False) -> dict[str, list[int]]:
    """Write the tutorial's three formats into ``folder``, load each back, and compare.

    ``xor.keras`` (whole model), ``xor.h5`` (legacy HDF5 whole model), and
    ``xor.json`` + ``xor.weights.h5`` (architecture + weights, loaded with
    ``model_from_json`` + ``load_weights`` and compiled again). Returns the rounded
    predictions of each reloaded model; raises FootyError if one differs.
    """
    keras = import_keras()
    folder = Path(folder)
    if not folder.is_dir():
        raise BadInputError(f"folder {folder} does not exist; create it first")
    paths = {name: folder / name for name in SAVE_FILES}
    existing = [str(p) for p in paths.values() if p.exists()]
    if existing and not force:
        raise BadInputError(f"{', '.join(existing)} exist(s); pass --force to overwrite")

    expected = xor_predictions(model)
    model.save(paths["xor.keras"])
    save_legacy_h5(model, paths["xor.h5"])
    paths["xor.json"].write_text(model.to_json(), encoding="utf-8")
    model.save_weights(paths["xor.weights.h5"])

    loaded = {
        "xor.keras": keras.saving.load_model(paths["xor.keras"], safe_mode=True),
        "xor.h5": keras.saving.load_model(paths["xor.h5"], safe_mode=True, compile=False),
    }
    from_json = keras.models.model_from_json(paths["xor.json"].read_text(encoding="utf-8"))
    with warnings.catch_warnings():  # the optimizer's slots are not needed to predict
        warnings.simplefilter("ignore")
        from_json.load_weights(paths["xor.weights.h5"])
    from_json.compile(loss="mean_squared_error", optimizer="adam", metrics=["binary_accuracy"])
    loaded["xor.json + xor.weights.h5"] = from_json

    results = {name: xor_predictions(m) for name, m in loaded.items()}
    bad = [name for name, preds in results.items() if preds != expected]
    if bad:
        raise FootyError(f"reloaded {', '.join(bad)} predicted differently from the trained model")
    return results
