"""Hyper-parameter search for the match network: ``footy tune``.

A seeded random search over a declared :class:`SearchSpace` (the tutorial's knobs:
hidden layers, neurons per layer, activation, learning rate, epochs and early-stopping
patience, dropout, and the feature window). Every trial trains on the matches before
a validation period and is scored by the mean ranked probability score (RPS) of its
predictions for the matches in that period:

::

    ........ training rows ........ | .... validation period .... |
    first match        last_training_day                       until

The split is by date, never a random split of matches: every training match is
dated before every validation match. Each trial is trained by
:func:`footy.training.train_model`, exactly as ``footy train --until
last_training_day`` would train it with the same settings and seed, so the network
stops early on the last part of its own training rows and never sees the validation
period before it is scored.

Trial ``i`` is drawn from ``numpy.random.default_rng([seed, i])`` (re-drawn if it
repeats an earlier trial), so the plan for 20 trials is the first 20 of the plan for
30: a search grows or resumes without changing what it already did. Trial 0 is the
training defaults, so every table shows what the search gained. Finished trials are
appended to an optional JSON-lines log whose first line describes the search (data
fingerprint, period, feature set, seed, space); a re-run with the same log skips the
trials it holds, and a log from a different search is refused.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from footy.defaults import DEFAULT_TRIALS, DEFAULT_VALIDATION_YEARS
from footy.errors import BadInputError
from footy.feature_sets import DEFAULT_FEATURE_SET, build_features, parse_feature_set
from footy.features import DEFAULT_WINDOW
from footy.outcomes import outcome, score_table
from footy.training import DEFAULT_HYPER_PARAMETERS, train_model, training_rows

LOG_FORMAT = 1
_MIN_TRAINING_ROWS = 50
_MIN_VALIDATION_ROWS = 20
_MAX_DRAWS = 1000


@dataclass(frozen=True)
class SearchSpace:
    """The values a random search may pick; one draw per setting (``units`` per layer).

    ``baseline`` makes trial 0 the training defaults
    (:data:`footy.training.DEFAULT_HYPER_PARAMETERS` and the default window), whether
    or not they lie in the space.
    """

    layers: tuple[int, ...] = (1, 2, 3)
    units: tuple[int, ...] = (8, 16, 32, 64, 128)
    activation: tuple[str, ...] = ("relu", "elu", "tanh", "sigmoid")
    learning_rate: tuple[float, ...] = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2)
    dropout: tuple[float, ...] = (0.0, 0.1, 0.2, 0.3)
    epochs: tuple[int, ...] = (50, 100, 200)
    patience: tuple[int, ...] = (5, 10, 20)
    window: tuple[int, ...] = (10, 20, 40, 60, 90, 120)
    batch_size: tuple[int, ...] = (int(DEFAULT_HYPER_PARAMETERS["batch_size"]),)
    validation_fraction: tuple[float, ...] = (
        float(DEFAULT_HYPER_PARAMETERS["validation_fraction"]),
    )
    baseline: bool = True

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name != "baseline" and not (isinstance(value, tuple) and value):
                raise ValueError(f"search space {f.name} needs a non-empty tuple, got {value!r}")

    def sample(self, rng: np.random.Generator) -> dict:
        """One configuration: the hyper-parameters :class:`MatchModel` takes, plus ``window``."""

        def pick(values):
            return values[int(rng.integers(len(values)))]

        n_layers = int(pick(self.layers))
        return normalise_params(
            {
                "hidden": [int(pick(self.units)) for _ in range(n_layers)],
                "activation": pick(self.activation),
                "dropout": pick(self.dropout),
                "learning_rate": pick(self.learning_rate),
                "epochs": pick(self.epochs),
                "batch_size": pick(self.batch_size),
                "patience": pick(self.patience),
                "validation_fraction": pick(self.validation_fraction),
                "window": pick(self.window),
            }
        )

    def size(self) -> int:
        """How many distinct configurations the space holds."""
        architectures = sum(len(self.units) ** int(n) for n in set(self.layers))
        others = [
            self.activation,
            self.dropout,
            self.learning_rate,
            self.epochs,
            self.batch_size,
            self.patience,
            self.validation_fraction,
            self.window,
        ]
        return architectures * int(np.prod([len(set(v)) for v in others]))

    def to_json(self) -> dict:
        return _jsonable(dataclasses.asdict(self))


DEFAULT_SPACE = SearchSpace()


def default_params() -> dict:
    """The training defaults as a trial configuration (trial 0 of a search)."""
    return normalise_params({**DEFAULT_HYPER_PARAMETERS, "window": DEFAULT_WINDOW})


def normalise_params(params: dict) -> dict:
    """A configuration with JSON-ready types and a fixed key order."""
    return {
        "hidden": [int(h) for h in params["hidden"]],
        "activation": str(params["activation"]),
        "dropout": float(params["dropout"]),
        "learning_rate": float(params["learning_rate"]),
        "epochs": int(params["epochs"]),
        "batch_size": int(params["batch_size"]),
        "patience": int(params["patience"]),
        "validation_fraction": float(params["validation_fraction"]),
        "window": int(params["window"]),
    }


def plan_trials(space: SearchSpace, seed: int, trials: int) -> list[dict]:
    """The configurations of trials ``0 .. trials-1``; a longer plan extends a shorter one."""
    if trials < 1:
        raise BadInputError(f"the number of trials must be at least 1, got {trials}")
    plan: list[dict] = [default_params()] if space.baseline else []
    seen = {_key(p) for p in plan}
    for number in range(len(plan), trials):
        for draw in range(_MAX_DRAWS):
            params = space.sample(np.random.default_rng([int(seed), number, draw]))
            if _key(params) not in seen:
                break
        else:
            raise BadInputError(
                f"the search space holds only {space.size()} configurations; "
                f"ask for at most {len(plan)} trials or widen the space"
            )
        plan.append(params)
        seen.add(_key(params))
    return plan[:trials]


# ---- the time-ordered split -----------------------------------------------------------


@dataclass(frozen=True)
class Split:
    """Training rows (dated on or before ``last_training_day``) and the validation rows after."""

    until: pd.Timestamp
    last_training_day: pd.Timestamp
    train: np.ndarray = field(repr=False)
    validation: np.ndarray = field(repr=False)

    def describe(self, matches: pd.DataFrame) -> dict:
        def period(rows: np.ndarray) -> dict:
            dates = matches["date"][rows]
            return {
                "first_date": _day(dates.min()),
                "last_date": _day(dates.max()),
                "matches": int(rows.sum()),
            }

        return {
            "until": _day(self.until),
            "last_training_day": _day(self.last_training_day),
            "training": period(self.train),
            "validation": period(self.validation),
        }


def time_split(
    matches: pd.DataFrame,
    until=None,
    validation_years: float = DEFAULT_VALIDATION_YEARS,
) -> tuple[pd.DataFrame, Split]:
    """Cut the match table at ``until`` and split it by date.

    Returns the matches dated on or before ``until`` (default: the last date) and a
    :class:`Split` whose validation rows are those of the last ``validation_years``
    years and whose training rows are all earlier.
    """
    if len(matches) == 0:
        raise BadInputError("no matches to tune on")
    until = pd.Timestamp(matches["date"].max() if until is None else until).normalize()
    if validation_years <= 0:
        raise BadInputError(f"--validation-years must be positive, got {validation_years}")
    known = matches[matches["date"] <= until + pd.Timedelta(days=1) - pd.Timedelta(1)]
    if known.empty:
        first = _day(matches["date"].min())
        raise BadInputError(f"no matches on or before {_day(until)}; the data start on {first}")
    last_training_day = until - pd.Timedelta(days=round(365.25 * validation_years))
    train = training_rows(known, last_training_day).to_numpy()
    validation = ~train
    if train.sum() < _MIN_TRAINING_ROWS or validation.sum() < _MIN_VALIDATION_ROWS:
        raise BadInputError(
            f"a validation period of {validation_years:g} years up to {_day(until)} leaves "
            f"{int(train.sum())} training and {int(validation.sum())} validation matches; "
            f"need at least {_MIN_TRAINING_ROWS} and {_MIN_VALIDATION_ROWS}: "
            "change --validation-years or --until, or add data"
        )
    return known, Split(until, last_training_day, train, validation)


# ---- trials ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Trial:
    """One finished trial: its configuration and its scores on the validation period."""

    number: int
    params: dict
    validation: dict
    epochs_trained: int
    best_epoch: int
    seconds: float

    @property
    def rps(self) -> float:
        return float(self.validation["rps"])

    def to_json(self) -> dict:
        return {
            "trial": self.number,
            "params": self.params,
            "validation": self.validation,
            "epochs_trained": self.epochs_trained,
            "best_epoch": self.best_epoch,
            "seconds": round(self.seconds, 2),
        }

    @classmethod
    def from_json(cls, record: dict) -> Trial:
        return cls(
            number=int(record["trial"]),
            params=normalise_params(record["params"]),
            validation={k: float(v) for k, v in record["validation"].items()},
            epochs_trained=int(record["epochs_trained"]),
            best_epoch=int(record["best_epoch"]),
            seconds=float(record["seconds"]),
        )


def run_trial(
    number: int,
    params: dict,
    matches: pd.DataFrame,
    split: Split,
    *,
    feature_set: Sequence[str],
    seed: int,
    features: pd.DataFrame | None = None,
) -> Trial:
    """Train one configuration on the training rows and score it on the validation rows."""
    from footy.model import import_keras

    # A fresh Keras state per trial: a trial's numbers do not depend on the trials
    # run before it in the same process, so a resumed search matches a fresh one.
    import_keras().backend.clear_session()
    start = time.perf_counter()
    window = params["window"]
    if features is None:
        features = build_features(matches, feature_set, window)
    hyper = {k: v for k, v in params.items() if k != "window"}
    model, _ = train_model(
        matches,
        until=split.last_training_day,
        feature_set=feature_set,
        window=window,
        seed=seed,
        features=features,
        **hyper,
    )
    y = outcome(matches["home_goals"], matches["away_goals"])
    probs = model.predict_proba(features[split.validation])
    scores = score_table(probs, y[split.validation])
    return Trial(
        number=number,
        params=normalise_params(params),
        validation=scores,
        epochs_trained=len(model.history_.get("loss", [])),
        best_epoch=int(model.best_epoch_),
        seconds=round(time.perf_counter() - start, 2),
    )


@dataclass
class TuneResult:
    """The trials of a search (in trial order) and what the search was."""

    search: dict
    trials: list[Trial]
    resumed: int = 0  # how many trials came from the log

    def ranked(self) -> list[Trial]:
        """Trials by validation RPS, best first (ties: the earlier trial)."""
        return sorted(self.trials, key=lambda t: (t.rps, t.number))

    @property
    def best(self) -> Trial:
        return self.ranked()[0]

    @property
    def baseline(self) -> Trial | None:
        """Trial 0 when it is the training defaults."""
        first = self.trials[0] if self.trials else None
        return first if first is not None and first.params == default_params() else None

    def config(self) -> dict:
        """The ``best.json`` content; :func:`footy.training.read_config` reads its ``best``."""
        best = self.best
        period = self.search["split"]
        baseline = self.baseline
        return {
            "best": {
                **best.params,
                "feature_set": list(self.search["feature_set"]),
                "trial": best.number,
                "rps": best.rps,
            },
            "validation": best.validation,
            "baseline": None if baseline is None else baseline.to_json(),
            "seed": self.search["seed"],
            "trials": len(self.trials),
            "search": self.search,
            "usage": (
                "footy train --config best.json "
                f"--until {period['until']} --seed {self.search['seed']} --out model.keras; "
                f"evaluate it only on matches after {period['until']}"
            ),
        }


def tune(
    matches: pd.DataFrame,
    *,
    until=None,
    feature_set: Sequence[str] | str = DEFAULT_FEATURE_SET,
    trials: int = DEFAULT_TRIALS,
    seed: int = 0,
    log: Path | None = None,
    validation_years: float = DEFAULT_VALIDATION_YEARS,
    space: SearchSpace | None = None,
    on_trial: Callable[[Trial, bool], None] | None = None,
) -> TuneResult:
    """Run (or resume) a random search and return its trials.

    Parameters
    ----------
    matches
        A match table; only matches dated on or before ``until`` are used.
    until
        The last day of the tuning data (default: the last date). The validation
        period is its last ``validation_years`` years, so a test period must start
        after ``until``.
    feature_set
        The feature groups (the window is searched).
    trials
        How many trials the search holds (trial 0 is the training defaults).
    seed
        Draws the configurations and seeds every trial's network.
    log
        A JSON-lines trial log: finished trials in it are reused, new ones appended.
    space
        What to search (default :data:`DEFAULT_SPACE`).
    on_trial
        Called after each trial with ``(trial, resumed)``; ``resumed`` is true for
        trials read from the log.
    """
    space = DEFAULT_SPACE if space is None else space
    feature_set = parse_feature_set(feature_set)
    plan = plan_trials(space, seed, trials)
    known, split = time_split(matches, until, validation_years)
    search = {
        "data": _fingerprint(known),
        "split": split.describe(known),
        "feature_set": list(feature_set),
        "seed": int(seed),
        "space": space.to_json(),
    }
    done = _read_log(Path(log), search) if log is not None else {}
    for number, trial in done.items():
        if number < len(plan) and _key(trial.params) != _key(plan[number]):
            raise BadInputError(
                f"{log}: trial {number} does not match this search's plan; "
                "use a new --log file or delete this one"
            )
    features_by_window: dict[int, pd.DataFrame] = {}
    finished: list[Trial] = []
    resumed = 0
    for number, params in enumerate(plan):
        if number in done:
            trial, resumed = done[number], resumed + 1
        else:
            window = params["window"]
            if window not in features_by_window:
                features_by_window[window] = build_features(known, feature_set, window)
            trial = run_trial(
                number,
                params,
                known,
                split,
                feature_set=feature_set,
                seed=seed,
                features=features_by_window[window],
            )
            if log is not None:
                _append_log(Path(log), search, trial)
        finished.append(trial)
        if on_trial is not None:
            on_trial(trial, number in done)
    return TuneResult(search=search, trials=finished, resumed=resumed)


# ---- the trial log ----------------------------------------------------------------------


def _read_log(path: Path, search: dict) -> dict[int, Trial]:
    """Finished trials from a log written for the same search; {} when there is no log."""
    if not path.parent.is_dir():
        raise BadInputError(f"folder {path.parent} of the trial log does not exist; create it")
    if not path.exists() or path.stat().st_size == 0:
        return {}
    raw = path.read_bytes()
    if not raw.endswith(b"\n"):
        # An append cut short (the run was killed mid-write): drop the partial line.
        keep = raw.rfind(b"\n") + 1
        with path.open("r+b") as fh:
            fh.truncate(keep)
        raw = raw[:keep]
    lines = raw.decode("utf-8", errors="replace").splitlines()
    records = []
    for number, line in enumerate(lines, start=1):
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            raise BadInputError(
                f"{path} line {number} is not JSON; it is not a `footy tune` trial log "
                "(use a new --log file)"
            ) from None
    if not records:
        return {}
    header = records[0]
    if not isinstance(header, dict) or header.get("footy_tune") != LOG_FORMAT:
        raise BadInputError(f"{path} is not a `footy tune` trial log; use a new --log file")
    theirs, ours = _jsonable(header.get("search", {})), _jsonable(search)
    differ = sorted(k for k in set(theirs) | set(ours) if theirs.get(k) != ours.get(k))
    if differ:
        raise BadInputError(
            f"{path} holds trials of a different search ({', '.join(differ)} differ); "
            "use a new --log file or delete this one"
        )
    try:
        trials = [Trial.from_json(r) for r in records[1:]]
    except (KeyError, TypeError, ValueError) as exc:
        raise BadInputError(f"{path} has a damaged trial record ({exc}); use a new --log") from None
    return {t.number: t for t in trials}


def _append_log(path: Path, search: dict, trial: Trial) -> None:
    """Append one finished trial (the header first on a new log), flushed to disk."""
    lines = []
    if not path.exists() or path.stat().st_size == 0:
        lines.append({"footy_tune": LOG_FORMAT, "search": search})
    lines.append(trial.to_json())
    with path.open("a", encoding="utf-8") as fh:
        for record in lines:
            fh.write(json.dumps(record, sort_keys=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


# ---- helpers --------------------------------------------------------------------------


def _fingerprint(matches: pd.DataFrame) -> dict:
    """Rows, dates and a content hash of the match table: a log belongs to this data."""
    from footy.matches import MATCH_COLUMNS

    hashed = pd.util.hash_pandas_object(matches[list(MATCH_COLUMNS)], index=False)
    return {
        "matches": len(matches),
        "first_date": _day(matches["date"].min()),
        "last_date": _day(matches["date"].max()),
        "sha256": hashlib.sha256(hashed.to_numpy().tobytes()).hexdigest(),
    }


def _key(params: dict) -> str:
    return json.dumps(normalise_params(params), sort_keys=True)


def _jsonable(obj):
    return json.loads(json.dumps(obj, default=str))


def _day(value) -> str:
    return pd.Timestamp(value).date().isoformat()
