"""Each team's latest state, kept next to a model, so `footy predict` need not re-read
the results and recompute every rating to answer one fixture.

The state holds, per team, what a fixture's features are made of: the six form
features, the Elo rating and the two pi-ratings, as they stand after the last
result of the model's data files. It is valid only for exactly those files
(checked by sha256) and for predictions as of their last result; anything else
falls back to the full computation (:func:`footy.feature_sets.fixture_features`),
which gives the same numbers (a test checks it to 1e-6).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from footy.feature_sets import fixture_features, parse_feature_set
from footy.features import FORM_FEATURES
from footy.files import write_text_atomic
from footy.matches import teams

SUPPORTED_GROUPS = {"seed", "venue", "elo", "importance", "pi", "goals"}
_PROBE = "\x00probe"  # a team with no history, as the other side of probe fixtures
_PROBE2 = "\x00probe2"


def state_path(model_path: Path) -> Path:
    """``NAME.keras`` -> ``NAME.state.json``."""
    return Path(model_path).with_suffix(".state.json")


def build_team_state(matches: pd.DataFrame, feature_set: Sequence[str], window: int) -> dict:
    """Every team's state after the last result of ``matches``.

    Computed through :func:`fixture_features` itself (each team against a team with
    no history), so it cannot drift from the full path.
    """
    feature_set = parse_feature_set(feature_set)
    names = teams(matches)
    n = len(names)
    # Each team at home, away and at a neutral venue against a team with no history;
    # then two such teams against each other (the goal ratings' global level and home
    # advantage).
    probes = pd.DataFrame(
        {
            "home_team": [*names, *[_PROBE] * n, *names, _PROBE, _PROBE],
            "away_team": [*[_PROBE] * n, *names, *[_PROBE] * n, _PROBE2, _PROBE2],
            "neutral": [False] * (2 * n) + [True] * n + [False, True],
        }
    )
    x = fixture_features(matches, probes, feature_set, window)
    at_home, away, neutral = x.iloc[:n], x.iloc[n : 2 * n], x.iloc[2 * n : 3 * n]
    blank_home, blank_neutral = x.iloc[3 * n], x.iloc[3 * n + 1]
    globals_: dict[str, float] = {}
    columns: dict[str, list[float]] = {}
    if "seed" in feature_set:
        for f in FORM_FEATURES:
            columns[f] = at_home[f"home_{f}"].tolist()
    if "elo" in feature_set:
        columns["elo"] = at_home["home_elo"].tolist()
    if "pi" in feature_set:
        columns["pi_home"] = at_home["home_pi"].tolist()
        columns["pi_away"] = away["away_pi"].tolist()
        columns["pi_neutral"] = neutral["home_pi"].tolist()
    if "goals" in feature_set:
        # log expected goals = level + home advantage (not neutral) + attack - defence
        level = float(blank_neutral["home_log_expected_goals"])
        columns["goal_attack"] = neutral["home_log_expected_goals"].tolist()  # level + attack
        columns["goal_defence"] = neutral["away_log_expected_goals"].tolist()  # level - defence
        globals_["goal_level"] = level
        globals_["goal_home_advantage"] = float(blank_home["home_log_expected_goals"]) - level
    return {
        "feature_set": list(feature_set),
        "window": int(window),
        "as_of": matches["date"].max().date().isoformat(),
        "data_files": [f["sha256"] for f in matches.attrs.get("files", [])],
        "teams": names,
        "columns": columns,
        "globals": globals_,
    }


def save_team_state(path: Path, state: dict) -> None:
    write_text_atomic(path, json.dumps(state, separators=(",", ":")) + "\n")


def load_team_state(path: Path) -> dict | None:
    """The state file, or None when it is missing or unreadable (then use the full path)."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def state_features(state: dict, fixtures: pd.DataFrame, feature_set: Sequence[str]) -> np.ndarray:
    """The feature matrix of ``fixtures`` (home_team, away_team, neutral) from the state."""
    from footy.ratings import DEFAULT_PI_RULES, importance_features

    feature_set = parse_feature_set(feature_set)
    index = {name: i for i, name in enumerate(state["teams"])}
    home = np.array([index[t] for t in fixtures["home_team"]])
    away = np.array([index[t] for t in fixtures["away_team"]])
    neutral = fixtures["neutral"].to_numpy(bool)
    col = {k: np.asarray(v, dtype=float) for k, v in state["columns"].items()}
    parts = []
    for group in feature_set:
        if group == "seed":
            parts += [col[f][home] for f in FORM_FEATURES] + [col[f][away] for f in FORM_FEATURES]
        elif group == "venue":
            parts.append(neutral.astype(float))
        elif group == "elo":
            parts += [col["elo"][home], col["elo"][away], col["elo"][home] - col["elo"][away]]
        elif group == "importance":
            tournaments = fixtures.get("tournament", "Friendly")
            flags = importance_features(
                pd.DataFrame({"tournament": tournaments}, index=fixtures.index)
            )
            parts += [flags[c].to_numpy(float) for c in flags.columns]
        elif group == "pi":
            home_pi = np.where(neutral, col["pi_neutral"][home], col["pi_home"][home])
            away_pi = np.where(neutral, col["pi_neutral"][away], col["pi_away"][away])
            c = DEFAULT_PI_RULES.c
            expected = _pi_goals(home_pi, c) - _pi_goals(away_pi, c)
            parts += [home_pi, away_pi, expected]
        elif group == "goals":
            from footy.goal_ratings import poisson_outcome_probabilities

            g = state["globals"]
            attack, defence = col["goal_attack"], col["goal_defence"]
            log_home = attack[home] + defence[away] - g["goal_level"]
            log_home = log_home + np.where(neutral, 0.0, g["goal_home_advantage"])
            log_away = attack[away] + defence[home] - g["goal_level"]
            probs = poisson_outcome_probabilities(np.exp(log_home), np.exp(log_away))
            parts += [log_home, log_away, probs[:, 0], probs[:, 2]]
        else:
            raise KeyError(group)
    return np.column_stack(parts)


def _pi_goals(rating: np.ndarray, c: float) -> np.ndarray:
    """The goal difference a pi-rating expects (Constantinou & Fenton)."""
    return np.sign(rating) * (10.0 ** (np.abs(rating) / c) - 1.0)


def usable(state: dict | None, feature_set: Sequence[str], window: int, data_hashes) -> bool:
    """Whether a state file answers for these features and exactly these data files."""
    return (
        state is not None
        and list(state.get("feature_set", [])) == list(parse_feature_set(feature_set))
        and state.get("window") == window
        and set(parse_feature_set(feature_set)) <= SUPPORTED_GROUPS
        and list(state.get("data_files", [])) == list(data_hashes)
    )
