"""Monte Carlo World Cups, vectorised over runs.

The model is asked once, for every ordered pair of teams (:func:`pair_probabilities`);
the simulator never calls it again. :func:`simulate_tournament` then plays all runs
at once as numpy arrays: a Python loop over the ~100 fixtures, array operations over
the runs. 10,000 runs of the 48-team World Cup take well under a second.

What is modelled
----------------
Group matches
    Outcome drawn from ``pair_probs[i, j]`` (team ``i`` named first). The scoreline is
    then drawn from the historical distribution of scorelines *given that outcome*
    (:class:`ScorelineModel`; by default neutral-venue internationals since 1990 seen
    from the winner's side, so it is symmetric). Scorelines do not depend on how
    unequal the teams are: a favourite wins 2-1 as often as an outsider does.
Group tie-breaks
    Each format's order from ``tiebreaks.csv``, turned into one sortable integer per
    team and run (8 bits per criterion). Head-to-head criteria use one mini-table of
    the matches among *all* teams level on the criteria before them (2018/2022:
    points, goal difference, goals; 2026: points). That is exact for two tied teams
    and for three or four tied teams as far as a single mini-table goes; FIFA's
    re-application of the head-to-head criteria to a subset still level after the
    mini-table is not modelled (the next criteria decide instead). Fair-play points
    and the FIFA ranking are not in the data: drawing of lots (a random order) takes
    their place.
Best third-placed teams (2026)
    Points, goal difference, goals, lots. The set of the best eight is a 12-bit mask
    of group letters, looked up in a 4096-entry table that gives the Annex C row.
Knockouts
    The model's draw probability is read as the chance of being level after extra
    time (the results data counts extra-time goals); a level match goes to penalties.
Penalties (:class:`PenaltyModel`)
    A coin flip. In ``shootouts.csv`` (683 shoot-outs to July 2026) the team shooting
    first won 136 of 260 where known (52.3%, within one standard error of a half);
    the first-named side won 52.6% of 405 at neutral venues and the home side 56.0%
    of 277 at non-neutral venues (about two standard errors); a quick Elo check
    (k = 30, 100 points home advantage) gave the higher-rated team 52.3% of 682.
    Nothing is strong enough to use by default; ``PenaltyModel(host_win=0.56)`` lets a
    host win a home shoot-out more often.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from footy import paths
from footy.errors import BadInputError
from footy.outcomes import AWAY_WIN, DRAW, HOME_WIN
from footy.tournament import GROUP_EXIT, ROUND_SIZES, KnockoutMatch, Tournament

CHUNK = 2500  # runs simulated together; fixed, so a seed gives the same numbers
_BITS = 8  # per tie-break criterion in the sortable key
_GOAL_OFFSET = 128  # goal difference is stored as gd + 128
MAX_GOALS = 15  # scorelines beyond this (a handful of 20-0s) are left out


# --- inputs: pair probabilities, scorelines, penalties --------------------------------


def pair_probabilities(
    teams: Sequence[str],
    hosts: Sequence[str],
    predict_fixtures: Callable[[pd.DataFrame], np.ndarray],
    as_of,
) -> np.ndarray:
    """Outcome probabilities for every ordered pair of teams, from ONE model call.

    A pair with exactly one host is played at the host's home (``neutral=False``, host
    named first) and mirrored into place; every other pair is neutral, predicted in
    both orders and averaged, so ``out[j, i]`` is the mirror of ``out[i, j]``.

    Parameters
    ----------
    teams
        The tournament's teams; ``out[i, j]`` is about ``teams[i]`` against ``teams[j]``.
    hosts
        The host teams.
    predict_fixtures
        Takes a DataFrame (``home_team, away_team, neutral, date``) and returns an
        n x 3 array (home win, draw, away win).
    as_of
        The date given to every fixture (what the model may know).

    Returns
    -------
    numpy.ndarray
        Shape (n, n, 3): ``[p_i_wins, p_draw, p_j_wins]``; the diagonal is NaN.
    """
    names = list(teams)
    n = len(names)
    host_set = set(hosts)
    is_host = np.array([t in host_set for t in names])
    i, j = np.nonzero(~np.eye(n, dtype=bool))
    one_host = is_host[i] != is_host[j]
    # keep a host pair once, with the host named first; neutral pairs in both orders
    keep = ~one_host | is_host[i]
    i, j, neutral = i[keep], j[keep], ~one_host[keep]
    fixtures = pd.DataFrame(
        {
            "home_team": [names[k] for k in i],
            "away_team": [names[k] for k in j],
            "neutral": neutral,
            "date": pd.Timestamp(as_of),
        }
    )
    probs = np.asarray(predict_fixtures(fixtures), dtype=float)
    if probs.shape != (len(fixtures), 3):
        raise ValueError(
            f"predict_fixtures returned shape {probs.shape}; expected ({len(fixtures)}, 3)"
        )
    out = np.full((n, n, 3), np.nan)
    out[i, j] = probs
    host_rows = ~neutral
    out[j[host_rows], i[host_rows]] = probs[host_rows, ::-1]
    # neutral: average the two orders so the answer does not depend on who is named first
    mirrored = out.transpose(1, 0, 2)[:, :, ::-1]
    both = ~(is_host[:, None] ^ is_host[None, :])
    out = np.where(both[:, :, None], (out + mirrored) / 2, out)
    return out


def rating_pair_probabilities(
    ratings: Sequence[float], draw: float = 0.26, scale: float = 400.0
) -> np.ndarray:
    """Synthetic neutral pair probabilities from Elo-like ratings (tests, benchmarks).

    The expected score ``1 / (1 + 10 ** (-diff / scale))`` is split into win and draw
    with a draw share that shrinks as the teams get less equal.
    """
    r = np.asarray(ratings, dtype=float)
    expected = 1.0 / (1.0 + 10.0 ** (-(r[:, None] - r[None, :]) / scale))
    p_draw = draw * (1.0 - np.abs(2.0 * expected - 1.0))
    p_win = expected - p_draw / 2.0
    out = np.stack([p_win, p_draw, 1.0 - p_win - p_draw], axis=-1)
    out[np.arange(len(r)), np.arange(len(r))] = np.nan
    return out


@dataclass(frozen=True, eq=False)
class ScorelineModel:
    """Historical scorelines given the outcome, seen from the winner's side.

    ``wins`` holds (winner goals, loser goals) with their probabilities among decisive
    matches; ``draws`` the goals of each side among drawn matches.
    """

    wins: np.ndarray
    win_probs: np.ndarray
    draws: np.ndarray
    draw_probs: np.ndarray
    matches: int = 0
    _win_cum: np.ndarray = field(init=False, repr=False)
    _draw_cum: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        for name, probs in (("win", self.win_probs), ("draw", self.draw_probs)):
            if len(probs) == 0 or np.any(probs < 0) or abs(probs.sum() - 1) > 1e-9:
                raise ValueError(f"{name} scoreline probabilities must be >= 0 and sum to 1")
        if np.any(self.wins[:, 0] <= self.wins[:, 1]):
            raise ValueError("a winning scoreline must have more goals for the winner")
        object.__setattr__(self, "_win_cum", np.cumsum(self.win_probs))
        object.__setattr__(self, "_draw_cum", np.cumsum(self.draw_probs))

    @classmethod
    def from_matches(
        cls, matches: pd.DataFrame, since: str | None = "1990-01-01", neutral_only: bool = True
    ) -> ScorelineModel:
        """Build from a match table (``home_goals``, ``away_goals``, ``neutral``, ``date``)."""
        table = matches
        if since is not None and "date" in table:
            table = table[table["date"] >= pd.Timestamp(since)]
        if neutral_only and "neutral" in table:
            table = table[table["neutral"].astype(bool)]
        hg = table["home_goals"].to_numpy(dtype=np.int64)
        ag = table["away_goals"].to_numpy(dtype=np.int64)
        ok = (hg <= MAX_GOALS) & (ag <= MAX_GOALS)
        hg, ag = hg[ok], ag[ok]
        if len(hg) == 0 or not np.any(hg == ag) or not np.any(hg != ag):
            raise BadInputError(
                "too few matches to learn scorelines from: need both draws and wins "
                "(widen the period or include non-neutral matches)"
            )
        decisive = hg != ag
        pairs = np.stack([np.maximum(hg, ag), np.minimum(hg, ag)], axis=1)[decisive]
        wins, win_counts = np.unique(pairs, axis=0, return_counts=True)
        draws, draw_counts = np.unique(hg[~decisive], return_counts=True)
        return cls(
            wins=wins,
            win_probs=win_counts / win_counts.sum(),
            draws=draws,
            draw_probs=draw_counts / draw_counts.sum(),
            matches=len(hg),
        )

    @classmethod
    def default(cls) -> ScorelineModel:
        """Neutral-venue internationals since 1990 from the bundled results."""
        return _default_scorelines()

    def sample(
        self, outcomes: np.ndarray, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        """Home and away goals consistent with each outcome (0 home win, 1 draw, 2 away)."""
        u = rng.random(outcomes.shape)
        w = self.wins[np.minimum(np.searchsorted(self._win_cum, u), len(self.wins) - 1)]
        d = self.draws[np.minimum(np.searchsorted(self._draw_cum, u), len(self.draws) - 1)]
        home = np.where(outcomes == HOME_WIN, w[..., 0], np.where(outcomes == DRAW, d, w[..., 1]))
        away = np.where(outcomes == AWAY_WIN, w[..., 0], np.where(outcomes == DRAW, d, w[..., 1]))
        return home.astype(np.int16), away.astype(np.int16)


@cache
def _default_scorelines() -> ScorelineModel:
    from footy.matches import read_matches

    return ScorelineModel.from_matches(read_matches(paths.INTERNATIONAL_RESULTS))


@dataclass(frozen=True)
class PenaltyModel:
    """Who wins a shoot-out: a coin flip, unless a host plays a non-host.

    ``host_win`` is the chance that a host beats a non-host on penalties (0.5 by
    default; the bundled data give 0.56 for home sides at non-neutral venues).
    """

    host_win: float = 0.5

    def __post_init__(self) -> None:
        if not 0.0 <= self.host_win <= 1.0:
            raise ValueError(f"host_win must be a probability, got {self.host_win}")


def shootout_summary(shootouts=paths.SHOOTOUTS, matches: pd.DataFrame | None = None) -> dict:
    """What predicts a shoot-out winner in the data (the numbers behind PenaltyModel).

    Returns counts and rates for the first shooter and the first-named side; with a
    match table, the first-named side is split by neutral and non-neutral venue.
    """
    s = pd.read_csv(shootouts)
    known = s[s["first_shooter"].notna()]
    out = {
        "shootouts": len(s),
        "first_shooter_known": len(known),
        "first_shooter_won": int((known["first_shooter"] == known["winner"]).sum()),
        "first_named_won": int((s["home_team"] == s["winner"]).sum()),
    }
    if matches is not None:
        venue = matches[["date", "home_team", "away_team", "neutral"]].drop_duplicates(
            ["date", "home_team", "away_team"]
        )
        s = s.assign(date=pd.to_datetime(s["date"])).merge(
            venue, on=["date", "home_team", "away_team"], how="inner"
        )
        for label, part in (("neutral", s[s["neutral"]]), ("home", s[~s["neutral"]])):
            out[f"{label}_shootouts"] = len(part)
            out[f"{label}_first_named_won"] = int((part["home_team"] == part["winner"]).sum())
    return out


# --- the rules: group tables, third-placed teams, the bracket -------------------------


@dataclass(frozen=True, eq=False)
class GroupTables:
    """Final group tables of many runs.

    ``positions[r, g, k]`` is the team index finishing ``k + 1``-th in group ``g`` of
    run ``r``; ``points``, ``goal_difference`` and ``goals_for`` are (runs, teams).
    """

    positions: np.ndarray
    points: np.ndarray
    goal_difference: np.ndarray
    goals_for: np.ndarray


def _per_team(tournament: Tournament) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Group fixtures as index arrays, and each team's columns in [home..., away...]."""
    fixtures = np.array(tournament.group_fixtures)
    home, away = fixtures[:, 0], fixtures[:, 1]
    m = len(fixtures)
    columns: list[list[int]] = [[] for _ in tournament.teams]
    for k, (h, a) in enumerate(fixtures):
        columns[h].append(k)
        columns[a].append(m + k)
    return home, away, np.array(columns)


def _lots(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """A random order (0 .. n-1) along the last axis: the drawing of lots."""
    return rng.random(shape).argsort(axis=-1).argsort(axis=-1)


def _push(key: np.ndarray, value: np.ndarray, offset: int = 0) -> np.ndarray:
    return (key << _BITS) | np.clip(value + offset, 0, (1 << _BITS) - 1).astype(np.int64)


def group_tables(
    tournament: Tournament,
    home_goals: np.ndarray,
    away_goals: np.ndarray,
    rng: np.random.Generator,
) -> GroupTables:
    """Rank every group of every run by the tournament's tie-break order.

    Parameters
    ----------
    home_goals, away_goals
        Shape (runs, group matches), in the order of ``tournament.group_fixtures``.
    rng
        Draws the lots that settle what the data cannot.
    """
    home, away, columns = _per_team(tournament)
    hg = np.asarray(home_goals, dtype=np.int64)
    ag = np.asarray(away_goals, dtype=np.int64)
    runs = hg.shape[0]
    hp = np.where(hg > ag, 3, np.where(hg == ag, 1, 0))
    ap = np.where(ag > hg, 3, np.where(hg == ag, 1, 0))

    def per_team(h: np.ndarray, a: np.ndarray) -> np.ndarray:
        return np.concatenate([h, a], axis=1)[:, columns].sum(axis=2)

    points, goals_for, goals_against = per_team(hp, ap), per_team(hg, ag), per_team(ag, hg)
    overall = {
        "points": (points, 0),
        "goal_difference": (goals_for - goals_against, _GOAL_OFFSET),
        "goals_for": (goals_for, 0),
    }
    n_groups, size = len(tournament.groups), tournament.group_size
    key = np.zeros((runs, len(tournament.teams)), dtype=np.int64)
    h2h = None
    for criterion in tournament.tiebreaks:
        if criterion == "lots":
            value, offset = _lots(rng, (runs, n_groups, size)).reshape(runs, -1), 0
        elif criterion.startswith("h2h_"):
            if h2h is None:
                # one mini-table: the matches between teams level on everything so far
                level = key[:, home] == key[:, away]
                hgl, agl = hg * level, ag * level
                h2h_for = per_team(hgl, agl)
                h2h = {
                    "h2h_points": (per_team(hp * level, ap * level), 0),
                    "h2h_goal_difference": (h2h_for - per_team(agl, hgl), _GOAL_OFFSET),
                    "h2h_goals_for": (h2h_for, 0),
                }
            value, offset = h2h[criterion]
        else:
            value, offset = overall[criterion]
        key = _push(key, value, offset)
    order = np.argsort(-key.reshape(runs, n_groups, size), axis=2, kind="stable")
    positions = order + (np.arange(n_groups) * size)[None, :, None]
    return GroupTables(positions, points, goals_for - goals_against, goals_for)


@cache
def _annex_tables(tournament: Tournament) -> tuple[np.ndarray, np.ndarray]:
    """(mask -> Annex C row, row x column -> group index) for vectorised look-ups."""
    annex = tournament.annex_c
    letters = tournament.groups
    lookup = np.full(1 << len(letters), -1, dtype=np.int32)
    groups = np.empty((len(annex.rows), len(annex.columns)), dtype=np.int64)
    for row, (combination, values) in enumerate(annex.rows.items()):
        lookup[sum(1 << letters.index(c) for c in combination)] = row
        groups[row] = [letters.index(v) for v in values]
    return lookup, groups


def third_place_opponents(
    tournament: Tournament, tables: GroupTables, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """The third-placed team each Annex C group winner meets, per run (``{"1A": teams}``)."""
    annex = tournament.annex_c
    if annex is None:
        return {}
    runs, n_groups = tables.positions.shape[:2]
    thirds = tables.positions[:, :, 2]
    stats = {
        "points": (np.take_along_axis(tables.points, thirds, axis=1), 0),
        "goal_difference": (
            np.take_along_axis(tables.goal_difference, thirds, axis=1),
            _GOAL_OFFSET,
        ),
        "goals_for": (np.take_along_axis(tables.goals_for, thirds, axis=1), 0),
    }
    key = np.zeros((runs, n_groups), dtype=np.int64)
    for criterion in tournament.third_tiebreaks:
        value, offset = (
            (_lots(rng, (runs, n_groups)), 0) if criterion == "lots" else stats[criterion]
        )
        key = _push(key, value, offset)
    best = np.argsort(-key, axis=1, kind="stable")[:, : len(annex.columns)]
    mask = np.bitwise_or.reduce(np.left_shift(1, best), axis=1)
    lookup, groups = _annex_tables(tournament)
    rows = lookup[mask]
    every = np.arange(runs)
    return {column: thirds[every, groups[rows, c]] for c, column in enumerate(annex.columns)}


def first_round(
    tournament: Tournament, tables: GroupTables, rng: np.random.Generator
) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """The two teams of every first-round knockout match, per run."""
    opponents = third_place_opponents(tournament, tables, rng)
    first = tournament.knockout_rounds[0]

    def resolve(slot: str, other: str) -> np.ndarray:
        if slot.startswith("3:"):
            return opponents[other]
        group = tournament.groups.index(slot[1])
        return tables.positions[:, group, int(slot[0]) - 1]

    return {
        m.number: (resolve(m.home_slot, m.away_slot), resolve(m.away_slot, m.home_slot))
        for m in tournament.matches
        if m.round == first
    }


@dataclass(frozen=True, eq=False)
class PlayedMatch:
    """A knockout match of many runs: the teams, and who went through."""

    match: KnockoutMatch
    home: np.ndarray
    away: np.ndarray
    winner: np.ndarray
    loser: np.ndarray


def play_knockouts(
    tournament: Tournament,
    entrants: Mapping[int, tuple[np.ndarray, np.ndarray]],
    decide: Callable[[KnockoutMatch, np.ndarray, np.ndarray], np.ndarray],
) -> dict[int, PlayedMatch]:
    """Follow the bracket from the first round to the final.

    ``decide(match, home, away)`` returns True where the home side goes through
    (after extra time and penalties).
    """
    played: dict[int, PlayedMatch] = {}

    def resolve(slot: str) -> np.ndarray:
        ref = played[int(slot[1:])]
        return ref.winner if slot[0] == "W" else ref.loser

    for match in tournament.matches:
        if match.number in entrants:
            home, away = entrants[match.number]
        else:
            home, away = resolve(match.home_slot), resolve(match.away_slot)
        home_through = np.asarray(decide(match, home, away), dtype=bool)
        winner = np.where(home_through, home, away)
        loser = np.where(home_through, away, home)
        played[match.number] = PlayedMatch(match, home, away, winner, loser)
    return played


# --- the simulation -------------------------------------------------------------------


def _check_pair_probs(pair_probs: np.ndarray, n: int) -> np.ndarray:
    p = np.asarray(pair_probs, dtype=float)
    if p.shape != (n, n, 3):
        raise ValueError(f"pair_probs must have shape ({n}, {n}, 3), got {p.shape}")
    off = p[~np.eye(n, dtype=bool)]
    if not np.all(np.isfinite(off)) or np.any(off < 0) or np.any(np.abs(off.sum(1) - 1) > 1e-6):
        raise ValueError("every off-diagonal pair_probs entry must be >= 0 and sum to 1")
    return p


def simulate_tournament(
    tournament: Tournament,
    pair_probs: np.ndarray,
    runs: int = 10_000,
    seed: int = 0,
    scorelines: ScorelineModel | None = None,
    penalties: PenaltyModel | None = None,
    progress: Callable[[int], None] | None = None,
) -> SimulationResult:
    """Play the tournament ``runs`` times; count how far each team gets.

    Parameters
    ----------
    tournament
        From :func:`footy.tournament.load_tournament`.
    pair_probs
        (n, n, 3) from :func:`pair_probabilities`, in the order of ``tournament.teams``.
    runs, seed
        Number of tournaments and the seed of the numpy Generator (same seed, same numbers).
    scorelines, penalties
        Default: :meth:`ScorelineModel.default` and a coin flip.
    progress
        Called with the number of runs just finished (e.g. a click progress bar's update).
    """
    if runs < 1:
        raise BadInputError(f"runs must be at least 1, got {runs}")
    n = len(tournament.teams)
    probs = _check_pair_probs(pair_probs, n)
    scorelines = scorelines or ScorelineModel.default()
    penalties = penalties or PenaltyModel()
    rng = np.random.default_rng(seed)
    counts = np.zeros((n, len(tournament.rounds)), dtype=np.int64)
    done = 0
    while done < runs:
        size = min(CHUNK, runs - done)
        counts += _simulate_chunk(tournament, probs, size, rng, scorelines, penalties)
        done += size
        if progress is not None:
            progress(size)
    return SimulationResult(
        tournament=tournament.name,
        teams=tournament.teams,
        groups=tournament.team_groups,
        rounds=tournament.rounds,
        counts=counts,
        runs=runs,
        seed=seed,
    )


def _simulate_chunk(
    tournament: Tournament,
    probs: np.ndarray,
    runs: int,
    rng: np.random.Generator,
    scorelines: ScorelineModel,
    penalties: PenaltyModel,
) -> np.ndarray:
    fixtures = np.array(tournament.group_fixtures)
    p = probs[fixtures[:, 0], fixtures[:, 1]]
    u = rng.random((runs, len(fixtures)))
    outcomes = (u >= p[:, 0]).astype(np.int8) + (u >= p[:, 0] + p[:, 1])
    home_goals, away_goals = scorelines.sample(outcomes, rng)
    tables = group_tables(tournament, home_goals, away_goals, rng)
    entrants = first_round(tournament, tables, rng)

    is_host = np.array([t in tournament.hosts for t in tournament.teams])
    edge = penalties.host_win - 0.5

    def decide(match: KnockoutMatch, home: np.ndarray, away: np.ndarray) -> np.ndarray:
        q = probs[home, away]
        shootout = 0.5 + edge * (is_host[home].astype(float) - is_host[away])
        # win in 90 or 120 minutes, or level after extra time and win the shoot-out
        return rng.random(len(home)) < q[:, 0] + q[:, 1] * shootout

    played = play_knockouts(tournament, entrants, decide)
    n = len(tournament.teams)
    counts = np.zeros((n, len(tournament.rounds)), dtype=np.int64)
    for match in played.values():
        rnd = match.match.round
        if rnd == "THIRD":
            continue
        col = tournament.rounds.index(rnd)
        counts[:, col] += np.bincount(match.home, minlength=n)
        counts[:, col] += np.bincount(match.away, minlength=n)
        if rnd == "FINAL":
            counts[:, -1] += np.bincount(match.winner, minlength=n)
    return counts


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """How often each team reached each round in ``runs`` simulated tournaments."""

    tournament: str
    teams: tuple[str, ...]
    groups: tuple[str, ...]
    rounds: tuple[str, ...]
    counts: np.ndarray  # (teams, rounds): runs in which the team reached the round
    runs: int
    seed: int

    @property
    def probabilities(self) -> pd.DataFrame:
        """Columns ``team``, ``group`` and one per round; sorted by ``WIN``, best first."""
        table = pd.DataFrame(self.counts / self.runs, columns=list(self.rounds))
        table.insert(0, "group", list(self.groups))
        table.insert(0, "team", list(self.teams))
        order = np.lexsort((np.arange(len(self.teams)), *(-self.counts.T)))
        return table.iloc[order].reset_index(drop=True)

    def exit_probabilities(self) -> pd.DataFrame:
        """Chance of each team's tournament ending at each stage (``GROUP`` ... ``WIN``).

        Indexed by team; rows sum to one.
        """
        reach = self.counts / self.runs
        stages = [GROUP_EXIT, *self.rounds[:-1], self.rounds[-1]]
        before = np.concatenate([np.ones((len(self.teams), 1)), reach], axis=1)
        after = np.concatenate([reach, np.zeros((len(self.teams), 1))], axis=1)
        return pd.DataFrame(before - after, index=list(self.teams), columns=stages)

    def to_dict(self, as_of=None, model: str | None = None, digits: int = 4) -> dict:
        """The ``footy simulate --json`` document (see DESIGN.md)."""
        table = self.probabilities
        return {
            "tournament": self.tournament,
            "runs": self.runs,
            "seed": self.seed,
            "as_of": None if as_of is None else str(as_of),
            "model": None if model is None else str(model),
            "rounds": list(self.rounds),
            "teams": [
                {
                    "team": row["team"],
                    "group": row["group"],
                    "p": {r: round(float(row[r]), digits) for r in self.rounds},
                }
                for _, row in table.iterrows()
            ],
        }

    def to_json(self, as_of=None, model: str | None = None, indent: int | None = 2) -> str:
        """:meth:`to_dict` as a JSON string."""
        return json.dumps(self.to_dict(as_of=as_of, model=model), indent=indent)


# --- backtest --------------------------------------------------------------------------


@dataclass(frozen=True)
class ExitScore:
    """Log score of the actual exit stages, against teams that are all equal."""

    log_score: float
    reference_log_score: float
    champion: str
    champion_probability: float
    reference_champion_probability: float
    teams: int

    @property
    def skill(self) -> float:
        """Mean log-score gain per team over the all-equal reference (> 0 is better)."""
        return self.log_score - self.reference_log_score


def exit_log_score(result: SimulationResult, actual: Mapping[str, str] | pd.Series) -> ExitScore:
    """Mean log probability of each team's actual stage of exit.

    ``actual`` maps team -> stage (``GROUP``, a round, or ``WIN``), e.g.
    :func:`footy.tournament.actual_results`. Simulated probabilities are floored at
    half a run (``0.5 / runs``) so a stage never seen in the runs does not score minus
    infinity. The reference gives every team ``slots(round) / teams`` of reaching each
    round: what identical teams would get, exactly, by symmetry.
    """
    actual = dict(actual)
    missing = [t for t in result.teams if t not in actual]
    if missing:
        raise BadInputError(f"no actual stage for {', '.join(missing)}")
    exits = result.exit_probabilities()
    n = len(result.teams)
    slots = {GROUP_EXIT: n}
    for rnd in result.rounds:
        slots[rnd] = 1 if rnd == "WIN" else 2 * ROUND_SIZES[rnd]
    stages = list(exits.columns)
    reach_ref = np.array([slots[s] / n for s in stages])
    exit_ref = reach_ref - np.append(reach_ref[1:], 0.0)
    floor = 0.5 / result.runs
    scores, ref_scores = [], []
    champion = ""
    for team in result.teams:
        stage = actual[team]
        if stage not in stages:
            raise BadInputError(f"{team}: stage {stage!r} is not one of {', '.join(stages)}")
        scores.append(np.log(max(float(exits.at[team, stage]), floor)))
        ref_scores.append(np.log(exit_ref[stages.index(stage)]))
        if stage == "WIN":
            champion = team
    win = result.probabilities.set_index("team")["WIN"]
    return ExitScore(
        log_score=float(np.mean(scores)),
        reference_log_score=float(np.mean(ref_scores)),
        champion=champion,
        champion_probability=float(win.get(champion, 0.0)),
        reference_champion_probability=1.0 / n,
        teams=n,
    )
