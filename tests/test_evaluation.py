"""Evaluation: paired bootstrap comparisons, walk-forward refits, reliability, the picture."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from footy.errors import BadInputError
from footy.evaluation import (
    assert_no_overlap,
    compare,
    evaluation_period,
    format_comparison,
    refit_dates,
    reliability_table,
    walk_forward,
)
from footy.outcomes import rps
from footy.plots.reliability import plot_reliability

TRUTH = np.array([0.5, 0.3, 0.2])


@pytest.fixture(scope="module")
def synthetic():
    """Outcomes drawn from TRUTH; one predictor knows TRUTH, one says a third each."""
    rng = np.random.default_rng(3)
    n = 3000
    y = rng.choice(3, size=n, p=TRUTH)
    predictions = {
        "uniform": np.full((n, 3), 1 / 3),
        "truth": np.tile(TRUTH, (n, 1)),
    }
    return predictions, y


def expected_rps(probs: np.ndarray) -> float:
    """Expected RPS of constant probabilities when outcomes follow TRUTH."""
    return float(sum(TRUTH[k] * rps(probs[None], [k])[0] for k in range(3)))


def test_bootstrap_interval_contains_the_true_difference(synthetic):
    predictions, y = synthetic
    table = compare(predictions, y, reference="uniform", n_boot=1000, seed=0)
    true_diff = expected_rps(TRUTH) - expected_rps(np.full(3, 1 / 3))
    row = table.loc["truth"]
    assert row["rps_lo"] <= true_diff <= row["rps_hi"]
    assert row["rps_hi"] < 0  # knowing the truth is clearly better
    assert row["rps_lo"] < row["rps_diff"] < row["rps_hi"]
    np.testing.assert_allclose(row["rps_diff"], row["rps"] - table.loc["uniform", "rps"])
    assert np.isnan(table.loc["uniform", "rps_diff"])
    assert table.attrs["reference"] == "uniform"
    assert list(table.index) == ["uniform", "truth"]


def test_bootstrap_is_identical_with_the_same_seed_and_not_with_another(synthetic):
    predictions, y = synthetic
    one = compare(predictions, y, reference="uniform", n_boot=300, seed=7)
    two = compare(predictions, y, reference="uniform", n_boot=300, seed=7)
    other = compare(predictions, y, reference="uniform", n_boot=300, seed=8)
    pd.testing.assert_frame_equal(one, two)
    assert one.loc["truth", "rps_lo"] != other.loc["truth", "rps_lo"]


def test_bootstrap_is_paired():
    """Predictors that differ by a constant on every match: every resample sees that constant."""
    y = np.zeros(50, dtype=int)
    a = np.tile([0.6, 0.3, 0.1], (50, 1))
    b = np.tile([0.5, 0.3, 0.2], (50, 1))
    table = compare({"a": a, "b": b}, y, reference="a", n_boot=200)
    diff = rps(b[:1], y[:1])[0] - rps(a[:1], y[:1])[0]
    np.testing.assert_allclose(table.loc["b", ["rps_diff", "rps_lo", "rps_hi"]], diff)


def test_compare_refuses_bad_input(synthetic):
    predictions, y = synthetic
    with pytest.raises(BadInputError, match="reference 'nobody'"):
        compare(predictions, y, reference="nobody")
    market = np.full((len(y), 3), 1 / 3)
    market[:5] = np.nan
    holes = dict(predictions, market=market)
    with pytest.raises(BadInputError, match="'market' has no probabilities for 5 of"):
        compare(holes, y, reference="uniform")
    with pytest.raises(BadInputError, match="x 3"):
        compare({"short": np.ones((2, 3)) / 3}, y, reference="short")


def test_format_comparison_reads_at_a_glance(synthetic):
    predictions, y = synthetic
    text = format_comparison(compare(predictions, y, reference="uniform", n_boot=100))
    assert "3,000 matches" in text
    assert "RPS" in text and "log loss" in text and "accuracy" in text
    truth_lines = [line for line in text.splitlines() if line.startswith("truth")]
    assert len(truth_lines) == 2
    assert truth_lines[1].count("[") == 4  # one [lo, hi] per score
    # Every number has four decimals.
    numbers = truth_lines[0].split()[1:] + truth_lines[1].replace("[", " ").split()[1:]
    assert len(numbers) == 4 + 12
    assert all(len(number.strip("],").split(".")[1]) == 4 for number in numbers)


def matches_over(days: int = 800, start: str = "2019-06-01") -> pd.DataFrame:
    rng = np.random.default_rng(4)
    dates = pd.Timestamp(start) + pd.to_timedelta(np.sort(rng.integers(0, days, 400)), unit="D")
    teams = [f"T{k}" for k in range(12)]
    home = rng.integers(0, 12, 400)
    away = (home + rng.integers(1, 12, 400)) % 12
    return pd.DataFrame(
        {
            "date": dates,
            "home_team": [teams[i] for i in home],
            "away_team": [teams[i] for i in away],
            "home_goals": rng.poisson(1.4, 400),
            "away_goals": rng.poisson(1.1, 400),
            "neutral": rng.random(400) < 0.2,
        }
    )


@pytest.mark.parametrize(("refit", "blocks"), [("yearly", 2), ("monthly", 15), ("never", 1)])
def test_walk_forward_trains_only_on_the_past_and_predicts_every_match(refit, blocks):
    matches = matches_over()
    start, end = "2020-10-15", "2021-12-31"
    seen = []

    def fit_predict(train, test):
        block_start = test["date"].min()
        seen.append((train["date"].max(), block_start, len(test)))
        assert train["date"].max() < block_start
        # Marks each match with the last training date, so the order can be checked.
        stamp = train["date"].max().toordinal()
        return {"stamp": np.tile([stamp, 0.0, 0.0], (len(test), 1))}

    predictions = walk_forward(matches, start, end, refit, fit_predict)
    period = evaluation_period(matches, start, end)
    assert predictions["stamp"].shape == (len(period), 3)
    assert np.all(np.isfinite(predictions["stamp"]))
    assert sum(n for *_, n in seen) == len(period)
    assert len(seen) <= blocks
    block_starts = refit_dates(start, end, refit)
    assert len(block_starts) == blocks
    # Each match was predicted by the model of its block: trained before the block's first day.
    for date, stamp in zip(period["date"], predictions["stamp"][:, 0], strict=True):
        block = max(b for b in block_starts if b <= date)
        assert pd.Timestamp.fromordinal(int(stamp)) < block


def test_walk_forward_blocks_start_on_new_years_and_months():
    assert refit_dates("2018-03-10", "2020-02-01", "yearly") == [
        pd.Timestamp("2018-03-10"),
        pd.Timestamp("2019-01-01"),
        pd.Timestamp("2020-01-01"),
    ]
    months = refit_dates("2018-01-01", "2018-03-31", "monthly")
    assert months == [pd.Timestamp(f"2018-0{m}-01") for m in (1, 2, 3)]
    with pytest.raises(BadInputError, match="yearly"):
        refit_dates("2018-01-01", "2019-01-01", "weekly")


def test_walk_forward_skips_empty_blocks():
    matches = matches_over()
    first_match = matches.loc[matches["date"] >= "2020-03-01", "date"].min()
    start = first_match - pd.Timedelta(days=40)  # the first monthly block(s) may be empty
    matches = matches[(matches["date"] < start) | (matches["date"] >= first_match)]
    got = walk_forward(
        matches,
        start,
        "2020-06-30",
        "monthly",
        lambda train, test: {"flat": np.full((len(test), 3), 1 / 3)},
    )
    assert got["flat"].shape == (len(evaluation_period(matches, start, "2020-06-30")), 3)


def test_walk_forward_refuses_a_period_without_history_or_matches():
    matches = matches_over()
    with pytest.raises(BadInputError, match="no matches before"):
        walk_forward(matches, "2019-01-01", "2020-01-01", "never", lambda tr, te: {})
    with pytest.raises(BadInputError, match="no matches between"):
        walk_forward(matches, "2030-01-01", "2030-12-31", "never", lambda tr, te: {})


def test_scoring_a_model_on_its_training_matches_is_refused():
    with pytest.raises(BadInputError, match="trained on matches up to 2018-06-30; the evaluation"):
        assert_no_overlap(("2010-01-01", "2018-06-30"), "2018-06-30")
    assert_no_overlap(("2010-01-01", "2018-06-30"), "2018-07-01")  # the day after is fine


def test_reliability_table_by_hand():
    probs = np.array([[0.15, 0.25, 0.60], [0.12, 0.28, 0.60], [0.55, 0.25, 0.20]])
    y = np.array([2, 0, 0])
    table = reliability_table(probs, y, bins=10)
    home = table[table["outcome"] == "home win"].set_index("bin")
    assert list(home.index) == [1, 5]
    np.testing.assert_allclose(
        home.loc[1, ["mean_predicted", "observed", "count"]], [0.135, 0.5, 2]
    )
    np.testing.assert_allclose(home.loc[5, ["mean_predicted", "observed", "count"]], [0.55, 1, 1])
    assert table.groupby("outcome")["count"].sum().eq(3).all()


def test_reliability_diagram_is_a_png_of_sensible_size(synthetic, tmp_path):
    import matplotlib.image

    predictions, y = synthetic
    path = plot_reliability(predictions, y, tmp_path / "reliability.png")
    image = matplotlib.image.imread(path)
    height, width = image.shape[:2]
    assert width > 2 * height > 600
