"""The outcome encoding and the proper scores every command reports.

Outcome 0 = home win, 1 = draw, 2 = away win. Probabilities are n x 3 arrays in
that order. The scores are per match; the means are what the tables show.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

HOME_WIN, DRAW, AWAY_WIN = 0, 1, 2
OUTCOME_NAMES = ("home win", "draw", "away win")
SCORE_NAMES = ("rps", "log_loss", "brier", "accuracy")
_EPS = 1e-15


def outcome(home_goals, away_goals) -> np.ndarray:
    """Encode results as 0 (home win), 1 (draw) or 2 (away win)."""
    diff = np.asarray(home_goals) - np.asarray(away_goals)
    return np.where(diff > 0, HOME_WIN, np.where(diff == 0, DRAW, AWAY_WIN)).astype(np.int8)


def _check(probs, outcomes) -> tuple[np.ndarray, np.ndarray]:
    p = np.asarray(probs, dtype=float)
    y = np.asarray(outcomes, dtype=int)
    if p.ndim != 2 or p.shape[1] != 3 or len(p) != len(y):
        raise ValueError(f"need n x 3 probabilities and n outcomes, got {p.shape} and {y.shape}")
    return p, y


def rps(probs, outcomes) -> np.ndarray:
    """Ranked probability score per match: half the summed squared cumulative errors."""
    p, y = _check(probs, outcomes)
    observed = np.eye(3)[y]
    cum = np.cumsum(p - observed, axis=1)[:, :2]
    return 0.5 * np.sum(cum**2, axis=1)


def log_loss(probs, outcomes) -> np.ndarray:
    """Negative natural log of the probability given to what happened."""
    p, y = _check(probs, outcomes)
    return -np.log(np.clip(p[np.arange(len(y)), y], _EPS, 1.0))


def brier(probs, outcomes) -> np.ndarray:
    """Brier score summed over the three outcomes."""
    p, y = _check(probs, outcomes)
    return np.sum((p - np.eye(3)[y]) ** 2, axis=1)


def accuracy(probs, outcomes) -> np.ndarray:
    """1 where the most likely outcome happened, else 0."""
    p, y = _check(probs, outcomes)
    return (np.argmax(p, axis=1) == y).astype(float)


SCORES = {"rps": rps, "log_loss": log_loss, "brier": brier, "accuracy": accuracy}


def score_table(probs, outcomes) -> dict[str, float]:
    """Mean of every score over the matches."""
    return {name: float(np.mean(fn(probs, outcomes))) for name, fn in SCORES.items()}


@dataclass(frozen=True)
class MatchProbabilities:
    """The three outcome probabilities of one match; checks that they sum to one."""

    home_win: float
    draw: float
    away_win: float

    def __post_init__(self) -> None:
        values = (self.home_win, self.draw, self.away_win)
        if min(values) < 0 or abs(sum(values) - 1.0) > 1e-6:
            raise ValueError(f"probabilities must be >= 0 and sum to 1, got {values}")

    def as_array(self) -> np.ndarray:
        return np.array([self.home_win, self.draw, self.away_win])
