"""Goal-based attack/defence ratings: hand-worked updates and the walk-forward property."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import make_matches, synthetic_league
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from footy.errors import BadInputError
from footy.feature_sets import build_features, feature_names, fixture_features
from footy.goal_ratings import (
    GOAL_COLUMNS,
    GoalRules,
    goal_rating_features,
    goal_ratings,
    poisson_outcome_probabilities,
)


def test_hand_worked_first_matches():
    rules = GoalRules(rate=0.05, newcomer_boost=0.0, global_rate=0.0, mean_goals=1.0)
    table = make_matches(
        [
            ("2020-01-01", "A", "B", 2, 0),
            ("2020-01-01", "C", "A", 1, 1),
            ("2020-01-02", "A", "B", 0, 0),
        ]
    )
    ratings = goal_ratings(table, rules=rules)
    # Day 1: everyone at 0, so both matches see the same ratings (same-day matches
    # never see each other) and expect exp(0 + 0.3) home goals and exp(0) away goals.
    first = ratings.iloc[:2]
    assert (first[["home_attack", "home_defence", "away_attack", "away_defence"]] == 0).all().all()
    np.testing.assert_allclose(first["home_log_expected_goals"], 0.3)
    np.testing.assert_allclose(first["away_log_expected_goals"], 0.0)
    # Day 2: A's attack moved by 0.05 (2 - e^0.3) at home and 0.05 (1 - 1) away.
    error_home = 2 - math.exp(0.3)
    attack_a = 0.05 * error_home + 0.05 * (1 - 1)
    defence_a = -0.05 * (0 - 1) - 0.05 * (1 - math.exp(0.3))
    defence_b = -0.05 * error_home
    attack_b = 0.05 * (0 - 1)
    last = ratings.iloc[2]
    assert last["home_attack"] == pytest.approx(attack_a)
    assert last["home_defence"] == pytest.approx(defence_a)
    assert last["away_attack"] == pytest.approx(attack_b)
    assert last["away_defence"] == pytest.approx(defence_b)
    assert last["home_log_expected_goals"] == pytest.approx(0.3 + attack_a - defence_b)


def test_stronger_teams_get_better_ratings():
    table = synthetic_league(list("ABCDEF"), matches=600, seed=1)
    ratings = goal_ratings(table)
    last_home = ratings.groupby(table["home_team"]).last()
    # Team A scores most and concedes least in the synthetic league, F the opposite.
    assert last_home.loc["A", "home_attack"] > last_home.loc["F", "home_attack"]
    assert last_home.loc["A", "home_defence"] > last_home.loc["F", "home_defence"]


def test_poisson_probabilities_by_brute_force():
    home, away = np.array([1.7, 0.4, 3.0]), np.array([0.9, 2.2, 0.1])
    probs = poisson_outcome_probabilities(home, away, max_goals=25)
    goals = np.arange(26)
    fact = np.array([math.factorial(g) for g in goals], dtype=float)
    for i in range(3):
        ph = np.exp(-home[i]) * home[i] ** goals / fact
        pa = np.exp(-away[i]) * away[i] ** goals / fact
        joint = np.outer(ph, pa)
        expected = [np.tril(joint, -1).sum(), np.trace(joint), np.triu(joint, 1).sum()]
        np.testing.assert_allclose(probs[i], np.array(expected) / sum(expected), atol=1e-12)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)


def test_feature_group_and_fixtures():
    table = synthetic_league(list("ABCD"), matches=120, seed=2)
    x = build_features(table, ("seed", "goals"))
    assert list(x.columns[-4:]) == list(GOAL_COLUMNS)
    assert feature_names(("seed", "goals"))[-4:] == list(GOAL_COLUMNS)
    assert np.isfinite(x.to_numpy()).all()
    fixtures = pd.DataFrame({"home_team": ["A"], "away_team": ["D"], "neutral": [True]})
    later = fixture_features(table, fixtures, ("seed", "goals"))
    assert later.shape == (1, x.shape[1]) and np.isfinite(later.to_numpy()).all()


def test_unsorted_input_and_missing_scores():
    table = synthetic_league(list("ABC"), matches=60, seed=3)
    shuffled = table.sample(frac=1.0, random_state=0)
    pd.testing.assert_frame_equal(
        goal_rating_features(shuffled).sort_index(),
        goal_rating_features(table.sort_values("date", kind="stable")).sort_index(),
        check_exact=False,
        rtol=1e-12,
    )
    broken = table.astype({"home_goals": float})
    broken.loc[0, "home_goals"] = np.nan
    with pytest.raises(BadInputError, match="without a score"):
        goal_ratings(broken)


@st.composite
def matches_and_cut(draw):
    n = draw(st.integers(2, 25))
    teams = ["A", "B", "C", "D"]
    rows = []
    for _ in range(n):
        home = draw(st.sampled_from(teams))
        away = draw(st.sampled_from([t for t in teams if t != home]))
        rows.append(
            (
                f"2020-01-{draw(st.integers(1, 9)):02d}",
                home,
                away,
                draw(st.integers(0, 6)),
                draw(st.integers(0, 6)),
                draw(st.booleans()),
            )
        )
    table = make_matches(sorted(rows, key=lambda row: row[0]))
    cut = table["date"].iloc[draw(st.integers(0, n - 1))]
    later = np.flatnonzero((table["date"] >= cut).to_numpy()).tolist()
    deleted = draw(st.lists(st.sampled_from(later), unique=True))
    rescored = draw(st.lists(st.sampled_from(later), unique=True))
    return table, cut, deleted, rescored, draw(st.integers(0, 9))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(matches_and_cut())
def test_changing_results_on_or_after_a_day_never_changes_earlier_features(case):
    table, cut, deleted, rescored, new_goals = case
    before = goal_rating_features(table)
    changed = table.copy()
    changed.loc[rescored, "home_goals"] = new_goals
    changed = changed.drop(index=deleted)
    after = goal_rating_features(changed)
    # Every match up to and including the cut day: results of the cut day itself
    # must not reach the features of that day's matches either.
    kept = changed.index[(changed["date"] <= cut).to_numpy()]
    pd.testing.assert_frame_equal(after.loc[kept], before.loc[kept])
