"""The World Cup backtest table of the README: 2018, 2022 and 2026 as footy saw each
the day before its first match, with a model trained only on results up to then.

Run: ``.venv/bin/python -m benchmarks.worldcup_backtest`` (uses the models kept in
``models/``; trains any that are missing). Prints a Markdown table.
"""

from __future__ import annotations

from footy.forecast import forecast

RUNS = 10_000


def main() -> None:
    rows = []
    for year in (2018, 2022, 2026):
        result = forecast(f"worldcup-{year}", runs=RUNS, seed=0, log=lambda _: None)
        s = result.score
        table = result.result.probabilities
        favourites = ", ".join(
            f"{row.team} {row.WIN:.0%}" for row in table.head(3).itertuples(index=False)
        )
        rank = int(table.index[table["team"] == s.champion][0]) + 1
        rows.append(
            f"| {year} | {result.as_of} | {favourites} | {s.champion} | "
            f"{s.champion_probability:.1%} (rank {rank}) | "
            f"{s.reference_champion_probability:.1%} | "
            f"{s.log_score:.3f} | {s.reference_log_score:.3f} | {s.skill:+.3f} |"
        )
    print(
        "| World Cup | as of | footy's favourites | champion | footy's chance for the champion "
        "| all teams equal | mean log p(actual exit stage) | all teams equal | gain |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
