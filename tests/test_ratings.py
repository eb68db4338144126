"""Elo ratings, tournament importance and the walk-forward property."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from footy.errors import BadInputError
from footy.matches import MATCH_COLUMNS
from footy.paths import INTERNATIONAL_RESULTS
from footy.ratings import (
    ELO_COLUMNS,
    IMPORTANCE_COLUMNS,
    INITIAL_RATING,
    K_BY_CLASS,
    EloRules,
    classify_tournaments,
    elo_features,
    elo_ratings_as_of,
    elo_win_expectancy,
    importance_features,
    pi_rating_features,
    read_tournament_importance,
)


def match_table(rows) -> pd.DataFrame:
    """Rows of (date, home, away, home_goals, away_goals, neutral, tournament)."""
    table = pd.DataFrame(
        rows,
        columns=list(MATCH_COLUMNS),
    )
    table["date"] = pd.to_datetime(table["date"])
    return table.astype({"home_goals": "int64", "away_goals": "int64", "neutral": bool})


HAND_WORKED = match_table(
    [
        ("2020-01-01", "A", "B", 1, 0, False, "Friendly"),
        ("2020-01-02", "B", "C", 3, 0, True, "FIFA World Cup"),
        ("2020-01-03", "A", "C", 2, 2, False, "UEFA Euro qualification"),
        ("2020-01-03", "C", "B", 0, 2, True, "Gold Cup qualification"),
    ]
)


def test_hand_worked_elo_updates():
    # We = 1 / (10 ** (-dr / 400) + 1), dr = own rating - opponent's + 100 if at home.
    # Day 1, A 1-0 B at A's home, friendly (K 20): dr = 100, We = 1 / (10 ** -0.25 + 1)
    #   = 1 / 1.562341 = 0.640065; A gains 20 * (1 - 0.640065) = 7.1987 -> A 1507.1987,
    #   B 1492.8013.
    # Day 2, B 3-0 C, neutral World Cup (K 60, won by 3: x (11 + 3) / 8 = 1.75 -> 105):
    #   dr = -7.1987, We = 1 / (10 ** 0.017997 + 1) = 0.489642; B gains 105 * 0.510358
    #   = 53.5876 -> B 1546.3889, C 1446.4124.
    # Day 3, two matches both rated from the ratings after day 2:
    #   A 2-2 C at A's home, Euro qualifier (K 40): dr = 1507.1987 - 1446.4124 + 100 = 160.786,
    #   We = 0.716174, A changes by 40 * (0.5 - 0.716174) = -8.6469;
    #   C 0-2 B neutral, Gold Cup qualifier (K 40, won by 2: x 1.5 -> 60): dr = -99.976,
    #   We(C) = 0.359966, C changes by 60 * (0 - 0.359966) = -21.5980.
    #   -> A 1498.5518, B 1567.9869, C 1446.4124 + 8.6469 - 21.5980 = 1433.4613.
    features = elo_features(HAND_WORKED)
    assert list(features.columns) == list(ELO_COLUMNS)
    expected_home = [1500.0, 1492.8013, 1507.1987, 1446.4124]
    expected_away = [1500.0, 1500.0, 1446.4124, 1546.3889]
    np.testing.assert_allclose(features["home_elo"], expected_home, atol=1e-3)
    np.testing.assert_allclose(features["away_elo"], expected_away, atol=1e-3)
    np.testing.assert_allclose(features["elo_diff"], features["home_elo"] - features["away_elo"])

    ratings = elo_ratings_as_of(HAND_WORKED)
    assert ratings["A"] == pytest.approx(1498.5518, abs=1e-3)
    assert ratings["B"] == pytest.approx(1567.9869, abs=1e-3)
    assert ratings["C"] == pytest.approx(1433.4613, abs=1e-3)
    assert sum(ratings.values()) == pytest.approx(3 * INITIAL_RATING)


def test_ratings_as_of_a_date_and_unknown_teams():
    as_of_day_2 = elo_ratings_as_of(HAND_WORKED, "2020-01-02")
    assert as_of_day_2["B"] == pytest.approx(1546.3889, abs=1e-3)
    assert as_of_day_2["Brazil"] == INITIAL_RATING
    assert "Brazil" not in as_of_day_2
    assert elo_ratings_as_of(HAND_WORKED, "2019-12-31") == {}
    with pytest.raises(BadInputError, match="as_of"):
        elo_ratings_as_of(HAND_WORKED, "not a date")


def test_win_expectancy():
    assert elo_win_expectancy(0) == pytest.approx(0.5)
    assert elo_win_expectancy(400) == pytest.approx(10 / 11)
    np.testing.assert_allclose(elo_win_expectancy([-150, 150]).sum(), 1.0)


def test_club_rules_and_kind_detection():
    # E0 is no international tournament: club rules, K 20, 60 points at home. Home win 2-0:
    # We = 1 / (10 ** -0.15 + 1) = 0.585499; x 1.5 for two goals: 30 * 0.414501 = 12.4350.
    club = match_table(
        [
            ("2020-08-01", "Arsenal", "Fulham", 2, 0, False, "E0"),
            ("2020-08-08", "Fulham", "Arsenal", 0, 0, False, "E0"),
        ]
    )
    assert elo_features(club)["away_elo"].iloc[1] == pytest.approx(1512.4350, abs=1e-3)
    assert elo_features(club, kind="club").equals(elo_features(club))
    # The same match as an unknown international tournament: K 30, 100 points at home.
    as_international = elo_features(club, kind="international")["away_elo"].iloc[1]
    assert as_international == pytest.approx(1500 + 45 * (1 - elo_win_expectancy(100)), abs=1e-6)
    with pytest.raises(BadInputError, match="kind"):
        elo_features(club, kind="martian")
    with pytest.raises(BadInputError, match="column"):
        elo_features(club.drop(columns="neutral"))


def test_rules_are_parameters():
    flat = EloRules(international_home_advantage=0, international_goal_multiplier=False)
    features = elo_features(HAND_WORKED, rules=flat)
    # Day 1 with no home advantage: We = 0.5, A gains 20 * 0.5 = 10.
    assert features["away_elo"].iloc[1] == pytest.approx(1500.0)
    assert features["home_elo"].iloc[1] == pytest.approx(1490.0)


def test_unsorted_input_and_order_within_a_day():
    features = elo_features(HAND_WORKED)
    shuffled = HAND_WORKED.iloc[[3, 1, 2, 0]]
    pd.testing.assert_frame_equal(elo_features(shuffled), features.loc[shuffled.index])
    pi = pi_rating_features(HAND_WORKED)
    pd.testing.assert_frame_equal(pi_rating_features(shuffled), pi.loc[shuffled.index])


def test_empty_table():
    empty = HAND_WORKED.iloc[:0]
    assert elo_features(empty).shape == (0, 3)
    assert importance_features(empty).shape == (0, 3)


def test_importance_features():
    table = match_table(
        [
            ("2020-01-01", "A", "B", 1, 0, False, name)
            for name in (
                "Friendly",
                "FIFA World Cup qualification",
                "FIFA World Cup",
                "UEFA Nations League",
                "Caribbean Shield qualification",
                "E0",
            )
        ]
    )
    flags = importance_features(table)
    assert list(flags.columns) == list(IMPORTANCE_COLUMNS)
    assert flags.to_numpy().tolist() == [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
        [0, 0, 0],
        [0, 1, 0],
        [0, 0, 0],
    ]


def test_unknown_tournaments_fall_back():
    classes = classify_tournaments(
        ["Unheard-of Cup", "Club friendly", "UEFA Euro qualification", "Gold Cup qualification"]
    )
    assert classes["k"].tolist() == [30.0, 20.0, 40.0, 40.0]
    assert classes["known"].tolist() == [False, False, True, True]
    assert classify_tournaments(["Unheard-of Cup qualification"])["k"].item() == 30.0


def test_importance_file_covers_the_bundled_results():
    table = read_tournament_importance()
    names = set(pd.read_csv(INTERNATIONAL_RESULTS, usecols=["tournament"])["tournament"])
    assert names <= set(table.index)
    assert (table["k"] == table["class"].map(K_BY_CLASS)).all()
    expected = {
        "FIFA World Cup": ("finals", 60),
        "FIFA World Cup qualification": ("qualifier", 40),
        "UEFA Euro": ("finals", 50),
        "Copa América": ("finals", 50),
        "African Cup of Nations": ("finals", 50),
        "AFC Asian Cup": ("finals", 50),
        "Gold Cup": ("finals", 50),
        "Confederations Cup": ("finals", 50),
        "UEFA Nations League": ("other", 40),
        "CONCACAF Nations League": ("other", 40),
        "Friendly": ("friendly", 20),
        "British Home Championship": ("other", 30),
    }
    for name, (importance, k) in expected.items():
        assert (table.loc[name, "importance"], table.loc[name, "k"]) == (importance, k), name


def test_hand_worked_pi_ratings():
    table = match_table(
        [
            ("2020-01-01", "A", "B", 2, 0, False, "E0"),
            ("2020-01-02", "B", "A", 1, 1, False, "E0"),
            ("2020-01-03", "A", "B", 0, 1, True, "E0"),
        ]
    )
    # Match 1: all ratings 0, so 0 goals expected; error 2, step 0.035 * 3 log10(3) = 0.050098.
    #   A home +0.050098, A away +0.7 * that = 0.035068; B away -0.050098, B home -0.035068.
    # Match 2, B at home to A: B home -0.035068, A away 0.035068; expected goal difference
    #   -2 (10 ** (0.035068 / 3) - 1) = -0.054563; 1-1 gives error 0.054563,
    #   step 0.035 * 3 log10(1.054563) = 0.002423: B home -0.032646, B away -0.048402,
    #   A away 0.032646, A home 0.048402.
    # Match 3, neutral: each side plays on the mean of its ratings, A +0.040524, B -0.040524,
    #   expecting 2 (10 ** (0.040524 / 3) - 1) = 0.063184 goals.
    pi = pi_rating_features(table)
    np.testing.assert_allclose(pi["home_pi"], [0.0, -0.035068, 0.040524], atol=1e-6)
    np.testing.assert_allclose(pi["away_pi"], [0.0, 0.035068, -0.040524], atol=1e-6)
    np.testing.assert_allclose(pi["pi_goal_diff"], [0.0, -0.054563, 0.063184], atol=1e-6)


# --- walk-forward: the future never leaks into a match's features ---------------------------

TEAMS = ["A", "B", "C", "D", "E"]
TOURNAMENTS = ["Friendly", "FIFA World Cup", "UEFA Euro qualification", "UEFA Nations League"]


@st.composite
def matches_and_cut(draw):
    n = draw(st.integers(2, 30))
    rows = []
    for _ in range(n):
        home, away = draw(st.lists(st.sampled_from(TEAMS), min_size=2, max_size=2, unique=True))
        rows.append(
            (
                pd.Timestamp("2020-01-01") + pd.Timedelta(days=draw(st.integers(0, 8))),
                home,
                away,
                draw(st.integers(0, 5)),
                draw(st.integers(0, 5)),
                draw(st.booleans()),
                draw(st.sampled_from(TOURNAMENTS)),
            )
        )
    table = match_table(sorted(rows, key=lambda row: row[0]))
    cut = table["date"].iloc[draw(st.integers(0, n - 1))]
    later = np.flatnonzero((table["date"] >= cut).to_numpy())
    deleted = draw(st.lists(st.sampled_from(later.tolist()), unique=True))
    rescored = draw(st.lists(st.sampled_from(later.tolist()), unique=True))
    new_goals = draw(st.integers(0, 9))
    kind = draw(st.sampled_from([None, "international", "club"]))
    return table, cut, deleted, rescored, new_goals, kind


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(matches_and_cut())
def test_changing_later_matches_never_changes_earlier_features(case):
    table, cut, deleted, rescored, new_goals, kind = case
    before = elo_features(table, kind=kind)
    changed = table.copy()
    changed.loc[rescored, "home_goals"] = new_goals
    changed.loc[rescored, "tournament"] = "FIFA World Cup"
    changed = changed.drop(index=deleted)
    after = elo_features(changed, kind=kind)
    kept = changed.index[(changed["date"] <= cut).to_numpy()]
    pd.testing.assert_frame_equal(after.loc[kept], before.loc[kept])
    pi_before, pi_after = pi_rating_features(table), pi_rating_features(changed)
    pd.testing.assert_frame_equal(pi_after.loc[kept], pi_before.loc[kept])
    # The ratings known on the day before the cut do not move either.
    day_before = cut - pd.Timedelta(days=1)
    assert elo_ratings_as_of(changed, day_before, kind=kind) == elo_ratings_as_of(
        table, day_before, kind=kind
    )


@settings(max_examples=30, deadline=None)
@given(matches_and_cut())
def test_features_are_the_ratings_as_of_the_day_before(case):
    table, *_, kind = case
    features = elo_features(table, kind=kind)
    for date, day in table.groupby("date"):
        ratings = elo_ratings_as_of(table, date - pd.Timedelta(days=1), kind=kind)
        np.testing.assert_allclose(
            features.loc[day.index, "home_elo"], day["home_team"].map(ratings)
        )
        np.testing.assert_allclose(
            features.loc[day.index, "away_elo"], day["away_team"].map(ratings)
        )
