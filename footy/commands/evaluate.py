"""``footy evaluate``: score a saved model on matches after its training period."""

from __future__ import annotations

from pathlib import Path

import click

from footy.commands.common import DATE, data_option, force_option, model_option, plot_option


def predictions_option(func):
    return click.option(
        "--predictions",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Write the network's probabilities for every scored match to this CSV.",
    )(func)


def bootstrap_options(func):
    func = click.option(
        "--resamples",
        type=click.IntRange(min=100),
        default=2000,
        show_default=True,
        help="Paired bootstrap resamples for the 95%% intervals.",
    )(func)
    return click.option(
        "--bootstrap-seed",
        type=int,
        default=0,
        show_default=True,
        help="Seed of the bootstrap resampling.",
    )(func)


@click.command()
@model_option
@data_option
@click.option("--from", "start", type=DATE, required=True, help="First day of the period.")
@click.option("--to", "end", type=DATE, default=None, help="Last day (default: the last result).")
@predictions_option
@plot_option
@force_option
@bootstrap_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON only.")
def evaluate(
    model, data, start, end, predictions, plot, force, resamples, bootstrap_seed, as_json
) -> None:
    """Score MODEL on every match from --from to --to, next to simple baselines.

    Each match is predicted from the results before it (walk-forward, weights
    fixed). The baselines (base rate per venue; logistic regression on the
    model's features) learn from the model's training period. Differences are
    baseline minus network, with paired bootstrap 95% intervals: above 0 means
    the network is better (except accuracy). A period that overlaps the model's
    training period is refused.

    \b
    footy evaluate --model m2017.keras --from 2018-01-01
    """
    from footy.backtest import evaluate_saved_model
    from footy.matches import read_matches

    check_outputs(predictions, plot, force)
    matches = read_matches(data)
    evaluation = evaluate_saved_model(model, matches, start, end, log=echo_err)
    report(evaluation, predictions, plot, resamples, bootstrap_seed, as_json)


def echo_err(message: str) -> None:
    click.echo(message, err=True)


def check_outputs(predictions: Path | None, plot: Path | None, force: bool) -> None:
    """Refuse to overwrite before any work is done."""
    from footy.commands.common import check_writable

    for path in (predictions, plot):
        if path is not None:
            check_writable(path, force)


def report(evaluation, predictions, plot, resamples: int, seed: int, as_json: bool) -> None:
    """Tables (or JSON) on stdout; the predictions CSV and the picture on request."""
    from footy.backtest import MODEL, format_report, report_json
    from footy.commands.common import echo_json, write_atomic

    for note in evaluation.notes:
        echo_err(f"note: {note}")
    if predictions is not None:
        table = evaluation.predictions_table()
        write_atomic(predictions, lambda tmp: table.to_csv(tmp, index=False))
        echo_err(f"wrote {len(table):,} predictions to {predictions}")
    if plot is not None:
        from footy.plots.reliability import plot_reliability

        best = evaluation.best_baseline()
        shown = {MODEL: evaluation.predictions[MODEL]}
        if best is not None:
            shown[best] = evaluation.predictions[best]
        plot_reliability(shown, evaluation.outcomes, plot)
        echo_err(f"reliability diagram ({', '.join(shown)}): {plot}")
    if as_json:
        echo_json(report_json(evaluation, resamples, seed))
    else:
        click.echo(format_report(evaluation, resamples, seed))
