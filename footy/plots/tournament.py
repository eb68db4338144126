"""Pictures of a simulated tournament: title chances and the road through the rounds."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from footy.plots import PALETTE, new_figure, save_figure


def plot_title_chances(result, path: Path, top: int = 20) -> Path:
    """Horizontal bars of the ``top`` teams' chances of winning the tournament.

    ``result`` is a :class:`footy.simulate.SimulationResult`.
    """
    table = result.probabilities.head(top).iloc[::-1]  # best team at the top
    height = 1.2 + 0.32 * len(table)
    fig, ax = new_figure(width=7.5, height=height)
    win = table["WIN"].to_numpy() * 100
    bars = ax.barh(table["team"], win, color=PALETTE[0])
    for bar, value in zip(bars, win, strict=True):
        ax.text(
            bar.get_width(),
            bar.get_y() + bar.get_height() / 2,
            f" {value:.1f}%",
            va="center",
            fontsize=8,
        )
    ax.set_xlabel("chance of winning the tournament (%)")
    ax.set_xlim(0, max(win.max(), 1.0) * 1.18)
    ax.grid(axis="y", visible=False)
    ax.set_title(f"{result.tournament}: title chances ({result.runs:,} runs)")
    return save_figure(fig, path)


def plot_round_heatmap(result, path: Path, top: int | None = None) -> Path:
    """A team x round grid of the chance of reaching each round (teams sorted by ``WIN``)."""
    table = result.probabilities
    if top is not None:
        table = table.head(top)
    rounds = list(result.rounds)
    values = table[rounds].to_numpy() * 100
    fig, ax = new_figure(width=1.6 + 0.9 * len(rounds), height=1.2 + 0.26 * len(table))
    image = ax.imshow(values, aspect="auto", cmap="Greens", vmin=0, vmax=100)
    ax.set_xticks(np.arange(len(rounds)), rounds)
    ax.set_yticks(np.arange(len(table)), table["team"], fontsize=8)
    ax.xaxis.tick_top()
    ax.grid(False)
    for (i, j), value in np.ndenumerate(values):
        ax.text(
            j,
            i,
            f"{value:.0f}",
            ha="center",
            va="center",
            fontsize=6.5,
            color="white" if value > 60 else "black",
        )
    fig.colorbar(image, ax=ax, label="chance of reaching the round (%)", shrink=0.6)
    ax.set_title(f"{result.tournament}: chance of reaching each round", pad=24)
    return save_figure(fig, path)
