"""Named feature groups, composable, the tutorial's 12 inputs always first.

A feature set is an ordered list of group names; ``seed`` is the tutorial's 12
and is always included first. Each group is a pure function of the match table
(frame in, frame out, same index) whose values for a match on date D depend only
on matches dated strictly before D (and on the match's own venue and competition,
which are known before kick-off).

==============  ==========================================================
``seed``        the 12 tutorial form features (:mod:`footy.features`)
``venue``       ``neutral``: 1 at a neutral venue, 0 when the first-named side is
                at home (a World Cup host playing in its own country is at home)
``elo``         each side's pre-match Elo rating and their difference (:mod:`footy.ratings`)
``importance``  friendly / qualifier / finals tournament flags (:mod:`footy.ratings`)
``pi``          pi-ratings (Constantinou & Fenton): each side's rating and the
                expected goal difference (:mod:`footy.ratings`)
``goals``       attack/defence ratings from goals: each side's log expected goals and
                the Poisson home-win and away-win probabilities (:mod:`footy.goal_ratings`)
==============  ==========================================================

Fixtures (matches not yet played) get their features by being appended to the
known results one day after the last known date: walk-forward by construction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from footy.errors import BadInputError
from footy.features import DEFAULT_WINDOW, features


def _seed(matches: pd.DataFrame, window: int) -> pd.DataFrame:
    return features(matches, window)


def _venue(matches: pd.DataFrame, window: int) -> pd.DataFrame:
    return pd.DataFrame({"neutral": matches["neutral"].astype(float)}, index=matches.index)


def _elo(matches: pd.DataFrame, window: int) -> pd.DataFrame:
    from footy.ratings import elo_features

    return elo_features(matches)


def _importance(matches: pd.DataFrame, window: int) -> pd.DataFrame:
    from footy.ratings import importance_features

    return importance_features(matches).astype(float)


def _pi(matches: pd.DataFrame, window: int) -> pd.DataFrame:
    from footy.ratings import pi_rating_features

    return pi_rating_features(matches)


def _goals(matches: pd.DataFrame, window: int) -> pd.DataFrame:
    from footy.goal_ratings import goal_rating_features

    return goal_rating_features(matches)


GROUPS: dict[str, Callable[[pd.DataFrame, int], pd.DataFrame]] = {
    "seed": _seed,
    "venue": _venue,
    "elo": _elo,
    "importance": _importance,
    "pi": _pi,
    "goals": _goals,
}
# The set `footy train` uses unless told otherwise (see the README's evaluation).
DEFAULT_FEATURE_SET = ("seed", "venue", "elo", "pi", "goals")


def parse_feature_set(text: str | Sequence[str] | None) -> tuple[str, ...]:
    """``"seed,elo"`` -> ``("seed", "elo")``; ``seed`` always first, no repeats."""
    if text is None:
        return DEFAULT_FEATURE_SET
    names = [t.strip() for t in text.split(",")] if isinstance(text, str) else list(text)
    names = [n for n in names if n]
    unknown = [n for n in names if n not in GROUPS]
    if unknown:
        raise BadInputError(
            f"unknown feature group(s) {', '.join(unknown)}; choose from {', '.join(GROUPS)}"
        )
    ordered = ["seed"] + [n for n in dict.fromkeys(names) if n != "seed"]
    return tuple(ordered)


def build_features(
    matches: pd.DataFrame,
    feature_set: Sequence[str] = DEFAULT_FEATURE_SET,
    window: int = DEFAULT_WINDOW,
) -> pd.DataFrame:
    """All columns of the feature set for every match, aligned with ``matches.index``."""
    frames = [GROUPS[name](matches, window) for name in parse_feature_set(feature_set)]
    return pd.concat(frames, axis=1)


def fixture_features(
    history: pd.DataFrame,
    fixtures: pd.DataFrame,
    feature_set: Sequence[str] = DEFAULT_FEATURE_SET,
    window: int = DEFAULT_WINDOW,
) -> pd.DataFrame:
    """Features of fixtures not yet played, from every result in ``history``.

    ``fixtures`` needs ``home_team``, ``away_team`` and ``neutral`` (and may have
    ``tournament``). All fixtures are placed one day after the last result, so
    none sees another's (unknown) result.
    """
    day = (
        history["date"].max() + pd.Timedelta(days=1) if len(history) else pd.Timestamp("2000-01-01")
    )
    pending = pd.DataFrame(
        {
            "date": day,
            "home_team": fixtures["home_team"].to_numpy(object),
            "away_team": fixtures["away_team"].to_numpy(object),
            "home_goals": 0,
            "away_goals": 0,
            "neutral": fixtures["neutral"].to_numpy(bool),
            "tournament": (
                fixtures["tournament"].to_numpy(object) if "tournament" in fixtures else "Friendly"
            ),
        }
    )
    combined = pd.concat([history[list(pending.columns)], pending], ignore_index=True)
    out = build_features(combined, feature_set, window).iloc[len(history) :]
    out.index = fixtures.index
    return out


def feature_names(feature_set: Sequence[str], window: int = DEFAULT_WINDOW) -> list[str]:
    """The column names a feature set gives (computed on a two-match table)."""
    probe = pd.DataFrame(
        {
            "date": pd.to_datetime(["2000-01-01", "2000-01-02"]),
            "home_team": ["A", "B"],
            "away_team": ["B", "A"],
            "home_goals": np.array([1, 0]),
            "away_goals": np.array([0, 0]),
            "neutral": [False, True],
            "tournament": ["Friendly", "Friendly"],
        }
    )
    return list(build_features(probe, feature_set, window).columns)
