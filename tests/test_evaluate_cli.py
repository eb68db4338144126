"""`footy evaluate`: a saved model scored on a later period, next to the baselines."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import assert_real_picture

from footy.backtest import PREDICTION_COLUMNS
from footy.cli import main

TRAINED_UNTIL = "2018-12-31"
PERIOD_START = "2019-01-01"


def synthetic_results(seed: int = 0) -> pd.DataFrame:
    """About 400 matches of 12 teams, 2016-2019, in the canonical format.

    Goals are Poisson with rates from fixed team strengths, so results carry
    signal; one match in ten is at a neutral venue; two teams first play in the
    evaluation period (they must get the no-history features, not be dropped).
    """
    rng = np.random.default_rng(seed)
    teams = [f"Team {c}" for c in "ABCDEFGHIJKL"]
    strength = dict(zip(teams, np.linspace(-0.6, 0.6, len(teams)), strict=True))
    rows = []
    for day in pd.date_range("2016-01-01", "2019-12-31", freq="3D"):
        pool = teams if day >= pd.Timestamp("2019-03-01") else teams[:-2]
        home, away = rng.choice(pool, size=2, replace=False)
        neutral = bool(rng.random() < 0.1)
        edge = 0.0 if neutral else 0.25
        rows.append(
            {
                "date": day.date().isoformat(),
                "home_team": home,
                "away_team": away,
                "home_goals": rng.poisson(np.exp(0.2 + edge + strength[home] - strength[away])),
                "away_goals": rng.poisson(np.exp(0.2 + strength[away] - strength[home])),
                "neutral": neutral,
                "tournament": "Cup" if rng.random() < 0.3 else "Friendly",
            }
        )
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def results_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "results.csv"
    synthetic_results().to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def model_file(results_csv, tmp_path_factory):
    """A tiny network trained on the results up to TRAINED_UNTIL."""
    from footy.matches import read_matches
    from footy.training import train_model

    matches = read_matches(results_csv)
    model, sidecar = train_model(
        matches, until=TRAINED_UNTIL, feature_set="seed", window=10, hidden=(8,), epochs=3
    )
    path = tmp_path_factory.mktemp("models") / "tiny.keras"
    model.save(path, sidecar)
    return path


def evaluate(model_file, data, *args):
    argv = ["evaluate", "--model", model_file, "--data", data, "--resamples", 200, *args]
    return CliRunner().invoke(main, [str(a) for a in argv])


def period_matches(results_csv, start=PERIOD_START, end=None) -> pd.DataFrame:
    table = pd.read_csv(results_csv)
    dates = pd.to_datetime(table["date"])
    keep = dates >= pd.Timestamp(start)
    if end is not None:
        keep &= dates <= pd.Timestamp(end)
    return table[keep]


def test_prints_the_four_scores_for_the_model_and_the_baselines(model_file, results_csv):
    result = evaluate(model_file, results_csv, "--from", PERIOD_START)
    assert result.exit_code == 0, result.output
    out = result.stdout
    for word in ("RPS", "log loss", "Brier", "accuracy", "network", "base rate", "logistic"):
        assert word in out
    n = len(period_matches(results_csv))
    assert f"{n:,} matches" in out
    assert "paired bootstrap 95% interval" in out
    # Each predictor's score line holds four numbers.
    for name in ("network", "base rate", "logistic"):
        line = next(line for line in out.splitlines() if line.startswith(name))
        assert len(line[len(name) :].split()) == 4
    assert "evaluating" in result.stderr  # progress goes to stderr


def test_predictions_file_has_one_row_per_match_of_the_period(model_file, results_csv, tmp_path):
    out = tmp_path / "predictions.csv"
    end = "2019-09-30"
    result = evaluate(
        model_file, results_csv, "--from", PERIOD_START, "--to", end, "--predictions", out
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    expected = period_matches(results_csv, end=end)
    assert list(table.columns) == list(PREDICTION_COLUMNS)
    assert len(table) == len(expected)  # none dropped, new teams included
    assert list(table["home_team"]) == list(expected["home_team"])
    assert {"Team K", "Team L"} <= set(table["home_team"]) | set(table["away_team"])
    np.testing.assert_allclose(table[["p_home", "p_draw", "p_away"]].sum(axis=1), 1, atol=1e-5)
    assert set(table["outcome"]) <= {0, 1, 2}

    again = evaluate(model_file, results_csv, "--from", PERIOD_START, "--predictions", out)
    assert again.exit_code == 2
    assert "--force" in again.stderr


def test_a_period_overlapping_the_training_period_is_refused(model_file, results_csv):
    result = evaluate(model_file, results_csv, "--from", "2018-06-01")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error:")
    assert "trained on matches up to 2018-12-" in result.stderr
    assert result.stdout == ""


def test_plot_writes_a_png(model_file, results_csv, tmp_path):
    plot = tmp_path / "calibration.png"
    result = evaluate(model_file, results_csv, "--from", PERIOD_START, "--plot", plot)
    assert result.exit_code == 0, result.output
    assert_real_picture(plot)
    assert plot.stat().st_size > 10_000


def test_json_is_the_only_thing_on_stdout(model_file, results_csv):
    result = evaluate(model_file, results_csv, "--from", PERIOD_START, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["reference"] == "network"
    assert report["matches"] == len(period_matches(results_csv))
    names = [row["predictor"] for row in report["scores"]]
    assert names == ["network", "base rate", "logistic"]
    assert report["scores"][0]["rps_diff"] is None
    assert report["training_end"] <= TRAINED_UNTIL


def test_later_results_never_reach_a_prediction(model_file, results_csv, tmp_path):
    """Change every result from a day D on: predictions up to and on D stay the same."""
    table = pd.read_csv(results_csv)
    changed_from = "2019-06-01"
    later = pd.to_datetime(table["date"]) >= pd.Timestamp(changed_from)
    altered = table.copy()
    altered.loc[later, "home_goals"] = table.loc[later, "away_goals"] + 3
    altered.loc[later, "away_goals"] = 0
    altered_csv = tmp_path / "altered.csv"
    altered.to_csv(altered_csv, index=False)

    outputs = []
    for data, name in ((results_csv, "original.csv"), (altered_csv, "changed.csv")):
        path = tmp_path / name
        result = evaluate(model_file, data, "--from", PERIOD_START, "--predictions", path)
        assert result.exit_code == 0, result.output
        outputs.append(pd.read_csv(path))
    original, changed = outputs
    probs = ["p_home", "p_draw", "p_away"]
    # A match on the first changed day (its own result changed) sees only results before it.
    first_changed = pd.to_datetime(table.loc[later, "date"]).min()
    up_to = pd.to_datetime(original["date"]) <= first_changed
    pd.testing.assert_frame_equal(original.loc[up_to, probs], changed.loc[up_to, probs])
    # ... while later matches do see the changed results (the test can fail).
    assert not np.allclose(original.loc[~up_to, probs], changed.loc[~up_to, probs])
