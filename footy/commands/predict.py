"""``footy predict``: one fixture at a glance, or a CSV of fixtures.

Runs the network with numpy (footy.inference): no TensorFlow import, so a cold
``footy predict`` answers in about a second.
"""

from __future__ import annotations

from pathlib import Path

import click

from footy.commands.common import DATE, data_option, force_option, model_option


@click.command()
@click.argument("home", required=False)
@click.argument("away", required=False)
@click.option("--neutral", is_flag=True, help="Neutral venue (predicted in both orders, averaged).")
@click.option(
    "--as-of",
    type=DATE,
    default=None,
    help="Use results dated on or before this day (default: all results in the data).",
)
@model_option
@data_option
@click.option(
    "--fixtures",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="CSV with home_team,away_team[,neutral][,date]: predict them all.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="With --fixtures: write the predictions CSV here (default: stdout).",
)
@force_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON only.")
def predict(home, away, neutral, as_of, model, data, fixtures, out, force, as_json) -> None:
    """Predict HOME v AWAY (home win / draw / away win), or every row of --fixtures.

    \b
    footy predict Argentina France --neutral
    footy predict --fixtures fixtures.csv --out predictions.csv
    """
    from footy.commands.common import check_writable, echo_json, write_atomic
    from footy.errors import BadInputError
    from footy.matches import read_matches
    from footy.predict import Predictor, read_fixtures

    if fixtures is None and (home is None or away is None):
        raise click.UsageError("give HOME and AWAY teams, or --fixtures FILE")
    if fixtures is not None and home is not None:
        raise click.UsageError("give either HOME AWAY or --fixtures, not both")
    if out is not None:
        if fixtures is None:
            raise click.UsageError("--out goes with --fixtures")
        check_writable(out, force)
    if home is not None and home == away:
        raise BadInputError(f"a team cannot play itself ({home})")

    predictor = Predictor.for_data(model, data, as_of=as_of)
    if as_of is not None and not (predictor.matches["date"] <= str(as_of)).any():
        raise BadInputError(f"no results on or before --as-of {as_of} in the data")
    last = predictor.last_result if as_of is None else min(predictor.last_result, _ts(as_of))
    known_up_to = last.date().isoformat()

    if fixtures is None:
        p = predictor.predict_match(home, away, neutral=neutral, as_of=as_of)
        if as_json:
            echo_json(
                {
                    "home_team": home,
                    "away_team": away,
                    "neutral": neutral,
                    "as_of": known_up_to,
                    "model": str(model),
                    "p_home": round(float(p[0]), 6),
                    "p_draw": round(float(p[1]), 6),
                    "p_away": round(float(p[2]), 6),
                }
            )
            return
        venue = "neutral venue" if neutral else f"at {home}"
        click.echo(f"{home} {p[0]:.0%} · draw {p[1]:.0%} · {away} {p[2]:.0%}")
        click.echo(f"({venue}; form and ratings from results up to {known_up_to})", err=True)
        return

    table = read_fixtures(fixtures, predictor.teams)
    if predictor.matches is None and "date" in table and table["date"].notna().any():
        predictor = Predictor(model, read_matches(data))  # dated fixtures need every result
    probs = predictor.predict_fixtures(table, as_of=as_of)
    result = table.copy()
    if "date" in result:
        result["date"] = result["date"].dt.strftime("%Y-%m-%d").fillna("")
    result["p_home"], result["p_draw"], result["p_away"] = probs.round(6).T
    if as_json:
        echo_json(result.to_dict(orient="records"))
    elif out is not None:
        write_atomic(out, lambda tmp: result.to_csv(tmp, index=False))
        click.echo(f"wrote {len(result):,} predictions to {out}", err=True)
    else:
        click.echo(result.to_csv(index=False), nl=False)


def _ts(day):
    import pandas as pd

    return pd.Timestamp(day)
