"""``footy backtest``: refit on the past, predict forward, compare with the baselines."""

from __future__ import annotations

from pathlib import Path

import click

from footy.commands.common import DATE, data_option, force_option, plot_option
from footy.commands.evaluate import bootstrap_options, predictions_option


@click.command()
@data_option
@click.option("--from", "start", type=DATE, required=True, help="First day of the test period.")
@click.option("--to", "end", type=DATE, default=None, help="Last day (default: the last result).")
@click.option(
    "--refit",
    type=click.Choice(["yearly", "monthly", "never"]),
    default="yearly",
    show_default=True,
    help="Refit every predictor on the past before each year / month, or once.",
)
@click.option(
    "--features",
    "feature_set",
    default=None,
    help="Feature groups, comma-separated: seed, venue, elo, importance, pi (default: footy's).",
)
@click.option("--window", type=click.IntRange(min=1), default=None, help="Form window (matches).")
@click.option("--epochs", type=click.IntRange(min=1), default=None, help="Most epochs per fit.")
@click.option("--hidden", default=None, help="Hidden layer sizes, e.g. 64,32.")
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Hyper-parameters from `footy tune`; options given here win.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="The network's seed.")
@click.option(
    "--baselines",
    default="base,elo,logistic,dixon-coles,market",
    show_default=True,
    help="Baselines to compare with (market: only where the data has closing odds).",
)
@click.option(
    "--tournament",
    default=None,
    help='Score only matches of this tournament, e.g. "FIFA World Cup" (training uses all).',
)
@predictions_option
@plot_option
@force_option
@bootstrap_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON only.")
def backtest(
    data,
    start,
    end,
    refit,
    feature_set,
    window,
    epochs,
    hidden,
    config,
    seed,
    baselines,
    tournament,
    predictions,
    plot,
    force,
    resamples,
    bootstrap_seed,
    as_json,
) -> None:
    """Train footy's network only on matches before each refit and predict forward.

    Every predictor (network, base rate, Elo, logistic regression, Dixon-Coles)
    is refitted at the same dates on the same past and scored on the same
    matches; the market (closing odds, margin removed) on the matches with odds.
    Differences are predictor minus network with paired bootstrap 95% intervals.

    \b
    footy backtest --from 2018-01-01 --features seed,venue,elo
    footy backtest --from 2018-01-01 --tournament "FIFA World Cup"
    """
    from footy.backtest import backtest as run_backtest
    from footy.backtest import parse_baselines
    from footy.commands.evaluate import check_outputs, echo_err, report
    from footy.feature_sets import DEFAULT_FEATURE_SET, parse_feature_set
    from footy.features import DEFAULT_WINDOW
    from footy.matches import read_matches
    from footy.training import parse_hidden, read_config

    check_outputs(predictions, plot, force)
    baselines = parse_baselines(baselines)
    settings = read_config(config) if config else {}
    feature_set = parse_feature_set(
        feature_set or settings.pop("feature_set", None) or DEFAULT_FEATURE_SET
    )
    settings.pop("feature_set", None)
    window = window or settings.pop("window", None) or DEFAULT_WINDOW
    settings.pop("window", None)
    if epochs is not None:
        settings["epochs"] = epochs
    if hidden is not None:
        settings["hidden"] = parse_hidden(hidden)

    matches = read_matches(data)
    echo_err(
        f"backtest on {len(matches):,} matches from {len(data)} file(s); features "
        f"{','.join(feature_set)}, window {window}, refit {refit}"
    )
    evaluation = run_backtest(
        matches,
        start,
        end,
        refit=refit,
        feature_set=feature_set,
        window=window,
        seed=seed,
        baselines=baselines,
        tournament=tournament,
        log=echo_err,
        **settings,
    )
    report(evaluation, predictions, plot, resamples, bootstrap_seed, as_json)
