"""The tutorial's six form features per team, walk-forward, and the named feature sets.

For a match on date D, a team's features come from its last ``window`` matches
dated strictly before D (other matches on D are not seen), as rates per match:

=================  ==========================================================
``wins``           fraction of those matches won
``draws``          fraction drawn
``losses``         fraction lost
``goals_for``      mean goals scored
``goals_against``  mean goals conceded
``win_streak``     longest run of consecutive wins among them ÷ matches counted
=================  ==========================================================

A team with no earlier match gets 0 for all six: "no evidence" rather than a
guess, and the network sees it as such (the values cannot arise otherwise
together with a zero loss rate and zero draws).

Everything is computed on the long table (one row per team per match), sorted
by team and date, with prefix sums and a sparse table for the windowed
longest-run maximum: no Python loop over matches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from footy.defaults import DEFAULT_WINDOW

FORM_FEATURES = ("wins", "draws", "losses", "goals_for", "goals_against", "win_streak")
SEED_COLUMNS = tuple(f"{side}_{f}" for side in ("home", "away") for f in FORM_FEATURES)


@dataclass
class _Long:
    """The long table as arrays: one row per team per match, by team, date and match."""

    team: np.ndarray  # team code (index into names)
    day: np.ndarray  # days since the epoch
    match: np.ndarray  # row position in the match table
    side: np.ndarray  # 0 home, 1 away
    gf: np.ndarray
    ga: np.ndarray
    names: np.ndarray


def _long_table(matches: pd.DataFrame) -> _Long:
    n = len(matches)
    day_of_match = matches["date"].to_numpy("datetime64[D]").astype(np.int64)
    by_date = np.arange(n)
    if n > 1 and np.any(day_of_match[1:] < day_of_match[:-1]):
        by_date = np.argsort(day_of_match, kind="stable")
    # Interleave home and away rows in date order (row 2k is match k's home side), then
    # a stable sort by team keeps each team's rows in date and file order.
    hg = matches["home_goals"].to_numpy(np.int64)[by_date]
    ag = matches["away_goals"].to_numpy(np.int64)[by_date]
    teams = np.empty(2 * n, dtype=object)
    teams[0::2] = matches["home_team"].to_numpy(object)[by_date]
    teams[1::2] = matches["away_team"].to_numpy(object)[by_date]
    codes, names = pd.factorize(teams)
    # int16 codes let numpy's stable sort use radix sort: several times faster.
    codes = codes.astype(np.int16 if len(names) < 2**15 else np.int32)
    order = np.argsort(codes, kind="stable")
    gf, ga = np.empty(2 * n, dtype=np.int64), np.empty(2 * n, dtype=np.int64)
    gf[0::2], gf[1::2] = hg, ag
    ga[0::2], ga[1::2] = ag, hg
    return _Long(
        team=codes[order],
        day=np.repeat(day_of_match[by_date], 2)[order],
        match=np.repeat(by_date, 2)[order],
        side=(order % 2).astype(np.int8),
        gf=gf[order],
        ga=ga[order],
        names=np.asarray(names, dtype=object),
    )


def _run_lengths(win: np.ndarray, new_team: np.ndarray) -> np.ndarray:
    """Consecutive wins ending at each position, restarting at each team."""
    pos = np.arange(len(win))
    barrier = np.where(win == 0, pos, -1)
    barrier = np.where((win == 1) & new_team, pos - 1, barrier)
    return pos - np.maximum.accumulate(barrier)


class _Form:
    """Prefix sums and run tables over the long table, queried by window [lo, hi)."""

    def __init__(self, long: _Long, max_window: int):
        gf, ga, team = long.gf, long.ga, long.team
        self.win = (gf > ga).astype(np.int32)
        values = np.vstack([self.win, gf == ga, gf < ga, gf, ga]).astype(np.float64)
        self.prefix = np.zeros((5, len(gf) + 1))
        np.cumsum(values, axis=1, out=self.prefix[:, 1:])
        new_team = np.r_[True, team[1:] != team[:-1]]
        last_of_team = np.r_[team[1:] != team[:-1], True]
        self.run = _run_lengths(self.win, new_team)
        ahead = _run_lengths(self.win[::-1], last_of_team[::-1])[::-1]
        self.run_end = np.arange(len(gf)) + ahead - 1  # last position of the run at p
        # Sparse table of run lengths: level k holds the max over [p, p + 2**k).
        self.levels = [self.run.astype(np.int32)]
        width = 1
        while width * 2 <= min(max_window, len(gf)):
            prev = self.levels[-1]
            nxt = prev.copy()
            nxt[: len(prev) - width] = np.maximum(prev[: len(prev) - width], prev[width:])
            self.levels.append(nxt)
            width *= 2

    def _range_max(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Max of run lengths over [a, b) (0 for empty ranges)."""
        length = b - a
        out = np.zeros(len(a), dtype=np.int32)
        ok = length > 0
        k = np.zeros(len(a), dtype=np.int64)
        k[ok] = np.floor(np.log2(length[ok])).astype(np.int64)
        for level in np.unique(k[ok]):
            sel = ok & (k == level)
            table = self.levels[level]
            out[sel] = np.maximum(table[a[sel]], table[b[sel] - (1 << level)])
        return out

    def stats(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """The six features over long-table positions [lo, hi); zeros when empty."""
        count = (hi - lo).astype(np.float64)
        sums = self.prefix[:, hi] - self.prefix[:, lo]
        # Longest run inside [lo, hi): the run through lo is cut at lo; later runs are whole.
        safe_lo = np.minimum(lo, len(self.win) - 1)
        first_win = (hi > lo) & (self.win[safe_lo] == 1)
        first_end = np.where(first_win, np.minimum(self.run_end[safe_lo], hi - 1), lo - 1)
        first_len = np.where(first_win, first_end - lo + 1, 0)
        rest = self._range_max(first_end + 1, hi)
        longest = np.maximum(first_len, rest)
        with np.errstate(invalid="ignore", divide="ignore"):
            out = np.vstack([sums, longest]) / count
        out[:, count == 0] = 0.0
        return out.T


def features(matches: pd.DataFrame, window: int = DEFAULT_WINDOW) -> pd.DataFrame:
    """The tutorial's 12 inputs for every match, from each side's earlier matches.

    Parameters
    ----------
    matches
        A match table (see :mod:`footy.matches`).
    window
        How many of a team's latest matches before the match date count.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SEED_COLUMNS` (``home_wins`` ... ``away_win_streak``),
        aligned with ``matches.index``.
    """
    if window < 1:
        raise ValueError(f"window must be at least 1, got {window}")
    n = len(matches)
    if n == 0:
        return pd.DataFrame(columns=list(SEED_COLUMNS), index=matches.index, dtype=float)
    long = _long_table(matches)
    team, day = long.team, long.day
    pos = np.arange(len(team))
    # First position of the team's matches on this day: earlier positions are "before".
    new_day = np.r_[True, (team[1:] != team[:-1]) | (day[1:] != day[:-1])]
    hi = np.maximum.accumulate(np.where(new_day, pos, 0))
    new_team = np.r_[True, team[1:] != team[:-1]]
    team_start = np.maximum.accumulate(np.where(new_team, pos, 0))
    lo = np.maximum(team_start, hi - window)
    values = _Form(long, window).stats(lo, hi)
    out = np.empty((n, 12))
    side, match = long.side, long.match
    out[match[side == 0], :6] = values[side == 0]
    out[match[side == 1], 6:] = values[side == 1]
    return pd.DataFrame(out, columns=list(SEED_COLUMNS), index=matches.index)


def team_form(
    matches: pd.DataFrame,
    teams: Sequence[str],
    as_of,
    window: int = DEFAULT_WINDOW,
) -> pd.DataFrame:
    """The six features of each team from its last ``window`` matches dated on or before ``as_of``.

    Use it for fixtures after ``as_of``. Teams with no match by then get zeros.
    """
    as_of = pd.Timestamp(as_of)
    known = matches[matches["date"] <= as_of]
    result = pd.DataFrame(
        0.0, index=pd.Index(list(teams), name="team"), columns=list(FORM_FEATURES)
    )
    if known.empty:
        return result
    long = _long_table(known)
    names, team = long.names, long.team
    ends = np.r_[np.flatnonzero(team[1:] != team[:-1]) + 1, len(team)]  # one past each team
    starts = np.r_[0, ends[:-1]]
    code = {name: i for i, name in enumerate(names)}
    wanted = [code.get(t, -1) for t in result.index]
    have = np.array([c >= 0 for c in wanted], dtype=bool)
    if have.any():
        idx = np.array([c for c in wanted if c >= 0])
        hi = ends[idx]
        lo = np.maximum(starts[idx], hi - window)
        result.iloc[np.flatnonzero(have)] = _Form(long, window).stats(lo, hi)
    return result
