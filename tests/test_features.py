"""The tutorial features: hand-computed values and the walk-forward property."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import make_matches
from hypothesis import given, settings
from hypothesis import strategies as st

from footy.cli import main
from footy.features import FORM_FEATURES, SEED_COLUMNS, features, team_form
from footy.reference import reference_features


def side(frame: pd.DataFrame, row: int, team_side: str) -> list[float]:
    return frame.loc[row, [f"{team_side}_{f}" for f in FORM_FEATURES]].tolist()


def test_columns_and_alignment(small_league):
    result = features(small_league, window=40)
    assert list(result.columns) == list(SEED_COLUMNS)
    assert result.index.equals(small_league.index)


def test_no_history_gives_zeros(small_league):
    result = features(small_league, window=40)
    assert side(result, 0, "home") == [0.0] * 6
    assert side(result, 0, "away") == [0.0] * 6


def test_hand_computed_values(small_league):
    result = features(small_league, window=40)
    # Match 3 (2020-01-04, A v C): A has W 2-0, W 1-0, D 1-1; C has L 0-1.
    assert side(result, 3, "home") == pytest.approx([2 / 3, 1 / 3, 0, 4 / 3, 1 / 3, 2 / 3])
    assert side(result, 3, "away") == pytest.approx([0, 0, 1, 0, 1, 0])
    # Match 5 (2020-01-05, C v A): C has L 0-1, L 1-3, W 2-0; A has W W D W.
    assert side(result, 5, "home") == pytest.approx([1 / 3, 0, 2 / 3, 1, 4 / 3, 1 / 3])
    assert side(result, 5, "away") == pytest.approx([3 / 4, 1 / 4, 0, 7 / 4, 1 / 2, 2 / 4])


def test_matches_on_the_same_day_do_not_see_each_other(small_league):
    result = features(small_league, window=40)
    # C plays twice on 2020-01-04 (matches 3 and 4): both times only its 1-0 loss counts.
    assert side(result, 3, "away") == side(result, 4, "away") == pytest.approx([0, 0, 1, 0, 1, 0])


def test_window_boundaries(small_league):
    # A's matches before 2020-01-05: W 2-0, W 1-0, D 1-1, W 3-1.
    last_two = features(small_league, window=2)
    assert side(last_two, 5, "away") == pytest.approx([0.5, 0.5, 0, 2, 1, 0.5])
    last_one = features(small_league, window=1)
    assert side(last_one, 5, "away") == pytest.approx([1, 0, 0, 3, 1, 1])
    everything = features(small_league, window=4)
    assert side(everything, 5, "away") == side(features(small_league, window=400), 5, "away")


def streak_table(results: str) -> pd.DataFrame:
    """Team A's results as a string of W/D/L, one a day, then a final match to read."""
    goals = {"W": (1, 0), "D": (0, 0), "L": (0, 1)}
    rows = [
        (pd.Timestamp("2021-01-01") + pd.Timedelta(days=i), "A", f"O{i}", *goals[r])
        for i, r in enumerate(results)
    ]
    rows.append((pd.Timestamp("2022-01-01"), "A", "Z", 0, 0))
    return make_matches(rows)


@pytest.mark.parametrize(
    ("results", "window", "streak"),
    [
        ("WWLWWWL", 40, 3 / 7),
        ("WWLWWWL", 5, 3 / 5),  # L W W W L
        ("WWLWWWL", 4, 3 / 4),  # W W W L
        ("WWLWWWL", 2, 1 / 2),  # W L
        ("WWWLW", 4, 2 / 4),  # W W L W: the run that began before the window is cut
        ("LLLL", 40, 0.0),
        ("WWWW", 3, 1.0),
        ("WDWWDW", 40, 2 / 6),  # a draw breaks a run
    ],
)
def test_win_streak(results, window, streak):
    result = features(streak_table(results), window=window)
    assert result["home_win_streak"].iloc[-1] == pytest.approx(streak)


def test_team_form_as_of(small_league):
    form = team_form(small_league, ["A", "C", "Nobody"], as_of="2020-01-04", window=40)
    assert form.loc["A"].tolist() == pytest.approx([3 / 4, 1 / 4, 0, 7 / 4, 1 / 2, 2 / 4])
    assert form.loc["C"].tolist() == pytest.approx([1 / 3, 0, 2 / 3, 1, 4 / 3, 1 / 3])
    assert form.loc["Nobody"].tolist() == [0.0] * 6
    # as_of is inclusive: the day's results are known.
    before = team_form(small_league, ["C"], as_of="2020-01-03", window=40)
    assert before.loc["C"].tolist() == pytest.approx([0, 0, 1, 0, 1, 0])


TEAMS = ["A", "B", "C", "D", "E"]
match_strategy = st.tuples(
    st.integers(0, 12),  # day
    st.sampled_from(TEAMS),
    st.sampled_from(TEAMS),
    st.integers(0, 4),
    st.integers(0, 4),
).filter(lambda m: m[1] != m[2])


def table_from(rows) -> pd.DataFrame:
    return make_matches(
        [
            (pd.Timestamp("2020-01-01") + pd.Timedelta(days=d), h, a, hg, ag)
            for d, h, a, hg, ag in rows
        ]
    )


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(match_strategy, min_size=1, max_size=30),
    cut=st.integers(0, 12),
    window=st.integers(1, 6),
    changes=st.lists(
        st.tuples(st.integers(0, 29), st.sampled_from(["delete", "alter"])), max_size=6
    ),
    extra=st.lists(match_strategy, max_size=4),
)
def test_later_results_never_change_earlier_features(rows, cut, window, changes, extra):
    matches = table_from(rows)
    day_d = pd.Timestamp("2020-01-01") + pd.Timedelta(days=cut)
    original = features(matches, window)
    altered = matches.copy()
    for i, action in changes:
        if i not in altered.index or altered.at[i, "date"] < day_d:
            continue
        if action == "delete":
            altered = altered.drop(index=i)
        else:
            altered.loc[i, ["home_goals", "away_goals"]] = [9, 0]
    late = [m for m in extra if m[0] >= cut]
    if late:
        added = table_from(late)
        added.index = added.index + 1000
        altered = pd.concat([altered, added]).sort_values("date", kind="stable")
    after = features(altered, window)
    keep = matches.index[(matches["date"] <= day_d) & matches.index.isin(altered.index)]
    pd.testing.assert_frame_equal(original.loc[keep], after.loc[keep])


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(match_strategy, min_size=1, max_size=25), window=st.integers(1, 8))
def test_vectorised_equals_reference(rows, window):
    matches = table_from(rows)
    np.testing.assert_allclose(
        features(matches, window).to_numpy(), reference_features(matches, window).to_numpy()
    )


def test_cli_writes_the_matrix(tmp_path, small_league):
    data = tmp_path / "league.csv"
    small_league.to_csv(data, index=False)
    out = tmp_path / "features.csv"
    result = CliRunner().invoke(
        main, ["features", "--data", str(data), "--window", "2", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    written = pd.read_csv(out)
    assert list(written.columns) == [
        "date",
        "home_team",
        "away_team",
        "neutral",
        *SEED_COLUMNS,
        "outcome",
    ]
    assert written["outcome"].tolist() == [0, 0, 1, 0, 2, 0]
    assert written.loc[5, "away_wins"] == pytest.approx(0.5)
    # No overwrite without --force; nothing else changes.
    again = CliRunner().invoke(main, ["features", "--data", str(data), "--out", str(out)])
    assert again.exit_code == 2
    assert "exists; pass --force" in again.output


def test_cli_bad_file_one_line_no_traceback(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "date,home_team,away_team,home_score,away_score,tournament,city,country,neutral\n"
        "2020-01-01,A,B,1,-2,F,c,c,FALSE\n"
    )
    out = tmp_path / "f.csv"
    result = CliRunner().invoke(main, ["features", "--data", str(bad), "--out", str(out)])
    assert result.exit_code == 2
    assert result.output.startswith("Error: ")
    assert "negative goals -2 in column away_score (line 2)" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
