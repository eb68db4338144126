"""`footy train`, `footy predict` and `footy simulate` end to end on a small synthetic world."""

from __future__ import annotations

import json
import re
import shutil

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import assert_real_picture, synthetic_league

from footy import paths
from footy.cli import main
from footy.feature_sets import DEFAULT_FEATURE_SET

WC = paths.WORLDCUP
TEAMS = pd.read_csv(WC / "groups_2022.csv")["team"].tolist()  # 32 real names, strongest first
TINY = ["--epochs", "30", "--hidden", "8", "--batch-size", "64", "--seed", "1"]


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A results file for the 32 teams of 2022 and a tiny model trained on it."""
    folder = tmp_path_factory.mktemp("world")
    data = folder / "results.csv"
    synthetic_league(TEAMS, matches=1500, seed=3).to_csv(data, index=False)
    model = folder / "tiny.keras"
    result = run("train", "--data", data, *TINY, "--out", model, "--plot", folder / "curves.png")
    assert result.exit_code == 0, result.output
    return folder, data, model


def test_train_writes_model_sidecar_and_picture(world):
    folder, _, model = world
    sidecar = json.loads(model.with_suffix(".json").read_text())
    assert len(sidecar["sha256"]) == 64
    assert sidecar["feature_set"] == list(DEFAULT_FEATURE_SET) and sidecar["window"] == 60
    assert sidecar["hyper_parameters"]["hidden"] == [8]
    (file,) = sidecar["data_files"]
    assert file["name"] == "results.csv" and file["rows"] == 1500 and len(file["sha256"]) == 64
    assert sidecar["training_period"]["matches"] == 1500
    assert {"train", "validation"} <= set(sidecar["metrics"])
    assert_real_picture(folder / "curves.png")


def test_train_never_overwrites_without_force(world):
    _, data, model = world
    before = model.read_bytes()
    result = run("train", "--data", data, *TINY, "--out", model)
    assert result.exit_code == 2
    assert "exists; pass --force" in result.output
    assert model.read_bytes() == before


def test_train_rejects_bad_options(world):
    folder, data, _ = world
    assert (
        run("train", "--data", data, "--hidden", "8,x", "--out", folder / "x.keras").exit_code == 2
    )
    result = run("train", "--data", data, "--features", "seed,magic", "--out", folder / "x.keras")
    assert result.exit_code == 2 and "unknown feature group(s) magic" in result.output
    result = run("train", "--data", data, "--until", "1990-01-01", "--out", folder / "x.keras")
    assert result.exit_code == 2 and "need at least 50" in result.output
    assert not (folder / "x.keras").exists()


def test_predict_reads_at_a_glance(world):
    _, data, model = world
    strong, weak = TEAMS[0], TEAMS[-1]
    result = run("predict", strong, weak, "--model", model, "--data", data)
    assert result.exit_code == 0, result.output
    match = re.search(rf"{strong} (\d+)% · draw (\d+)% · {weak} (\d+)%", result.output)
    assert match, result.output
    home, draw, away = map(int, match.groups())
    assert home > away
    assert abs(home + draw + away - 100) <= 2


def test_predict_json_and_neutral_symmetry(world):
    _, data, model = world
    a, b = TEAMS[3], TEAMS[7]
    one = json.loads(
        run("predict", a, b, "--neutral", "--json", "--model", model, "--data", data).stdout
    )
    two = json.loads(
        run("predict", b, a, "--neutral", "--json", "--model", model, "--data", data).stdout
    )
    assert one["p_home"] + one["p_draw"] + one["p_away"] == pytest.approx(1, abs=1e-5)
    assert one["p_home"] == pytest.approx(two["p_away"], abs=1e-6)
    assert one["p_draw"] == pytest.approx(two["p_draw"], abs=1e-6)


def test_predict_unknown_team_suggests_names(world):
    _, data, model = world
    result = run("predict", "Brazl", TEAMS[1], "--model", model, "--data", data)
    assert result.exit_code == 2
    assert "unknown team 'Brazl'" in result.output and "Brazil" in result.output
    assert "Traceback" not in result.output


def test_predict_fixtures_file(world, tmp_path):
    _, data, model = world
    fixtures = tmp_path / "fixtures.csv"
    fixtures.write_text(
        f"home_team,away_team,neutral,date\n{TEAMS[0]},{TEAMS[1]},TRUE,2016-01-01\n"
        f"{TEAMS[2]},{TEAMS[5]},FALSE,\n"
    )
    out = tmp_path / "preds.csv"
    result = run("predict", "--fixtures", fixtures, "--out", out, "--model", model, "--data", data)
    assert result.exit_code == 0, result.output
    preds = pd.read_csv(out)
    assert list(preds.columns) == [
        "home_team",
        "away_team",
        "neutral",
        "date",
        "p_home",
        "p_draw",
        "p_away",
    ]
    np.testing.assert_allclose(preds[["p_home", "p_draw", "p_away"]].sum(axis=1), 1, atol=1e-5)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("home_team,away_team\nNowhere FC,Brazil\n", "unknown team 'Nowhere FC' (line 2)"),
        ("home_team,away_team,date\nBrazil,Spain,31/31/2020\n", "unparseable date"),
        ("home,away\nBrazil,Spain\n", "missing column(s) home_team, away_team"),
    ],
)
def test_predict_bad_fixtures_write_nothing(world, tmp_path, text, message):
    _, data, model = world
    fixtures = tmp_path / "fixtures.csv"
    fixtures.write_text(text)
    out = tmp_path / "preds.csv"
    result = run("predict", "--fixtures", fixtures, "--out", out, "--model", model, "--data", data)
    assert result.exit_code == 2
    assert message in result.output
    assert not out.exists()


def test_bad_model_files(world, tmp_path):
    _, data, model = world
    missing = run("predict", TEAMS[0], TEAMS[1], "--model", tmp_path / "nope.keras", "--data", data)
    assert missing.exit_code == 2 and "does not exist" in missing.output
    corrupt = tmp_path / "corrupt.keras"
    corrupt.write_bytes(b"not a zip at all")
    result = run("predict", TEAMS[0], TEAMS[1], "--model", corrupt, "--data", data)
    assert result.exit_code == 2 and "not a Keras model file" in result.output
    # A model whose bytes no longer match its sidecar.
    copy = tmp_path / "copy.keras"
    shutil.copy(model, copy)
    shutil.copy(model.with_suffix(".json"), copy.with_suffix(".json"))
    with open(copy, "ab") as fh:
        fh.write(b"tampered")
    result = run("predict", TEAMS[0], TEAMS[1], "--model", copy, "--data", data)
    assert result.exit_code == 2 and "does not match its sidecar" in result.output


def test_model_with_other_features_is_refused(world, tmp_path):
    _, data, model = world
    copy = tmp_path / "other.keras"
    shutil.copy(model, copy)
    sidecar = json.loads(model.with_suffix(".json").read_text())
    sidecar["feature_names"] = ["home_rating", "away_rating"]
    copy.with_suffix(".json").write_text(json.dumps(sidecar))
    result = run("predict", TEAMS[0], TEAMS[1], "--model", copy, "--data", data)
    assert result.exit_code == 2
    assert "trained on features ['home_rating', 'away_rating']" in result.output


def custom_tournament(folder):
    groups = folder / "groups.csv"
    shutil.copy(WC / "groups_2022.csv", groups)
    fmt = folder / "format.csv"
    shutil.copy(WC / "format_32.csv", fmt)
    return groups, fmt


def test_simulate_custom_tournament_json(world, tmp_path):
    _, data, model = world
    groups, fmt = custom_tournament(tmp_path)
    args = ["simulate", "--groups", groups, "--format", fmt, "--as-of", "latest", "--model", model]
    result = run(*args, "--data", data, "--runs", 400, "--seed", 5, "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["runs"] == 400 and doc["seed"] == 5
    assert doc["rounds"] == ["R16", "QF", "SF", "FINAL", "WIN"]
    totals = {r: sum(t["p"][r] for t in doc["teams"]) for r in doc["rounds"]}
    assert totals == pytest.approx({"R16": 16, "QF": 8, "SF": 4, "FINAL": 2, "WIN": 1}, abs=1e-3)
    wins = [t["p"]["WIN"] for t in doc["teams"]]
    assert wins == sorted(wins, reverse=True)
    # The synthetic world's strongest half should win far more often than the weakest half.
    by_team = {t["team"]: t["p"]["WIN"] for t in doc["teams"]}
    assert sum(by_team[t] for t in TEAMS[:16]) > sum(by_team[t] for t in TEAMS[16:])
    again = run(*args, "--data", data, "--runs", 400, "--seed", 5, "--json")
    assert json.loads(again.stdout) == doc


def test_simulate_table_csv_and_picture(world, tmp_path):
    _, data, model = world
    groups, fmt = custom_tournament(tmp_path)
    out, picture = tmp_path / "odds.csv", tmp_path / "odds.png"
    result = run(
        "simulate",
        "--groups",
        groups,
        "--format",
        fmt,
        "--as-of",
        "latest",
        "--model",
        model,
        "--data",
        data,
        "--runs",
        200,
        "--csv",
        out,
        "--plot",
        picture,
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert len(table) == 32 and list(table.columns[:3]) == ["team", "group", "R16"]
    assert_real_picture(picture)


def test_simulate_refuses_a_model_that_saw_the_future(world, tmp_path):
    _, data, model = world
    groups, fmt = custom_tournament(tmp_path)
    result = run(
        "simulate",
        "--groups",
        groups,
        "--format",
        fmt,
        "--as-of",
        "2015-06-01",
        "--model",
        model,
        "--data",
        data,
        "--runs",
        10,
    )
    assert result.exit_code == 2
    assert "it has seen what it would predict" in result.output


def test_team_state_gives_the_full_paths_features(world):
    from footy.feature_sets import fixture_features
    from footy.matches import read_matches
    from footy.predict import Predictor
    from footy.team_state import load_team_state, state_features, state_path

    _, data, model = world
    state = load_team_state(state_path(model))
    assert state is not None, "footy train on all the data keeps the team state"
    matches = read_matches(data)
    rng = np.random.default_rng(0)
    home = rng.integers(0, len(TEAMS), 300)
    away = (home + rng.integers(1, len(TEAMS), 300)) % len(TEAMS)
    fixtures = pd.DataFrame(
        {
            "home_team": [TEAMS[i] for i in home],
            "away_team": [TEAMS[i] for i in away],
            "neutral": rng.random(300) < 0.5,
        }
    )
    sidecar = json.loads(model.with_suffix(".json").read_text())
    full = fixture_features(matches, fixtures, sidecar["feature_set"], sidecar["window"])
    fast = state_features(state, fixtures, sidecar["feature_set"])
    np.testing.assert_allclose(fast, full.to_numpy(), atol=1e-9)
    fast_probs = Predictor.for_data(model, [data]).predict_fixtures(fixtures)
    full_probs = Predictor(model, matches).predict_fixtures(fixtures)
    np.testing.assert_allclose(fast_probs, full_probs, atol=1e-6)
