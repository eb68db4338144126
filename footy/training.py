"""Training a match model on results up to a date: the one path `train`, `simulate`,
`backtest`, `tune` and the notebook share.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from footy.errors import BadInputError
from footy.feature_sets import DEFAULT_FEATURE_SET, build_features, parse_feature_set
from footy.features import DEFAULT_WINDOW
from footy.outcomes import outcome

# The network's defaults; `footy tune` searches around them and writes a config
# that `footy train --config` reads.
DEFAULT_HYPER_PARAMETERS = {
    "hidden": (64, 32),
    "activation": "relu",
    "dropout": 0.0,
    "learning_rate": 1e-3,
    "epochs": 200,
    "batch_size": 512,
    "patience": 10,
    "validation_fraction": 0.15,
}
# Settings a config file may carry besides those `footy tune` searches: ``ensemble``
# (networks trained side by side and averaged inside one model).
EXTRA_SETTINGS = ("ensemble",)
# Five networks averaged inside one model: validation RPS 0.1772 against 0.1775 for
# one network (train <= 2013, score 2014-2017), at about the same training time.
DEFAULT_ENSEMBLE = 5


def training_rows(matches: pd.DataFrame, until=None) -> pd.Series:
    """The rows a model trained up to ``until`` (inclusive) may learn from."""
    if until is None:
        return pd.Series(True, index=matches.index)
    return matches["date"] <= pd.Timestamp(until)


def train_model(
    matches: pd.DataFrame,
    *,
    until=None,
    feature_set: Sequence[str] | str = DEFAULT_FEATURE_SET,
    window: int = DEFAULT_WINDOW,
    seed: int = 0,
    progress: bool = False,
    features: pd.DataFrame | None = None,
    **hyper_parameters,
):
    """Fit a :class:`~footy.model.MatchModel` on the matches dated on or before ``until``.

    Features are computed walk-forward on the whole table, so a training row
    never sees its own result or a later one. Returns ``(model, sidecar)`` where
    ``sidecar`` is what :meth:`MatchModel.save` records about the data.
    ``features`` may pass precomputed features for ``matches`` (same index).
    """
    from footy.model import MatchModel

    feature_set = parse_feature_set(feature_set)
    rows = training_rows(matches, until).to_numpy()
    if rows.sum() < 50:
        raise BadInputError(
            f"only {int(rows.sum())} matches on or before {until}; need at least 50 to train"
        )
    x = features if features is not None else build_features(matches, feature_set, window)
    y = outcome(matches["home_goals"], matches["away_goals"])
    params = {
        **DEFAULT_HYPER_PARAMETERS,
        **{k: v for k, v in hyper_parameters.items() if v is not None},
    }
    params["hidden"] = tuple(int(h) for h in params["hidden"])
    # The tutorial's feature set trains the tutorial's network: one, not an ensemble.
    params.setdefault("ensemble", 1 if feature_set == ("seed",) else DEFAULT_ENSEMBLE)
    model = MatchModel(seed=seed, **params)
    model.fit(x[rows], y[rows], feature_names=list(x.columns), progress=progress)
    trained = matches[rows]
    sidecar = {
        "feature_set": list(feature_set),
        "window": int(window),
        "until": None if until is None else pd.Timestamp(until).date().isoformat(),
        "training_period": {
            "first_date": trained["date"].min().date().isoformat(),
            "last_date": trained["date"].max().date().isoformat(),
            "matches": int(rows.sum()),
        },
        "data_files": matches.attrs.get("files", []),
    }
    return model, sidecar


def model_training_end(sidecar: dict) -> pd.Timestamp:
    """The last date of the matches a model learnt from, from its sidecar."""
    period = sidecar.get("training_period") or {}
    last = period.get("last_date") or sidecar.get("until")
    if last is None:
        raise BadInputError("the model's sidecar does not say what period it was trained on")
    return pd.Timestamp(last)


def parse_hidden(text: str) -> tuple[int, ...]:
    """``"64,32"`` -> ``(64, 32)``."""
    try:
        sizes = tuple(int(t) for t in str(text).split(",") if t.strip())
    except ValueError:
        raise BadInputError(f"--hidden takes layer sizes like 64,32, got {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise BadInputError(f"--hidden takes positive layer sizes like 64,32, got {text!r}")
    return sizes


def read_config(path: Path) -> dict:
    """Hyper-parameters (and optionally feature_set / window) from a `footy tune` config."""
    import json

    path = Path(path)
    if not path.is_file():
        raise BadInputError(f"{path}: no such config file (write one with `footy tune`)")
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadInputError(f"{path}: not a JSON config ({exc})") from None
    known = set(DEFAULT_HYPER_PARAMETERS) | set(EXTRA_SETTINGS) | {"feature_set", "window"}
    params = config.get("best", config)
    unknown = sorted(set(params) - known - {"rps", "trial"})
    if unknown:
        raise BadInputError(f"{path}: unknown setting(s) {', '.join(unknown)}")
    return {k: v for k, v in params.items() if k in known}
