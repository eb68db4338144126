"""Honest evaluation: proper scores on unseen matches, side by side, with paired bootstraps.

- :func:`compare` scores several predictors on the same matches and puts a
  paired bootstrap 95% interval on each one's difference from a reference.
- :func:`walk_forward` refits predictors yearly or monthly, each time only on
  matches strictly before the block it predicts.
- :func:`assert_no_overlap` refuses to score a model on matches it was trained on.
- :func:`reliability_table` says whether "40%" happens 40% of the time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from footy.errors import BadInputError
from footy.outcomes import OUTCOME_NAMES, SCORE_NAMES, SCORES

DateLike = str | dt.date | pd.Timestamp
FitPredict = Callable[[pd.DataFrame, pd.DataFrame], Mapping[str, np.ndarray]]
REFITS = ("yearly", "monthly", "never")
_SCORE_LABELS = {"rps": "RPS", "log_loss": "log loss", "brier": "Brier", "accuracy": "accuracy"}
# Bootstrap replicates are drawn in chunks so the index matrix stays a few tens of MB.
_BOOT_ELEMENTS = 4_000_000


def _check_predictions(predictions: Mapping[str, np.ndarray], n: int) -> dict[str, np.ndarray]:
    checked = {}
    for name, probs in predictions.items():
        p = np.asarray(probs, dtype=float)
        if p.shape != (n, 3):
            raise BadInputError(f"predictor {name!r}: need {n} x 3 probabilities, got {p.shape}")
        missing = int(np.sum(~np.all(np.isfinite(p), axis=1)))
        if missing:
            raise BadInputError(
                f"predictor {name!r} has no probabilities for {missing} of {n} matches; "
                "compare on the matches every predictor covers"
            )
        checked[name] = p
    return checked


def compare(
    predictions: Mapping[str, np.ndarray],
    outcomes,
    reference: str,
    n_boot: int = 2000,
    seed: int = 0,
) -> pd.DataFrame:
    """Mean scores of each predictor, and its paired bootstrap difference from a reference.

    Parameters
    ----------
    predictions : mapping of name to n x 3 array
        Every predictor's probabilities for the same n matches, in the same order.
    outcomes : array of n ints
        What happened (0 home win, 1 draw, 2 away win).
    reference : str
        The predictor the others are measured against (a key of ``predictions``).
    n_boot : int
        Bootstrap resamples of the matches (with replacement; the same resample
        for every predictor, so the comparison is paired).
    seed : int
        Seed of the resampling; the same seed gives the same intervals.

    Returns
    -------
    DataFrame
        One row per predictor (in the order given): ``n``, the mean of each score
        (``rps``, ``log_loss``, ``brier``, ``accuracy``), and for each score
        ``<score>_diff`` (predictor minus reference; negative is better except
        for accuracy) with its 95% percentile interval ``<score>_lo``,
        ``<score>_hi``. The reference's own differences are NaN.
        ``attrs`` holds ``reference``, ``n_boot`` and ``seed``.
    """
    y = np.asarray(outcomes, dtype=int)
    n = len(y)
    if n == 0:
        raise BadInputError("no matches to compare on")
    if reference not in predictions:
        raise BadInputError(
            f"reference {reference!r} is not one of the predictors: {', '.join(predictions)}"
        )
    probs = _check_predictions(predictions, n)
    names = list(probs)
    # per_match[predictor, score, match]
    per_match = np.array([[SCORES[s](probs[p], y) for s in SCORE_NAMES] for p in names])
    means = per_match.mean(axis=2)

    others = [i for i, name in enumerate(names) if name != reference]
    ref = names.index(reference)
    diffs = (per_match[others] - per_match[ref]).reshape(-1, n)  # (others x scores, n)
    boot = _paired_bootstrap_means(diffs, n_boot, seed)
    lo, hi = np.percentile(boot, [2.5, 97.5], axis=0)

    table = pd.DataFrame(means, index=pd.Index(names, name="predictor"), columns=SCORE_NAMES)
    table.insert(0, "n", n)
    shape = (len(others), len(SCORE_NAMES))
    for values, suffix in ((diffs.mean(axis=1), "diff"), (lo, "lo"), (hi, "hi")):
        full = np.full((len(names), len(SCORE_NAMES)), np.nan)
        full[others] = values.reshape(shape)
        for j, score in enumerate(SCORE_NAMES):
            table[f"{score}_{suffix}"] = full[:, j]
    table.attrs.update(reference=reference, n_boot=n_boot, seed=seed)
    return table


def _paired_bootstrap_means(per_match: np.ndarray, n_boot: int, seed: int) -> np.ndarray:
    """Means of each row of ``per_match`` (k x n) over ``n_boot`` resamples of the n columns.

    The same resampled match indices are used for all k rows. Returns n_boot x k.
    """
    rng = np.random.default_rng(seed)
    k, n = per_match.shape
    columns = per_match.T  # n x k, so one gather resamples every row at once
    chunk = max(1, _BOOT_ELEMENTS // max(1, n * k))
    means = np.empty((n_boot, k))
    for start in range(0, n_boot, chunk):
        stop = min(n_boot, start + chunk)
        idx = rng.integers(0, n, size=(stop - start, n))
        means[start:stop] = columns[idx].mean(axis=1)
    return means


def format_comparison(table: pd.DataFrame) -> str:
    """The output of :func:`compare` as a fixed-width table a person reads at a glance."""
    reference = table.attrs.get("reference", "the reference")
    n_boot = table.attrs.get("n_boot")
    names = [str(name) for name in table.index]
    width = max(len("predictor"), *(len(name) for name in names))
    n = int(table["n"].iloc[0]) if len(table) else 0

    lines = [f"{n:,} matches", ""]
    lines.append(
        f"{'predictor':<{width}}" + "".join(f"{_SCORE_LABELS[s]:>10}" for s in SCORE_NAMES)
    )
    for name, row in zip(names, table.itertuples(index=False), strict=True):
        values = "".join(f"{getattr(row, s):>10.4f}" for s in SCORE_NAMES)
        lines.append(f"{name:<{width}}{values}")

    resamples = f", {n_boot} resamples" if n_boot else ""
    lines += [
        "",
        f"difference from {reference} (predictor minus {reference}; below 0 is better, "
        f"except accuracy) with paired bootstrap 95% interval{resamples}",
    ]
    cell = 27
    lines.append(
        f"{'predictor':<{width}}" + "".join(f"{_SCORE_LABELS[s]:>{cell}}" for s in SCORE_NAMES)
    )
    for name, (_, row) in zip(names, table.iterrows(), strict=True):
        if name == reference:
            continue
        cells = "".join(
            f"{_diff_cell(row[f'{s}_diff'], row[f'{s}_lo'], row[f'{s}_hi']):>{cell}}"
            for s in SCORE_NAMES
        )
        lines.append(f"{name:<{width}}{cells}")
    return "\n".join(lines)


def _diff_cell(diff: float, lo: float, hi: float) -> str:
    return f"{diff:+.4f} [{lo:+.4f}, {hi:+.4f}]"


def _timestamp(value: DateLike) -> pd.Timestamp:
    try:
        return pd.Timestamp(value)
    except (TypeError, ValueError) as err:
        raise BadInputError(f"{value!r} is not a date; use YYYY-MM-DD, e.g. 2018-01-01") from err


def evaluation_period(matches: pd.DataFrame, start: DateLike, end: DateLike) -> pd.DataFrame:
    """The matches dated from ``start`` to ``end`` (both inclusive), in match-table order."""
    start, end = _timestamp(start), _timestamp(end)
    if end < start:
        raise BadInputError(f"the evaluation period ends ({end:%Y-%m-%d}) before it starts")
    dates = pd.to_datetime(matches["date"])
    return matches.loc[(dates >= start) & (dates <= end)]


def refit_dates(start: DateLike, end: DateLike, refit: str) -> list[pd.Timestamp]:
    """First day of each refit block: ``start``, then each new year or month up to ``end``."""
    start, end = _timestamp(start), _timestamp(end)
    if refit not in REFITS:
        raise BadInputError(f"unknown refit {refit!r}; use one of {', '.join(REFITS)}")
    if refit == "never":
        return [start]
    freq = "YS" if refit == "yearly" else "MS"
    later = pd.date_range(start + pd.Timedelta(days=1), end, freq=freq)
    return [start, *later]


def assert_no_overlap(train_dates_range, test_start: DateLike) -> None:
    """Refuse to score a model on matches it may have been trained on.

    Parameters
    ----------
    train_dates_range : (first, last) dates of the training matches
    test_start : the first day of the evaluation period
    """
    last = _timestamp(train_dates_range[1])
    if last >= _timestamp(test_start):
        raise BadInputError(
            f"the model was trained on matches up to {last:%Y-%m-%d}; "
            "the evaluation period must start after that"
        )


def walk_forward(
    matches: pd.DataFrame,
    start: DateLike,
    end: DateLike,
    refit: str,
    fit_predict: FitPredict,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, np.ndarray]:
    """Predict every match from ``start`` to ``end``, refitting on the past before each block.

    The period is cut into blocks (one per year, per month, or a single block);
    for each block ``fit_predict(train, test)`` is called with ``train`` = all
    matches strictly before the block's first day and ``test`` = the block's
    matches, and returns ``{predictor name: len(test) x 3 probabilities}``.

    Parameters
    ----------
    matches : the match table (history and evaluation period)
    start, end : the evaluation period, both days inclusive
    refit : "yearly", "monthly" or "never" (one fit before ``start``)
    fit_predict : fits the predictors on ``train`` and predicts ``test``
    progress : called as ``progress(blocks done, blocks in all)`` after each block

    Returns
    -------
    dict
        Each predictor's probabilities for every match of
        :func:`evaluation_period` (same order; none dropped).
    """
    period = evaluation_period(matches, start, end)
    if len(period) == 0:
        raise BadInputError(f"no matches between {start} and {end} to evaluate on")
    dates = pd.to_datetime(matches["date"])
    period_dates = dates.loc[period.index]
    starts = refit_dates(start, end, refit)
    bounds = [*starts[1:], _timestamp(end) + pd.Timedelta(days=1)]
    results: dict[str, np.ndarray] = {}
    for done, (block_start, block_end) in enumerate(zip(starts, bounds, strict=True), 1):
        in_block = ((period_dates >= block_start) & (period_dates < block_end)).to_numpy()
        if in_block.any():
            before = (dates < block_start).to_numpy()
            if not before.any():
                raise BadInputError(
                    f"no matches before {block_start:%Y-%m-%d} to train on; start later"
                )
            train = matches.loc[before]
            assert_no_overlap((dates[before].min(), dates[before].max()), block_start)
            block = fit_predict(train, period.loc[in_block])
            _store_block(results, block, in_block, len(period), first=not results)
        if progress is not None:
            progress(done, len(starts))
    return results


def _store_block(results: dict, block: Mapping, rows: np.ndarray, n: int, first: bool) -> None:
    if not first and set(block) != set(results):
        raise BadInputError(
            f"fit_predict returned predictors {sorted(block)} after {sorted(results)}; "
            "every block must return the same predictors"
        )
    for name, probs in block.items():
        probs = np.asarray(probs, dtype=float)
        if probs.shape != (int(rows.sum()), 3):
            raise BadInputError(
                f"fit_predict gave {name!r} probabilities of shape {probs.shape} "
                f"for a block of {int(rows.sum())} matches; need n x 3"
            )
        if first:
            results[name] = np.full((n, 3), np.nan)
        results[name][rows] = probs


def reliability_table(probs, outcomes, bins: int = 10) -> pd.DataFrame:
    """Mean predicted probability against observed frequency, per outcome and probability bin.

    Returns
    -------
    DataFrame
        Columns ``outcome`` (home win, draw, away win), ``bin`` (0 .. bins-1),
        ``lo``, ``hi`` (bin edges), ``mean_predicted``, ``observed`` and
        ``count``; bins with no predictions are left out.
    """
    p = np.asarray(probs, dtype=float)
    y = np.asarray(outcomes, dtype=int)
    if p.ndim != 2 or p.shape[1] != 3 or len(p) != len(y):
        raise BadInputError(f"need n x 3 probabilities and n outcomes, got {p.shape} and {y.shape}")
    edges = np.linspace(0.0, 1.0, bins + 1)
    rows = []
    for k, name in enumerate(OUTCOME_NAMES):
        which = np.clip(np.digitize(p[:, k], edges[1:-1]), 0, bins - 1)
        count = np.bincount(which, minlength=bins)
        predicted = np.bincount(which, weights=p[:, k], minlength=bins)
        happened = np.bincount(which, weights=(y == k).astype(float), minlength=bins)
        for b in np.flatnonzero(count):
            rows.append(
                {
                    "outcome": name,
                    "bin": int(b),
                    "lo": edges[b],
                    "hi": edges[b + 1],
                    "mean_predicted": predicted[b] / count[b],
                    "observed": happened[b] / count[b],
                    "count": int(count[b]),
                }
            )
    columns = ["outcome", "bin", "lo", "hi", "mean_predicted", "observed", "count"]
    return pd.DataFrame(rows, columns=columns)
