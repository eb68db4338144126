"""``footy features``: the tutorial's 12-input matrix for every match."""

from __future__ import annotations

from pathlib import Path

import click

from footy.commands.common import (
    check_writable,
    data_option,
    force_option,
    window_option,
    write_atomic,
)


@click.command()
@data_option
@window_option
@click.option(
    "--former-names", is_flag=True, help="Map former team names to current ones (bundled table)."
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the feature CSV.",
)
@force_option
def features(
    data: tuple[Path, ...], window: int, former_names: bool, out: Path, force: bool
) -> None:
    """Write each match's 12 tutorial features (from earlier matches only) to a CSV."""
    from footy.features import features as compute_features
    from footy.matches import read_matches
    from footy.outcomes import outcome

    check_writable(out, force)
    matches = read_matches(data, former_names=former_names)
    table = matches[["date", "home_team", "away_team", "neutral"]].copy()
    table["date"] = table["date"].dt.strftime("%Y-%m-%d")
    table = table.join(compute_features(matches, window))
    table["outcome"] = outcome(matches["home_goals"], matches["away_goals"])
    write_atomic(out, lambda tmp: table.to_csv(tmp, index=False, float_format="%.6g"))
    click.echo(f"wrote {len(table):,} matches x 12 features (window {window}) to {out}", err=True)
