"""The match-outcome network: a small Keras model wrapped as an estimator.

``MatchModel`` follows scikit-learn's habits: ``__init__`` stores the
hyper-parameters, ``fit`` returns self, learned state ends in ``_`` and
``predict_proba`` gives n x 3 probabilities (home win, draw, away win).

The Keras model is ``Input(n) -> Normalization -> Dense ... -> Dense(3, softmax)``;
the Normalization layer is adapted on the training rows, so a saved file needs
no separate scaler. With ``ensemble=k`` (k > 1) the Normalization feeds k such
stacks of Dense layers, each started from its own random weights and trained on
its own loss, and an ``Average`` layer gives the mean of their probabilities: a
deep ensemble that saves, loads and runs as one model. Rows are in time order
and the validation slice is the last part of them: the network is always checked
on matches after the ones it learnt from. TensorFlow is imported only inside functions.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import warnings
from pathlib import Path

import numpy as np

from footy import __version__
from footy.errors import BadInputError, FootyError
from footy.files import write_atomic, write_text_atomic
from footy.inference import check_model_file, sha256_file, sidecar_path
from footy.outcomes import score_table

NOT_FITTED = "not fitted yet: call fit() first"
_RESERVED = (
    "footy_version",
    "keras_version",
    "created",
    "model_file",
    "sha256",
    "feature_names",
    "hyper_parameters",
    "metrics",
    "epochs_trained",
    "best_epoch",
    "history",
)


def import_keras():
    """Import Keras (TensorFlow backend) without TensorFlow's start-up chatter.

    TensorFlow's C++ runtime logs CUDA probes straight to file descriptor 2 before
    any Python logging is set up; on a CPU-only machine they are noise, so stderr
    is pointed at /dev/null while it loads (Python exceptions still propagate).
    """
    if "keras" in sys.modules:
        return sys.modules["keras"]
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
            import keras
            import tensorflow as tf

            tf.get_logger().setLevel("ERROR")
            tf.config.list_physical_devices("CPU")  # runs the device probes now, quietly
    finally:
        os.dup2(saved, 2)
        os.close(saved)
    return keras


def set_seed(seed: int) -> None:
    """Seed Python, numpy and Keras and make TensorFlow ops deterministic."""
    keras = import_keras()
    import tensorflow as tf

    keras.utils.set_random_seed(int(seed))
    tf.config.experimental.enable_op_determinism()


def _progress_callback(keras, epochs: int):
    """A per-epoch click progress bar on stderr (Keras' own bar writes to stdout)."""
    import click

    class ProgressBar(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.bar = click.progressbar(
                length=epochs, label="training", file=sys.stderr, show_pos=True
            )
            self.bar.__enter__()

        def on_epoch_end(self, epoch, logs=None):
            if sys.stderr.isatty():  # a changing label would print a line per epoch in logs
                loss = logs.get("val_loss", logs.get("loss"))
                self.bar.label = f"training (val_loss {loss:.4f})"
            self.bar.update(1)

        def on_train_end(self, logs=None):
            self.bar.__exit__(None, None, None)

    return ProgressBar()


def save_legacy_h5(network, path) -> None:
    """Keras' legacy whole-model HDF5 save, minus its side effect.

    Keras 3's legacy writer pops ``optimizer`` out of the live model's compile
    config, so a later ``.keras`` save would lose the optimizer (loading it then
    fails); put it back.
    """
    config = getattr(getattr(network, "_compile_config", None), "config", None)
    optimizer = config.get("optimizer") if isinstance(config, dict) else None
    import logging

    absl = logging.getLogger("absl")  # Keras logs its "HDF5 is legacy" notice through absl
    level = absl.level
    absl.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():  # Keras calls HDF5 "legacy"; the tutorial uses it
            warnings.simplefilter("ignore")
            network.save(path)
    finally:
        absl.setLevel(level)
    if optimizer is not None:
        config["optimizer"] = optimizer


class MatchModel:
    """A feed-forward network giving home win / draw / away win probabilities.

    Parameters
    ----------
    hidden : sizes of the hidden Dense layers, e.g. ``(64, 32)``.
    activation : activation of the hidden layers (``relu``, ``tanh``, ``elu``...).
    dropout : dropout rate after each hidden layer (0 = none).
    learning_rate : Adam's learning rate.
    epochs : most passes over the training rows; early stopping usually ends sooner.
    batch_size : rows per gradient step.
    patience : epochs without a better validation loss before training stops.
    validation_fraction : the last fraction of the (time-ordered) rows held out.
    ensemble : how many networks are trained side by side and averaged (1 = one network).
    seed : seeds Python, numpy, Keras and TensorFlow's op determinism.
    """

    def __init__(
        self,
        hidden: tuple[int, ...] = (64, 32),
        activation: str = "relu",
        dropout: float = 0.0,
        learning_rate: float = 1e-3,
        epochs: int = 200,
        batch_size: int = 256,
        patience: int = 10,
        validation_fraction: float = 0.15,
        ensemble: int = 1,
        seed: int = 0,
    ) -> None:
        self.hidden = hidden
        self.activation = activation
        self.dropout = dropout
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.batch_size = batch_size
        self.patience = patience
        self.validation_fraction = validation_fraction
        self.ensemble = ensemble
        self.seed = seed

    def get_params(self) -> dict:
        """The hyper-parameters, JSON-ready."""
        return {
            "hidden": [int(h) for h in self.hidden],
            "activation": self.activation,
            "dropout": float(self.dropout),
            "learning_rate": float(self.learning_rate),
            "epochs": int(self.epochs),
            "batch_size": int(self.batch_size),
            "patience": int(self.patience),
            "validation_fraction": float(self.validation_fraction),
            "ensemble": int(self.ensemble),
            "seed": int(self.seed),
        }

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"MatchModel({args})"

    # ---- training ------------------------------------------------------------------

    def _check_params(self) -> None:
        if not self.hidden or any(int(h) < 1 for h in self.hidden):
            raise BadInputError(f"hidden layer sizes must be positive, got {self.hidden!r}")
        if not 0.0 <= self.dropout < 1.0:
            raise BadInputError(f"dropout must be in [0, 1), got {self.dropout}")
        if not 0.0 <= self.validation_fraction < 1.0:
            raise BadInputError(
                f"validation fraction must be in [0, 1), got {self.validation_fraction}"
            )
        if self.epochs < 1 or self.batch_size < 1 or self.learning_rate <= 0:
            raise BadInputError("epochs, batch size and learning rate must be positive")
        if int(self.ensemble) != self.ensemble or self.ensemble < 1:
            raise BadInputError(f"ensemble must be a whole number >= 1, got {self.ensemble!r}")

    def _build(self, keras, n_features: int, X_train: np.ndarray):
        """The network to train and the network to keep (the same one unless an ensemble)."""
        inputs = keras.Input(shape=(n_features,), name="features")
        norm = keras.layers.Normalization(name="normalization")
        norm.adapt(X_train)
        x = norm(inputs)
        k = int(self.ensemble)
        if k == 1:
            outputs = self._stack(keras, x, prefix="", output_name="outcome")
            model = keras.Model(inputs, outputs, name="match_model")
            self._compile(keras, model, metrics=["accuracy"])
            return model, model
        members = [
            self._stack(keras, x, prefix=f"member_{m}_", output_name=f"member_{m}_outcome")
            for m in range(k)
        ]
        # Each member learns on its own loss (their weights are disjoint, so the summed
        # loss trains them independently); the kept model averages their probabilities.
        training = keras.Model(inputs, members, name="match_model_members")
        self._compile(
            keras, training, metrics={f"member_{m}_outcome": ["accuracy"] for m in range(k)}
        )
        average = keras.layers.Average(name="outcome")(members)
        return training, keras.Model(inputs, average, name="match_model")

    def _stack(self, keras, x, prefix: str, output_name: str):
        for i, units in enumerate(self.hidden):
            x = keras.layers.Dense(
                int(units), activation=self.activation, name=f"{prefix}hidden_{i}"
            )(x)
            if self.dropout > 0:
                x = keras.layers.Dropout(self.dropout, name=f"{prefix}dropout_{i}")(x)
        return keras.layers.Dense(3, activation="softmax", name=output_name)(x)

    def _compile(self, keras, model, metrics) -> None:
        model.compile(
            optimizer=keras.optimizers.Adam(learning_rate=self.learning_rate),
            loss="sparse_categorical_crossentropy",
            metrics=metrics,
            # Several steps per compiled call: about twice as fast on small layers.
            steps_per_execution=32,
        )

    def fit(self, X, y, feature_names=None, progress: bool = False) -> MatchModel:
        """Train on rows X (in time order) with outcomes y (0 home win, 1 draw, 2 away win).

        The last ``validation_fraction`` of the rows is the validation set; training
        stops when its loss has not improved for ``patience`` epochs and the best
        weights are kept. ``progress`` shows a per-epoch bar on stderr.
        """
        self._check_params()
        X, names = _as_matrix(X, feature_names)
        y = np.asarray(y)
        if len(y) != len(X):
            raise BadInputError(f"X has {len(X)} rows but y has {len(y)} outcomes")
        if not np.isin(y, (0, 1, 2)).all():
            raise BadInputError("outcomes must be 0 (home win), 1 (draw) or 2 (away win)")
        y = y.astype(np.int64)
        n_val = int(len(X) * self.validation_fraction)
        n_train = len(X) - n_val
        if n_train < 2:
            raise BadInputError(f"need at least 2 training rows, got {n_train}")

        keras = import_keras()
        set_seed(self.seed)
        X_train, y_train = X[:n_train], y[:n_train]
        X_val, y_val = X[n_train:], y[n_train:]
        training, model = self._build(keras, X.shape[1], X_train)
        k = int(self.ensemble)
        if k > 1:  # one copy of the outcomes per member
            y_train, y_val = [y_train] * k, [y_val] * k

        monitor = "val_loss" if n_val else "loss"
        callbacks = [
            keras.callbacks.EarlyStopping(
                monitor=monitor, patience=self.patience, restore_best_weights=True
            )
        ]
        if progress:
            callbacks.append(_progress_callback(keras, self.epochs))
        history = training.fit(
            X_train,
            y_train,
            validation_data=(X_val, y_val) if n_val else None,
            epochs=self.epochs,
            batch_size=self.batch_size,
            shuffle=True,
            callbacks=callbacks,
            verbose=0,
        )
        self.model_ = model
        self.feature_names_ = names
        self.n_features_in_ = X.shape[1]
        self.history_ = _member_means(history.history, int(self.ensemble))
        self.best_epoch_ = int(np.argmin(self.history_[monitor])) + 1
        self.metrics_ = {"train": score_table(self.predict_proba(X_train), y[:n_train])}
        if n_val:
            self.metrics_["validation"] = score_table(self.predict_proba(X_val), y[n_train:])
        self.metrics_["rows"] = {"train": int(n_train), "validation": int(n_val)}
        return self

    # ---- prediction ----------------------------------------------------------------

    def _check_fitted(self) -> None:
        if not hasattr(self, "model_"):
            raise FootyError(NOT_FITTED)

    def predict_proba(self, X) -> np.ndarray:
        """Home win / draw / away win probabilities, n x 3 float64, rows summing to one."""
        self._check_fitted()
        if hasattr(X, "columns") and self.feature_names_:
            missing = [c for c in self.feature_names_ if c not in X.columns]
            if missing:
                raise BadInputError(f"feature columns missing: {', '.join(missing)}")
            X = X[list(self.feature_names_)]
        X, _ = _as_matrix(X, None)
        if X.shape[1] != self.n_features_in_:
            raise BadInputError(
                f"the model expects {self.n_features_in_} features per row, got {X.shape[1]}"
            )
        if len(X) == 0:
            return np.zeros((0, 3))
        probs = np.asarray(self.model_.predict(X, batch_size=8192, verbose=0), dtype=np.float64)
        return probs / probs.sum(axis=1, keepdims=True)

    def predict(self, X) -> np.ndarray:
        """The most likely outcome per row (0 home win, 1 draw, 2 away win)."""
        return np.argmax(self.predict_proba(X), axis=1)

    # ---- saving --------------------------------------------------------------------

    def save(self, path: Path, sidecar: dict | None = None, force: bool = False) -> Path:
        """Write ``NAME.keras`` whole (temporary file, then rename) and its ``NAME.json``.

        The sidecar records the footy version, the ``.keras`` file's sha256, the
        feature names, hyper-parameters, metrics and history, plus whatever the
        caller passes in ``sidecar`` (data files, window, date range...).
        """
        self._check_fitted()
        path = Path(path)
        if path.suffix != ".keras":
            raise BadInputError(f"model file must end in .keras, got {path.name}")
        side = sidecar_path(path)
        _check_writable([path, side], force)
        extra = dict(sidecar or {})
        clash = sorted(set(extra) & set(_RESERVED))
        if clash:
            raise ValueError(f"sidecar keys {clash} are written by MatchModel.save itself")

        keras = import_keras()
        digests = []

        def write(tmp: Path) -> None:
            self.model_.save(tmp)
            digests.append(sha256_file(tmp))

        write_atomic(path, write, suffix=".keras")
        digest = digests[0]
        record = {
            "footy_version": __version__,
            "keras_version": keras.__version__,
            "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "model_file": path.name,
            "sha256": digest,
            "feature_names": list(self.feature_names_),
            "hyper_parameters": self.get_params(),
            "metrics": self.metrics_,
            "epochs_trained": len(next(iter(self.history_.values()), [])),
            "best_epoch": self.best_epoch_,
            **extra,
            "history": self.history_,
        }
        _write_text_atomic(side, json.dumps(record, indent=2, default=str) + "\n")
        self.sidecar_ = record
        return path

    def export_h5(self, path: Path, force: bool = False) -> Path:
        """The tutorial's whole-model HDF5 file (Keras' legacy ``.h5`` format)."""
        self._check_fitted()
        path = Path(path)
        if path.suffix != ".h5":
            raise BadInputError(f"an HDF5 model file must end in .h5, got {path.name}")
        _check_writable([path], force)
        _save_via_temp(path, lambda tmp: save_legacy_h5(self.model_, tmp), suffix=".h5")
        return path

    def export_json_weights(self, json_path: Path, weights_path: Path, force: bool = False):
        """The tutorial's architecture JSON plus HDF5 weights (``*.weights.h5``)."""
        self._check_fitted()
        json_path, weights_path = Path(json_path), Path(weights_path)
        if not weights_path.name.endswith(".weights.h5"):
            raise BadInputError(f"a weights file must end in .weights.h5, got {weights_path.name}")
        _check_writable([json_path, weights_path], force)
        _write_text_atomic(json_path, self.model_.to_json())
        _save_via_temp(weights_path, self.model_.save_weights, suffix=".weights.h5")
        return json_path, weights_path


def _member_means(history: dict, k: int) -> dict[str, list[float]]:
    """Per-epoch loss and accuracy; for an ensemble, the mean over its k networks
    (Keras reports the summed loss and each network's own metrics)."""
    if k == 1:
        return {key: [float(v) for v in values] for key, values in history.items()}
    out = {}
    for prefix in ("", "val_"):
        for metric in ("loss", "accuracy"):
            keys = [f"{prefix}member_{m}_outcome_{metric}" for m in range(k)]
            if all(key in history for key in keys):
                out[prefix + metric] = [
                    float(v) for v in np.mean([history[key] for key in keys], 0)
                ]
    return out


# ---- loading ---------------------------------------------------------------------------


def load_model(path: Path) -> MatchModel:
    """Load ``NAME.keras`` after checking it against ``NAME.json`` (sha256).

    The sidecar is available as ``model.sidecar_``. Every bad file (missing, not
    a zip, not a Keras model, no sidecar, sha256 mismatch) is a BadInputError.
    """
    path = Path(path)
    sidecar = check_model_file(path, require_sidecar=True)
    return _wrap(_keras_load(path, "could not be loaded by Keras"), sidecar)


def _keras_load(path: Path, failure: str):
    """Keras' loader with safe mode on; any failure is one BadInputError line."""
    keras = import_keras()
    try:
        return keras.saving.load_model(path, safe_mode=True, compile=False)
    except Exception as exc:
        raise BadInputError(f"{path} {failure} ({type(exc).__name__}: {exc})") from exc


def load_h5(path: Path, feature_names=None) -> MatchModel:
    """Load a whole-model HDF5 file written by ``export_h5``."""
    path = Path(path)
    if not path.is_file():
        raise BadInputError(f"model file {path} does not exist")
    network = _keras_load(path, "is not a Keras HDF5 model")
    return _wrap(network, {"feature_names": feature_names})


def load_json_weights(json_path: Path, weights_path: Path, feature_names=None) -> MatchModel:
    """The tutorial's way: ``model_from_json`` + ``load_weights``, then compile again."""
    json_path, weights_path = Path(json_path), Path(weights_path)
    for p in (json_path, weights_path):
        if not p.is_file():
            raise BadInputError(f"file {p} does not exist")
    keras = import_keras()
    try:
        network = keras.models.model_from_json(json_path.read_text(encoding="utf-8"))
        with warnings.catch_warnings():  # the optimizer's slots are not needed to predict
            warnings.filterwarnings("ignore", message="Skipping variable loading for optimizer")
            network.load_weights(weights_path)
    except Exception as exc:
        raise BadInputError(
            f"{json_path} + {weights_path} could not be loaded ({type(exc).__name__}: {exc})"
        ) from exc
    return _wrap(network, {"feature_names": feature_names})


def _wrap(network, sidecar: dict) -> MatchModel:
    """A fitted MatchModel around a loaded Keras network."""
    keras = import_keras()
    params = sidecar.get("hyper_parameters") or {}
    model = MatchModel(**{**params, "hidden": tuple(params.get("hidden", (64, 32)))})
    network.compile(
        optimizer=keras.optimizers.Adam(learning_rate=model.learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    n_features = int(network.inputs[0].shape[-1])
    model.model_ = network
    model.n_features_in_ = n_features
    model.feature_names_ = sidecar.get("feature_names") or [f"x{i}" for i in range(n_features)]
    model.metrics_ = sidecar.get("metrics", {})
    model.history_ = sidecar.get("history", {})
    model.best_epoch_ = sidecar.get("best_epoch")
    model.sidecar_ = sidecar
    return model


# ---- helpers ---------------------------------------------------------------------------


def _as_matrix(X, feature_names) -> tuple[np.ndarray, list[str]]:
    if hasattr(X, "columns"):
        names = [str(c) for c in X.columns]
        X = X.to_numpy()
    else:
        names = None
    X = np.asarray(X, dtype=np.float32)
    if X.ndim != 2:
        raise BadInputError(f"features must be a 2-d table, got shape {X.shape}")
    if not np.isfinite(X).all():
        raise BadInputError("features contain NaN or infinite values")
    if feature_names is not None:
        names = [str(n) for n in feature_names]
        if len(names) != X.shape[1]:
            raise BadInputError(f"{len(names)} feature names for {X.shape[1]} columns")
    if names is None:
        names = [f"x{i}" for i in range(X.shape[1])]
    return X, names


def _check_writable(paths: list[Path], force: bool) -> None:
    for p in paths:
        if p.exists() and not force:
            raise BadInputError(f"{p} exists; pass --force to overwrite it")
        if not p.parent.is_dir():
            raise BadInputError(f"folder {p.parent} does not exist; create it first")


def _save_via_temp(path: Path, write, suffix: str) -> None:
    write_atomic(path, lambda tmp: write(str(tmp)), suffix=suffix)


def _write_text_atomic(path: Path, text: str) -> None:
    write_text_atomic(path, text)
