"""Run a saved ``.keras`` match model with numpy alone: no TensorFlow, no Keras.

Importing TensorFlow takes seconds; ``footy predict`` must answer in about one.
A ``.keras`` file is a zip holding ``config.json`` (the architecture) and
``model.weights.h5`` (the weights), so the forward pass of a plain feed-forward
network (Input -> Normalization -> Dense/Dropout ... -> Dense softmax) is a few
lines of numpy. Layers that merge branches (Average, Add, Concatenate) are
supported too, so an ensemble saved as one model (``MatchModel(ensemble=k)``)
runs here as well. The checks on a model file and its JSON sidecar live here too,
so the Keras loader in ``footy.model`` and this one refuse the same bad files.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from footy.errors import BadInputError, FootyError

# keras.config.epsilon(): Normalization divides by max(sqrt(variance), epsilon).
KERAS_EPSILON = 1e-7
_KERAS_MEMBERS = ("config.json", "model.weights.h5")


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sidecar_path(path: Path) -> Path:
    """``NAME.keras`` -> ``NAME.json``."""
    return Path(path).with_suffix(".json")


def check_model_file(path: Path, require_sidecar: bool = True) -> dict:
    """Check a ``.keras`` file and its sidecar; return the sidecar (``{}`` if absent).

    Raises BadInputError, one line each, for: a missing file, a file that is not
    a zip archive, a zip that is not a Keras model, a missing or unreadable
    sidecar, and a file whose sha256 differs from the one the sidecar records.
    """
    path = Path(path)
    if not path.is_file():
        raise BadInputError(
            f"model file {path} does not exist; train one with `footy train` or pass --model"
        )
    if not zipfile.is_zipfile(path):
        raise BadInputError(
            f"{path} is not a Keras model file (a .keras zip archive); it may be truncated "
            "or corrupt: retrain it or restore a good copy"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise BadInputError(
            f"{path} is a corrupt zip archive ({exc}); retrain or restore it"
        ) from exc
    missing = [m for m in _KERAS_MEMBERS if m not in names]
    if missing:
        raise BadInputError(
            f"{path} is a zip archive but not a Keras model (no {', '.join(missing)}); "
            "pass a .keras file written by `footy train`"
        )
    side = sidecar_path(path)
    if not side.is_file():
        if require_sidecar:
            raise BadInputError(
                f"sidecar {side} is missing; a model needs its .json sidecar next to it "
                "(retrain with `footy train` or copy both files together)"
            )
        return {}
    try:
        sidecar = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadInputError(
            f"sidecar {side} is not valid JSON ({exc}); retrain or restore it"
        ) from exc
    if not isinstance(sidecar, dict) or "sha256" not in sidecar:
        raise BadInputError(f"sidecar {side} has no 'sha256' entry; retrain or restore it")
    actual = sha256_file(path)
    if actual != sidecar["sha256"]:
        raise BadInputError(
            f"{path} does not match its sidecar {side.name}: sha256 {actual[:12]}... != "
            f"{str(sidecar['sha256'])[:12]}... (the model file was changed or replaced); "
            "retrain it or restore the pair"
        )
    return sidecar


# ---- activations, as Keras defines them ------------------------------------------------


def _softmax(x: np.ndarray) -> np.ndarray:
    z = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return z / np.sum(z, axis=-1, keepdims=True)


def _erf(x: np.ndarray) -> np.ndarray:
    return np.vectorize(math.erf, otypes=[float])(x)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946

ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "linear": lambda x: x,
    "relu": lambda x: np.maximum(x, 0.0),
    "tanh": np.tanh,
    "sigmoid": lambda x: 1.0 / (1.0 + np.exp(-x)),
    "softmax": _softmax,
    "elu": lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0.0))),
    "selu": lambda x: _SELU_SCALE * np.where(x > 0, x, _SELU_ALPHA * np.expm1(np.minimum(x, 0))),
    # keras.activations.gelu defaults to the exact form (approximate=False).
    "gelu": lambda x: 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0))),
    "swish": lambda x: x / (1.0 + np.exp(-x)),
    "silu": lambda x: x / (1.0 + np.exp(-x)),
    "softplus": lambda x: np.logaddexp(0.0, x),
}


def _activation(spec, layer_name: str) -> Callable[[np.ndarray], np.ndarray]:
    name = spec if isinstance(spec, str) else None
    if isinstance(spec, dict):  # a serialised activation object
        name = spec.get("config", {}).get("name") or spec.get("class_name")
    if name is None:
        name = "linear"
    if name not in ACTIVATIONS:
        raise FootyError(
            f"layer {layer_name!r} uses activation {name!r}, which footy's numpy inference "
            f"does not know; known: {', '.join(sorted(ACTIVATIONS))}"
        )
    return ACTIVATIONS[name]


# ---- layers ----------------------------------------------------------------------------


def _snake_case(name: str) -> str:
    # keras.src.utils.naming.to_snake_case: the weights file keys layers by class name.
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()
    return name


# Layers that take a list of tensors (several branches) and give one.
_MERGE_LAYERS: dict[str, Callable[[list[np.ndarray]], np.ndarray]] = {
    "Average": lambda xs: sum(xs) / len(xs),
    "Add": lambda xs: sum(xs),
}


@dataclass
class _Layer:
    name: str
    kind: str
    forward: Callable  # one array -> one array; a merge layer: a list of arrays -> one array
    inputs: list[str] = field(default_factory=list)
    merge: bool = False


def _inbound(layer_cfg: dict) -> list[str]:
    names = []

    def collect(arg) -> None:
        if isinstance(arg, dict) and arg.get("class_name") == "__keras_tensor__":
            names.append(arg["config"]["keras_history"][0])
        elif isinstance(arg, list | tuple):  # a merge layer's list of tensors
            for item in arg:
                collect(item)

    for node in layer_cfg.get("inbound_nodes") or []:
        collect(node.get("args", []))
    return names


def _make_layer(cfg: dict, weights: list[np.ndarray]) -> _Layer:
    kind = cfg["class_name"]
    conf = cfg.get("config", {})
    name = conf.get("name") or cfg.get("name", kind)
    if kind in ("InputLayer", "Dropout", "GaussianNoise", "GaussianDropout", "AlphaDropout"):
        return _Layer(name, kind, lambda x: x)  # identity at inference time
    if kind == "Normalization":
        if conf.get("invert"):
            raise FootyError(f"layer {name!r}: an inverted Normalization is not supported")
        if conf.get("mean") is not None:
            mean, variance = np.asarray(conf["mean"], float), np.asarray(conf["variance"], float)
        elif len(weights) >= 2:
            mean, variance = weights[0].astype(float), weights[1].astype(float)
        else:
            raise FootyError(f"layer {name!r}: Normalization without mean and variance")
        scale = np.maximum(np.sqrt(variance), KERAS_EPSILON)
        return _Layer(name, kind, lambda x: (x - mean) / scale)
    if kind == "Dense":
        act = _activation(conf.get("activation"), name)
        kernel = weights[0].astype(float)
        bias = weights[1].astype(float) if conf.get("use_bias", True) else 0.0
        if conf.get("quantization_config") or conf.get("lora_rank"):
            raise FootyError(f"layer {name!r}: quantized or LoRA Dense layers are not supported")
        return _Layer(name, kind, lambda x: act(x @ kernel + bias))
    if kind == "Activation":
        act = _activation(conf.get("activation"), name)
        return _Layer(name, kind, act)
    if kind in _MERGE_LAYERS:
        return _Layer(name, kind, _MERGE_LAYERS[kind], merge=True)
    if kind == "Concatenate":
        axis = int(conf.get("axis", -1))
        return _Layer(name, kind, lambda xs: np.concatenate(xs, axis=axis), merge=True)
    raise FootyError(
        f"layer {name!r} is a {kind}, which footy's numpy inference does not support; "
        "supported: InputLayer, Normalization, Dense, Dropout, Activation, Average, Add, "
        "Concatenate"
    )


class NumpyNetwork:
    """A feed-forward Keras network evaluated with numpy (float64).

    Build one with ``NumpyNetwork.load(path)``.
    """

    def __init__(
        self,
        layers: list[_Layer],
        n_features: int | None,
        sidecar: dict,
        output: str | None = None,
    ) -> None:
        self.layers = layers
        self.n_features = n_features
        self.output = output or (layers[-1].name if layers else None)
        self.sidecar = sidecar
        self.feature_names = sidecar.get("feature_names")

    @classmethod
    def load(cls, path: Path, require_sidecar: bool = True) -> NumpyNetwork:
        """Read a ``.keras`` file (and check it against its sidecar) without TensorFlow."""
        import h5py

        path = Path(path)
        sidecar = check_model_file(path, require_sidecar=require_sidecar)
        try:
            with zipfile.ZipFile(path) as archive:
                config = json.loads(archive.read("config.json"))
                weights_bytes = archive.read("model.weights.h5")
            with h5py.File(io.BytesIO(weights_bytes), "r") as h5:
                layer_cfgs = config["config"]["layers"]
                stored = h5.get("layers", {})
                used: dict[str, int] = {}
                layers = []
                n_features = None
                for cfg in layer_cfgs:
                    key = _snake_case(cfg["class_name"])
                    if key in used:
                        used[key] += 1
                        key = f"{key}_{used[key]}"
                    else:
                        used[key] = 0
                    vars_ = stored[key]["vars"] if key in stored else {}
                    weights = [np.asarray(vars_[str(i)]) for i in range(len(vars_))]
                    layer = _make_layer(cfg, weights)
                    layer.inputs = _inbound(cfg)
                    layers.append(layer)
                    if cfg["class_name"] == "InputLayer":
                        shape = cfg["config"].get("batch_shape") or cfg["config"].get(
                            "batch_input_shape"
                        )
                        n_features = shape[-1] if shape else None
                outputs = config["config"].get("output_layers") or []
                if outputs and isinstance(outputs[0], list):  # [[name, 0, 0], ...]
                    outputs = outputs[0]
                output = outputs[0] if outputs else None
        except FootyError:
            raise
        except (KeyError, IndexError, TypeError, ValueError, OSError) as exc:
            raise BadInputError(
                f"{path} could not be read as a feed-forward Keras model ({type(exc).__name__}: "
                f"{exc}); retrain it with `footy train`"
            ) from exc
        return cls(layers, n_features, sidecar, output)

    def forward(self, X) -> np.ndarray:
        """The network's output for the rows of X, float64."""
        x = np.asarray(X, dtype=np.float64)
        if x.ndim != 2 or (self.n_features is not None and x.shape[1] != self.n_features):
            raise BadInputError(
                f"the model expects rows of {self.n_features} features, got an array of "
                f"shape {x.shape}"
            )
        outputs: dict[str, np.ndarray] = {}
        previous = x
        for layer in self.layers:  # Keras lists a functional model's layers in graph order
            if layer.merge:
                previous = layer.forward([outputs[name] for name in layer.inputs])
            else:
                if len(layer.inputs) > 1:
                    raise FootyError(f"layer {layer.name!r} has several inputs; not supported")
                if layer.inputs:
                    previous = outputs[layer.inputs[0]]
                previous = layer.forward(previous)
            outputs[layer.name] = previous
        return outputs.get(self.output, previous)

    def predict_proba(self, X) -> np.ndarray:
        """Home win / draw / away win probabilities, n x 3 float64, rows summing to one."""
        if hasattr(X, "columns") and self.feature_names:
            missing = [c for c in self.feature_names if c not in X.columns]
            if missing:
                raise BadInputError(f"feature columns missing: {', '.join(missing)}")
            X = X[list(self.feature_names)]
        probs = self.forward(X)
        if probs.ndim != 2 or probs.shape[1] != 3:
            raise FootyError(f"the model gives {probs.shape[1]} outputs per row, not 3")
        return probs / probs.sum(axis=1, keepdims=True)
