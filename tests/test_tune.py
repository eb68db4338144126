"""footy tune: the time-ordered split, the seeded plan, the resumable log, best.json, the CLI."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from footy import tune as tune_module
from footy.cli import main
from footy.errors import BadInputError
from footy.feature_sets import DEFAULT_FEATURE_SET
from footy.training import DEFAULT_HYPER_PARAMETERS, read_config
from footy.tune import (
    SearchSpace,
    default_params,
    plan_trials,
    time_split,
    tune,
)

# Tiny networks and a couple of epochs: a trial takes about a second.
TINY = SearchSpace(
    layers=(1,),
    units=(4, 8),
    activation=("relu", "tanh"),
    learning_rate=(1e-2,),
    dropout=(0.0,),
    epochs=(2,),
    patience=(1,),
    window=(3, 5),
    batch_size=(64,),
    baseline=False,
)


def synthetic_matches(n: int = 360, seed: int = 0) -> pd.DataFrame:
    """Weekly-ish matches between 8 teams of fixed strength over about 7 years."""
    rng = np.random.default_rng(seed)
    strength = np.linspace(-0.6, 0.6, 8)
    home = rng.integers(0, 8, n)
    away = (home + rng.integers(1, 8, n)) % 8
    dates = pd.Timestamp("2010-01-01") + pd.to_timedelta(np.sort(rng.integers(0, 2555, n)), "D")
    teams = np.array([f"T{i}" for i in range(8)], dtype=object)
    return pd.DataFrame(
        {
            "date": dates,
            "home_team": teams[home],
            "away_team": teams[away],
            "home_goals": rng.poisson(np.exp(0.3 + strength[home] - strength[away])),
            "away_goals": rng.poisson(np.exp(strength[away] - strength[home])),
            "neutral": False,
            "tournament": "Friendly",
        }
    )


@pytest.fixture(scope="module")
def matches() -> pd.DataFrame:
    return synthetic_matches()


@pytest.fixture(scope="module")
def searched(matches):
    """A fresh three-trial search without a log."""
    return tune(matches, until="2016-06-30", validation_years=2, seed=1, space=TINY, trials=3)


@pytest.fixture
def tiny_space(monkeypatch):
    """The CLI searches TINY instead of the real space."""
    monkeypatch.setattr(tune_module, "DEFAULT_SPACE", TINY)
    return TINY


# ---- split and plan ---------------------------------------------------------------------


def test_split_puts_every_training_match_before_every_validation_match(matches):
    known, split = time_split(matches, until="2015-12-31", validation_years=2)
    assert known["date"].max() <= pd.Timestamp("2015-12-31")
    assert len(known) == int((matches["date"] <= "2015-12-31").sum())
    assert (split.train ^ split.validation).all()
    assert known["date"][split.train].max() < known["date"][split.validation].min()
    assert known["date"][split.validation].min() > pd.Timestamp("2013-12-30")
    described = split.describe(known)
    assert described["validation"]["last_date"] <= "2015-12-31"
    assert described["training"]["last_date"] <= described["last_training_day"]


def test_split_refuses_a_validation_period_that_leaves_too_little(matches):
    with pytest.raises(BadInputError, match="validation-years"):
        time_split(matches, until="2015-12-31", validation_years=10)
    with pytest.raises(BadInputError, match="no matches on or before"):
        time_split(matches, until="1999-01-01")


def test_plan_is_seeded_distinct_and_grows_without_changing_its_start():
    plan = plan_trials(SearchSpace(), seed=3, trials=12)
    assert plan[0] == default_params()
    assert plan_trials(SearchSpace(), seed=3, trials=5) == plan[:5]
    assert plan_trials(SearchSpace(), seed=4, trials=12)[1:] != plan[1:]
    assert len({json.dumps(p, sort_keys=True) for p in plan}) == len(plan)
    assert default_params()["hidden"] == list(DEFAULT_HYPER_PARAMETERS["hidden"])


def test_plan_refuses_more_trials_than_the_space_holds():
    assert TINY.size() == 8
    assert len(plan_trials(TINY, seed=0, trials=8)) == 8
    with pytest.raises(BadInputError, match="only 8 configurations"):
        plan_trials(TINY, seed=0, trials=9)
    with pytest.raises(BadInputError, match="at least 1"):
        plan_trials(TINY, seed=0, trials=0)


# ---- the search and its log -------------------------------------------------------------


def test_log_resumes_and_gives_the_numbers_of_a_fresh_run(matches, searched, tmp_path):
    log = tmp_path / "trials.jsonl"
    args = dict(until="2016-06-30", validation_years=2, seed=1, space=TINY, log=log)
    first = tune(matches, trials=2, **args)
    assert [t.number for t in first.trials] == [0, 1]
    assert len(log.read_text().splitlines()) == 3  # header + 2 trials

    seen = []
    second = tune(matches, trials=3, on_trial=lambda t, resumed: seen.append(resumed), **args)
    assert seen == [True, True, False]
    assert second.resumed == 2
    assert second.trials[:2] == first.trials
    assert len(log.read_text().splitlines()) == 4

    assert [t.params for t in searched.trials] == [t.params for t in second.trials]
    assert [t.validation for t in searched.trials] == [t.validation for t in second.trials]
    assert second.best.rps == min(t.rps for t in second.trials)


def test_a_log_of_another_search_is_refused(matches, tmp_path):
    log = tmp_path / "trials.jsonl"
    args = dict(until="2016-06-30", validation_years=2, space=TINY, log=log, trials=1)
    tune(matches, seed=0, **args)
    with pytest.raises(BadInputError, match=r"different search.*seed"):
        tune(matches, seed=5, **args)
    (tmp_path / "other.jsonl").write_text("date,home\n")
    with pytest.raises(BadInputError, match="not JSON"):
        tune(matches, seed=0, **{**args, "log": tmp_path / "other.jsonl"})


def test_a_trial_line_cut_short_is_dropped_and_rerun(matches, tmp_path):
    log = tmp_path / "trials.jsonl"
    args = dict(until="2016-06-30", validation_years=2, seed=0, space=TINY, log=log)
    tune(matches, trials=1, **args)
    with log.open("a") as fh:
        fh.write('{"trial": 1, "params": {"hid')  # killed mid-write
    result = tune(matches, trials=2, **args)
    assert result.resumed == 1
    lines = log.read_text().splitlines()
    assert len(lines) == 3 and json.loads(lines[-1])["trial"] == 1


def test_best_config_is_what_train_reads(searched, tmp_path):
    result = searched
    config = result.config()
    path = tmp_path / "best.json"
    path.write_text(json.dumps(config))
    settings = read_config(path)
    best = result.best
    assert settings["window"] == best.params["window"]
    assert settings["hidden"] == best.params["hidden"]
    assert settings["feature_set"] == list(DEFAULT_FEATURE_SET)
    assert set(settings) == set(DEFAULT_HYPER_PARAMETERS) | {"window", "feature_set"}
    assert config["best"]["rps"] == best.rps == min(t.rps for t in result.trials)


# ---- the command line -------------------------------------------------------------------


def write_csv(matches: pd.DataFrame, path) -> None:
    table = matches.assign(date=matches["date"].dt.strftime("%Y-%m-%d"))
    table.to_csv(path, index=False)


def test_cli_prints_the_table_writes_best_json_and_resumes(matches, tmp_path, tiny_space):
    data = tmp_path / "results.csv"
    write_csv(matches, data)
    runner = CliRunner()
    base = ["tune", "--data", str(data), "--until", "2016-06-30", "--validation-years", "2"]
    out, log = tmp_path / "best.json", tmp_path / "trials.jsonl"
    result = runner.invoke(main, [*base, "--trials", "2", "--log", str(log), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "rank trial     RPS" in result.stdout
    assert "best: trial" in result.stdout and "tuning" in result.stderr
    assert "validation 2014-" in result.stdout
    assert read_config(out)["window"] in (3, 5)

    again = runner.invoke(main, [*base, "--trials", "2", "--out", str(out)])
    assert again.exit_code == 2
    assert "best.json exists; pass --force" in again.stderr

    more = runner.invoke(
        main, [*base, "--trials", "3", "--log", str(log), "--out", str(out), "--force", "--json"]
    )
    assert more.exit_code == 0, more.output
    report = json.loads(more.stdout)
    assert report["resumed"] == 2 and len(report["trials"]) == 3
    rps = [t["validation"]["rps"] for t in report["trials"]]
    assert rps == sorted(rps)
    assert json.loads(out.read_text())["best"]["rps"] == rps[0]


def test_cli_rejects_bad_input(matches, tmp_path, tiny_space):
    data = tmp_path / "results.csv"
    write_csv(matches, data)
    runner = CliRunner()
    zero = runner.invoke(main, ["tune", "--data", str(data), "--trials", "0"])
    assert zero.exit_code == 2 and "--trials" in zero.stderr
    early = runner.invoke(
        main, ["tune", "--data", str(data), "--until", "1990-01-01", "--trials", "2"]
    )
    assert early.exit_code == 2 and "Error: no matches on or before 1990-01-01" in early.stderr
    features = runner.invoke(main, ["tune", "--data", str(data), "--features", "seed,nope"])
    assert features.exit_code == 2 and "unknown feature group" in features.stderr
