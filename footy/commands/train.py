"""``footy train``: fit the match network on results and save it with its sidecar."""

from __future__ import annotations

from pathlib import Path

import click

from footy.commands.common import DATE, data_option, force_option, plot_option


@click.command()
@data_option
@click.option("--until", type=DATE, default=None, help="Last day of training data (inclusive).")
@click.option(
    "--features",
    "feature_set",
    default=None,
    help="Feature groups, comma-separated: seed (the tutorial's 12), venue, elo, importance, pi. "
    "Default: the best set in the backtest (see README); 'seed' trains the tutorial's network.",
)
@click.option("--window", type=click.IntRange(min=1), default=None, help="Form window (matches).")
@click.option("--hidden", default=None, help="Hidden layer sizes, e.g. 64,32.")
@click.option("--activation", default=None, help="Hidden activation (relu, tanh, elu, ...).")
@click.option("--dropout", type=click.FloatRange(0, 0.9), default=None, help="Dropout rate.")
@click.option("--learning-rate", type=click.FloatRange(min=0, min_open=True), default=None)
@click.option("--epochs", type=click.IntRange(min=1), default=None, help="Most epochs.")
@click.option("--batch-size", type=click.IntRange(min=1), default=None)
@click.option("--patience", type=click.IntRange(min=1), default=None, help="Early stopping.")
@click.option(
    "--ensemble",
    type=click.IntRange(min=1),
    default=None,
    help="Networks trained side by side and averaged in one model (default 5).",
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Hyper-parameters from `footy tune --out best.json`; options given here win.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Model file NAME.keras (its sidecar NAME.json is written next to it).",
)
@force_option
@plot_option
@click.option("--json", "as_json", is_flag=True, help="Print the sidecar as JSON.")
def train(
    data,
    until,
    feature_set,
    window,
    hidden,
    activation,
    dropout,
    learning_rate,
    epochs,
    batch_size,
    patience,
    ensemble,
    seed,
    config,
    out,
    force,
    plot,
    as_json,
) -> None:
    """Train the network on results up to --until and save NAME.keras + NAME.json."""
    import pandas as pd

    from footy.commands.common import check_writable, echo_json
    from footy.errors import BadInputError
    from footy.feature_sets import DEFAULT_FEATURE_SET, parse_feature_set
    from footy.features import DEFAULT_WINDOW
    from footy.matches import read_matches
    from footy.training import parse_hidden, read_config, train_model

    if out.suffix != ".keras":
        raise BadInputError(f"--out must name a .keras file, got {out}")
    check_writable(out, force)
    check_writable(out.with_suffix(".json"), force)
    if plot is not None:
        check_writable(plot, force)
    settings = read_config(config) if config else {}
    given = {
        "hidden": parse_hidden(hidden) if hidden else None,
        "activation": activation,
        "dropout": dropout,
        "learning_rate": learning_rate,
        "epochs": epochs,
        "batch_size": batch_size,
        "patience": patience,
        "ensemble": ensemble,
    }
    settings.update({k: v for k, v in given.items() if v is not None})
    feature_set = parse_feature_set(
        feature_set or settings.pop("feature_set", None) or DEFAULT_FEATURE_SET
    )
    settings.pop("feature_set", None)
    window = window or settings.pop("window", None) or DEFAULT_WINDOW
    settings.pop("window", None)

    matches = read_matches(data)
    click.echo(
        f"training on {len(matches):,} matches read from {len(data)} file(s); "
        f"features {','.join(feature_set)}, window {window}",
        err=True,
    )
    model, sidecar = train_model(
        matches,
        until=until,
        feature_set=feature_set,
        window=window,
        seed=seed,
        progress=True,
        **settings,
    )
    model.save(out, sidecar, force=force)
    if until is None or matches["date"].max() <= pd.Timestamp(until):
        # Trained on every result: keep each team's latest state for fast predictions.
        from footy.team_state import build_team_state, save_team_state, state_path

        save_team_state(state_path(out), build_team_state(matches, feature_set, window))
    if plot is not None:
        from footy.plots.training import plot_training

        plot_training(model.history_, plot)
    record = model.sidecar_
    if as_json:
        echo_json({k: v for k, v in record.items() if k != "history"})
        return
    period = record["training_period"]
    hyper = record["hyper_parameters"]
    metrics = record["metrics"]
    click.echo(f"model      {out}  (sidecar {out.with_suffix('.json').name})")
    click.echo(
        f"trained on {period['matches']:,} matches {period['first_date']} .. {period['last_date']}"
    )
    click.echo(
        f"network    {len(record['feature_names'])} inputs -> "
        f"{' -> '.join(str(h) for h in record['hyper_parameters']['hidden'])} "
        f"({record['hyper_parameters']['activation']}) -> 3 softmax; "
        f"{record['epochs_trained']} epochs, best {record['best_epoch']}"
        + (f"; ensemble of {hyper['ensemble']}" if hyper.get("ensemble", 1) > 1 else "")
    )
    click.echo(f"{'':10} {'RPS':>7} {'log loss':>9} {'Brier':>7} {'accuracy':>9}")
    for part in ("train", "validation"):
        m = metrics[part]
        click.echo(
            f"{part:10} {m['rps']:>7.4f} {m['log_loss']:>9.4f} {m['brier']:>7.4f} "
            f"{m['accuracy']:>9.1%}"
        )
    if plot is not None:
        click.echo(f"training curves: {plot}")
