"""Tournament formats as data: structure, validation, and a replay of the real World Cups."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from footy import paths
from footy.errors import BadInputError
from footy.simulate import first_round, group_tables, play_knockouts
from footy.tournament import (
    BUNDLED,
    actual_results,
    champion,
    default_as_of,
    first_match_date,
    load_tournament,
    read_tiebreaks,
    worldcup_matches,
)

WC = paths.WORLDCUP


@pytest.mark.parametrize(
    ("name", "teams", "rounds", "per_round"),
    [
        ("worldcup-2018", 32, ("R16", "QF", "SF", "FINAL", "WIN"), {"R16": 8, "QF": 4}),
        ("worldcup-2022", 32, ("R16", "QF", "SF", "FINAL", "WIN"), {"R16": 8, "QF": 4}),
        (
            "worldcup-2026",
            48,
            ("R32", "R16", "QF", "SF", "FINAL", "WIN"),
            {"R32": 16, "R16": 8, "QF": 4},
        ),
    ],
)
def test_bundled_structure(name, teams, rounds, per_round):
    t = load_tournament(name)
    assert len(t.teams) == len(set(t.teams)) == teams
    assert t.rounds == rounds
    by_round = Counter(m.round for m in t.matches)
    assert by_round == Counter({**per_round, "SF": 2, "THIRD": 1, "FINAL": 1})
    # every team plays three group matches, all inside its group
    played = Counter(i for pair in t.group_fixtures for i in pair)
    assert set(played.values()) == {3} and len(played) == teams
    assert all(t.team_groups[i] == t.team_groups[j] for i, j in t.group_fixtures)
    assert t.matches[-1].round == "FINAL"
    assert t.start_date == first_match_date(int(name[-4:]))


def test_tiebreak_orders_are_data():
    group32, thirds32 = read_tiebreaks("32")
    assert group32 == (
        "points",
        "goal_difference",
        "goals_for",
        "h2h_points",
        "h2h_goal_difference",
        "h2h_goals_for",
        "lots",
    )
    assert thirds32 == ()
    group26, thirds26 = read_tiebreaks("2026")
    assert group26[:4] == ("points", "h2h_points", "h2h_goal_difference", "h2h_goals_for")
    assert thirds26 == ("points", "goal_difference", "goals_for", "lots")
    assert load_tournament("worldcup-2026").tiebreaks == group26


def test_annex_c_loaded_and_consistent():
    t = load_tournament("worldcup-2026")
    assert len(t.annex_c.rows) == 495
    assert t.annex_c.opponents("BDEFIJKL") == {
        "1A": "E", "1B": "J", "1D": "B", "1E": "D", "1G": "I", "1I": "F", "1K": "L", "1L": "K",
    }  # fmt: skip
    pools = {m.away_slot: m.home_slot for m in t.matches if m.away_slot.startswith("3:")}
    assert all(t.annex_c.pool(col) == slot[2:] for slot, col in pools.items())


def test_actual_results_and_dates():
    for year in (2018, 2022, 2026):
        stages = actual_results(year)
        assert stages[stages == "WIN"].index.tolist() == [champion(year)]
        assert stages.value_counts()["FINAL"] == 1
    assert champion(2026) == "Spain"
    stages = actual_results(2026)
    assert len(stages) == 48 and (stages == "GROUP").sum() == 16
    assert "United States" in stages and "Bosnia and Herzegovina" in stages
    assert str(first_match_date(2022)) == "2022-11-20"
    assert str(default_as_of(load_tournament("worldcup-2026"))) == "2026-06-10"


def test_known_teams_suggests_a_close_name():
    t = load_tournament("worldcup-2018")
    known = set(t.teams) - {"Russia"} | {"Rusia"}
    with pytest.raises(
        BadInputError, match=r"groups_2018.csv line \d+: unknown team 'Russia'.*Rusia"
    ):
        load_tournament("worldcup-2018", known_teams=known)
    assert load_tournament("worldcup-2018", known_teams=t.teams).teams == t.teams


def test_unknown_bundled_name():
    with pytest.raises(BadInputError, match=r"unknown tournament 'worldcup-1930'.*worldcup-2018"):
        load_tournament("worldcup-1930")


# --- custom tournaments and bad files -------------------------------------------------


def _custom(tmp_path: Path, groups: str | None = None, fmt: str | None = None, year: int = 2026):
    g = tmp_path / "groups.csv"
    f = tmp_path / "format.csv"
    g.write_text(groups if groups is not None else (WC / f"groups_{year}.csv").read_text())
    if fmt is None:
        shutil.copy(WC / ("format_2026.csv" if year == 2026 else "format_32.csv"), f)
    else:
        f.write_text(fmt)
    return g, f


def test_custom_tournament_loads_like_a_bundled_one(tmp_path):
    g, f = _custom(tmp_path, year=2022)
    hosts = tmp_path / "hosts.csv"
    hosts.write_text("team\nQatar\n")
    t = load_tournament("mine", groups=g, format=f, hosts=hosts)
    assert t.name == "mine" and t.hosts == ("Qatar",) and len(t.teams) == 32
    assert t.tiebreaks == load_tournament("worldcup-2022").tiebreaks
    g, f = _custom(tmp_path, year=2026)
    t = load_tournament(groups=g, format=f, annex_c=WC / "annex_c_2026.csv", hosts=["Mexico"])
    assert t.third_slots == 8 and t.rounds[0] == "R32"


def test_group_of_wrong_size(tmp_path):
    text = (WC / "groups_2022.csv").read_text().splitlines()
    g, f = _custom(tmp_path, groups="\n".join(text[:-1]) + "\n", year=2022)
    with pytest.raises(BadInputError, match=r"groups.csv lines .*: group H has 3 teams.*exactly 4"):
        load_tournament(groups=g, format=f)


def test_duplicate_team(tmp_path):
    text = (WC / "groups_2022.csv").read_text().replace("H,Uruguay", "H,Qatar")
    g, f = _custom(tmp_path, groups=text, year=2022)
    with pytest.raises(BadInputError, match=r"groups.csv line \d+: 'Qatar' is already in the draw"):
        load_tournament(groups=g, format=f)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("49,R16,1A,2B", "49,R16,1A,2Z", r"line 2: slot 2Z names group Z"),
        ("57,QF,W49,W50", "57,QF,W49,W61", r"line 10: slot W61 must refer to a match of the round"),
        ("57,QF,W49,W50", "57,QF,W49,W99", r"line 10: slot W99 refers to match 99"),
        ("58,QF,W53,W54", "58,QF,W53,W50", r"line 11: slot W50 is already used on line 10"),
        ("63,THIRD,L61,L62", "63,THIRD,W61,L62", r"line 16: THIRD takes L slots only"),
        ("57,QF,W49,W50", "57,QF,W49,L61", r"line 10: loser slot L61 is only allowed"),
        ("49,R16,1A,2B", "49,R16,1A,X", r"line 2: slot 'X' is not 1X, 2X"),
        ("49,R16,1A,2B", "49,R16,1A,3:BCD", r"line 2: slot 3:BCD needs Annex C"),
        ("49,R16", "49,R99", r"line 2: unknown round 'R99'"),
        ("50,R16,1C,2D", "49,R16,1C,2D", r"line 3: match 49 already defined on line 2"),
    ],
)
def test_bad_format_32(tmp_path, old, new, message):
    text = (WC / "format_32.csv").read_text()
    assert old in text
    g, f = _custom(tmp_path, fmt=text.replace(old, new), year=2022)
    with pytest.raises(BadInputError, match=rf"format.csv {message}"):
        load_tournament(groups=g, format=f)


def test_bad_format_2026(tmp_path):
    text = (WC / "format_2026.csv").read_text()
    g, f = _custom(tmp_path, fmt=text.replace("1E,3:ABCDF", "1E,3:ABCDE"))
    with pytest.raises(
        BadInputError, match=r"format.csv line 3: slot 3:ABCDE does not match Annex C.*3:ABCDF"
    ):
        load_tournament(groups=g, format=f, annex_c=WC / "annex_c_2026.csv")
    g, f = _custom(
        tmp_path, fmt=text.replace("88,R16", "88,R32").replace("88,R32,2D,2G", "88,R16,2D,2G")
    )
    with pytest.raises(BadInputError, match=r"format.csv: round R32 has 15 matches; it needs 16"):
        load_tournament(groups=g, format=f, annex_c=WC / "annex_c_2026.csv")
    missing_round = "\n".join(x for x in text.splitlines() if ",QF," not in x) + "\n"
    g, f = _custom(tmp_path, fmt=missing_round)
    with pytest.raises(
        BadInputError, match=r"format.csv: rounds R32, R16, SF, FINAL must run without a gap"
    ):
        load_tournament(groups=g, format=f, annex_c=WC / "annex_c_2026.csv")


def test_bad_annex_c(tmp_path):
    g, f = _custom(tmp_path)
    lines = (WC / "annex_c_2026.csv").read_text().splitlines()
    bad = tmp_path / "annex.csv"
    bad.write_text("\n".join([*lines, lines[1]]) + "\n")
    with pytest.raises(
        BadInputError, match=r"annex.csv line 497: combination EFGHIJKL appears twice"
    ):
        load_tournament(groups=g, format=f, annex_c=bad)
    bad.write_text("\n".join(lines[:-1]) + "\n")
    with pytest.raises(BadInputError, match=r"annex.csv: 494 combinations.*need all 495"):
        load_tournament(groups=g, format=f, annex_c=bad)
    row = lines[1].split(",")  # EFGHIJKL,E,J,I,F,H,G,L,K: give 1A group E twice
    bad.write_text("\n".join([lines[0], ",".join([*row[:2], "E", *row[3:]]), *lines[2:]]) + "\n")
    with pytest.raises(
        BadInputError, match=r"annex.csv line 2: the row must place each of the groups"
    ):
        load_tournament(groups=g, format=f, annex_c=bad)


def test_missing_columns_and_files(tmp_path):
    g, f = _custom(tmp_path, groups="grp,team\nA,Qatar\n", year=2022)
    with pytest.raises(BadInputError, match=r"groups.csv line 1: missing column\(s\) group"):
        load_tournament(groups=g, format=f)
    with pytest.raises(BadInputError, match=r"no such file"):
        load_tournament(groups=tmp_path / "nope.csv", format=f)
    with pytest.raises(BadInputError, match="needs both a groups file and a format file"):
        load_tournament(groups=g)
    g, f = _custom(tmp_path, year=2022)
    with pytest.raises(BadInputError, match=r"host 'Atlantis' is not in groups\.csv"):
        load_tournament(groups=g, format=f, hosts=["Atlantis"])


# --- replay the real tournaments through the rules ------------------------------------


def _replay(year: int, runs: int = 64):
    """Group tables from the real scores, then the real knockout winners.

    Returns (tournament, tables, per-run flag: every knockout match was found, in order).
    """
    t = load_tournament(f"worldcup-{year}")
    index = {team: i for i, team in enumerate(t.teams)}
    where = {pair: k for k, pair in enumerate(t.group_fixtures)}
    home = np.zeros((runs, len(where)), dtype=np.int64)
    away = np.zeros_like(home)
    matches = worldcup_matches(year)
    for row in matches[matches["stage"] == "GROUP"].itertuples():
        i, j = index[row.team1], index[row.team2]
        if (i, j) in where:
            home[:, where[i, j]], away[:, where[i, j]] = row.goals1, row.goals2
        else:
            home[:, where[j, i]], away[:, where[j, i]] = row.goals2, row.goals1
    rng = np.random.default_rng(0)
    tables = group_tables(t, home, away, rng)
    knockouts = matches[matches["stage"] != "GROUP"]
    actual = {
        (r.stage, index[r.team1], index[r.team2]): (index[r.winner], r.number)
        for r in knockouts.itertuples()
    }
    explained = np.ones(runs, dtype=bool)

    def decide(match, h, a):
        through = np.zeros(len(h), dtype=bool)
        for run, (x, y) in enumerate(zip(h, a, strict=True)):
            found = actual.get((match.round, x, y))
            if found is None or (found[1] and found[1] != match.number):
                explained[run] = False
                continue
            through[run] = found[0] == x
        return through

    played = play_knockouts(t, first_round(t, tables, rng), decide)
    final = played[t.matches[-1].number]
    return t, tables, explained, final


@pytest.mark.parametrize("year", [2022, 2026])
def test_replay_reproduces_real_knockouts(year):
    t, tables, explained, final = _replay(year)
    assert explained.all()
    assert (tables.positions == tables.positions[0]).all()  # no lots were needed
    assert {t.teams[w] for w in final.winner} == {champion(year)}


def test_replay_2018_needs_fair_play_only_in_group_h():
    t, tables, explained, final = _replay(2018)
    h = t.groups.index("H")
    second_h = {t.teams[i] for i in tables.positions[:, h, 1]}
    assert second_h == {"Japan", "Senegal"}  # level on everything but fair play: lots
    others = np.delete(tables.positions, h, axis=1)
    assert (others == others[0]).all()
    japan = tables.positions[:, h, 1] == t.teams.index("Japan")
    # Japan went through on fair play; with Japan as 2H the whole bracket is the real one
    assert explained[japan].all() and not explained[~japan].any()
    assert {t.teams[w] for w in final.winner[japan]} == {"France"}


def test_every_bundled_name_is_loadable():
    for name in BUNDLED:
        assert load_tournament(name).name == name
