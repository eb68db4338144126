"""``footy xor``: the tutorial's smoke test, a tiny network that learns XOR."""

from __future__ import annotations

from pathlib import Path

import click

from footy.commands.common import force_option


@click.command("xor")
@click.option(
    "--save",
    "save_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also write xor.keras, xor.h5, xor.json + xor.weights.h5 into DIR and load each back.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@force_option
def xor(save_dir: Path | None, seed: int, force: bool) -> None:
    """Train the XOR network (Dense 16 relu -> Dense 1 sigmoid) to 100% accuracy."""
    from footy.errors import BadInputError
    from footy.xor import EXPECTED, SAVE_FILES, save_xor, train_xor

    if save_dir is not None:
        existing = [name for name in SAVE_FILES if (save_dir / name).exists()]
        if existing and not force:
            raise BadInputError(
                f"{', '.join(existing)} already in {save_dir}; pass --force to overwrite"
            )

    result = train_xor(seed=seed)
    if save_dir is not None:
        save_dir.mkdir(parents=True, exist_ok=True)  # a new folder overwrites nothing
    click.echo(f"trained {result.updates} updates in {result.seconds:.2f} s (seed {seed})")
    click.echo(f"loss: {result.loss:.4f}  binary accuracy: {result.accuracy:.0%}")
    click.echo(f"predictions: {result.predictions}  (expected {EXPECTED})")
    if save_dir is not None:
        for name, preds in save_xor(result.model, save_dir, force=force).items():
            click.echo(f"{name}: saved and reloaded, predictions {preds}")
