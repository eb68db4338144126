"""Tournament simulation benchmark: 10,000 runs of each bundled World Cup.

Pair probabilities are synthetic (Elo-like ratings, hosts 60 points stronger at home),
so the figures measure the simulator, not a model. The reference plays a few hundred
runs the obvious way: a Python loop over matches, calling a tiny predict function once
per match, ranking groups with ``sorted`` (points, goal difference, goals, lots; no
head-to-head) and settling knockout draws with a coin. Prints runs/second and the
ratio; asserts nothing about time.
"""

from __future__ import annotations

import random
import time
from bisect import bisect_left
from collections.abc import Callable

import numpy as np

from footy.simulate import ScorelineModel, rating_pair_probabilities, simulate_tournament
from footy.tournament import BUNDLED, Tournament, load_tournament

RUNS = 10_000
REFERENCE_RUNS = 300
HOST_EDGE = 60.0


def synthetic_ratings(tournament: Tournament, seed: int = 0) -> np.ndarray:
    """Ratings for the teams, with the hosts' home edge added."""
    ratings = np.random.default_rng(seed).normal(1600, 150, len(tournament.teams))
    hosts = np.array([t in tournament.hosts for t in tournament.teams])
    return ratings + HOST_EDGE * hosts


def reference_simulation(
    tournament: Tournament,
    predict: Callable[[int, int], tuple[float, float, float]],
    scorelines: ScorelineModel,
    runs: int,
    seed: int = 0,
) -> np.ndarray:
    """The per-match Python loop: counts (teams x rounds) like simulate_tournament."""
    rng = random.Random(seed)
    win_cum, draw_cum = (
        list(np.cumsum(scorelines.win_probs)),
        list(np.cumsum(scorelines.draw_probs)),
    )
    wins, draws = scorelines.wins.tolist(), scorelines.draws.tolist()
    counts = np.zeros((len(tournament.teams), len(tournament.rounds)), dtype=np.int64)
    annex = tournament.annex_c
    for _ in range(runs):
        stats = [[0, 0, 0, 0.0] for _ in tournament.teams]  # points, gd, goals, lots
        for i, j in tournament.group_fixtures:
            p_home, p_draw, _ = predict(i, j)
            u = rng.random()
            if u < p_home + p_draw and u >= p_home:
                g = draws[min(bisect_left(draw_cum, rng.random()), len(draws) - 1)]
                gi = gj = g
            else:
                w, lo = wins[min(bisect_left(win_cum, rng.random()), len(wins) - 1)]
                gi, gj = (w, lo) if u < p_home else (lo, w)
            pi, pj = (3, 0) if gi > gj else (1, 1) if gi == gj else (0, 3)
            for team, pts, gf, ga in ((i, pi, gi, gj), (j, pj, gj, gi)):
                stats[team][0] += pts
                stats[team][1] += gf - ga
                stats[team][2] += gf
        for s in stats:
            s[3] = rng.random()
        slot: dict[str, int] = {}
        thirds = []
        for g, letter in enumerate(tournament.groups):
            members = sorted(range(4 * g, 4 * g + 4), key=lambda t: stats[t], reverse=True)
            slot[f"1{letter}"], slot[f"2{letter}"] = members[0], members[1]
            thirds.append((stats[members[2]], letter, members[2]))
        if annex is not None:
            best = sorted(thirds, reverse=True)[: len(annex.columns)]
            team_of = {letter: team for _, letter, team in best}
            combination = "".join(sorted(team_of))
            for column, letter in annex.opponents(combination).items():
                slot[f"3>{column}"] = team_of[letter]
        for match in tournament.matches:
            teams = []
            for mine, other in (
                (match.home_slot, match.away_slot),
                (match.away_slot, match.home_slot),
            ):
                teams.append(slot[f"3>{other}"] if mine.startswith("3:") else slot[mine])
            home, away = teams
            if match.round != "THIRD":
                col = tournament.rounds.index(match.round)
                counts[home, col] += 1
                counts[away, col] += 1
            p_home, p_draw, _ = predict(home, away)
            u = rng.random()
            home_through = u < p_home or (u < p_home + p_draw and rng.random() < 0.5)
            winner, loser = (home, away) if home_through else (away, home)
            slot[f"W{match.number}"], slot[f"L{match.number}"] = winner, loser
            if match.round == "FINAL":
                counts[winner, -1] += 1
    return counts


def run(print_fn: Callable[[str], None] = print) -> dict[str, dict[str, float]]:
    """Time every bundled tournament; print and return the figures."""
    scorelines = ScorelineModel.default()
    figures = {}
    print_fn(f"simulate_tournament: {RUNS:,} runs each; reference: {REFERENCE_RUNS} runs")
    print_fn(f"{'tournament':<16}{'seconds':>9}{'runs/s':>11}{'ref runs/s':>12}{'ratio':>8}")
    for name in BUNDLED:
        tournament = load_tournament(name)
        ratings = synthetic_ratings(tournament)
        probs = rating_pair_probabilities(ratings)
        start = time.perf_counter()
        simulate_tournament(tournament, probs, runs=RUNS, seed=0, scorelines=scorelines)
        seconds = time.perf_counter() - start

        def predict(i: int, j: int, r=ratings) -> tuple[float, float, float]:
            row = rating_pair_probabilities([r[i], r[j]])[0, 1]
            return float(row[0]), float(row[1]), float(row[2])

        start = time.perf_counter()
        reference_simulation(tournament, predict, scorelines, REFERENCE_RUNS)
        ref_seconds = time.perf_counter() - start
        speed, ref_speed = RUNS / seconds, REFERENCE_RUNS / ref_seconds
        figures[name] = {
            "seconds": seconds,
            "runs_per_second": speed,
            "reference_runs_per_second": ref_speed,
            "ratio": speed / ref_speed,
        }
        print_fn(
            f"{name:<16}{seconds:>9.2f}{speed:>11,.0f}{ref_speed:>12,.0f}{speed / ref_speed:>7.0f}x"
        )
    return figures


if __name__ == "__main__":
    run()
