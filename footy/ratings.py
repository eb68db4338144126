"""Elo ratings and tournament importance, computed walk-forward on the match table.

Internationals follow the World Football Elo rules (eloratings.net): K by the importance
of the tournament (60 World Cup finals, 50 continental finals and major intercontinental
tournaments, 40 World Cup and continental qualifiers and other major tournaments, 30 other
tournaments, 20 friendlies; the map is ``data/tournament_importance.csv``), K times 1.5 for a
win by two goals and (11 + N) / 8 for a win by N >= 3, and 100 points for the home side
unless the venue is neutral. Club leagues use one K (20) and 60 points of home advantage, with
the same goal multiplier: on the bundled Premier League and La Liga seasons (test 2020/21 on)
K 20 beat 10, 15, 25, 30 and 40, and the multiplier lowered the RPS (0.2011 against 0.2014);
the home advantage hardly matters there because every club match has a home side.

Walk-forward: the ratings a match on day D sees are those after every match strictly before
D. All matches of one day are rated from the ratings as they stood before that day, and the
day's updates are applied together afterwards, so a team playing twice on a day (it happens)
and the order of a day's rows change nothing. ``pi_rating_features`` (Constantinou & Fenton
pi-ratings) follows the same rule.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from footy.errors import BadInputError, FootyError
from footy.paths import DATA

TOURNAMENT_IMPORTANCE = DATA / "tournament_importance.csv"
INITIAL_RATING = 1500.0
IMPORTANCE_LEVELS = ("friendly", "qualifier", "finals", "other")
K_BY_CLASS = {
    "world_cup_finals": 60.0,
    "continental_finals": 50.0,
    "major": 40.0,
    "minor": 30.0,
    "friendly": 20.0,
}
ELO_COLUMNS = ("home_elo", "away_elo", "elo_diff")
IMPORTANCE_COLUMNS = ("is_friendly", "is_qualifier", "is_finals")
KINDS = ("international", "club")
_MATCH_COLUMNS = ("date", "home_team", "away_team", "home_goals", "away_goals", "neutral")


@dataclass(frozen=True)
class EloRules:
    """The free parameters of the Elo update.

    ``international_k_scale`` multiplies the K of the importance file (1 = eloratings.net);
    ``goal_multiplier`` switches the goal-difference multiplier on for that kind of match.
    """

    international_home_advantage: float = 100.0
    international_k_scale: float = 1.0
    international_goal_multiplier: bool = True
    club_k: float = 20.0
    club_home_advantage: float = 60.0
    club_goal_multiplier: bool = True


DEFAULT_RULES = EloRules()


class EloRatings(dict):
    """Team -> rating; a team never seen has the initial rating (1500) and is not added."""

    def __missing__(self, team: str) -> float:
        return INITIAL_RATING


def elo_win_expectancy(diff):
    """Expected score (win = 1, draw = 1/2) of a side rated ``diff`` points above its opponent."""
    return 1.0 / (10.0 ** (-np.asarray(diff, dtype=float) / 400.0) + 1.0)


# --- the tournament importance file -------------------------------------------------------


@lru_cache(maxsize=4)
def read_tournament_importance(path: Path = TOURNAMENT_IMPORTANCE) -> pd.DataFrame:
    """The hand-reviewed map tournament -> importance, class and K, indexed by tournament."""
    try:
        table = pd.read_csv(path, dtype={"tournament": str}, keep_default_na=False)
    except OSError as exc:
        raise FootyError(f"cannot read the tournament importance file {path}: {exc}") from exc
    expected = ["tournament", "importance", "class", "k"]
    if list(table.columns) != expected:
        raise FootyError(f"{path}: expected the columns {expected}, got {list(table.columns)}")
    bad = ~table["importance"].isin(IMPORTANCE_LEVELS) | ~table["class"].isin(K_BY_CLASS)
    bad |= table["k"].astype(float) != table["class"].map(K_BY_CLASS)
    if bad.any() or table["tournament"].duplicated().any():
        rows = (np.flatnonzero(bad | table["tournament"].duplicated()) + 2).tolist()
        raise FootyError(
            f"{path}, line(s) {rows}: importance must be one of {IMPORTANCE_LEVELS}, class one "
            f"of {list(K_BY_CLASS)} with its K, and every tournament listed once"
        )
    return table.set_index("tournament")


def classify_tournaments(tournaments: Iterable[str]) -> pd.DataFrame:
    """Importance, K class, K and whether the name is in the importance file, per name.

    Names not in the file never fail: a name containing "friendly" is a friendly (K 20), a
    name ending in "qualification" a qualifier (K 40 when it qualifies for a World Cup or a
    continental final tournament of the file, else 30), anything else another tournament
    (K 30). Club divisions ("E0", "club") land in the last group.
    """
    names = pd.unique(np.asarray(list(tournaments), dtype=object))
    rows = [_tournament_class(str(name)) for name in names]
    out = pd.DataFrame(rows, columns=["importance", "class", "known"], index=names)
    out.index.name = "tournament"
    out.insert(2, "k", out["class"].map(K_BY_CLASS).astype(float))
    return out


@lru_cache(maxsize=4096)
def _tournament_class(name: str) -> tuple[str, str, bool]:
    table = read_tournament_importance()
    if name in table.index:
        return table.loc[name, "importance"], table.loc[name, "class"], True
    lowered = name.lower()
    if "friendly" in lowered:
        return "friendly", "friendly", False
    if lowered.endswith("qualification"):
        base = name[: -len("qualification")].strip()
        finals = base in table.index and table.loc[base, "importance"] == "finals"
        return "qualifier", "major" if finals else "minor", False
    return "other", "minor", False


def importance_features(matches: pd.DataFrame) -> pd.DataFrame:
    """One-hot friendly / qualifier / finals flags (all 0 = another tournament or a league).

    A match's flags depend on its own tournament name only. Columns ``is_friendly``,
    ``is_qualifier``, ``is_finals`` (int8), aligned with ``matches.index``.
    """
    _require(matches, ("tournament",))
    codes, names = pd.factorize(matches["tournament"].astype(str))
    importance = np.array([_tournament_class(str(name))[0] for name in names], dtype=object)
    importance = importance[codes]
    return pd.DataFrame(
        {f"is_{level}": (importance == level).astype(np.int8) for level in IMPORTANCE_LEVELS[:3]},
        index=matches.index,
    )


# --- Elo ------------------------------------------------------------------------------------


def elo_features(
    matches: pd.DataFrame, *, kind: str | None = None, rules: EloRules = DEFAULT_RULES
) -> pd.DataFrame:
    """Each side's Elo rating before the match and their difference, walk-forward.

    Parameters
    ----------
    matches
        The match table (``date, home_team, away_team, home_goals, away_goals, neutral``,
        plus ``tournament`` for internationals). Need not be sorted; ties keep row order.
    kind
        ``"international"`` (World Football Elo rules for every row), ``"club"`` (club rules
        for every row) or None: rows whose tournament is in the importance file use the
        international rules, the other rows follow the majority of the table.
    rules
        The Elo parameters (home advantage, K, goal multiplier); the defaults are the
        documented ones.

    Returns
    -------
    DataFrame with ``home_elo``, ``away_elo`` and ``elo_diff = home_elo - away_elo``, aligned
    with ``matches.index``. The difference carries no home advantage: the venue is a separate
    feature (``neutral``), so a model learns its weight instead of inheriting ours.
    """
    pre_home, pre_away, _, _ = _run_elo(matches, kind, rules)
    return pd.DataFrame(
        {"home_elo": pre_home, "away_elo": pre_away, "elo_diff": pre_home - pre_away},
        index=matches.index,
    )


def elo_ratings_as_of(
    matches: pd.DataFrame, as_of=None, *, kind: str | None = None, rules: EloRules = DEFAULT_RULES
) -> EloRatings:
    """Every team's rating after all matches dated on or before ``as_of`` (None: all).

    Returns an :class:`EloRatings` dict sorted by team; looking up a team that has not played
    gives 1500, the rating every team starts from.
    """
    _require(matches, _MATCH_COLUMNS)
    if as_of is not None:
        try:
            cutoff = pd.Timestamp(as_of)
        except (TypeError, ValueError) as exc:
            raise BadInputError(f"as_of must be a date like 2026-06-10, got {as_of!r}") from exc
        matches = matches[pd.to_datetime(matches["date"]) <= cutoff]
    _, _, ratings, teams = _run_elo(matches, kind, rules)
    order = np.argsort(teams, kind="stable")
    return EloRatings(zip(teams[order].tolist(), ratings[order].tolist(), strict=True))


def _require(matches: pd.DataFrame, columns: Iterable[str]) -> None:
    missing = [c for c in columns if c not in matches.columns]
    if missing:
        raise BadInputError(
            f"the match table lacks the column(s) {missing}; read results with "
            "footy.matches.read_matches"
        )


def _row_kinds(tournaments: pd.Series, kind: str | None) -> np.ndarray:
    """True where a row is rated with the international rules."""
    if kind is not None:
        if kind not in KINDS:
            raise BadInputError(f"kind must be one of {KINDS} or None, got {kind!r}")
        return np.full(len(tournaments), kind == "international")
    codes, names = pd.factorize(tournaments)
    known = np.array([_tournament_class(str(name))[2] for name in names], dtype=bool)[codes]
    return known | (known.mean() >= 0.5 if len(known) else False)


def _match_k(matches: pd.DataFrame, international: np.ndarray, rules: EloRules) -> np.ndarray:
    """K of every match, goal-difference multiplier included."""
    k = np.full(len(matches), rules.club_k, dtype=float)
    if international.any():
        codes, names = pd.factorize(matches["tournament"].astype(str))
        class_k = [K_BY_CLASS[_tournament_class(str(name))[1]] for name in names]
        table_k = np.asarray(class_k, dtype=float)[codes] * rules.international_k_scale
        k = np.where(international, table_k, k)
    margin = np.abs(matches["home_goals"].to_numpy() - matches["away_goals"].to_numpy())
    multiplier = np.where(margin <= 1, 1.0, np.where(margin == 2, 1.5, (11.0 + margin) / 8.0))
    use = np.where(international, rules.international_goal_multiplier, rules.club_goal_multiplier)
    return k * np.where(use, multiplier, 1.0)


def _run_elo(
    matches: pd.DataFrame, kind: str | None, rules: EloRules
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pre-match ratings (in the rows' order), final ratings and the team names they belong to."""
    _require(matches, _MATCH_COLUMNS + (("tournament",) if kind == "international" else ()))
    n = len(matches)
    goals = matches[["home_goals", "away_goals"]]
    if goals.isna().to_numpy().any():
        raise BadInputError("the match table has matches without a score; rate results only")
    tournaments = matches["tournament"] if "tournament" in matches else pd.Series([""] * n)
    international = _row_kinds(tournaments.astype(str), kind)
    k = _match_k(matches, international, rules)
    neutral = matches["neutral"].to_numpy(dtype=bool)
    home_advantage = np.where(
        international, rules.international_home_advantage, rules.club_home_advantage
    )
    home_advantage = np.where(neutral, 0.0, home_advantage)
    diff = matches["home_goals"].to_numpy() - matches["away_goals"].to_numpy()
    score = np.where(diff > 0, 1.0, np.where(diff == 0, 0.5, 0.0))

    days, home, away, teams, order = _sequence(matches)
    pre_home, pre_away, ratings = _elo_loop(
        days, home, away, home_advantage[order], k[order], score[order], len(teams)
    )
    return _unsort(pre_home, order), _unsort(pre_away, order), ratings, teams


def _sequence(matches: pd.DataFrame):
    """Days, home and away team codes in date order (stable), the team names and that order."""
    n = len(matches)
    codes, teams = pd.factorize(
        np.concatenate([matches["home_team"].to_numpy(), matches["away_team"].to_numpy()])
    )
    days = pd.to_datetime(matches["date"]).to_numpy().astype("datetime64[D]").astype(np.int64)
    order = np.argsort(days, kind="stable")
    return days[order], codes[:n][order], codes[n:][order], np.asarray(teams, dtype=object), order


def _unsort(values: np.ndarray, order: np.ndarray) -> np.ndarray:
    out = np.empty(len(order))
    out[order] = values
    return out


def _day_bounds(days: np.ndarray) -> list[tuple[int, int]]:
    starts = [0, *(np.flatnonzero(np.diff(days)) + 1).tolist()]
    return list(zip(starts, [*starts[1:], len(days)], strict=True))


def _elo_loop(days, home, away, home_advantage, k, score, n_teams):
    """The sequential part, on plain Python lists (a per-row numpy or pandas call is slower).

    A day's matches all read the ratings as they stood before the day; their updates are
    applied together when the day is over.
    """
    ratings = [INITIAL_RATING] * n_teams
    pre_home, pre_away = [], []
    home, away = home.tolist(), away.tolist()
    home_advantage, k, score = home_advantage.tolist(), k.tolist(), score.tolist()
    for start, end in _day_bounds(days):
        deltas = []
        for j in range(start, end):
            home_rating, away_rating = ratings[home[j]], ratings[away[j]]
            pre_home.append(home_rating)
            pre_away.append(away_rating)
            expected = 1.0 / (10.0 ** ((away_rating - home_rating - home_advantage[j]) / 400.0) + 1)
            deltas.append(k[j] * (score[j] - expected))
        for j, delta in zip(range(start, end), deltas, strict=True):
            ratings[home[j]] += delta
            ratings[away[j]] -= delta
    return np.asarray(pre_home), np.asarray(pre_away), np.asarray(ratings)


# --- pi-ratings -----------------------------------------------------------------------------

PI_COLUMNS = ("home_pi", "away_pi", "pi_goal_diff")


@dataclass(frozen=True)
class PiRules:
    """Constantinou & Fenton (2013) pi-rating parameters: learning rates and the log base."""

    learning_rate: float = 0.035
    cross_rate: float = 0.7
    c: float = 3.0


DEFAULT_PI_RULES = PiRules()


def pi_rating_features(matches: pd.DataFrame, *, rules: PiRules = DEFAULT_PI_RULES) -> pd.DataFrame:
    """Pi-ratings (Constantinou & Fenton 2013) before each match, walk-forward like Elo.

    Every team has a home and an away rating in goal-difference units; a rating R expects a
    goal difference of sign(R) (10 ** (|R| / c) - 1). After a match the side's venue rating
    moves by ``learning_rate`` times c log10(1 + error), and its other rating by ``cross_rate``
    times that. At a neutral venue (not in the paper) a side plays on the mean of its two
    ratings and both move by the full step.

    Returns ``home_pi`` (the home side's rating for this venue), ``away_pi`` (the away side's)
    and ``pi_goal_diff`` (the goal difference the ratings expect), aligned with
    ``matches.index``.
    """
    _require(matches, _MATCH_COLUMNS)
    if matches[["home_goals", "away_goals"]].isna().to_numpy().any():
        raise BadInputError("the match table has matches without a score; rate results only")
    days, home, away, teams, order = _sequence(matches)
    goal_diff = (matches["home_goals"].to_numpy() - matches["away_goals"].to_numpy())[order]
    neutral = matches["neutral"].to_numpy(dtype=bool)[order]
    pre_home, pre_away, expected = _pi_loop(days, home, away, goal_diff, neutral, len(teams), rules)
    return pd.DataFrame(
        {
            "home_pi": _unsort(pre_home, order),
            "away_pi": _unsort(pre_away, order),
            "pi_goal_diff": _unsort(expected, order),
        },
        index=matches.index,
    )


def _pi_loop(days, home, away, goal_diff, neutral, n_teams, rules: PiRules):
    c, lam, gamma = rules.c, rules.learning_rate, rules.cross_rate

    def goals(rating: float) -> float:
        return math.copysign(10.0 ** (abs(rating) / c) - 1.0, rating)

    at_home, on_road = [0.0] * n_teams, [0.0] * n_teams
    pre_home, pre_away, expected_diff = [], [], []
    home, away = home.tolist(), away.tolist()
    goal_diff, neutral = goal_diff.tolist(), neutral.tolist()
    for start, end in _day_bounds(days):
        steps = []
        for j in range(start, end):
            h, a = home[j], away[j]
            if neutral[j]:
                home_rating = (at_home[h] + on_road[h]) / 2
                away_rating = (at_home[a] + on_road[a]) / 2
            else:
                home_rating, away_rating = at_home[h], on_road[a]
            expected = goals(home_rating) - goals(away_rating)
            pre_home.append(home_rating)
            pre_away.append(away_rating)
            expected_diff.append(expected)
            error = goal_diff[j] - expected
            steps.append(math.copysign(c * math.log10(1.0 + abs(error)), error) * lam)
        for j, step in zip(range(start, end), steps, strict=True):
            h, a = home[j], away[j]
            if neutral[j]:
                at_home[h] += step
                on_road[h] += step
                at_home[a] -= step
                on_road[a] -= step
            else:
                at_home[h] += step
                on_road[h] += step * gamma
                on_road[a] -= step
                at_home[a] -= step * gamma
    return np.asarray(pre_home), np.asarray(pre_away), np.asarray(expected_diff)
