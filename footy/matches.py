"""Reading results CSVs into the match table, validated where the file is read.

The match table is footy's one internal data contract: one row per match,
sorted by date (file order within a date), with the columns of
:data:`MATCH_COLUMNS`. Three file formats are recognised from the header:

- international results (``date,home_team,away_team,home_score,away_score,tournament,...,neutral``),
- football-data.co.uk club files (``Date,HomeTeam,AwayTeam,FTHG,FTAG``; ``Div``, ``Time``,
  ``FTR`` and odds columns optional; dates ``dd/mm/yy``, ``dd/mm/yyyy`` or ISO),
- the canonical format (``date,home_team,away_team,home_goals,away_goals,neutral,tournament``).

Every problem is reported as one :class:`~footy.errors.BadInputError` naming the
file, the line numbers (line 1 is the header) and the fix.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from footy.errors import BadInputError

MATCH_COLUMNS = (
    "date",
    "home_team",
    "away_team",
    "home_goals",
    "away_goals",
    "neutral",
    "tournament",
)
ODDS_COLUMNS = ("odds_home", "odds_draw", "odds_away")

# Closing odds in football-data.co.uk files, best first (Pinnacle, then market average).
CLOSING_ODDS = (("PSCH", "PSCD", "PSCA"), ("AvgCH", "AvgCD", "AvgCA"))


@dataclass(frozen=True)
class _Format:
    name: str
    required: tuple[str, ...]  # columns that identify the format
    rename: dict[str, str]  # file column -> match table column


INTERNATIONAL = _Format(
    "international results",
    ("date", "home_team", "away_team", "home_score", "away_score", "tournament", "neutral"),
    {"home_score": "home_goals", "away_score": "away_goals"},
)
CLUB = _Format(
    "football-data.co.uk",
    ("Date", "HomeTeam", "AwayTeam", "FTHG", "FTAG"),
    {
        "Date": "date",
        "HomeTeam": "home_team",
        "AwayTeam": "away_team",
        "FTHG": "home_goals",
        "FTAG": "away_goals",
    },
)
CANONICAL = _Format("canonical", MATCH_COLUMNS, {})
FORMATS = (CANONICAL, INTERNATIONAL, CLUB)

_ACCEPTED = "; ".join(f"{f.name}: {','.join(f.required)}" for f in FORMATS)
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y")
_TRUE = {"true", "1", "yes", "t", "y"}
_FALSE = {"false", "0", "no", "f", "n", ""}


def read_matches(
    paths: str | Path | Sequence[str | Path],
    former_names: bool | str | Path = False,
) -> pd.DataFrame:
    """Read one or more results files into one match table.

    Parameters
    ----------
    paths
        A CSV file or several (e.g. one per season); formats may be mixed.
    former_names
        ``True`` maps former team names to current ones with the bundled
        ``former_names.csv``; a path uses that file instead (columns
        ``current,former,start_date,end_date``; dates inclusive).

    Returns
    -------
    pandas.DataFrame
        The match table, sorted by date (file order within a date), with a
        RangeIndex. Closing odds columns are added when any file carries them.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    paths = [Path(p) for p in paths]
    if not paths:
        raise BadInputError("no results file given; pass at least one --data FILE")
    tables = [_read_one(p) for p in paths]
    has_odds = any(t.attrs.get("has_odds") for t in tables)
    for t in tables:
        if has_odds and "odds_home" not in t:
            for col in ODDS_COLUMNS:
                t[col] = np.nan
    frames = [t.assign(_file=i) for i, t in enumerate(tables)]
    matches = pd.concat(frames, ignore_index=True)
    _check_cross_file_duplicates(matches, paths)
    matches = matches.drop(columns=["_file", "_line"])
    if former_names:
        mapping = read_former_names(None if former_names is True else former_names)
        matches = apply_former_names(matches, mapping)
    matches = matches.sort_values("date", kind="stable", ignore_index=True)
    matches.attrs["files"] = [describe_file(p, t) for p, t in zip(paths, tables, strict=True)]
    return matches


def describe_file(path: Path, table: pd.DataFrame) -> dict:
    """Name, sha256, rows and date range of one file: what a model's sidecar records."""
    import hashlib

    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return {
        "name": Path(path).name,
        "path": str(path),
        "sha256": digest,
        "format": table.attrs.get("format"),
        "rows": len(table),
        "first_date": table["date"].min().date().isoformat(),
        "last_date": table["date"].max().date().isoformat(),
    }


def _fail(path: Path, what: str, lines: Iterable[int] = (), fix: str = "") -> BadInputError:
    lines = list(lines)
    where = ""
    if lines:
        shown = ", ".join(str(n) for n in lines[:5])
        more = f" and {len(lines) - 5} more" if len(lines) > 5 else ""
        where = f" (line{'s' if len(lines) > 1 else ''} {shown}{more})"
    return BadInputError(f"{path}: {what}{where}" + (f"; {fix}" if fix else ""))


def _decode(path: Path) -> str:
    if not path.exists():
        raise BadInputError(f"{path}: no such file")
    if path.is_dir():
        raise BadInputError(f"{path}: is a folder; pass a results CSV file")
    raw = path.read_bytes()
    if not raw.strip():
        raise _fail(path, "the file is empty", fix="pass a results CSV with a header and matches")
    if b"\x00" in raw[:8192]:
        raise _fail(path, "looks like a binary file, not a CSV", fix="pass a results CSV file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _fail(
            path,
            f"is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            [line],
            "save the file as UTF-8",
        ) from None


def _detect(path: Path, header: list[str]) -> _Format:
    for fmt in FORMATS:
        if all(col in header for col in fmt.required):
            return fmt
    # The closest format: the one missing the fewest columns.
    best = min(FORMATS, key=lambda f: sum(c not in header for c in f.required))
    missing = [c for c in best.required if c not in header]
    raise _fail(
        path,
        f"unrecognised header: missing column(s) {', '.join(missing)} of the {best.name} format",
        [1],
        f"accepted formats: {_ACCEPTED}",
    )


def _read_one(path: Path) -> pd.DataFrame:
    text = _decode(path)
    try:
        header = next(csv.reader(io.StringIO(text)))
    except (StopIteration, csv.Error):
        header = []
    header = [h.strip() for h in header]
    fmt = _detect(path, header)
    try:
        raw = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            skipinitialspace=True,
        )
    except (pd.errors.ParserError, csv.Error) as exc:
        raise _fail(path, f"is not a well-formed CSV: {exc}") from None
    raw.columns = [str(c).strip() for c in raw.columns]
    raw["_line"] = np.arange(len(raw)) + 2
    # Empty rows (football-data.co.uk files often end with a few) are not matches.
    blank = (raw.drop(columns="_line") == "").all(axis=1)
    raw = raw[~blank.to_numpy()]
    if raw.empty:
        raise _fail(path, "has a header but no matches", fix="add match rows below the header")
    _check_identical_rows(path, raw)
    table = _to_match_table(path, raw, fmt)
    table.attrs["format"] = fmt.name
    return table


def _check_identical_rows(path: Path, raw: pd.DataFrame) -> None:
    fields = [c for c in raw.columns if c != "_line"]
    dup = raw.duplicated(subset=fields, keep=False)
    if dup.any():
        rows = raw[dup]
        first = rows.groupby(fields, sort=False)["_line"].apply(list).iloc[0]
        raise _fail(
            path,
            f"{int(dup.sum())} rows are identical in every field, e.g. lines "
            f"{' and '.join(map(str, first))}",
            rows["_line"].tolist(),
            "remove the repeated rows (two different matches on one day are fine)",
        )


def _parse_dates(path: Path, values: pd.Series, lines: np.ndarray) -> pd.Series:
    values = values.str.strip()
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for fmt in _DATE_FORMATS:  # each format is strict: %Y needs four digits
        todo = out.isna()
        if not todo.any():
            break
        out[todo] = pd.to_datetime(values[todo], format=fmt, errors="coerce")
    bad = out.isna().to_numpy()
    if bad.any():
        example = values[bad].iloc[0]
        raise _fail(
            path,
            f"unparseable date {example!r}",
            lines[bad],
            "use YYYY-MM-DD, DD/MM/YYYY or DD/MM/YY",
        )
    return out


def _parse_goals(path: Path, values: pd.Series, column: str, lines: np.ndarray) -> np.ndarray:
    text = values.str.strip()
    missing = (text == "").to_numpy()
    if missing.any():
        raise _fail(
            path,
            f"missing goals in column {column}",
            lines[missing],
            "every match needs both scores (drop unplayed fixtures)",
        )
    number = pd.to_numeric(text, errors="coerce")
    whole = number.notna() & (number == np.floor(number))
    if not whole.all():
        bad = ~whole.to_numpy()
        raise _fail(
            path,
            f"goals must be whole numbers, got {text[bad].iloc[0]!r} in column {column}",
            lines[bad],
            "write goals as non-negative integers",
        )
    negative = (number < 0).to_numpy()
    if negative.any():
        raise _fail(
            path,
            f"negative goals {text[negative].iloc[0]} in column {column}",
            lines[negative],
            "write goals as non-negative integers",
        )
    return number.to_numpy().astype(np.int64)


def _parse_bool(path: Path, values: pd.Series, lines: np.ndarray) -> np.ndarray:
    text = values.str.strip().str.lower()
    bad = ~(text.isin(_TRUE) | text.isin(_FALSE)).to_numpy()
    if bad.any():
        raise _fail(
            path,
            f"neutral must be TRUE or FALSE, got {values[bad].iloc[0]!r}",
            lines[bad],
            "write TRUE/FALSE (or 1/0)",
        )
    return text.isin(_TRUE).to_numpy()


def _to_match_table(path: Path, raw: pd.DataFrame, fmt: _Format) -> pd.DataFrame:
    lines = raw["_line"].to_numpy()
    source = {fmt.rename.get(c, c): raw[c] for c in fmt.required}
    home = source["home_team"].str.strip()
    away = source["away_team"].str.strip()
    for side, names in (("home", home), ("away", away)):
        empty = (names == "").to_numpy()
        if empty.any():
            raise _fail(path, f"missing {side} team name", lines[empty], "name both teams")
    same = (home == away).to_numpy()
    if same.any():
        raise _fail(
            path,
            f"the same team on both sides ({home[same].iloc[0]})",
            lines[same],
            "a match needs two different teams",
        )
    table = pd.DataFrame(
        {
            "date": _parse_dates(path, source["date"], lines).to_numpy(),
            "home_team": home.to_numpy(dtype=object),
            "away_team": away.to_numpy(dtype=object),
            "home_goals": _parse_goals(path, source["home_goals"], _goal_column(fmt, 0), lines),
            "away_goals": _parse_goals(path, source["away_goals"], _goal_column(fmt, 1), lines),
        }
    )
    if fmt is CLUB:
        table["neutral"] = False
        division = raw["Div"].str.strip() if "Div" in raw else pd.Series("club", index=raw.index)
        table["tournament"] = division.replace("", "club").to_numpy(dtype=object)
        odds = _closing_odds(raw)
        if odds is not None:
            for col, values in zip(ODDS_COLUMNS, odds, strict=True):
                table[col] = values
            table.attrs["has_odds"] = True
    else:
        table["neutral"] = _parse_bool(path, source["neutral"], lines)
        table["tournament"] = source["tournament"].str.strip().to_numpy(dtype=object)
    table["_line"] = lines
    return table


def _goal_column(fmt: _Format, side: int) -> str:
    target = ("home_goals", "away_goals")[side]
    return next((k for k, v in fmt.rename.items() if v == target), target)


def _closing_odds(raw: pd.DataFrame) -> list[np.ndarray] | None:
    """Closing decimal odds per match: Pinnacle where present, else the market average."""
    found = None
    for cols in CLOSING_ODDS:
        if not all(c in raw for c in cols):
            continue
        values = [pd.to_numeric(raw[c].str.strip(), errors="coerce").to_numpy() for c in cols]
        if found is None:
            found = values
        else:  # fill the gaps of the better source
            found = [np.where(np.isnan(f), v, f) for f, v in zip(found, values, strict=True)]
    if found is None:
        return None
    stacked = np.vstack(found)
    stacked[:, ~np.all(stacked > 1.0, axis=0)] = np.nan  # a match's odds are usable whole or not
    return list(stacked)


def _check_cross_file_duplicates(matches: pd.DataFrame, paths: list[Path]) -> None:
    if len(paths) < 2:
        return
    dup = matches.duplicated(subset=list(MATCH_COLUMNS), keep=False)
    if not dup.any():
        return
    rows = matches[dup]
    first = rows.groupby(list(MATCH_COLUMNS), sort=False)
    places = next(iter(first))[1]
    where = " and ".join(
        f"{paths[f]} line {line}" for f, line in zip(places["_file"], places["_line"], strict=True)
    )
    raise BadInputError(
        f"{int(dup.sum())} matches appear more than once across the files, e.g. {where}; "
        "pass each season's file once"
    )


def read_former_names(path: str | Path | None = None) -> pd.DataFrame:
    """The former-name table: ``current,former,start_date,end_date`` (dates inclusive)."""
    from footy import paths as footy_paths

    path = Path(path) if path is not None else footy_paths.FORMER_NAMES
    if not path.exists():
        raise BadInputError(f"{path}: no such file (the former-names table)")
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in ("current", "former", "start_date", "end_date") if c not in table]
    if missing:
        raise BadInputError(
            f"{path}: missing column(s) {', '.join(missing)}; "
            "expected current,former,start_date,end_date"
        )
    table["start_date"] = pd.to_datetime(table["start_date"].replace("", "1800-01-01"))
    table["end_date"] = pd.to_datetime(table["end_date"].replace("", "2999-12-31"))
    return table


def apply_former_names(matches: pd.DataFrame, former: pd.DataFrame) -> pd.DataFrame:
    """Rename teams that played under a former name to their current name.

    A row ``Zaire -> DR Congo, 1971-01-10 .. 1997-04-27`` renames Zaire's matches
    in that period only, so a name later reused by another team stays untouched.
    """
    matches = matches.copy()
    for side in ("home_team", "away_team"):
        for row in former.itertuples(index=False):
            hit = (
                (matches[side] == row.former)
                & (matches["date"] >= row.start_date)
                & (matches["date"] <= row.end_date)
            )
            matches.loc[hit, side] = row.current
    return matches


def teams(matches: pd.DataFrame) -> list[str]:
    """Every team in the match table, sorted."""
    return sorted(set(matches["home_team"]).union(matches["away_team"]))
