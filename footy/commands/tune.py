"""``footy tune``: a seeded random search over the network's hyper-parameters."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from footy.commands.common import DATE, data_option, force_option
from footy.defaults import DEFAULT_TRIALS, DEFAULT_VALIDATION_YEARS


@click.command()
@data_option
@click.option(
    "--until",
    type=DATE,
    default=None,
    help="Last day of the tuning data (default: the last date in the data). The validation "
    "period is the last --validation-years before it, so when you will compare models on a "
    "test period, pass a date before that period.",
)
@click.option(
    "--validation-years",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_VALIDATION_YEARS,
    show_default=True,
    help="Length of the validation period at the end of the tuning data.",
)
@click.option(
    "--features",
    "feature_set",
    default=None,
    help="Feature groups, comma-separated (seed, venue, elo, importance, pi); "
    "default: the training default. The window is searched.",
)
@click.option(
    "--trials",
    type=click.IntRange(min=1),
    default=DEFAULT_TRIALS,
    show_default=True,
    help="Trials in the search; trial 0 is the training defaults.",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Draws the trials and seeds every network: same seed, same numbers.",
)
@click.option(
    "--log",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="JSON-lines trial log; a re-run with the same log skips finished trials.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the best configuration here (e.g. best.json) for `footy train --config`.",
)
@force_option
@click.option("--json", "as_json", is_flag=True, help="Print the trials and the best as JSON.")
def tune(
    data,
    until,
    validation_years,
    feature_set,
    trials,
    seed,
    log,
    out,
    force,
    as_json,
) -> None:
    """Search hidden layers, neurons, activation, learning rate, epochs, patience, dropout
    and the feature window; score each trial by RPS on the latest part of the data.

    Training rows are all dated before the validation period (the last
    --validation-years up to --until). Prints the trials sorted by validation RPS.
    To compare the tuned network on a test period, tune with --until before it.
    """
    import json

    from footy.commands.common import check_writable, echo_json, write_text_atomic
    from footy.matches import read_matches
    from footy.tune import tune as run_search

    if out is not None:
        check_writable(out, force)
    matches = read_matches(data)

    bar = None
    best = [None]

    def on_trial(trial, resumed: bool) -> None:
        if best[0] is None or trial.rps < best[0]:
            best[0] = trial.rps
        bar.label = f"tuning (best RPS {best[0]:.4f})"
        bar.update(1)

    bar = click.progressbar(length=trials, label="tuning", file=sys.stderr, show_pos=True)
    with bar:
        result = run_search(
            matches,
            until=until,
            feature_set=feature_set,
            trials=trials,
            seed=seed,
            log=log,
            validation_years=validation_years,
            on_trial=on_trial,
        )
    config = result.config()
    if out is not None:
        write_text_atomic(out, json.dumps(config, indent=2) + "\n")

    if as_json:
        echo_json(
            {
                "search": result.search,
                "trials": [t.to_json() for t in result.ranked()],
                "best": config["best"],
                "baseline": config["baseline"],
                "resumed": result.resumed,
                "out": None if out is None else str(out),
            }
        )
        return
    _print_table(result, out)


def _print_table(result, out: Path | None) -> None:
    split = result.search["split"]
    tr, va = split["training"], split["validation"]
    click.echo(
        f"training   {tr['first_date']} .. {tr['last_date']}  {tr['matches']:>7,} matches\n"
        f"validation {va['first_date']} .. {va['last_date']}  {va['matches']:>7,} matches  "
        f"(features {','.join(result.search['feature_set'])}, seed {result.search['seed']}"
        + (f", {result.resumed} trial(s) from the log)" if result.resumed else ")")
    )
    click.echo()
    head = (
        f"{'rank':>4} {'trial':>5} {'RPS':>7} {'logloss':>7} {'acc':>6}  "
        f"{'hidden':<12} {'activation':<10} {'lr':>7} {'drop':>4} {'window':>6} "
        f"{'epochs':>6} {'pat.':>4} {'ran':>4} {'sec':>5}"
    )
    click.echo(head)
    baseline = result.baseline
    for rank, t in enumerate(result.ranked(), start=1):
        p, v = t.params, t.validation
        hidden = "-".join(str(h) for h in p["hidden"])
        mark = "  (defaults)" if baseline is not None and t.number == baseline.number else ""
        click.echo(
            f"{rank:>4} {t.number:>5} {v['rps']:>7.4f} {v['log_loss']:>7.4f} "
            f"{v['accuracy']:>6.1%}  {hidden:<12} {p['activation']:<10} "
            f"{p['learning_rate']:>7.0e} {p['dropout']:>4.1f} {p['window']:>6} "
            f"{p['epochs']:>6} {p['patience']:>4} {t.epochs_trained:>4} {t.seconds:>5.0f}{mark}"
        )
    best = result.best
    click.echo()
    line = f"best: trial {best.number}, validation RPS {best.rps:.4f}"
    if baseline is not None:
        gain = baseline.rps - best.rps
        line += f" (defaults {baseline.rps:.4f}; {gain:.4f} better)"
    click.echo(line)
    if out is not None:
        click.echo(
            f"wrote {out}: footy train --config {out} --until {split['until']} --out model.keras"
        )
    click.echo(
        f"the validation period ends on {split['until']}: "
        "evaluate tuned models only on matches after it"
    )
