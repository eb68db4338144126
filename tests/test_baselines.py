"""Baselines: hand-checked base rates, Dixon–Coles on a tiny league, de-margined odds."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from footy.baselines import (
    NOT_FITTED,
    BaseRate,
    DixonColes,
    EloLogit,
    LogisticBaseline,
    market_probabilities,
)
from footy.errors import BadInputError, FootyError
from footy.outcomes import outcome


def league(seed: int = 0, rounds: int = 2, neutral_share: float = 0.1) -> pd.DataFrame:
    """A double round robin (per round) of 12 teams; team k's attack strength grows with k."""
    rng = np.random.default_rng(seed)
    teams = [f"T{k:02d}" for k in range(12)]
    strength = np.linspace(-0.6, 0.6, len(teams))
    rows = []
    day = pd.Timestamp("2020-01-04")
    for _ in range(rounds):
        for i, home in enumerate(teams):
            for j, away in enumerate(teams):
                if i == j:
                    continue
                neutral = bool(rng.random() < neutral_share)
                home_rate = np.exp(0.2 + strength[i] - strength[j] + (0 if neutral else 0.3))
                away_rate = np.exp(0.2 + strength[j] - strength[i])
                rows.append(
                    (day, home, away, rng.poisson(home_rate), rng.poisson(away_rate), neutral)
                )
                day += pd.Timedelta(days=1)
    return pd.DataFrame(
        rows, columns=["date", "home_team", "away_team", "home_goals", "away_goals", "neutral"]
    ).assign(tournament="Friendly")


def table(rows) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["home_team", "away_team", "home_goals", "away_goals", "neutral"]
    )


@pytest.mark.parametrize(
    ("estimator", "args"),
    [
        (BaseRate(), (table([("A", "B", 1, 0, False)]),)),
        (LogisticBaseline(), (np.zeros((1, 2)),)),
        (EloLogit(), (np.zeros((1, 2)),)),
        (DixonColes(), (table([("A", "B", 1, 0, False)]),)),
    ],
)
def test_predicting_before_fit_says_what_to_do(estimator, args):
    with pytest.raises(FootyError, match=re.escape(NOT_FITTED)):
        estimator.predict_proba(*args)


def test_base_rate_splits_neutral_and_home_venues_by_hand():
    matches = table(
        [
            ("A", "B", 2, 0, False),  # home win
            ("A", "C", 1, 0, False),  # home win
            ("B", "C", 1, 1, False),  # draw
            ("C", "A", 0, 3, False),  # away win
            ("A", "B", 0, 0, True),  # draw
            ("B", "C", 0, 1, True),  # away win
        ]
    )
    model = BaseRate(prior=0).fit(matches)
    np.testing.assert_allclose(model.home_rates_, [2 / 4, 1 / 4, 1 / 4])
    np.testing.assert_allclose(model.neutral_rates_, [0, 1 / 2, 1 / 2])
    probs = model.predict_proba(table([("X", "Y", 0, 0, True), ("X", "Y", 0, 0, False)]))
    np.testing.assert_allclose(probs, [[0, 0.5, 0.5], [0.5, 0.25, 0.25]])


def test_base_rate_prior_keeps_unseen_outcomes_possible_and_fills_an_empty_venue():
    matches = table([("A", "B", 1, 0, False), ("A", "B", 0, 0, False)])
    model = BaseRate(prior=1).fit(matches)
    overall = np.array([2, 2, 1]) / 5
    np.testing.assert_allclose(model.neutral_rates_, overall)
    np.testing.assert_allclose(model.home_rates_, (np.array([1, 1, 0]) + 3 * overall) / 5)
    assert model.home_rates_.min() > 0


def test_logistic_baseline_learns_a_signal_and_keeps_three_columns():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(600, 2))
    y = np.where(x[:, 0] > 0.5, 0, np.where(x[:, 0] < -0.5, 2, 1))
    model = LogisticBaseline().fit(x, y)
    probs = model.predict_proba([[2.0, 0.0], [-2.0, 0.0]])
    assert probs.shape == (2, 3)
    assert probs[0, 0] > 0.9 and probs[1, 2] > 0.9
    # A class missing from training still gets its (zero) column.
    only_two = LogisticBaseline().fit(x[y != 1], y[y != 1]).predict_proba(x[:3])
    assert only_two.shape == (3, 3)
    np.testing.assert_allclose(only_two[:, 1], 0)
    np.testing.assert_allclose(only_two.sum(axis=1), 1)


def test_elo_logit_is_monotone_in_the_difference_and_order_free_at_neutral_venues():
    rng = np.random.default_rng(2)
    diff = rng.normal(0, 200, size=3000)
    neutral = rng.random(3000) < 0.3
    edge = diff / 200 + np.where(neutral, 0, 0.4) + rng.logistic(size=3000)
    y = np.where(edge > 0.6, 0, np.where(edge < -0.6, 2, 1))
    model = EloLogit().fit(np.column_stack([diff, neutral]), y)
    grid = np.linspace(-400, 400, 9)
    home = model.predict_proba(np.column_stack([grid, np.zeros(9)]))
    assert np.all(np.diff(home[:, 0]) > 0) and np.all(np.diff(home[:, 2]) < 0)
    np.testing.assert_allclose(home.sum(axis=1), 1)
    # A neutral match between A and B is the mirror image of B against A.
    at_neutral = model.predict_proba(np.column_stack([grid, np.ones(9)]))
    np.testing.assert_allclose(at_neutral, at_neutral[::-1, ::-1], atol=1e-12)
    # Home advantage: level sides at home favour the home team.
    level = model.predict_proba([[0.0, 0.0]])[0]
    assert level[0] > level[2]
    # One column (no venue) works too.
    assert EloLogit().fit(diff, y).predict_proba(grid).shape == (9, 3)


@pytest.fixture(scope="module")
def dixon_coles() -> tuple[DixonColes, pd.DataFrame]:
    pytest.importorskip("penaltyblog", reason="Dixon–Coles needs the compare extra")
    matches = league()
    return DixonColes(years=None).fit(matches), matches


def test_dixon_coles_gives_the_stronger_team_the_higher_win_probability(dixon_coles):
    model, _ = dixon_coles
    fixtures = table([("T11", "T00", 0, 0, True), ("T00", "T11", 0, 0, False)])
    probs = model.predict_proba(fixtures)
    np.testing.assert_allclose(probs.sum(axis=1), 1)
    assert probs[0, 0] > 0.6 > probs[0, 2]
    assert probs[1, 2] > probs[1, 0]


def test_dixon_coles_neutral_venue_does_not_depend_on_the_order(dixon_coles):
    model, _ = dixon_coles
    one = model.predict_proba(table([("T03", "T08", 0, 0, True)]))
    other = model.predict_proba(table([("T08", "T03", 0, 0, True)]))
    np.testing.assert_allclose(one, other[:, ::-1], atol=1e-12)
    at_home = model.predict_proba(table([("T03", "T08", 0, 0, False)]))
    assert at_home[0, 0] > one[0, 0]  # home advantage counts only at home


def test_dixon_coles_unknown_team_falls_back_to_the_base_rate(dixon_coles):
    model, matches = dixon_coles
    fixtures = table([("Atlantis", "T05", 0, 0, False), ("T05", "T06", 0, 0, False)])
    probs = model.predict_proba(fixtures)
    assert len(probs) == 2 and np.all(np.isfinite(probs))
    np.testing.assert_allclose(probs[0], BaseRate().fit(matches).predict_proba(fixtures)[0])


def test_dixon_coles_fit_matches_penaltyblogs_own_fit(dixon_coles):
    """footy's fast L-BFGS-B fit reaches the same model as penaltyblog's SLSQP fit."""
    from penaltyblog.models import DixonColesGoalModel, dixon_coles_weights

    model, matches = dixon_coles
    reference = DixonColesGoalModel(
        matches["home_goals"],
        matches["away_goals"],
        matches["home_team"],
        matches["away_team"],
        weights=dixon_coles_weights(list(matches["date"]), 0.0018),
        neutral_venue=matches["neutral"].astype(int),
    )
    reference.fit()
    pairs = [("T00", "T11"), ("T05", "T06"), ("T09", "T02")]
    fixtures = table([(h, a, 0, 0, False) for h, a in pairs])
    expected = [reference.predict(h, a).home_draw_away for h, a in pairs]
    np.testing.assert_allclose(model.predict_proba(fixtures), expected, atol=2e-3)


def test_dixon_coles_trains_only_on_the_recent_window():
    pytest.importorskip("penaltyblog", reason="Dixon–Coles needs the compare extra")
    matches = league(rounds=3)
    model = DixonColes(years=1).fit(matches)
    last = matches["date"].max()
    assert model.n_matches_ == int((matches["date"] > last - pd.Timedelta(days=365)).sum())
    assert model.n_matches_ < len(matches)


def test_dixon_coles_without_penaltyblog_names_the_extra(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "penaltyblog.models", None)
    with pytest.raises(FootyError, match=r"pip install 'footy\[compare\]'"):
        DixonColes().fit(league(rounds=1))


def test_market_probabilities_remove_the_margin_by_hand():
    odds = pd.DataFrame(
        {
            "odds_home": [2.0, np.nan, 1.5],
            "odds_draw": [3.0, 3.2, 4.0],
            "odds_away": [4.0, 2.5, 7.0],
        }
    )
    probs = market_probabilities(odds)
    inverse = np.array([1 / 2, 1 / 3, 1 / 4])
    np.testing.assert_allclose(probs[0], inverse / inverse.sum())  # 0.4615, 0.3077, 0.2308
    np.testing.assert_allclose(probs[0], [6 / 13, 4 / 13, 3 / 13])
    assert np.all(np.isnan(probs[1]))
    np.testing.assert_allclose(np.nansum(probs, axis=1)[[0, 2]], 1)


def test_shin_takes_more_margin_off_the_long_shot():
    odds = pd.DataFrame({"odds_home": [1.5], "odds_draw": [4.0], "odds_away": [7.0]})
    shin = market_probabilities(odds, method="shin")[0]
    proportional = market_probabilities(odds)[0]
    np.testing.assert_allclose(shin.sum(), 1)
    assert shin[2] < proportional[2] and shin[0] > proportional[0]
    # Same as penaltyblog's Shin implementation.
    implied = pytest.importorskip("penaltyblog.implied")
    calculate_implied = implied.calculate_implied

    expected = calculate_implied([1.5, 4.0, 7.0], method="shin").probabilities
    np.testing.assert_allclose(shin, expected, atol=1e-6)


def test_market_probabilities_refuse_an_unknown_method_and_missing_columns():
    odds = pd.DataFrame({"odds_home": [2.0], "odds_draw": [3.0], "odds_away": [4.0]})
    with pytest.raises(BadInputError, match="proportional"):
        market_probabilities(odds, method="magic")
    with pytest.raises(BadInputError, match="odds_draw"):
        market_probabilities(odds.drop(columns="odds_draw"))


def test_outcomes_of_the_synthetic_league_are_varied():
    """Guards the fixture: a league with one outcome only would make the tests above vacuous."""
    y = outcome(league()["home_goals"], league()["away_goals"])
    assert set(np.unique(y)) == {0, 1, 2}
