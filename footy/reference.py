"""A plain per-match Python implementation of the form features.

Slow on purpose and written for clarity: the tests and the benchmark use it to
cross-check the vectorised :func:`footy.features.features`.
"""

from __future__ import annotations

import pandas as pd

from footy.features import FORM_FEATURES, SEED_COLUMNS


def form_of(history: list[tuple[int, int]]) -> list[float]:
    """The six features from a list of (goals for, goals against), oldest first."""
    n = len(history)
    if n == 0:
        return [0.0] * len(FORM_FEATURES)
    wins = sum(gf > ga for gf, ga in history)
    draws = sum(gf == ga for gf, ga in history)
    longest = run = 0
    for gf, ga in history:
        run = run + 1 if gf > ga else 0
        longest = max(longest, run)
    return [
        wins / n,
        draws / n,
        (n - wins - draws) / n,
        sum(gf for gf, _ in history) / n,
        sum(ga for _, ga in history) / n,
        longest / n,
    ]


def reference_features(matches: pd.DataFrame, window: int, rows=None) -> pd.DataFrame:
    """Features match by match, keeping each team's results in a list as it goes.

    ``rows`` (index labels) limits the output; the walk always starts at the first match.
    """
    history: dict[str, list[tuple[int, int]]] = {}
    values: dict = {}
    day_results: list[tuple[str, int, int]] = []
    current_day = None
    for label, m in zip(matches.index, matches.itertuples(index=False), strict=True):
        if m.date != current_day:  # results of a day become known after that day
            for team, gf, ga in day_results:
                history.setdefault(team, []).append((gf, ga))
            day_results, current_day = [], m.date
        home = form_of(history.get(m.home_team, [])[-window:])
        away = form_of(history.get(m.away_team, [])[-window:])
        values[label] = home + away
        day_results += [
            (m.home_team, m.home_goals, m.away_goals),
            (m.away_team, m.away_goals, m.home_goals),
        ]
    rows = matches.index if rows is None else rows
    return pd.DataFrame([values[r] for r in rows], columns=list(SEED_COLUMNS), index=rows)
