"""Predicting fixtures with a trained model: features as of a date, one batched call.

The network runs through :mod:`footy.inference` (numpy, no TensorFlow), so a
prediction is a fraction of a second in a cold process. A neutral fixture is
predicted in both orders and averaged, so the answer does not depend on which
side is named first.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from footy import paths
from footy.errors import BadInputError
from footy.feature_sets import build_features, feature_names, fixture_features, parse_feature_set
from footy.matches import read_matches, teams


def closest_teams(name: str, known: Sequence[str], n: int = 3) -> str:
    close = difflib.get_close_matches(name, known, n=n, cutoff=0.5)
    if not close:
        lowered = {k.lower(): k for k in known}
        close = [
            lowered[k] for k in difflib.get_close_matches(name.lower(), lowered, n=n, cutoff=0.4)
        ]
    return f"; did you mean {', '.join(close)}?" if close else ""


def check_teams(names: Sequence[str], known: Sequence[str], where: str = "") -> None:
    """An unknown team is an error that names the closest known teams."""
    known_set = set(known)
    for name in dict.fromkeys(names):
        if name not in known_set:
            hint = closest_teams(name, known)
            raise BadInputError(f"{where}unknown team {name!r}: no result for it in the data{hint}")


class Predictor:
    """A trained model plus the results it reads team form from.

    Parameters
    ----------
    model_path
        ``NAME.keras`` with its ``NAME.json`` sidecar (default: the shipped model).
    matches
        The match table features are computed from (default: bundled internationals).
    state
        Instead of ``matches``: each team's latest state (:mod:`footy.team_state`),
        which answers fixtures as of the last result without recomputing anything.
    """

    def __init__(
        self,
        model_path: Path | None = None,
        matches: pd.DataFrame | None = None,
        state: dict | None = None,
    ):
        from footy.inference import NumpyNetwork

        self.model_path = Path(model_path or paths.SHIPPED_MODEL)
        self.network = NumpyNetwork.load(self.model_path)  # checks the file against its sidecar
        self.sidecar = self.network.sidecar
        self.feature_set = parse_feature_set(self.sidecar.get("feature_set", ["seed"]))
        self.window = int(self.sidecar.get("window", 60))
        expected = self.sidecar.get("feature_names")
        available = feature_names(self.feature_set, self.window)
        if expected is not None and list(expected) != available:
            raise BadInputError(
                f"{self.model_path}: the model was trained on features {expected}, but footy "
                f"computes {available} for its feature set {','.join(self.feature_set)}"
            )
        if matches is None and state is None:
            matches = read_matches(paths.INTERNATIONAL_RESULTS)
        self.matches = matches
        self.state = state if matches is None else None
        self.teams = teams(matches) if matches is not None else list(state["teams"])
        self.last_result = (
            matches["date"].max() if matches is not None else pd.Timestamp(state["as_of"])
        )

    @classmethod
    def for_data(cls, model_path: Path | None, data: Sequence[Path], as_of=None) -> Predictor:
        """A predictor for these data files: from the team state kept next to the model
        when it was built from exactly these files and no earlier date is asked for;
        otherwise from the files themselves."""
        from footy.inference import sha256_file
        from footy.team_state import load_team_state, state_path, usable

        model_path = Path(model_path or paths.SHIPPED_MODEL)
        if as_of is None:
            state = load_team_state(state_path(model_path))
            if state is not None:
                sidecar = _sidecar_settings(model_path)
                hashes = [sha256_file(Path(p)) for p in data if Path(p).is_file()]
                if usable(state, sidecar[0], sidecar[1], hashes) and len(hashes) == len(data):
                    return cls(model_path, state=state)
        return cls(model_path, read_matches(list(data)))

    def predict_fixtures(self, fixtures: pd.DataFrame, as_of=None) -> np.ndarray:
        """Probabilities (home win, draw, away win) for each fixture, n x 3.

        ``fixtures`` has ``home_team``, ``away_team``, ``neutral`` and optionally
        ``date`` (then each fixture sees the results before its date); otherwise
        every fixture sees the results dated on or before ``as_of`` (default: all).
        """
        if len(fixtures) == 0:
            return np.zeros((0, 3))
        check_teams(list(fixtures["home_team"]) + list(fixtures["away_team"]), self.teams)
        fixtures = fixtures.reset_index(drop=True)
        neutral = fixtures["neutral"].to_numpy(bool)
        swapped = fixtures[neutral].rename(
            columns={"home_team": "away_team", "away_team": "home_team"}
        )
        both = pd.concat([fixtures, swapped], ignore_index=True)
        x = self._features(both, as_of)
        probs = self.network.predict_proba(x)  # one batched call
        out = probs[: len(fixtures)].copy()
        mirror = probs[len(fixtures) :, ::-1]
        out[neutral] = (out[neutral] + mirror) / 2
        return out

    def _features(self, fixtures: pd.DataFrame, as_of) -> np.ndarray:
        if self.matches is None:
            from footy.team_state import state_features

            if as_of is not None or ("date" in fixtures and fixtures["date"].notna().any()):
                raise BadInputError("dated fixtures need the results, not only the team state")
            return state_features(self.state, fixtures, self.feature_set)
        history = self.matches
        if as_of is not None:
            history = history[history["date"] <= pd.Timestamp(as_of)]
        dates = fixtures["date"] if "date" in fixtures else pd.Series(pd.NaT, index=fixtures.index)
        parts = []
        undated = fixtures[dates.isna()]
        if len(undated):
            parts.append(fixture_features(history, undated, self.feature_set, self.window))
        dated = fixtures[dates.notna()]
        for day, group in dated.groupby(dates[dates.notna()], sort=False):
            known = self.matches[self.matches["date"] < pd.Timestamp(day)]
            parts.append(fixture_features(known, group, self.feature_set, self.window))
        return pd.concat(parts).loc[fixtures.index].to_numpy(float)

    def predict_match(self, home: str, away: str, neutral: bool = False, as_of=None) -> np.ndarray:
        fixture = pd.DataFrame({"home_team": [home], "away_team": [away], "neutral": [neutral]})
        return self.predict_fixtures(fixture, as_of=as_of)[0]


def _sidecar_settings(model_path: Path) -> tuple[tuple[str, ...], int]:
    import json

    from footy.inference import sidecar_path

    try:
        sidecar = json.loads(sidecar_path(model_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return (), 0
    return parse_feature_set(sidecar.get("feature_set", ["seed"])), int(sidecar.get("window", 0))


def read_fixtures(path: Path, known_teams: Sequence[str]) -> pd.DataFrame:
    """A fixtures CSV: ``home_team,away_team`` and optional ``neutral``, ``date``."""
    from footy.matches import _decode, _parse_bool, _parse_dates

    path = Path(path)
    import io

    text = _decode(path)
    table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
    table.columns = [c.strip() for c in table.columns]
    missing = [c for c in ("home_team", "away_team") if c not in table]
    if missing:
        raise BadInputError(
            f"{path}: missing column(s) {', '.join(missing)}; a fixtures CSV has "
            "home_team,away_team and optionally neutral,date"
        )
    if table.empty:
        raise BadInputError(f"{path}: has a header but no fixtures")
    lines = np.arange(len(table)) + 2
    out = pd.DataFrame(
        {
            "home_team": table["home_team"].str.strip(),
            "away_team": table["away_team"].str.strip(),
        }
    )
    out["neutral"] = _parse_bool(path, table["neutral"], lines) if "neutral" in table else False
    if "date" in table and (table["date"].str.strip() != "").any():
        given = (table["date"].str.strip() != "").to_numpy()
        out["date"] = pd.NaT  # an empty date means: as of --as-of (or the latest result)
        out.loc[given, "date"] = _parse_dates(path, table["date"][given], lines[given]).to_numpy()
    known = set(known_teams)
    for side in ("home_team", "away_team"):
        for line, name in zip(lines, out[side], strict=True):
            if name not in known:
                hint = closest_teams(name, known_teams)
                raise BadInputError(f"{path}: unknown team {name!r} (line {line}){hint}")
    same = (out["home_team"] == out["away_team"]).to_numpy()
    if same.any():
        raise BadInputError(f"{path}: the same team on both sides (line {lines[same][0]})")
    return out


def swap_sides(matches: pd.DataFrame) -> pd.DataFrame:
    """The same matches with the sides named the other way round."""
    swapped = matches.rename(
        columns={
            "home_team": "away_team",
            "away_team": "home_team",
            "home_goals": "away_goals",
            "away_goals": "home_goals",
        }
    )
    return swapped[list(matches.columns)]


def features_both_orders(
    matches: pd.DataFrame, feature_set, window: int
) -> tuple[np.ndarray, np.ndarray | None]:
    """Walk-forward features of every match as named, and with the sides swapped
    (``None`` when no match is neutral: only neutral matches are predicted both ways).

    Compute them once and pass them to :func:`predict_matches` for every predictor.
    """
    x = build_features(matches, feature_set, window).to_numpy(float)
    if not matches["neutral"].to_numpy(bool).any():
        return x, None
    return x, build_features(swap_sides(matches), feature_set, window).to_numpy(float)


def predict_matches(
    network,
    matches: pd.DataFrame,
    rows,
    feature_set=None,
    window: int | None = None,
    *,
    features: tuple[np.ndarray, np.ndarray | None] | None = None,
) -> np.ndarray:
    """Walk-forward probabilities for the selected played matches of a table.

    Each match's features come from the results dated before it; neutral
    matches are predicted in both orders and averaged, as for fixtures.
    ``network`` is anything with ``predict_proba`` (a MatchModel or a NumpyNetwork).
    ``features`` is :func:`features_both_orders`' result, when already computed.
    """
    rows = np.asarray(rows, dtype=bool)
    x, x_swapped = features or features_both_orders(matches, feature_set, window)
    neutral = matches["neutral"].to_numpy(bool)[rows]
    probs = network.predict_proba(x[rows])
    if neutral.any():
        mirror = network.predict_proba(x_swapped[rows][neutral])[:, ::-1]
        probs[neutral] = (probs[neutral] + mirror) / 2
    return probs
