"""The Monte Carlo simulator: rules, per-run invariants, determinism, backtest score."""

from __future__ import annotations

import json
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from conftest import assert_real_picture

from footy.simulate import (
    PenaltyModel,
    ScorelineModel,
    exit_log_score,
    first_round,
    group_tables,
    pair_probabilities,
    play_knockouts,
    rating_pair_probabilities,
    shootout_summary,
    simulate_tournament,
)
from footy.tournament import actual_results, load_tournament


@pytest.fixture(scope="module")
def scorelines():
    rows = [(1, 0), (2, 1), (2, 0), (3, 1), (0, 1), (1, 2), (0, 0), (1, 1), (2, 2), (4, 0)]
    table = pd.DataFrame(rows * 3, columns=["home_goals", "away_goals"])
    return ScorelineModel.from_matches(table, since=None, neutral_only=False)


@pytest.fixture(scope="module")
def wc26():
    return load_tournament("worldcup-2026")


@pytest.fixture(scope="module")
def wc18():
    return load_tournament("worldcup-2018")


def _ratings(n, seed=1):
    return np.random.default_rng(seed).normal(1600, 120, n)


# --- inputs ---------------------------------------------------------------------------


def test_pair_probabilities_calls_the_model_once_with_the_venue_right():
    calls = []

    def predict(fixtures):
        calls.append(fixtures.copy())
        # the first-named side is a little stronger; a non-neutral home side much more
        home = np.where(fixtures["neutral"], 0.45, 0.60)
        return np.column_stack([home, np.full(len(home), 0.25), 0.75 - home])

    teams = ["Alpha", "Beta", "Host", "Delta"]
    out = pair_probabilities(teams, ["Host"], predict, "2026-06-10")
    assert len(calls) == 1
    fixtures = calls[0]
    assert list(fixtures.columns) == ["home_team", "away_team", "neutral", "date"]
    assert (fixtures["date"] == pd.Timestamp("2026-06-10")).all()
    host_rows = fixtures[~fixtures["neutral"]]
    assert (host_rows["home_team"] == "Host").all() and len(host_rows) == 3
    assert not ((fixtures["away_team"] == "Host") & ~fixtures["neutral"]).any()
    np.testing.assert_allclose(out[2, 0], [0.60, 0.25, 0.15])
    np.testing.assert_allclose(out[0, 2], [0.15, 0.25, 0.60])  # mirrored into place
    np.testing.assert_allclose(out[0, 1], [0.375, 0.25, 0.375])  # neutral: both orders averaged
    off = ~np.eye(4, dtype=bool)
    np.testing.assert_allclose(out[off].sum(axis=1), 1.0)
    np.testing.assert_allclose(out[off], out.transpose(1, 0, 2)[:, :, ::-1][off])


def test_pair_probabilities_checks_the_model_output():
    with pytest.raises(ValueError, match=r"shape \(3, 3\); expected \(6, 3\)"):
        pair_probabilities(["a", "b", "c"], [], lambda f: np.ones((3, 3)) / 3, "2020-01-01")


def test_scorelines_agree_with_the_outcome(scorelines):
    rng = np.random.default_rng(0)
    outcomes = rng.integers(0, 3, size=(500, 7))
    home, away = scorelines.sample(outcomes, rng)
    assert ((home > away) == (outcomes == 0)).all()
    assert ((home == away) == (outcomes == 1)).all()
    assert ((home < away) == (outcomes == 2)).all()
    # symmetric: a 1-0 home win is as likely as a 0-1 away win in the source table
    assert set(map(tuple, scorelines.wins)) == {(1, 0), (2, 1), (2, 0), (3, 1), (4, 0)}


def test_default_scorelines_come_from_neutral_internationals():
    model = ScorelineModel.default()
    assert model.matches > 5000
    top = tuple(model.wins[np.argmax(model.win_probs)])
    assert top == (1, 0)
    assert 0.25 < model.draw_probs[model.draws == 1].item() < 0.6  # 1-1 is the usual draw


def test_shootout_numbers_behind_the_penalty_model():
    summary = shootout_summary()
    assert summary["first_shooter_known"] == 260 and summary["first_shooter_won"] == 136
    assert summary["shootouts"] == 683


# --- the rules ------------------------------------------------------------------------


def _one_group_goals(tournament, results):
    """Goals arrays (1 run) with ``results[(a, b)] = (ga, gb)`` for group A, 0-0 elsewhere."""
    fixtures = tournament.group_fixtures
    home = np.zeros((1, len(fixtures)), dtype=np.int64)
    away = np.zeros_like(home)
    for k, (i, j) in enumerate(fixtures):
        if (i, j) in results:
            home[0, k], away[0, k] = results[i, j]
    return home, away


def test_two_team_tie_head_to_head_versus_goal_difference(wc18, wc26):
    # teams 0 and 1 on 6 points; team 1 has the better goal difference, team 0 won the match
    results = {(0, 1): (1, 0), (0, 2): (1, 0), (0, 3): (0, 1), (1, 2): (5, 0), (1, 3): (3, 0),
               (2, 3): (1, 1)}  # fmt: skip
    rng = np.random.default_rng(0)
    t32 = group_tables(wc18, *_one_group_goals(wc18, results), rng)
    t26 = group_tables(wc26, *_one_group_goals(wc26, results), rng)
    assert t32.positions[0, 0, :2].tolist() == [1, 0]  # 2018/2022: goal difference first
    assert t26.positions[0, 0, :2].tolist() == [0, 1]  # 2026: head-to-head first
    assert t26.points[0, :4].tolist() == [6, 6, 1, 4]


def test_head_to_head_after_goals_in_2018_rules(wc18):
    # 0 and 1: 6 points, GD +1, 3 goals each; 0 beat 1, so 0 wins the group in every run
    results = {(0, 1): (1, 0), (0, 2): (0, 1), (0, 3): (2, 1), (1, 2): (1, 0), (1, 3): (2, 1),
               (2, 3): (0, 0)}  # fmt: skip
    home, away = _one_group_goals(wc18, results)
    tables = group_tables(wc18, home.repeat(200, 0), away.repeat(200, 0), np.random.default_rng(1))
    assert (tables.positions[:, 0, :2] == [0, 1]).all()


def test_three_team_tie_uses_a_mini_table(wc18, wc26):
    # 0, 1, 2 beat each other in a circle and all beat 3: all on 6 points.
    results = {(0, 1): (3, 0), (1, 2): (2, 0), (0, 2): (0, 1), (0, 3): (1, 0), (1, 3): (1, 0),
               (2, 3): (9, 0)}  # fmt: skip
    # mini-table of 0, 1, 2 (3 pts each): GD 0: +2, 1: -1 (2 goals), 2: -1 (1 goal)
    # overall GD: 0: +3, 1: 0, 2: +8
    rng = np.random.default_rng(0)
    t26 = group_tables(wc26, *_one_group_goals(wc26, results), rng)
    t32 = group_tables(wc18, *_one_group_goals(wc18, results), rng)
    assert t26.positions[0, 0].tolist() == [0, 1, 2, 3]  # 2026: head-to-head first
    assert t32.positions[0, 0].tolist() == [2, 0, 1, 3]  # 2018/2022: overall GD first
    assert t26.goal_difference[0, :3].tolist() == [3, 0, 8]


def test_complete_ties_are_settled_by_lots(wc18):
    home = np.zeros((4000, len(wc18.group_fixtures)), dtype=np.int64)  # every match 0-0
    tables = group_tables(wc18, home, home, np.random.default_rng(0))
    winners = np.bincount(tables.positions[:, 0, 0], minlength=4)[:4] / 4000
    np.testing.assert_allclose(winners, 0.25, atol=0.03)


@pytest.mark.parametrize("name", ["worldcup-2018", "worldcup-2026"])
def test_bracket_invariants_in_every_run(name, scorelines):
    t = load_tournament(name)
    n, runs = len(t.teams), 3000
    rng = np.random.default_rng(3)
    # random group scores, random knockout winners: the structure must hold in every run
    outcomes = rng.integers(0, 3, size=(runs, len(t.group_fixtures)))
    tables = group_tables(t, *scorelines.sample(outcomes, rng), rng)
    entrants = first_round(t, tables, rng)
    played = play_knockouts(t, entrants, lambda m, h, a: rng.random(len(h)) < 0.5)
    first = t.knockout_rounds[0]
    teams = np.column_stack([x for m in played.values() if m.match.round == first
                             for x in (m.home, m.away)])  # fmt: skip
    assert teams.shape[1] == (32 if n == 48 else 16)
    assert (np.sort(teams, axis=1)[:, 1:] != np.sort(teams, axis=1)[:, :-1]).all()
    group = np.array([t.groups.index(g) for g in t.team_groups])
    for m in played.values():
        if m.match.round == first:
            assert (group[m.home] != group[m.away]).all()  # nobody meets its own group
    final = played[t.matches[-1].number]
    assert ((final.winner == final.home) | (final.winner == final.away)).all()
    assert (final.home != final.away).all()
    if t.annex_c is not None:
        third_rank = np.empty((runs, n), dtype=int)
        np.put_along_axis(third_rank, tables.positions.reshape(runs, -1),
                          np.tile(np.arange(4), len(t.groups)), axis=1)  # fmt: skip
        thirds = np.column_stack([entrants[m.number][1] for m in t.matches
                                  if m.away_slot.startswith("3:")])  # fmt: skip
        assert (np.take_along_axis(third_rank, thirds, axis=1) == 2).all()
        # the qualifying thirds have at least the points of every eliminated third
        third_points = np.take_along_axis(tables.points, tables.positions[:, :, 2], axis=1)
        worst_in = np.take_along_axis(tables.points, thirds, axis=1).min(axis=1)
        out = np.sort(third_points, axis=1)[:, -9]  # the best of the four left out
        assert (worst_in >= out).all()
        # the Annex C pool of each match holds the group of its third-placed team
        for m in t.matches:
            if m.away_slot.startswith("3:"):
                letters = {t.team_groups[i] for i in np.unique(entrants[m.number][1])}
                assert letters <= set(m.away_slot[2:])


# --- the simulation -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["worldcup-2018", "worldcup-2026"])
def test_round_totals_and_a_dominant_team(name, scorelines):
    t = load_tournament(name)
    n = len(t.teams)
    probs = rating_pair_probabilities(_ratings(n))
    probs[5, :] = [0.99, 0.01, 0.0]
    probs[:, 5] = [0.0, 0.01, 0.99]
    runs = 1000
    result = simulate_tournament(t, probs, runs=runs, seed=7, scorelines=scorelines)
    totals = result.counts.sum(axis=0)
    assert totals.tolist() == [t.round_slots(r) * runs for r in t.rounds]
    assert (result.counts[:, :-1] >= result.counts[:, 1:]).all()  # reach r+1 only via r
    table = result.probabilities
    assert table["team"].iloc[0] == t.teams[5] and table["WIN"].iloc[0] > 0.95
    assert table["WIN"].is_monotonic_decreasing


def test_same_seed_same_numbers(wc26, scorelines):
    probs = rating_pair_probabilities(_ratings(48))
    a = simulate_tournament(wc26, probs, runs=3000, seed=11, scorelines=scorelines)
    b = simulate_tournament(wc26, probs, runs=3000, seed=11, scorelines=scorelines)
    c = simulate_tournament(wc26, probs, runs=3000, seed=12, scorelines=scorelines)
    assert np.array_equal(a.counts, b.counts)
    assert not np.array_equal(a.counts, c.counts)


def test_hosts_win_home_shootouts_with_a_host_edge(wc18, scorelines):
    probs = np.zeros((32, 32, 3))
    probs[..., 1] = 1.0  # every match a draw: groups by lots, knockouts on penalties
    russia = wc18.teams.index("Russia")
    result = simulate_tournament(
        wc18, probs, runs=1000, seed=0, scorelines=scorelines, penalties=PenaltyModel(1.0)
    )
    reach = result.counts[russia]
    assert reach[0] > 300 and reach[-1] == reach[0]  # through the groups means the title
    coin = simulate_tournament(wc18, probs, runs=1000, seed=0, scorelines=scorelines)
    assert coin.counts[russia, -1] < 0.2 * coin.counts[russia, 0]


def test_progress_and_bad_input(wc18, scorelines):
    seen = []
    probs = rating_pair_probabilities(_ratings(32))
    simulate_tournament(wc18, probs, runs=6000, scorelines=scorelines, progress=seen.append)
    assert sum(seen) == 6000 and len(seen) > 1
    with pytest.raises(ValueError, match=r"shape \(32, 32, 3\)"):
        simulate_tournament(wc18, probs[:4, :4], runs=10, scorelines=scorelines)
    bad = probs.copy()
    bad[0, 1] = [0.5, 0.5, 0.5]
    with pytest.raises(ValueError, match="sum to 1"):
        simulate_tournament(wc18, bad, runs=10, scorelines=scorelines)


def test_json_matches_the_design_schema(wc26, scorelines):
    result = simulate_tournament(
        wc26, rating_pair_probabilities(_ratings(48)), runs=500, seed=0, scorelines=scorelines
    )
    doc = json.loads(result.to_json(as_of="2026-06-10", model="models/x.keras"))
    assert list(doc) == ["tournament", "runs", "seed", "as_of", "model", "rounds", "teams"]
    assert doc["tournament"] == "worldcup-2026" and doc["runs"] == 500 and doc["seed"] == 0
    assert doc["rounds"] == ["R32", "R16", "QF", "SF", "FINAL", "WIN"]
    assert len(doc["teams"]) == 48
    first = doc["teams"][0]
    assert set(first) == {"team", "group", "p"} and list(first["p"]) == doc["rounds"]
    wins = [t["p"]["WIN"] for t in doc["teams"]]
    assert wins == sorted(wins, reverse=True)
    assert abs(sum(wins) - 1) < 1e-3


def test_exit_log_score_against_equal_teams(wc26, scorelines):
    equal = np.zeros((48, 48, 3))
    equal[...] = [0.37, 0.26, 0.37]
    result = simulate_tournament(wc26, equal, runs=4000, seed=0, scorelines=scorelines)
    actual = actual_results(2026)
    score = exit_log_score(result, actual)
    assert score.champion == "Spain" and score.teams == 48
    assert abs(score.log_score - score.reference_log_score) < 0.05  # equal teams ~ reference
    assert abs(score.champion_probability - 1 / 48) < 0.01
    exits = result.exit_probabilities()
    np.testing.assert_allclose(exits.sum(axis=1), 1.0)
    with pytest.raises(Exception, match="no actual stage for"):
        exit_log_score(result, actual.drop("Spain"))


def test_plots_are_written(tmp_path, wc18, scorelines):
    from footy.plots.tournament import plot_round_heatmap, plot_title_chances

    result = simulate_tournament(
        wc18, rating_pair_probabilities(_ratings(32)), runs=300, scorelines=scorelines
    )
    for path in (plot_title_chances(result, tmp_path / "t.png", top=10),
                 plot_round_heatmap(result, tmp_path / "h.png")):  # fmt: skip
        assert_real_picture(path)


def test_group_fixtures_are_a_round_robin(wc26):
    fixtures = set(wc26.group_fixtures)
    for g in range(len(wc26.groups)):
        members = range(4 * g, 4 * g + 4)
        assert set(combinations(members, 2)) <= fixtures
