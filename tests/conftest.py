"""Shared test helpers: small synthetic match tables."""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import pandas as pd
import pytest


def make_matches(rows) -> pd.DataFrame:
    """A match table from (date, home, away, home_goals, away_goals[, neutral]) tuples."""
    records = []
    for row in rows:
        date, home, away, hg, ag, *rest = row
        records.append(
            {
                "date": pd.Timestamp(date),
                "home_team": home,
                "away_team": away,
                "home_goals": hg,
                "away_goals": ag,
                "neutral": bool(rest[0]) if rest else False,
                "tournament": "Friendly",
            }
        )
    table = pd.DataFrame(records)
    return table.sort_values("date", kind="stable", ignore_index=True)


@pytest.fixture
def small_league() -> pd.DataFrame:
    return make_matches(
        [
            ("2020-01-01", "A", "B", 2, 0),
            ("2020-01-02", "A", "C", 1, 0),
            ("2020-01-03", "B", "A", 1, 1),
            ("2020-01-04", "A", "C", 3, 1),
            ("2020-01-04", "B", "C", 0, 2),
            ("2020-01-05", "C", "A", 2, 0),
        ]
    )


def synthetic_league(teams, matches: int = 600, seed: int = 0, start: str = "2015-01-01"):
    """Matches among ``teams`` where the first-listed teams are much stronger."""
    import numpy as np

    rng = np.random.default_rng(seed)
    n = len(teams)
    strength = np.linspace(1.0, -1.0, n)
    home = rng.integers(0, n, matches)
    away = (home + rng.integers(1, n, matches)) % n
    diff = strength[home] - strength[away]
    days = np.sort(rng.integers(0, matches // 2, matches))
    table = pd.DataFrame(
        {
            "date": pd.Timestamp(start) + pd.to_timedelta(days, unit="D"),
            "home_team": [teams[i] for i in home],
            "away_team": [teams[i] for i in away],
            "home_goals": rng.poisson(np.exp(0.3 + 0.6 * diff)),
            "away_goals": rng.poisson(np.exp(0.1 - 0.6 * diff)),
            "neutral": rng.random(matches) < 0.3,
            "tournament": "Friendly",
        }
    )
    return table


def assert_real_picture(path, min_width: int = 400, min_height: int = 250) -> None:
    """The file is a PNG that opens as an image of a sensible size, not blank."""
    import matplotlib.image
    import numpy as np

    with open(path, "rb") as fh:
        assert fh.read(8) == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    image = matplotlib.image.imread(path)
    height, width = image.shape[:2]
    assert width >= min_width and height >= min_height, (width, height)
    assert width <= 4000 and height <= 4000, (width, height)
    assert np.ptp(image[..., :3]) > 0.5, "the picture is blank"
