"""Whole-process timings of the command line: `footy --help`, every `footy COMMAND --help`
and a cold `footy predict HOME AWAY` (medians of several runs).

A reference in the same run: a bare `python -c "import tensorflow"`, what any command
that imported TensorFlow would pay at least.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from footy.cli import COMMANDS

REPEAT = 5


def _footy() -> list[str]:
    script = Path(sys.executable).parent / "footy"
    return [str(script)] if script.exists() else [shutil.which("footy") or "footy"]


def median_seconds(command: list[str], repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(print_fn: Callable[[str], None] = print) -> None:
    footy = _footy()
    print_fn(f"== command line (whole process, median of {REPEAT}) ==")
    print_fn(f"footy --help: {median_seconds([*footy, '--help']):.2f} s (target <= 1 s)")
    worst = max((median_seconds([*footy, name, "--help"], 3), name) for name in COMMANDS)
    print_fn(f"slowest footy COMMAND --help: {worst[1]} {worst[0]:.2f} s (target <= 1 s)")
    predict = median_seconds([*footy, "predict", "Argentina", "France", "--neutral"])
    tf_import = median_seconds([sys.executable, "-c", "import tensorflow"], 3)
    print_fn(
        f"footy predict Argentina France --neutral, cold: {predict:.2f} s (target <= 1.5 s); "
        f"importing TensorFlow alone: {tf_import:.2f} s ({tf_import / predict:.1f}x the whole "
        "prediction)"
    )


if __name__ == "__main__":
    run()
