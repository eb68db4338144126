"""``footy simulate``: each team's chance of reaching each round of a World Cup."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from footy.commands.common import data_option, force_option, plot_option

TOURNAMENTS = ("worldcup-2026", "worldcup-2022", "worldcup-2018")
_PATH = click.Path(dir_okay=False, path_type=Path)


class AsOf(click.ParamType):
    """An ISO date or ``latest``."""

    name = "YYYY-MM-DD|latest"

    def convert(self, value, param, ctx):
        import datetime as dt

        if value in (None, "latest") or isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date; use YYYY-MM-DD or 'latest'", param, ctx)


@click.command()
@click.option(
    "--tournament",
    type=click.Choice(TOURNAMENTS),
    default="worldcup-2026",
    show_default=True,
    help="A bundled World Cup (its draw, bracket and hosts).",
)
@click.option("--groups", type=_PATH, default=None, help="Custom tournament: group,team CSV.")
@click.option(
    "--format",
    "format_",
    type=_PATH,
    default=None,
    help="Custom tournament: match,round,home_slot,away_slot CSV.",
)
@click.option("--hosts", type=_PATH, default=None, help="Custom tournament: hosts CSV (team).")
@click.option("--runs", type=click.IntRange(min=1), default=10_000, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--as-of",
    type=AsOf(),
    default=None,
    help="Results known up to this day (default: the day before the first match); "
    "'latest' replays the draw with the shipped model and all results.",
)
@click.option(
    "--model",
    type=_PATH,
    default=None,
    help="A model trained on results up to --as-of at the latest (checked via its sidecar).",
)
@data_option
@plot_option
@click.option("--json", "as_json", is_flag=True, help="Print the DESIGN.md JSON document only.")
@click.option("--csv", "csv_out", type=_PATH, default=None, help="Write the table as CSV.")
@force_option
def simulate(
    tournament,
    groups,
    format_,
    hosts,
    runs,
    seed,
    as_of,
    model,
    data,
    plot,
    as_json,
    csv_out,
    force,
) -> None:
    """Simulate a World Cup many times: who reaches each round, who wins.

    \b
    footy simulate                          # 2026, as footy saw it the day before
    footy simulate --tournament worldcup-2018 --plot odds.png
    footy simulate --as-of latest           # the 2026 draw, played with today's model
    """
    from footy.commands.common import check_writable, write_atomic
    from footy.forecast import forecast

    if as_json and csv_out is not None:
        raise click.UsageError("choose one of --json and --csv")
    for path in (plot, csv_out):
        if path is not None:
            check_writable(path, force)

    with click.progressbar(length=runs, label="simulating", file=sys.stderr, show_pos=True) as bar:
        result = forecast(
            tournament,
            groups=groups,
            format=format_,
            hosts=hosts,
            as_of=as_of,
            model=model,
            data=data,
            runs=runs,
            seed=seed,
            progress=bar.update,
            log=lambda text: click.echo(text, err=True),
        )
    table = result.result.probabilities
    if result.actual is not None:
        table["actual"] = table["team"].map(result.actual)

    if plot is not None:
        from footy.plots.tournament import plot_title_chances

        plot_title_chances(result.result, plot)
        click.echo(f"picture: {plot}", err=True)
    if csv_out is not None:
        write_atomic(csv_out, lambda tmp: table.to_csv(tmp, index=False, float_format="%.4f"))
        click.echo(f"wrote {len(table)} teams to {csv_out}", err=True)
    if as_json:
        import json

        document = result.result.to_dict(as_of=result.as_of.isoformat(), model=str(result.model))
        click.echo(json.dumps(document, indent=2))
        return
    if csv_out is not None:
        return
    click.echo(_render(result, table))


def _render(result, table) -> str:
    rounds = list(result.result.rounds)
    head = (
        f"{result.tournament.name}: {result.result.runs:,} simulations, seed {result.result.seed}, "
        f"results up to {result.as_of}, model {result.model}"
    )
    header = f"{'team':<24} {'grp':>3} " + " ".join(f"{r:>6}" for r in rounds)
    if "actual" in table:
        header += "  actual"
    lines = [head, "", header]
    for _, row in table.iterrows():
        cells = " ".join(_pct(row[r]) for r in rounds)
        line = f"{row['team']:<24} {row['group']:>3} {cells}"
        if "actual" in table:
            line += f"  {row['actual']}"
        lines.append(line)
    if result.score is not None:
        s = result.score
        lines += [
            "",
            f"what happened: {s.champion} won; footy gave them {s.champion_probability:.1%} "
            f"(all teams equal: {s.reference_champion_probability:.1%})",
            f"mean log probability of each team's actual stage of exit: {s.log_score:.3f} "
            f"(all teams equal: {s.reference_log_score:.3f}; gain {s.skill:+.3f})",
        ]
    return "\n".join(lines)


def _pct(p: float) -> str:
    if p >= 0.9995:
        return f"{'100%':>6}"
    if p < 0.0005:
        return f"{'-':>6}"
    return f"{p:>6.1%}"
