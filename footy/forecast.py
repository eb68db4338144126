"""Tournament forecasts: the right model for the date, one batched call, many simulations.

A forecast "as of" a date may only use results dated on or before it, and a
model trained on results up to that date at the latest. For the bundled World
Cups the default date is the day before the first match; models trained for a
date are kept in ``models/footy-until-DATE.keras`` and reused.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from footy import paths
from footy.errors import BadInputError
from footy.matches import read_matches, teams
from footy.predict import Predictor
from footy.simulate import (
    ExitScore,
    SimulationResult,
    exit_log_score,
    pair_probabilities,
    simulate_tournament,
)
from footy.tournament import Tournament, actual_results, default_as_of, load_tournament
from footy.training import model_training_end

BUNDLED = ("worldcup-2026", "worldcup-2022", "worldcup-2018")


@dataclass
class Forecast:
    """A simulated tournament and what it was based on."""

    tournament: Tournament
    result: SimulationResult
    as_of: dt.date
    model: Path
    actual: pd.Series | None  # each team's real stage, for tournaments already played
    score: ExitScore | None


def model_for_date(
    as_of: dt.date,
    matches: pd.DataFrame,
    model: Path | None = None,
    train_if_missing: bool = True,
    log: Callable[[str], None] = print,
) -> Path:
    """A model that has seen nothing after ``as_of``: the one given (checked), or one kept
    in ``models/`` for that date, or a new one trained now and kept for next time."""
    if model is not None:
        sidecar = _sidecar(model)
        end = model_training_end(sidecar).date()
        if end > as_of:
            raise BadInputError(
                f"{model} was trained on results up to {end}, after the forecast date {as_of}: "
                "it has seen what it would predict; pass an earlier model or omit --model"
            )
        return Path(model)
    kept = paths.MODELS / f"footy-until-{as_of.isoformat()}.keras"
    if kept.exists():
        return kept
    if not train_if_missing:
        raise BadInputError(f"no model for {as_of} in {paths.MODELS}; train one with footy train")
    from footy.training import train_model

    log(f"training a model on results up to {as_of} (kept as {kept} for next time)")
    trained, sidecar = train_model(matches, until=as_of, progress=True)
    trained.save(kept, sidecar)
    return kept


def _sidecar(model: Path) -> dict:
    from footy.inference import check_model_file

    return check_model_file(Path(model))


def resolve_as_of(tournament: Tournament, as_of) -> dt.date | None:
    """``None`` -> the day before the first match; ``"latest"`` -> ``None`` (all results)."""
    if isinstance(as_of, str) and as_of == "latest":
        return None
    start = tournament.start_date
    if as_of is None:
        return default_as_of(tournament)
    as_of = pd.Timestamp(as_of).date()
    if start is not None and as_of >= start:
        raise BadInputError(
            f"--as-of {as_of} is on or after the tournament's first match ({start}): the "
            "forecast would know results of the tournament itself; use an earlier date, or "
            "--as-of latest to replay the draw with today's model"
        )
    return as_of


def forecast(
    tournament: str | None = "worldcup-2026",
    *,
    groups: Path | None = None,
    format: Path | None = None,
    hosts: Path | None = None,
    as_of=None,
    model: Path | None = None,
    data=(paths.INTERNATIONAL_RESULTS,),
    runs: int = 10_000,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
    log: Callable[[str], None] = print,
) -> Forecast:
    """Simulate a tournament ``runs`` times as it looked on ``as_of``.

    ``as_of`` is a date, ``None`` (the day before the first match; for a custom
    tournament without dates, the latest results) or ``"latest"`` (all results and
    the shipped model, as if the draw were played now).
    """
    matches = read_matches(list(data))
    custom = groups is not None or format is not None
    if custom and (groups is None or format is None):
        raise BadInputError("a custom tournament needs both --groups and --format (and --hosts)")
    loaded = load_tournament(
        None if custom else tournament,
        groups=groups,
        format=format,
        hosts=hosts,
        known_teams=teams(matches),
    )
    date = resolve_as_of(loaded, as_of)
    if date is None:
        model_path = Path(model) if model is not None else paths.SHIPPED_MODEL
        history = matches
        date = matches["date"].max().date()
    else:
        history = matches[matches["date"] <= pd.Timestamp(date)]
        if history.empty:
            raise BadInputError(f"no results on or before {date} in the data")
        model_path = model_for_date(date, history, model, log=log)
    predictor = Predictor(model_path, history)

    def predict_fixtures(fixtures: pd.DataFrame):
        return predictor.predict_fixtures(fixtures.drop(columns=["date"], errors="ignore"))

    pair_probs = pair_probabilities(loaded.teams, loaded.hosts, predict_fixtures, date)
    result = simulate_tournament(loaded, pair_probs, runs=runs, seed=seed, progress=progress)
    actual = score = None
    year = _bundled_year(loaded.name) if not custom else None
    if year is not None and date < loaded.start_date:
        actual = actual_results(year)
        score = exit_log_score(result, actual)
    return Forecast(loaded, result, date, model_path, actual, score)


def _bundled_year(name: str) -> int | None:
    match = re.fullmatch(r"worldcup-(\d{4})", name or "")
    return int(match.group(1)) if match else None
