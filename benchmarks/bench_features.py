"""Features benchmark: the bundled internationals and 1,000,000 synthetic matches.

Prints seconds, matches/second and peak memory, and the speed ratio against the
plain per-match reference (footy.reference) on a sample, whose values it also
cross-checks. Asserts nothing about time.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time

import numpy as np
import pandas as pd

from footy import paths
from footy.features import DEFAULT_WINDOW, features
from footy.matches import read_matches
from footy.reference import reference_features


def synthetic_matches(n: int, teams: int = 200, seed: int = 0) -> pd.DataFrame:
    """n random matches among ``teams`` teams, about 50 a day."""
    rng = np.random.default_rng(seed)
    home = rng.integers(0, teams, n)
    away = (home + rng.integers(1, teams, n)) % teams
    days = np.sort(rng.integers(0, max(1, n // 50), n))
    names = np.array([f"Team {i:03d}" for i in range(teams)], dtype=object)
    return pd.DataFrame(
        {
            "date": pd.Timestamp("1900-01-01") + pd.to_timedelta(days, unit="D"),
            "home_team": names[home],
            "away_team": names[away],
            "home_goals": rng.poisson(1.4, n),
            "away_goals": rng.poisson(1.1, n),
            "neutral": False,
            "tournament": "synthetic",
        }
    )


def _child(n: int) -> None:
    """Run in a fresh process so that its peak RSS is this job's alone."""
    matches = synthetic_matches(n)
    start = time.perf_counter()
    features(matches, DEFAULT_WINDOW)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb}))


def _measure_in_child(n: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_features", str(n)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(print_fn=print) -> None:
    print_fn(f"== features (tutorial 12, window {DEFAULT_WINDOW}) ==")
    matches = read_matches(paths.INTERNATIONAL_RESULTS)
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        vectorised = features(matches, DEFAULT_WINDOW)
        timings.append(time.perf_counter() - start)
    seconds = min(timings)
    print_fn(
        f"internationals: {len(matches):,} matches in {seconds:.3f} s (best of 5) "
        f"= {len(matches) / seconds:,.0f} matches/s"
    )

    # Reference: one match at a time in plain Python, on a sample (the first
    # 10,000 matches), in this process; it also cross-checks the values.
    sample = matches.iloc[:10_000]
    start = time.perf_counter()
    reference = reference_features(sample, DEFAULT_WINDOW)
    ref_per_match = (time.perf_counter() - start) / len(sample)
    worst = float(np.abs(reference.to_numpy() - vectorised.loc[sample.index].to_numpy()).max())
    ratio = ref_per_match / (seconds / len(matches))
    print_fn(
        f"reference (per-match Python) on the first {len(sample):,} matches: "
        f"{1 / ref_per_match:,.0f} matches/s; vectorised is {ratio:,.0f}x faster; "
        f"max |difference| {worst:.1e}"
    )

    n = 1_000_000
    child = _measure_in_child(n)
    print_fn(
        f"synthetic: {n:,} matches, 200 teams in {child['seconds']:.2f} s "
        f"= {n / child['seconds']:,.0f} matches/s; peak memory {child['peak_mb']:,.0f} MB "
        f"(targets: <= 10 s, <= 2,048 MB)"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1:
        _child(int(sys.argv[1]))
    else:
        run()
