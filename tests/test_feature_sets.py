"""Every feature group together: walk-forward, composable, fixtures like played matches."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import make_matches
from hypothesis import given, settings
from hypothesis import strategies as st

from footy.errors import BadInputError
from footy.feature_sets import (
    GROUPS,
    build_features,
    feature_names,
    fixture_features,
    parse_feature_set,
)
from footy.features import SEED_COLUMNS

EVERY_GROUP = tuple(GROUPS)
TEAMS = ["A", "B", "C", "D", "E"]
TOURNAMENTS = ["Friendly", "FIFA World Cup", "FIFA World Cup qualification"]

match_strategy = st.tuples(
    st.integers(0, 10),
    st.sampled_from(TEAMS),
    st.sampled_from(TEAMS),
    st.integers(0, 5),
    st.integers(0, 5),
    st.booleans(),
    st.sampled_from(TOURNAMENTS),
).filter(lambda m: m[1] != m[2])


def table_from(rows) -> pd.DataFrame:
    table = make_matches(
        [
            (pd.Timestamp("2020-01-01") + pd.Timedelta(days=d), h, a, hg, ag, n)
            for d, h, a, hg, ag, n, _ in rows
        ]
    )
    order = sorted(range(len(rows)), key=lambda i: rows[i][0])
    table["tournament"] = [rows[i][6] for i in order]
    return table


@settings(max_examples=80, deadline=None)
@given(
    rows=st.lists(match_strategy, min_size=1, max_size=25),
    cut=st.integers(0, 10),
    changes=st.lists(
        st.tuples(st.integers(0, 24), st.sampled_from(["delete", "alter"])), max_size=5
    ),
)
def test_no_group_sees_its_own_match_or_a_later_one(rows, cut, changes):
    matches = table_from(rows)
    day_d = pd.Timestamp("2020-01-01") + pd.Timedelta(days=cut)
    before = build_features(matches, EVERY_GROUP, window=4)
    altered = matches.copy()
    for i, action in changes:
        if i in altered.index and altered.at[i, "date"] >= day_d:
            if action == "delete":
                altered = altered.drop(index=i)
            else:
                altered.loc[i, ["home_goals", "away_goals"]] = [7, 0]
    after = build_features(altered, EVERY_GROUP, window=4)
    keep = matches.index[(matches["date"] <= day_d) & matches.index.isin(altered.index)]
    pd.testing.assert_frame_equal(before.loc[keep], after.loc[keep])


def test_seed_always_first_and_names_match_columns():
    assert parse_feature_set("elo,venue") == ("seed", "elo", "venue")
    assert parse_feature_set("pi,seed,pi") == ("seed", "pi")
    with pytest.raises(BadInputError, match="unknown feature group"):
        parse_feature_set("seed,crystal-ball")
    matches = table_from(
        [(0, "A", "B", 1, 0, False, "Friendly"), (1, "B", "A", 2, 2, True, "Friendly")]
    )
    built = build_features(matches, EVERY_GROUP)
    assert list(built.columns[:12]) == list(SEED_COLUMNS)
    assert list(built.columns) == feature_names(EVERY_GROUP)


def test_a_fixture_gets_the_features_of_the_same_match_played_the_next_day():
    rows = [
        (d % 9, TEAMS[d % 5], TEAMS[(d + 1 + d // 5) % 5], d % 3, d % 2, d % 4 == 0, "Friendly")
        for d in range(30)
    ]
    history = table_from(rows)
    fixture = pd.DataFrame({"home_team": ["A"], "away_team": ["C"], "neutral": [True]})
    from_fixture = fixture_features(history, fixture, EVERY_GROUP).iloc[0]
    played = pd.concat(
        [history, table_from([(9, "A", "C", 0, 0, True, "Friendly")])], ignore_index=True
    )
    from_played = build_features(played, EVERY_GROUP).iloc[-1]
    np.testing.assert_allclose(from_fixture.to_numpy(), from_played.to_numpy())
