"""Pictures for people: one consistent style, written whole (temporary file, then rename).

matplotlib is imported inside the functions, so commands that do not draw stay fast.
"""

from __future__ import annotations

from pathlib import Path

PALETTE = ("#1b9e77", "#7570b3", "#d95f02", "#e7298a", "#66a61e", "#e6ab02")
OUTCOME_COLOURS = {"home win": "#1b9e77", "draw": "#7570b3", "away win": "#d95f02"}


def new_figure(width: float = 8.0, height: float = 5.0, ncols: int = 1):
    """A figure in footy's style; returns (figure, axes)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "font.size": 10,
            "axes.titleweight": "bold",
        }
    )
    return plt.subplots(1, ncols, figsize=(width, height), squeeze=ncols == 1)


def save_figure(fig, path: Path) -> Path:
    """Save a figure as PNG via a temporary file, then close it."""
    import matplotlib.pyplot as plt

    from footy.files import write_atomic

    path = Path(path)
    fig.tight_layout()
    write_atomic(path, lambda tmp: fig.savefig(tmp, format="png", dpi=120))
    plt.close(fig)
    return path
