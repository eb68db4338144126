"""Model benchmarks: XOR against the tutorial's way, training on the internationals,
predicting 10,000 fixtures, and a World Cup forecast with the shipped model.

Figures are printed (seconds, rows/second, ratios against a simple reference run in
the same process); nothing about time is asserted.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from footy import paths
from footy.matches import read_matches, teams


def bench_xor(print_fn: Callable[[str], None]) -> None:
    from footy.xor import train_xor, train_xor_tutorial

    train_xor(seed=0)  # warm-up: TensorFlow's first graph build is not XOR's cost
    start = time.perf_counter()
    fast = train_xor(seed=0)
    fast_s = time.perf_counter() - start
    start = time.perf_counter()
    slow = train_xor_tutorial(seed=0)
    slow_s = time.perf_counter() - start
    print_fn(
        f"XOR, 1,000 updates: {fast_s:.2f} s in few compiled calls (accuracy {fast.accuracy:.0%}, "
        f"{fast.predictions}) vs {slow_s:.1f} s one step per epoch as in the tutorial "
        f"(accuracy {slow.accuracy:.0%}): {slow_s / fast_s:.0f}x faster"
    )


def bench_training(matches: pd.DataFrame, print_fn: Callable[[str], None]) -> None:
    from footy.feature_sets import DEFAULT_FEATURE_SET, build_features
    from footy.training import train_model

    start = time.perf_counter()
    x = build_features(matches, DEFAULT_FEATURE_SET)
    features_s = time.perf_counter() - start
    start = time.perf_counter()
    model, _ = train_model(matches, features=x, seed=0)
    train_s = time.perf_counter() - start
    print_fn(
        f"training on all {len(matches):,} internationals ({','.join(DEFAULT_FEATURE_SET)}): "
        f"features {features_s:.2f} s, network {train_s:.1f} s "
        f"({model.metrics_['rows']['train']:,} training rows, {len(model.history_['loss'])} "
        f"epochs, best {model.best_epoch_}; target <= 60 s)"
    )


def bench_predict(matches: pd.DataFrame, print_fn: Callable[[str], None]) -> None:
    from footy.predict import Predictor

    start = time.perf_counter()
    predictor = Predictor(paths.SHIPPED_MODEL, matches)
    load_s = time.perf_counter() - start
    rng = np.random.default_rng(0)
    names = np.array(teams(matches), dtype=object)
    home = rng.integers(0, len(names), 10_000)
    away = (home + rng.integers(1, len(names), 10_000)) % len(names)
    fixtures = pd.DataFrame(
        {"home_team": names[home], "away_team": names[away], "neutral": rng.random(10_000) < 0.5}
    )
    start = time.perf_counter()
    probs = predictor.predict_fixtures(fixtures)
    batch_s = time.perf_counter() - start
    # Reference: the same model called once per fixture, on the same features.
    x = predictor._features(fixtures.iloc[:500], None)
    start = time.perf_counter()
    for row in x:
        predictor.network.predict_proba(row[None, :])
    per_call = (time.perf_counter() - start) / len(x)
    print_fn(
        f"predict 10,000 fixtures after load ({load_s:.2f} s): {batch_s:.2f} s "
        f"= {10_000 / batch_s:,.0f} fixtures/s, features included (target <= 1 s); "
        f"one model call per fixture would take {per_call * 10_000:.2f} s for the network alone"
    )
    assert np.allclose(probs.sum(axis=1), 1)


def bench_forecast(matches: pd.DataFrame, print_fn: Callable[[str], None]) -> None:
    from benchmarks.bench_simulate import reference_simulation
    from footy.predict import Predictor
    from footy.simulate import ScorelineModel, pair_probabilities, simulate_tournament
    from footy.tournament import load_tournament

    tournament = load_tournament("worldcup-2026")
    predictor = Predictor(paths.SHIPPED_MODEL, matches)
    scorelines = ScorelineModel.default()
    start = time.perf_counter()
    probs = pair_probabilities(
        tournament.teams,
        tournament.hosts,
        lambda f: predictor.predict_fixtures(f.drop(columns="date")),
        matches["date"].max(),
    )
    pairs_s = time.perf_counter() - start
    start = time.perf_counter()
    simulate_tournament(tournament, probs, runs=10_000, seed=0, scorelines=scorelines)
    sim_s = time.perf_counter() - start

    # Reference: the same network called once per match inside a Python loop over
    # matches (features for every pair computed once beforehand, to be generous).
    teams_ = list(tournament.teams)
    pairs = pd.DataFrame(
        [(a, b) for a in teams_ for b in teams_ if a != b], columns=["home_team", "away_team"]
    )
    pairs["neutral"] = True
    x = predictor._features(pairs, None)
    names = zip(pairs["home_team"], pairs["away_team"], strict=True)
    row = {pair: k for k, pair in enumerate(names)}

    def predict(i: int, j: int) -> tuple[float, float, float]:
        p = predictor.network.predict_proba(x[row[(teams_[i], teams_[j])]][None, :])[0]
        return float(p[0]), float(p[1]), float(p[2])

    ref_runs = 20
    start = time.perf_counter()
    reference_simulation(tournament, predict, scorelines, ref_runs)
    ref_s = (time.perf_counter() - start) / ref_runs
    print_fn(
        f"World Cup 2026 with the shipped model: pair probabilities (one batched call) "
        f"{pairs_s:.2f} s + 10,000 simulations {sim_s:.2f} s = {pairs_s + sim_s:.2f} s "
        f"after load (target <= 3 s); {10_000 / sim_s:,.0f} runs/s; the model called once "
        f"per match: {1 / ref_s:,.0f} runs/s, so {ref_s * 10_000 / (pairs_s + sim_s):,.0f}x "
        "slower for 10,000 runs"
    )


def run(print_fn: Callable[[str], None] = print) -> None:
    print_fn("== model ==")
    matches = read_matches(paths.INTERNATIONAL_RESULTS)
    bench_predict(matches, print_fn)
    bench_forecast(matches, print_fn)
    bench_training(matches, print_fn)
    bench_xor(print_fn)


if __name__ == "__main__":
    run()
