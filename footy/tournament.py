"""World Cup formats as data: groups, hosts, knockout bracket, Annex C and tie-breaks.

A tournament is read from CSV files in ``data/worldcup/`` (see the README there):

- ``groups_YYYY.csv`` (``group,team``): equal groups of four, one letter each;
- ``format_32.csv`` / ``format_2026.csv`` (``match,round,home_slot,away_slot``): the
  knockout bracket in slot grammar ``1A``, ``2B``, ``3:ABCDF``, ``W74``, ``L101``;
- ``annex_c_2026.csv``: which third-placed team each group winner meets, for every set
  of qualifying third-placed teams (needed when the bracket has ``3:`` slots);
- ``hosts.csv`` (``year,team``): hosts play at home;
- ``tiebreaks.csv`` (``format,ranking,order,criterion``): the order of the group
  tie-break criteria for each format, and how third-placed teams are ranked.

Everything is validated where it is read: a bad file gives one :class:`BadInputError`
naming the file, the line and the fix. A custom tournament (its own groups and format
files, optional hosts) goes through the same checks.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import json
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import combinations
from math import comb
from pathlib import Path

import pandas as pd

from footy import paths
from footy.errors import BadInputError

GROUP_SIZE = 4
KNOCKOUT_ROUNDS = ("R32", "R16", "QF", "SF", "FINAL")
ROUND_SIZES = {"R32": 16, "R16": 8, "QF": 4, "SF": 2, "FINAL": 1}
GROUP_EXIT = "GROUP"
TIEBREAK_CRITERIA = (
    "points",
    "goal_difference",
    "goals_for",
    "h2h_points",
    "h2h_goal_difference",
    "h2h_goals_for",
    "lots",
)
THIRD_CRITERIA = ("points", "goal_difference", "goals_for", "lots")

# name -> (groups file, format file, Annex C file or None, tie-break format, year)
BUNDLED = {
    "worldcup-2018": ("groups_2018.csv", "format_32.csv", None, "32", 2018),
    "worldcup-2022": ("groups_2022.csv", "format_32.csv", None, "32", 2022),
    "worldcup-2026": ("groups_2026.csv", "format_2026.csv", "annex_c_2026.csv", "2026", 2026),
}
# openfootball spells two teams differently from results.csv
OPENFOOTBALL_NAMES = {"USA": "United States", "Bosnia & Herzegovina": "Bosnia and Herzegovina"}
_OPENFOOTBALL_ROUNDS = {
    "Round of 32": "R32",
    "Round of 16": "R16",
    "Quarter-final": "QF",
    "Quarter-finals": "QF",
    "Semi-final": "SF",
    "Semi-finals": "SF",
    "Match for third place": "THIRD",
    "Final": "FINAL",
}

_GROUP_SLOT = re.compile(r"^([12])([A-Z])$")
_THIRD_SLOT = re.compile(r"^3:([A-Z]+)$")
_RESULT_SLOT = re.compile(r"^([WL])(\d+)$")


@dataclass(frozen=True)
class KnockoutMatch:
    """One knockout match of the bracket: FIFA number, round and the two slots."""

    number: int
    round: str
    home_slot: str
    away_slot: str


@dataclass(frozen=True, eq=False)
class AnnexC:
    """FIFA's table of third-placed opponents.

    ``columns`` are the group-winner slots (``1A``, ``1B``, ...); ``rows`` maps each
    combination of qualifying groups (sorted letters, e.g. ``BDEFIJKL``) to the group
    letter whose third-placed team plays each column's group winner.
    """

    columns: tuple[str, ...]
    rows: dict[str, tuple[str, ...]]

    def opponents(self, combination: str) -> dict[str, str]:
        """``{"1A": "E", ...}`` for one combination of qualifying groups."""
        return dict(zip(self.columns, self.rows["".join(sorted(combination))], strict=True))

    def pool(self, column: str) -> str:
        """Every group letter a column holds across the rows, sorted (the ``3:`` slot)."""
        i = self.columns.index(column)
        return "".join(sorted({row[i] for row in self.rows.values()}))


@dataclass(frozen=True, eq=False)
class Tournament:
    """A tournament format with its teams, ready to simulate.

    ``teams`` are ordered group by group (file order within a group), so team ``i``
    is in group ``groups[i // 4]``.
    """

    name: str
    teams: tuple[str, ...]
    team_groups: tuple[str, ...]
    groups: tuple[str, ...]
    matches: tuple[KnockoutMatch, ...]
    hosts: tuple[str, ...]
    annex_c: AnnexC | None
    tiebreaks: tuple[str, ...]
    third_tiebreaks: tuple[str, ...]
    rounds: tuple[str, ...]
    start_date: dt.date | None = None
    sources: tuple[str, ...] = field(default=())

    @property
    def group_size(self) -> int:
        return GROUP_SIZE

    def group_of(self, team: str) -> str:
        """The group letter of a team."""
        return self.team_groups[self.teams.index(team)]

    def group_teams(self, group: str) -> tuple[str, ...]:
        """The teams of one group in file order."""
        return tuple(t for t, g in zip(self.teams, self.team_groups, strict=True) if g == group)

    @property
    def group_fixtures(self) -> tuple[tuple[int, int], ...]:
        """Every group match as (first-named team index, second team index)."""
        out = []
        for g in range(len(self.groups)):
            base = g * GROUP_SIZE
            out += [(base + a, base + b) for a, b in combinations(range(GROUP_SIZE), 2)]
        return tuple(out)

    @property
    def knockout_rounds(self) -> tuple[str, ...]:
        """The knockout rounds a team can reach (no third-place match, no WIN)."""
        return self.rounds[:-1]

    def round_slots(self, round_name: str) -> int:
        """How many teams reach a round (``WIN``: one)."""
        return 1 if round_name == "WIN" else 2 * ROUND_SIZES[round_name]

    @property
    def third_slots(self) -> int:
        """How many third-placed teams qualify (0 without Annex C)."""
        return 0 if self.annex_c is None else len(self.annex_c.columns)


def load_tournament(
    name: str | None = None,
    *,
    groups: str | Path | None = None,
    format: str | Path | None = None,
    hosts: str | Path | Sequence[str] | None = None,
    annex_c: str | Path | None = None,
    tiebreaks: str | None = None,
    known_teams: Collection[str] | None = None,
) -> Tournament:
    """Load and validate a bundled or custom tournament.

    Parameters
    ----------
    name
        A bundled tournament (``worldcup-2018``, ``worldcup-2022``, ``worldcup-2026``),
        or a label for a custom one.
    groups, format
        A custom tournament's ``group,team`` and ``match,round,home_slot,away_slot`` files.
    hosts
        A CSV with a ``team`` column, or a list of team names (custom tournaments only).
    annex_c
        Annex C table; needed when the format has ``3:`` slots.
    tiebreaks
        Format key in ``tiebreaks.csv``; default ``2026`` when the bracket takes
        third-placed teams, else ``32``.
    known_teams
        Every team must be one of these (e.g. the teams of the results data).
    """
    if groups is None and format is None:
        if name not in BUNDLED:
            raise BadInputError(
                f"unknown tournament {name!r}; use one of {', '.join(BUNDLED)} "
                "or give your own groups and format files"
            )
        group_file, format_file, annex_file, tb_key, year = BUNDLED[name]
        wc = paths.WORLDCUP
        return _build(
            name,
            wc / group_file,
            wc / format_file,
            _read_hosts(wc / "hosts.csv", year),
            wc / annex_file if annex_file else None,
            tb_key,
            known_teams,
            first_match_date(year),
        )
    if groups is None or format is None:
        raise BadInputError("a custom tournament needs both a groups file and a format file")
    if hosts is None:
        host_list: tuple[str, ...] = ()
    elif isinstance(hosts, (str, Path)):
        host_list = _read_hosts(Path(hosts), None)
    else:
        host_list = tuple(hosts)
    return _build(
        name or Path(groups).stem,
        Path(groups),
        Path(format),
        host_list,
        Path(annex_c) if annex_c is not None else None,
        tiebreaks,
        known_teams,
        None,
    )


def _build(
    name: str,
    groups_path: Path,
    format_path: Path,
    hosts: tuple[str, ...],
    annex_path: Path | None,
    tb_key: str | None,
    known_teams: Collection[str] | None,
    start_date: dt.date | None,
) -> Tournament:
    teams, team_groups, letters = _read_groups(groups_path, known_teams)
    for host in hosts:
        if host not in teams:
            raise BadInputError(f"host {host!r} is not in {groups_path.name}; hosts must play")
    annex = _read_annex_c(annex_path, letters) if annex_path is not None else None
    matches = _read_format(format_path, letters, annex)
    if tb_key is None:
        tb_key = "2026" if annex is not None else "32"
    group_order, third_order = read_tiebreaks(tb_key)
    if annex is not None and not third_order:
        raise BadInputError(
            f"tiebreaks.csv has no 'thirds' ranking for format {tb_key!r}, "
            "but the bracket takes third-placed teams"
        )
    present = {m.round for m in matches}
    rounds = (*(r for r in KNOCKOUT_ROUNDS if r in present), "WIN")
    sources = tuple(str(p) for p in (groups_path, format_path, annex_path) if p is not None)
    return Tournament(
        name=name,
        teams=teams,
        team_groups=team_groups,
        groups=letters,
        matches=matches,
        hosts=hosts,
        annex_c=annex,
        tiebreaks=group_order,
        third_tiebreaks=third_order,
        rounds=rounds,
        start_date=start_date,
        sources=sources,
    )


def _rows(path: Path, columns: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """CSV rows as (line number, stripped dict); checks the header."""
    if not path.is_file():
        raise BadInputError(f"{path}: no such file")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = [c.strip() for c in reader.fieldnames or []]
        missing = [c for c in columns if c not in header]
        if missing:
            raise BadInputError(
                f"{path.name} line 1: missing column(s) {', '.join(missing)}; "
                f"the header must be {','.join(columns)}"
            )
        out = []
        for row in reader:
            values = {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
            if not any(values.values()):
                continue  # blank line
            out.append((reader.line_num, values))
    if not out:
        raise BadInputError(f"{path.name}: no rows after the header")
    return out


def _read_groups(
    path: Path, known_teams: Collection[str] | None
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    known = set(known_teams) if known_teams is not None else None
    by_group: dict[str, list[str]] = {}
    lines: dict[str, list[int]] = {}
    seen: dict[str, int] = {}
    for line, row in _rows(path, ("group", "team")):
        group, team = row["group"], row["team"]
        if not re.fullmatch(r"[A-Z]", group):
            raise BadInputError(
                f"{path.name} line {line}: group {group!r} is not one capital letter (A-Z)"
            )
        if not team:
            raise BadInputError(f"{path.name} line {line}: empty team name")
        if team in seen:
            raise BadInputError(
                f"{path.name} line {line}: {team!r} is already in the draw (line {seen[team]})"
            )
        if known is not None and team not in known:
            close = difflib.get_close_matches(team, sorted(known), n=3)
            hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            raise BadInputError(
                f"{path.name} line {line}: unknown team {team!r} (not in the results data){hint}"
            )
        seen[team] = line
        by_group.setdefault(group, []).append(team)
        lines.setdefault(group, []).append(line)
    for group, members in by_group.items():
        if len(members) != GROUP_SIZE:
            where = ", ".join(map(str, lines[group]))
            raise BadInputError(
                f"{path.name} lines {where}: group {group} has {len(members)} teams; "
                f"every group needs exactly {GROUP_SIZE}"
            )
    letters = tuple(sorted(by_group))
    teams = tuple(t for g in letters for t in by_group[g])
    team_groups = tuple(g for g in letters for _ in by_group[g])
    return teams, team_groups, letters


def _read_hosts(path: Path, year: int | None) -> tuple[str, ...]:
    hosts = []
    for line, row in _rows(path, ("team",)):
        if year is not None:
            try:
                if int(row.get("year", "")) != year:
                    continue
            except ValueError:
                raise BadInputError(
                    f"{path.name} line {line}: year {row.get('year')!r} is not a year"
                ) from None
        if not row["team"]:
            raise BadInputError(f"{path.name} line {line}: empty team name")
        hosts.append(row["team"])
    return tuple(hosts)


def _read_annex_c(path: Path, letters: tuple[str, ...]) -> AnnexC:
    if not path.is_file():
        raise BadInputError(f"{path}: no such file (Annex C is needed for '3:' slots)")
    with path.open(encoding="utf-8-sig") as handle:
        header = [c.strip() for c in handle.readline().split(",")]
    if not header or header[0] != "combination" or len(header) < 2:
        raise BadInputError(
            f"{path.name} line 1: the header must be combination,1A,1B,... "
            "(one column per group winner meeting a third-placed team)"
        )
    columns = tuple(header[1:])
    for col in columns:
        m = _GROUP_SLOT.match(col)
        if not m or m.group(1) != "1" or m.group(2) not in letters:
            raise BadInputError(
                f"{path.name} line 1: column {col!r} is not a group winner of this tournament"
            )
    if len(letters) > 16:
        raise BadInputError(f"{path.name}: Annex C supports at most 16 groups")
    k = len(columns)
    rows: dict[str, tuple[str, ...]] = {}
    for line, row in _rows(path, header):
        combo = row["combination"]
        values = tuple(row[c] for c in columns)
        if (
            len(combo) != k
            or "".join(sorted(set(combo))) != combo
            or any(c not in letters for c in combo)
        ):
            raise BadInputError(
                f"{path.name} line {line}: combination {combo!r} must be {k} different group "
                "letters in alphabetical order"
            )
        if combo in rows:
            raise BadInputError(f"{path.name} line {line}: combination {combo} appears twice")
        if sorted(values) != sorted(combo):
            raise BadInputError(
                f"{path.name} line {line}: the row must place each of the groups {combo} once, "
                f"got {','.join(values)}"
            )
        for col, value in zip(columns, values, strict=True):
            if col[1] == value:
                raise BadInputError(
                    f"{path.name} line {line}: {col} would meet the third-placed team of its "
                    "own group"
                )
        rows[combo] = values
    expected = comb(len(letters), k)
    if len(rows) != expected:
        raise BadInputError(
            f"{path.name}: {len(rows)} combinations, but {len(letters)} groups with {k} "
            f"qualifying third-placed teams need all {expected}"
        )
    return AnnexC(columns=columns, rows=rows)


def _read_format(
    path: Path, letters: tuple[str, ...], annex: AnnexC | None
) -> tuple[KnockoutMatch, ...]:
    raw = _rows(path, ("match", "round", "home_slot", "away_slot"))
    matches: list[tuple[int, KnockoutMatch]] = []
    numbers: dict[int, int] = {}
    for line, row in raw:
        try:
            number = int(row["match"])
        except ValueError:
            raise BadInputError(
                f"{path.name} line {line}: match {row['match']!r} is not a match number"
            ) from None
        if number in numbers:
            raise BadInputError(
                f"{path.name} line {line}: match {number} already defined on line {numbers[number]}"
            )
        rnd = row["round"]
        if rnd not in (*KNOCKOUT_ROUNDS, "THIRD"):
            raise BadInputError(
                f"{path.name} line {line}: unknown round {rnd!r}; "
                "use R32, R16, QF, SF, THIRD, FINAL"
            )
        numbers[number] = line
        matches.append((line, KnockoutMatch(number, rnd, row["home_slot"], row["away_slot"])))

    counts = {r: sum(m.round == r for _, m in matches) for r in (*KNOCKOUT_ROUNDS, "THIRD")}
    present = [r for r in KNOCKOUT_ROUNDS if counts[r]]
    if not present or present != list(KNOCKOUT_ROUNDS[KNOCKOUT_ROUNDS.index(present[0]) :]):
        raise BadInputError(
            f"{path.name}: rounds {', '.join(present) or 'none'} must run without a gap "
            "down to FINAL (R32, R16, QF, SF, FINAL)"
        )
    for r in present:
        if counts[r] != ROUND_SIZES[r]:
            raise BadInputError(
                f"{path.name}: round {r} has {counts[r]} matches; it needs {ROUND_SIZES[r]}"
            )
    if counts["THIRD"] > 1 or (counts["THIRD"] and "SF" not in present):
        raise BadInputError(f"{path.name}: at most one THIRD match, and only after semi-finals")

    first = present[0]
    level = {r: i for i, r in enumerate(present)} | {"THIRD": present.index("FINAL")}
    round_of = {m.number: m.round for _, m in matches}
    used: dict[str, int] = {}
    third_columns: set[str] = set()
    n_thirds = 0
    for line, m in matches:
        for slot, other in ((m.home_slot, m.away_slot), (m.away_slot, m.home_slot)):
            if slot in used:
                raise BadInputError(
                    f"{path.name} line {line}: slot {slot} is already used on line {used[slot]}"
                )
            g, t, r = _GROUP_SLOT.match(slot), _THIRD_SLOT.match(slot), _RESULT_SLOT.match(slot)
            if g or t:
                if m.round != first:
                    raise BadInputError(
                        f"{path.name} line {line}: group slot {slot} can only be in the first "
                        f"knockout round ({first})"
                    )
            elif r is None:
                raise BadInputError(
                    f"{path.name} line {line}: slot {slot!r} is not 1X, 2X, 3:LETTERS, "
                    "W<match> or L<match>"
                )
            if g and g.group(2) not in letters:
                raise BadInputError(
                    f"{path.name} line {line}: slot {slot} names group {g.group(2)}, "
                    f"but the groups are {''.join(letters)}"
                )
            if t:
                n_thirds += 1
                _check_third_slot(path, line, slot, t.group(1), other, letters, annex)
                third_columns.add(other)
                continue  # several matches may share a pool in principle
            if r:
                kind, ref = r.group(1), int(r.group(2))
                if ref not in round_of:
                    raise BadInputError(
                        f"{path.name} line {line}: slot {slot} refers to match {ref}, "
                        "which is not in the file"
                    )
                if kind == "L" and not (m.round == "THIRD" and round_of[ref] == "SF"):
                    raise BadInputError(
                        f"{path.name} line {line}: loser slot {slot} is only allowed in the "
                        "THIRD match, for a semi-final loser"
                    )
                if kind == "W" and level[round_of[ref]] != level[m.round] - 1:
                    raise BadInputError(
                        f"{path.name} line {line}: slot {slot} must refer to a match of the "
                        f"round before {m.round}, but match {ref} is {round_of[ref]}"
                    )
                if kind == "W" and m.round == "THIRD":
                    raise BadInputError(f"{path.name} line {line}: THIRD takes L slots only")
            used[slot] = line
    for group in letters:
        if f"1{group}" not in used:
            raise BadInputError(
                f"{path.name}: the winner of group {group} (slot 1{group}) plays no match"
            )
    for line, m in matches:
        if m.round not in ("FINAL", "THIRD") and f"W{m.number}" not in used:
            raise BadInputError(
                f"{path.name} line {line}: the winner of match {m.number} plays no later match"
            )
    if n_thirds and annex is not None and third_columns != set(annex.columns):
        raise BadInputError(
            f"{path.name}: the '3:' slots face {', '.join(sorted(third_columns))}, but Annex C "
            f"has columns {', '.join(annex.columns)}"
        )
    if annex is not None and not n_thirds:
        raise BadInputError(f"{path.name}: Annex C given, but the bracket has no '3:' slots")
    order = {r: i for i, r in enumerate((*KNOCKOUT_ROUNDS[:-1], "THIRD", "FINAL"))}
    return tuple(sorted((m for _, m in matches), key=lambda m: (order[m.round], m.number)))


def _check_third_slot(
    path: Path,
    line: int,
    slot: str,
    pool: str,
    other: str,
    letters: tuple[str, ...],
    annex: AnnexC | None,
) -> None:
    if annex is None:
        raise BadInputError(
            f"{path.name} line {line}: slot {slot} needs Annex C (the table of third-placed "
            "opponents), but none was given"
        )
    bad = [c for c in pool if c not in letters]
    if bad:
        raise BadInputError(
            f"{path.name} line {line}: slot {slot} names group(s) {''.join(bad)} that do not exist"
        )
    if other not in annex.columns:
        raise BadInputError(
            f"{path.name} line {line}: slot {slot} must face a group winner that has a column "
            f"in Annex C ({', '.join(annex.columns)}), not {other}"
        )
    if "".join(sorted(set(pool))) != annex.pool(other):
        raise BadInputError(
            f"{path.name} line {line}: slot {slot} does not match Annex C, where {other} meets "
            f"a third-placed team from {annex.pool(other)}; write 3:{annex.pool(other)}"
        )


def read_tiebreaks(
    key: str, path: str | Path | None = None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The group and third-placed tie-break orders of one format in ``tiebreaks.csv``.

    Returns (group criteria, third-placed criteria); the second is empty when the
    format ranks no third-placed teams.
    """
    path = Path(path) if path is not None else paths.WORLDCUP / "tiebreaks.csv"
    found: dict[str, list[tuple[int, str, int]]] = {"group": [], "thirds": []}
    keys = set()
    for line, row in _rows(path, ("format", "ranking", "order", "criterion")):
        keys.add(row["format"])
        if row["format"] != key:
            continue
        ranking, criterion = row["ranking"], row["criterion"]
        allowed = TIEBREAK_CRITERIA if ranking == "group" else THIRD_CRITERIA
        if ranking not in found:
            raise BadInputError(
                f"{path.name} line {line}: ranking {ranking!r} must be 'group' or 'thirds'"
            )
        if criterion not in allowed:
            raise BadInputError(
                f"{path.name} line {line}: criterion {criterion!r} is not one of "
                f"{', '.join(allowed)}"
            )
        try:
            order = int(row["order"])
        except ValueError:
            raise BadInputError(f"{path.name} line {line}: order must be a number") from None
        found[ranking].append((order, criterion, line))
    if not found["group"]:
        raise BadInputError(
            f"{path.name}: no group tie-breaks for format {key!r}; known: {', '.join(sorted(keys))}"
        )
    out = []
    for ranking in ("group", "thirds"):
        items = sorted(found[ranking])
        criteria = tuple(c for _, c, _ in items)
        if criteria and (criteria[-1] != "lots" or criteria.count("lots") != 1):
            raise BadInputError(
                f"{path.name} line {items[-1][2]}: the {ranking} order for format {key} must end "
                "with 'lots' (and use it once) so every tie is settled"
            )
        if len(set(criteria)) != len(criteria):
            raise BadInputError(f"{path.name}: a {ranking} criterion of format {key} repeats")
        h2h = [i for i, c in enumerate(criteria) if c.startswith("h2h_")]
        if h2h and h2h != list(range(h2h[0], h2h[-1] + 1)):
            raise BadInputError(
                f"{path.name}: the head-to-head criteria of format {key} must be consecutive"
            )
        out.append(criteria)
    return out[0], out[1]


# --- the real tournaments (openfootball snapshot) -------------------------------------


@cache
def _worldcup_json(year: int) -> tuple[dict, ...]:
    path = paths.WORLDCUP / "openfootball" / str(year) / "worldcup.json"
    if not path.is_file():
        raise BadInputError(
            f"no World Cup results for {year} (looked for {path}); years: 2018, 2022, 2026"
        )
    return tuple(json.loads(path.read_text(encoding="utf-8"))["matches"])


def worldcup_matches(year: int) -> pd.DataFrame:
    """Every match of a World Cup from the openfootball snapshot.

    Columns: ``stage`` (``GROUP``, ``R32`` ... ``THIRD``, ``FINAL``), ``group`` (letter or
    ``""``), ``number`` (FIFA number where given, else 0), ``date``, ``team1``, ``team2``
    (names as in results.csv), ``goals1``, ``goals2`` (after extra time) and ``winner``
    (after penalties; ``""`` for a group draw).
    """
    rows = []
    for m in _worldcup_json(year):
        score = m["score"]
        g1, g2 = score.get("et", score["ft"])
        t1 = OPENFOOTBALL_NAMES.get(m["team1"], m["team1"])
        t2 = OPENFOOTBALL_NAMES.get(m["team2"], m["team2"])
        decider = score.get("p", (g1, g2))
        winner = t1 if decider[0] > decider[1] else t2 if decider[1] > decider[0] else ""
        group = m.get("group", "")
        stage = GROUP_EXIT if group else _OPENFOOTBALL_ROUNDS[m["round"]]
        rows.append(
            {
                "stage": stage,
                "group": group.removeprefix("Group ").strip(),
                "number": int(m.get("num", 0)),
                "date": pd.Timestamp(m["date"]),
                "team1": t1,
                "team2": t2,
                "goals1": int(g1),
                "goals2": int(g2),
                "winner": winner,
            }
        )
    return pd.DataFrame(rows)


def first_match_date(year: int) -> dt.date:
    """The date of the opening match of a World Cup."""
    return worldcup_matches(year)["date"].min().date()


def default_as_of(tournament: Tournament) -> dt.date | None:
    """The day before the first match: what a forecast made before kick-off knows."""
    if tournament.start_date is None:
        return None
    return tournament.start_date - dt.timedelta(days=1)


def actual_results(year: int) -> pd.Series:
    """Each team's furthest stage in a real World Cup, indexed by team.

    ``GROUP`` for a group exit, else the last knockout round reached, ``WIN`` for the
    champion. The third-place match does not count as a stage.
    """
    matches = worldcup_matches(year)
    stage: dict[str, str] = {}
    group = matches[matches["stage"] == GROUP_EXIT]
    for team in pd.unique(group[["team1", "team2"]].to_numpy().ravel()):
        stage[team] = GROUP_EXIT
    for rnd in KNOCKOUT_ROUNDS:
        played = matches[matches["stage"] == rnd]
        for team in pd.unique(played[["team1", "team2"]].to_numpy().ravel()):
            stage[team] = rnd
    final = matches[matches["stage"] == "FINAL"]
    if len(final) != 1:
        raise BadInputError(f"the {year} World Cup data has {len(final)} finals; expected one")
    stage[final["winner"].iloc[0]] = "WIN"
    return pd.Series(stage, name="stage").rename_axis("team")


def champion(year: int) -> str:
    """The champion in ``finals.csv``."""
    finals = pd.read_csv(paths.WORLDCUP / "finals.csv")
    row = finals[finals["year"] == year]
    if row.empty:
        raise BadInputError(f"finals.csv has no {year} final")
    return str(row["champion"].iloc[0])
