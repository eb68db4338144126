"""`footy backtest`: refits only on the past, every match predicted, the market where odds exist."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import assert_real_picture

import footy.training
from footy.backtest import MODEL, PREDICTION_COLUMNS, backtest, parse_baselines
from footy.cli import main
from footy.errors import BadInputError

TINY = {"hidden": (8,), "epochs": 3}
START, END = "2019-01-01", "2020-06-30"


def synthetic_season_file(seed: int = 1, with_odds: bool = True) -> pd.DataFrame:
    """A football-data.co.uk style file: 10 clubs, a match every 4 days 2016-2020.

    Closing odds (PSCH/PSCD/PSCA) are given from 2019 on, and left empty for
    every fifth match, so the market covers a strict subset of the period.
    """
    rng = np.random.default_rng(seed)
    clubs = [f"Club {c}" for c in "ABCDEFGHIJ"]
    strength = dict(zip(clubs, np.linspace(-0.5, 0.5, len(clubs)), strict=True))
    rows = []
    for i, day in enumerate(pd.date_range("2016-01-02", "2020-06-30", freq="4D")):
        home, away = rng.choice(clubs, size=2, replace=False)
        lam_h = np.exp(0.3 + strength[home] - strength[away])
        lam_a = np.exp(0.1 + strength[away] - strength[home])
        row = {
            "Div": "E0",
            "Date": day.strftime("%d/%m/%Y"),
            "HomeTeam": home,
            "AwayTeam": away,
            "FTHG": rng.poisson(lam_h),
            "FTAG": rng.poisson(lam_a),
        }
        if with_odds:
            priced = day >= pd.Timestamp("2019-01-01") and i % 5 != 0
            p = np.array([lam_h, 0.8, lam_a]) / (lam_h + 0.8 + lam_a)
            for col, prob in zip(("PSCH", "PSCD", "PSCA"), p, strict=True):
                row[col] = f"{1 / (1.05 * prob):.2f}" if priced else ""
        rows.append(row)
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def matches(tmp_path_factory):
    from footy.matches import read_matches

    path = tmp_path_factory.mktemp("lib") / "E0.csv"
    synthetic_season_file().to_csv(path, index=False)
    return read_matches(path)


@pytest.fixture(scope="module")
def spied(matches):
    """One library backtest, recording every call of train_model."""
    calls = []
    real = footy.training.train_model

    def spy(table, *, until=None, **kwargs):
        model, sidecar = real(table, until=until, **kwargs)
        calls.append({"until": pd.Timestamp(until), "sidecar": sidecar})
        return model, sidecar

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(footy.training, "train_model", spy)
        evaluation = backtest(
            matches, START, END, refit="yearly", baselines="base,elo,logistic,market", **TINY
        )
    return evaluation, calls


def test_every_block_is_trained_only_on_matches_before_it(spied, matches):
    evaluation, calls = spied
    assert [c["until"] for c in calls] == [pd.Timestamp("2018-12-31"), pd.Timestamp("2019-12-31")]
    for call, block in zip(calls, evaluation.blocks, strict=True):
        block_start = pd.Timestamp(block["block_start"])
        assert pd.Timestamp(call["sidecar"]["training_period"]["last_date"]) < block_start
        assert block["training_matches"] == int((matches["date"] < block_start).sum())
    assert [b["block_start"] for b in evaluation.blocks] == ["2019-01-01", "2020-01-01"]


def test_every_match_of_the_period_is_predicted_by_every_predictor(spied, matches):
    evaluation, _ = spied
    in_period = matches[(matches["date"] >= START) & (matches["date"] <= END)]
    assert len(evaluation.matches) == len(in_period)
    assert list(evaluation.predictions) == [MODEL, "base rate", "Elo", "logistic"]
    for probs in evaluation.predictions.values():
        assert probs.shape == (len(in_period), 3)
        np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-9)


def test_the_market_is_scored_only_where_odds_exist(spied):
    evaluation, _ = spied
    rows = evaluation.market_rows()
    assert 0 < rows.sum() < len(rows)  # every fifth match has no odds
    table = evaluation.market_comparison(n_boot=100)
    assert list(table.index) == [MODEL, "base rate", "Elo", "logistic", "market"]
    assert int(table["n"].iloc[0]) == rows.sum()
    assert "market" not in evaluation.comparison(n_boot=100).index


def test_a_network_trained_on_the_block_it_predicts_is_refused(matches, monkeypatch):
    real = footy.training.train_model

    def peeking(table, *, until=None, **kwargs):  # ignores `until`: learns from everything
        return real(table, until=None, **kwargs)

    monkeypatch.setattr(footy.training, "train_model", peeking)
    with pytest.raises(BadInputError, match="trained on matches up to 2020-06-"):
        backtest(matches, START, END, baselines="base", **TINY)


def test_tournament_scores_only_its_matches_and_skips_blocks_without_them(matches, monkeypatch):
    table = matches.copy()
    cup = (table["date"] >= "2020-02-01") & (table.index % 3 == 0)
    table.loc[cup, "tournament"] = "Cup"
    fits = []
    real = footy.training.train_model
    monkeypatch.setattr(
        footy.training, "train_model", lambda *a, **k: fits.append(k["until"]) or real(*a, **k)
    )
    evaluation = backtest(table, START, END, baselines="base", tournament="Cup", **TINY)
    assert len(evaluation.matches) == int(cup.sum())
    assert set(evaluation.matches["tournament"]) == {"Cup"}
    assert fits == [pd.Timestamp("2019-12-31")]  # the 2019 block has no Cup match: no fit
    with pytest.raises(BadInputError, match="no 'World Cup' matches"):
        backtest(table, START, END, baselines="base", tournament="World Cup", **TINY)


def test_unknown_baselines_are_named():
    assert parse_baselines("elo, base") == ("elo", "base")
    with pytest.raises(BadInputError, match=r"unknown baseline.*glicko"):
        parse_baselines("elo,glicko")


# ---- the command line ----------------------------------------------------------------------


def run(*args):
    return CliRunner().invoke(main, ["backtest", *(str(a) for a in args)])


@pytest.fixture(scope="module")
def csv_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clubs")
    with_odds, without = folder / "E0_odds.csv", folder / "E0_plain.csv"
    synthetic_season_file(with_odds=True).to_csv(with_odds, index=False)
    synthetic_season_file(with_odds=False).to_csv(without, index=False)
    return with_odds, without


def test_cli_with_odds_reports_the_market_and_writes_every_prediction(csv_files, tmp_path):
    with_odds, _ = csv_files
    out, plot = tmp_path / "predictions.csv", tmp_path / "reliability.png"
    result = run(
        "--data", with_odds, "--from", START, "--to", END, "--epochs", 3, "--hidden", 8,
        "--baselines", "base,elo,logistic,dixon-coles,market", "--resamples", 200,
        "--predictions", out, "--plot", plot,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    stdout = result.stdout
    for word in ("RPS", "log loss", "Brier", "accuracy", "network", "base rate", "Elo"):
        assert word in stdout
    assert "logistic" in stdout and "Dixon-Coles" in stdout
    assert "against the market, on the matches with closing odds" in stdout
    assert "block from 2019-01-01" in result.stderr
    table = pd.read_csv(out)
    assert list(table.columns) == list(PREDICTION_COLUMNS)
    dates = pd.to_datetime(table["date"])
    days = pd.date_range("2016-01-02", END, freq="4D")
    assert len(table) == int((days >= pd.Timestamp(START)).sum())
    assert dates.min() >= pd.Timestamp(START) and dates.max() <= pd.Timestamp(END)
    assert_real_picture(plot)


def test_cli_without_odds_has_no_market_and_json_only_on_stdout(csv_files):
    _, without = csv_files
    result = run(
        "--data", without, "--from", "2020-01-01", "--to", END, "--epochs", 3, "--hidden", 8,
        "--baselines", "base,market", "--resamples", 200, "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [row["predictor"] for row in report["scores"]] == ["network", "base rate"]
    assert report["market"] is None
    assert any("market skipped" in note for note in report["notes"])
    assert "note: market skipped" in result.stderr


def test_cli_bad_input_is_one_error_line(csv_files):
    _, without = csv_files
    result = run("--data", without, "--from", "2019-01-01", "--baselines", "elo,glicko")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: unknown baseline")
    early = run("--data", without, "--from", "2016-01-01", "--baselines", "base")
    assert early.exit_code == 2
    assert "no matches before 2016-01-01 to train on" in early.stderr
