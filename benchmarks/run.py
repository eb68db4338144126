"""``make bench``: every benchmark, figures printed, nothing asserted about time."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = [
    "benchmarks.bench_features",
    "benchmarks.bench_simulate",
    "benchmarks.bench_cli",
    "benchmarks.bench_model",
]


def main() -> None:
    names = sys.argv[1:] or BENCHMARKS
    for name in names:
        module = importlib.import_module(name if "." in name else f"benchmarks.{name}")
        module.run()
        print()


if __name__ == "__main__":
    main()
