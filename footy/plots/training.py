"""Training curves: how loss and accuracy moved per epoch, training vs validation."""

from __future__ import annotations

from pathlib import Path

from footy.errors import BadInputError
from footy.plots import PALETTE, new_figure, save_figure


def plot_training(history: dict, path: Path) -> Path:
    """Draw loss and accuracy per epoch (training and validation) into a PNG.

    ``history`` is Keras' ``History.history`` (``MatchModel.history_``): lists keyed
    ``loss``, ``accuracy`` and, with a validation set, ``val_loss``, ``val_accuracy``.
    """
    if not history or not history.get("loss"):
        raise BadInputError("no training history to plot (the model has no per-epoch record)")
    fig, axes = new_figure(width=10.0, height=4.0, ncols=2)
    ax_loss, ax_acc = axes.ravel()
    panels = ((ax_loss, "loss", "loss (cross-entropy)"), (ax_acc, "accuracy", "accuracy"))
    for ax, key, label in panels:
        for prefix, name, colour in (
            ("", "training", PALETTE[0]),
            ("val_", "validation", PALETTE[2]),
        ):
            values = history.get(prefix + key)
            if values:
                epochs = range(1, len(values) + 1)
                ax.plot(epochs, values, label=name, color=colour, linewidth=1.8)
        ax.set_xlabel("epoch")
        ax.set_ylabel(label)
        ax.set_title(label.split(" ")[0].capitalize())
        ax.legend()
    best = history.get("val_loss") or history["loss"]
    best_epoch = min(range(len(best)), key=best.__getitem__) + 1
    ax_loss.axvline(best_epoch, color="grey", linestyle="--", linewidth=1)
    ax_loss.annotate(
        f"best epoch {best_epoch}",
        xy=(best_epoch, best[best_epoch - 1]),
        xytext=(5, 10),
        textcoords="offset points",
        fontsize=8,
    )
    return save_figure(fig, path)
