"""Reliability diagram: does "40%" happen 40% of the time? One panel per outcome."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np

from footy.outcomes import OUTCOME_NAMES
from footy.plots import PALETTE, new_figure, save_figure


def plot_reliability(
    predictions: Mapping[str, np.ndarray], outcomes, path: Path, bins: int = 10
) -> Path:
    """Draw predicted probability against observed frequency for each predictor.

    Three panels (home win, draw, away win), the diagonal of perfect calibration,
    one line per predictor; each point is a probability bin, its size growing
    with the number of matches in it.

    Returns
    -------
    Path
        Where the PNG was written.
    """
    from footy.evaluation import reliability_table

    fig, axes = new_figure(width=13.0, height=4.6, ncols=3)
    axes = np.ravel(axes)
    tables = {name: reliability_table(p, outcomes, bins=bins) for name, p in predictions.items()}
    largest = max((int(t["count"].max()) for t in tables.values() if len(t)), default=1)
    for ax, outcome in zip(axes, OUTCOME_NAMES, strict=True):
        ax.plot([0, 1], [0, 1], color="0.6", linestyle="--", linewidth=1, label="perfect")
        for colour, (name, table) in zip(_colours(len(tables)), tables.items(), strict=True):
            rows = table[table["outcome"] == outcome]
            ax.plot(rows["mean_predicted"], rows["observed"], color=colour, linewidth=1.5)
            ax.scatter(
                rows["mean_predicted"],
                rows["observed"],
                s=10 + 60 * rows["count"] / largest,
                color=colour,
                label=name,
                zorder=3,
            )
        ax.set(
            xlim=(0, 1),
            ylim=(0, 1),
            aspect="equal",
            title=outcome,
            xlabel="predicted probability",
            ylabel="observed frequency",
        )
    axes[0].legend(loc="upper left", frameon=False)
    return save_figure(fig, Path(path))


def _colours(n: int) -> list[str]:
    return [PALETTE[i % len(PALETTE)] for i in range(n)]
