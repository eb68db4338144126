"""Reading results files: each format, and each kind of bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from footy import paths
from footy.errors import BadInputError
from footy.matches import MATCH_COLUMNS, read_matches

INTERNATIONAL_HEADER = (
    "date,home_team,away_team,home_score,away_score,tournament,city,country,neutral"
)


def write(tmp_path: Path, text: str, name: str = "results.csv", encoding="utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_bundled_international_results():
    matches = read_matches(paths.INTERNATIONAL_RESULTS)
    assert list(matches.columns) == list(MATCH_COLUMNS)
    assert len(matches) == 49_520
    assert matches["date"].is_monotonic_increasing
    assert matches["date"].min() == pd.Timestamp("1872-11-30")
    assert matches["neutral"].dtype == bool
    assert (matches[["home_goals", "away_goals"]] >= 0).all().all()
    # Two different matches between the same teams on one day are legal and kept.
    same_day = matches.duplicated(["date", "home_team", "away_team"], keep=False)
    assert same_day.sum() >= 2


def test_international_file(tmp_path):
    path = write(
        tmp_path,
        f"{INTERNATIONAL_HEADER}\n"
        "2020-01-02,Spain,Italy,2,1,Friendly,Madrid,Spain,FALSE\n"
        "2020-01-01,France,Brazil,0,0,FIFA World Cup,Doha,Qatar,TRUE\n",
    )
    matches = read_matches(path)
    assert matches["home_team"].tolist() == ["France", "Spain"]  # sorted by date
    assert matches["neutral"].tolist() == [True, False]
    assert matches["tournament"].tolist() == ["FIFA World Cup", "Friendly"]


def test_club_file_with_odds_bom_and_trailing_rows(tmp_path):
    text = (
        "\ufeffDiv,Date,Time,HomeTeam,AwayTeam,FTHG,FTAG,FTR,B365H,B365D,B365A,"
        "PSCH,PSCD,PSCA,AvgCH,AvgCD,AvgCA\n"
        "E0,16/08/2024,20:00,Man United,Fulham,1,0,H,1.6,4.2,5.25,1.65,4.23,5.28,1.6,4.1,5.0\n"
        "E0,17/08/24,12:30,Ipswich,Liverpool,0,2,A,8,5,1.3,,,,8.0,5.5,1.35\n"
        ",,,,,,,,,,,,,,,,\n"
        ",,,,,,,,,,,,,,,,\n"
    )
    matches = read_matches(write(tmp_path, text))
    assert len(matches) == 2
    assert matches["date"].tolist() == [pd.Timestamp("2024-08-16"), pd.Timestamp("2024-08-17")]
    assert matches["tournament"].tolist() == ["E0", "E0"]
    assert not matches["neutral"].any()
    # Pinnacle closing odds where present, else the market average.
    np.testing.assert_allclose(
        matches[["odds_home", "odds_draw", "odds_away"]].to_numpy(),
        [[1.65, 4.23, 5.28], [8.0, 5.5, 1.35]],
    )


def test_bundled_club_files():
    seasons = sorted((paths.DATA / "clubs" / "premier-league").glob("season-*.csv"))
    matches = read_matches(seasons)
    assert len(matches) == 14 * 380
    raw = read_matches(paths.DATA / "clubs" / "raw" / "E0_2425.csv")
    assert len(raw) == 380
    assert raw["odds_home"].notna().all()


def test_canonical_file_and_several_files(tmp_path):
    a = write(
        tmp_path,
        "date,home_team,away_team,home_goals,away_goals,neutral,tournament\n"
        "2021-05-01,X,Y,1,2,false,Cup\n",
        "a.csv",
    )
    b = write(tmp_path, "Date,HomeTeam,AwayTeam,FTHG,FTAG\n2021-04-01,Y,Z,3,3\n", "b.csv")
    matches = read_matches([a, b])
    assert matches[["home_team", "away_team"]].values.tolist() == [["Y", "Z"], ["X", "Y"]]
    assert matches["tournament"].tolist() == ["club", "Cup"]
    assert [f["name"] for f in matches.attrs["files"]] == ["a.csv", "b.csv"]


def test_former_names_mapped_within_their_dates(tmp_path):
    path = write(
        tmp_path,
        f"{INTERNATIONAL_HEADER}\n"
        "1980-01-01,Zaïre,Ghana,1,0,Friendly,Accra,Ghana,FALSE\n"
        "2005-01-01,Serbia and Montenegro,Ghana,1,0,Friendly,Accra,Ghana,FALSE\n",
    )
    matches = read_matches(path, former_names=True)
    assert matches["home_team"].tolist() == ["DR Congo", "Serbia"]
    assert read_matches(path)["home_team"].tolist() == ["Zaïre", "Serbia and Montenegro"]


GOOD = "2020-01-01,Spain,Italy,2,1,Friendly,Madrid,Spain,FALSE\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("date,home,away\n2020-01-01,A,B\n", "missing column(s)"),
        (
            f"{INTERNATIONAL_HEADER}\n2020-13-45,A,B,1,0,F,c,c,FALSE\n",
            "unparseable date '2020-13-45' (line 2)",
        ),
        (
            f"{INTERNATIONAL_HEADER}\n{GOOD}2020-01-02,A,B,,0,F,c,c,FALSE\n",
            "missing goals in column home_score (line 3)",
        ),
        (
            f"{INTERNATIONAL_HEADER}\n2020-01-02,A,B,1,-1,F,c,c,FALSE\n",
            "negative goals -1 in column away_score (line 2)",
        ),
        (
            f"{INTERNATIONAL_HEADER}\n2020-01-02,A,B,1.5,0,F,c,c,FALSE\n",
            "goals must be whole numbers, got '1.5'",
        ),
        (
            f"{INTERNATIONAL_HEADER}\n2020-01-02,A,B,x,0,F,c,c,FALSE\n",
            "goals must be whole numbers, got 'x'",
        ),
        (
            f"{INTERNATIONAL_HEADER}\n2020-01-02,A,A,1,0,F,c,c,FALSE\n",
            "the same team on both sides (A) (line 2)",
        ),
        (
            f"{INTERNATIONAL_HEADER}\n2020-01-02,A,B,1,0,F,c,c,maybe\n",
            "neutral must be TRUE or FALSE",
        ),
        ("", "the file is empty"),
        (f"{INTERNATIONAL_HEADER}\n", "has a header but no matches"),
        (
            f"{INTERNATIONAL_HEADER}\n{GOOD}{GOOD}",
            "rows are identical in every field, e.g. lines 2 and 3",
        ),
    ],
)
def test_bad_input_is_named(tmp_path, body, message):
    path = write(tmp_path, body)
    with pytest.raises(BadInputError) as err:
        read_matches(path)
    assert message in str(err.value)
    assert str(path) in str(err.value)


def test_missing_columns_name_the_accepted_formats(tmp_path):
    path = write(tmp_path, "Date,HomeTeam,AwayTeam,FTHG\n01/01/2020,A,B,1\n")
    with pytest.raises(BadInputError, match=r"missing column.*FTAG.*accepted formats"):
        read_matches(path)


def test_binary_and_undecodable_files(tmp_path):
    binary = tmp_path / "model.bin"
    binary.write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(BadInputError, match="binary file"):
        read_matches(binary)
    latin = write(
        tmp_path,
        f"{INTERNATIONAL_HEADER}\n2020-01-01,Curaçao,B,1,0,F,c,c,FALSE\n",
        "latin.csv",
        encoding="latin-1",
    )
    with pytest.raises(BadInputError, match=r"not valid UTF-8.*line 2.*save the file as UTF-8"):
        read_matches(latin)


def test_same_matches_in_two_files(tmp_path):
    text = f"{INTERNATIONAL_HEADER}\n{GOOD}"
    a, b = write(tmp_path, text, "a.csv"), write(tmp_path, text, "b.csv")
    with pytest.raises(BadInputError, match="appear more than once across the files"):
        read_matches([a, b])


def test_two_different_matches_on_one_day_are_legal(tmp_path):
    path = write(tmp_path, f"{INTERNATIONAL_HEADER}\n{GOOD}" + GOOD.replace("2,1", "0,0"))
    assert len(read_matches(path)) == 2
