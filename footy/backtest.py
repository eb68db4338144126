"""footy's network against simple predictors on matches none of them was trained on.

- :func:`backtest` refits the network and the baselines on the past only (yearly,
  monthly or once), walk-forward, and predicts every match of a test period.
- :func:`evaluate_saved_model` scores a saved model (weights fixed) on a period
  after its training period, next to baselines trained on that same training period.

Both return an :class:`Evaluation`: every predictor's probabilities for the same
scored matches, ready for :func:`footy.evaluation.compare`. Each match's features
come from the results dated strictly before it, so a match's own result, or a
later one, never reaches its prediction. TensorFlow, scikit-learn and
penaltyblog are imported only when a fit needs them.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from footy.errors import BadInputError
from footy.evaluation import (
    DateLike,
    assert_no_overlap,
    compare,
    evaluation_period,
    refit_dates,
    walk_forward,
)
from footy.feature_sets import DEFAULT_FEATURE_SET, feature_names, parse_feature_set
from footy.features import DEFAULT_WINDOW
from footy.outcomes import outcome

MODEL = "network"
# --baselines name -> the predictor's name in the tables.
BASELINES = {
    "base": "base rate",
    "elo": "Elo",
    "logistic": "logistic",
    "dixon-coles": "Dixon-Coles",
    "market": "market",
}
DEFAULT_BASELINES = tuple(BASELINES)
MARKET = BASELINES["market"]
PREDICTION_COLUMNS = (
    "date",
    "home_team",
    "away_team",
    "neutral",
    "p_home",
    "p_draw",
    "p_away",
    "outcome",
)
Log = Callable[[str], None]


@dataclass
class Evaluation:
    """Every predictor's probabilities for the same scored matches.

    Attributes
    ----------
    matches : the scored matches (rows of the match table, in its order)
    predictions : predictor name -> n x 3 probabilities; the network first
    market : n x 3 de-margined closing-odds probabilities, NaN where a match has
        no odds; None when the data carries no odds at all
    blocks : one record per refit (first day, training period, matches, seconds)
    notes : what a reader should know (a skipped baseline, no odds ...)
    settings : what was evaluated (feature set, window, refit, model file ...)
    """

    matches: pd.DataFrame
    predictions: dict[str, np.ndarray]
    market: np.ndarray | None = None
    blocks: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    settings: dict = field(default_factory=dict)

    @property
    def outcomes(self) -> np.ndarray:
        return outcome(self.matches["home_goals"], self.matches["away_goals"])

    def comparison(self, n_boot: int = 2000, seed: int = 0) -> pd.DataFrame:
        """Scores of every predictor and their differences from the network."""
        return compare(self.predictions, self.outcomes, MODEL, n_boot=n_boot, seed=seed)

    def market_rows(self) -> np.ndarray:
        """The scored matches whose rows carry closing odds."""
        if self.market is None:
            return np.zeros(len(self.matches), dtype=bool)
        return np.all(np.isfinite(self.market), axis=1)

    def market_comparison(self, n_boot: int = 2000, seed: int = 0) -> pd.DataFrame | None:
        """The network (and the other predictors) against the market, on the matches with odds."""
        rows = self.market_rows()
        if not rows.any():
            return None
        predictions = {name: p[rows] for name, p in self.predictions.items()}
        predictions[MARKET] = self.market[rows]
        return compare(predictions, self.outcomes[rows], MODEL, n_boot=n_boot, seed=seed)

    def best_baseline(self) -> str | None:
        """The baseline with the lowest mean RPS on all scored matches."""
        from footy.outcomes import rps

        y = self.outcomes
        scores = {
            name: float(np.mean(rps(p, y))) for name, p in self.predictions.items() if name != MODEL
        }
        return min(scores, key=scores.get) if scores else None

    def predictions_table(self) -> pd.DataFrame:
        """The network's prediction for every scored match, one row each (CSV-ready)."""
        probs = self.predictions[MODEL].round(6)
        return pd.DataFrame(
            {
                "date": self.matches["date"].dt.strftime("%Y-%m-%d").to_numpy(),
                "home_team": self.matches["home_team"].to_numpy(),
                "away_team": self.matches["away_team"].to_numpy(),
                "neutral": self.matches["neutral"].to_numpy(bool),
                "p_home": probs[:, 0],
                "p_draw": probs[:, 1],
                "p_away": probs[:, 2],
                "outcome": self.outcomes.astype(int),
            },
            columns=list(PREDICTION_COLUMNS),
        )


def parse_baselines(text: str | Sequence[str] | None) -> tuple[str, ...]:
    """``"base,elo"`` -> ``("base", "elo")``; None gives every baseline."""
    if text is None:
        return DEFAULT_BASELINES
    names = [t.strip() for t in text.split(",")] if isinstance(text, str) else list(text)
    names = [n for n in dict.fromkeys(names) if n]
    unknown = [n for n in names if n not in BASELINES]
    if unknown:
        raise BadInputError(
            f"unknown baseline(s) {', '.join(unknown)}; choose from {', '.join(BASELINES)}"
        )
    return tuple(names)


def has_dixon_coles() -> bool:
    """Whether the optional penaltyblog (Dixon–Coles) is installed."""
    return importlib.util.find_spec("penaltyblog") is not None


# ---- evaluating a saved model -----------------------------------------------------------


def evaluate_saved_model(
    model_path: Path,
    matches: pd.DataFrame,
    start: DateLike,
    end: DateLike | None = None,
    log: Log | None = None,
) -> Evaluation:
    """Score a saved model on every match from ``start`` to ``end``, weights fixed.

    Each match's features come from the results before it (walk-forward); a team
    with no history gets the no-history features. The baselines (base rate per
    venue, and a logistic regression on the model's feature set and window) learn
    from the matches dated on or before the model's training end, as the model did.

    Raises
    ------
    BadInputError
        If the period starts on or before the last day the model was trained on.
    """
    from footy.baselines import BaseRate, LogisticBaseline
    from footy.predict import Predictor, features_both_orders, predict_matches
    from footy.training import model_training_end, training_rows

    log = log or _quiet
    predictor = Predictor(model_path, matches)  # checks the file and its feature names
    sidecar = predictor.sidecar
    training_end = model_training_end(sidecar)
    first = (sidecar.get("training_period") or {}).get("first_date", training_end)
    assert_no_overlap((first, training_end), start)
    period = _period(matches, start, end)
    rows = matches.index.isin(period.index)
    fs, window = predictor.feature_set, predictor.window
    log(
        f"evaluating {model_path} (features {','.join(fs)}, window {window}, trained up to "
        f"{training_end:%Y-%m-%d}) on {len(period):,} matches"
    )
    both = features_both_orders(matches, fs, window)  # once, for every predictor
    network = predict_matches(predictor.network, matches, rows, features=both)

    trained = training_rows(matches, training_end).to_numpy()
    if not trained.any():
        raise BadInputError(
            f"no matches in the data on or before {training_end:%Y-%m-%d}, the model's training "
            "end; pass the results it was trained on with --data"
        )
    y = outcome(matches["home_goals"], matches["away_goals"])
    logistic = LogisticBaseline().fit(both[0][trained], y[trained])
    predictions = {
        MODEL: network,
        BASELINES["base"]: BaseRate().fit(matches[trained]).predict_proba(period),
        BASELINES["logistic"]: predict_matches(logistic, matches, rows, features=both),
    }
    settings = {
        "model": str(model_path),
        "feature_set": list(fs),
        "window": window,
        "training_end": f"{training_end:%Y-%m-%d}",
        "baselines_trained_on": int(trained.sum()),
        **_period_settings(period, start, end),
    }
    return Evaluation(period, predictions, settings=settings)


# ---- the walk-forward backtest ----------------------------------------------------------


def backtest(
    matches: pd.DataFrame,
    start: DateLike,
    end: DateLike | None = None,
    *,
    refit: str = "yearly",
    feature_set: Sequence[str] | str = DEFAULT_FEATURE_SET,
    window: int = DEFAULT_WINDOW,
    seed: int = 0,
    baselines: Sequence[str] | str | None = None,
    tournament: str | None = None,
    log: Log | None = None,
    **hyper_parameters,
) -> Evaluation:
    """Refit on the past, predict the next block, for every match from ``start`` to ``end``.

    Before each block (a year, a month, or the whole period) the network
    (:func:`footy.training.train_model` with ``until`` = the day before the block)
    and each baseline are fitted on the matches dated before the block only, and
    predict the block's matches. Features are computed walk-forward once on the
    whole table, so a match's features never see its own result or a later one.

    Parameters
    ----------
    matches : the match table (history and test period)
    start, end : the test period, both days inclusive (``end`` default: the last match)
    refit : "yearly", "monthly" or "never"
    feature_set, window : the network's and the logistic regression's features
    seed : the network's seed (the same for every refit)
    baselines : names from :data:`BASELINES` (default: all); ``dixon-coles`` is
        skipped with a note when penaltyblog is missing, ``market`` when no odds
    tournament : score only matches of this tournament (training still uses all)
    log : receives one line per refit (progress for people)
    hyper_parameters : passed to :func:`footy.training.train_model` (``epochs``, ``hidden`` ...)

    Raises
    ------
    BadInputError
        On a bad period or option, or if any predictor would be scored on a match
        dated on or before the last match it was trained on.
    """
    log = log or _quiet
    feature_set = parse_feature_set(feature_set)
    baselines = list(parse_baselines(baselines))
    notes = []
    period = _period(matches, start, end)
    end = period["date"].max() if end is None else pd.Timestamp(end)
    scored = np.ones(len(period), dtype=bool)
    if tournament is not None:
        scored = (period["tournament"] == tournament).to_numpy()
        if not scored.any():
            known = matches.loc[matches["date"] >= pd.Timestamp(start), "tournament"]
            raise BadInputError(
                f"no {tournament!r} matches between {pd.Timestamp(start):%Y-%m-%d} and "
                f"{end:%Y-%m-%d}; tournaments in that period include "
                f"{', '.join(known.value_counts().index[:5])}"
            )
    if "dixon-coles" in baselines and not has_dixon_coles():
        baselines.remove("dixon-coles")
        notes.append("Dixon-Coles skipped: it needs penaltyblog (pip install 'footy[compare]')")
    if "market" in baselines:
        odds = [c for c in ("odds_home", "odds_draw", "odds_away") if c in matches]
        if len(odds) < 3 or not matches.loc[period.index[scored], odds].notna().all(axis=1).any():
            baselines.remove("market")
            notes.append("market skipped: no closing odds for the scored matches")

    fit_predict = _BlockFitter(
        matches,
        refit_dates(start, end, refit),
        feature_set,
        window,
        seed,
        baselines,
        scored=pd.Series(scored, index=period.index),
        log=log,
        hyper_parameters=hyper_parameters,
    )
    predictions = walk_forward(matches, start, end, refit, fit_predict)
    predictions = {name: p[scored] for name, p in predictions.items()}
    market = predictions.pop(MARKET, None)
    if market is not None and not np.all(np.isfinite(market), axis=1).any():
        market = None
    settings = {
        "feature_set": list(feature_set),
        "window": int(window),
        "refit": refit,
        "seed": seed,
        "tournament": tournament,
        "hyper_parameters": {k: v for k, v in hyper_parameters.items() if v is not None},
        **_period_settings(period, start, end),
    }
    return Evaluation(
        period[scored], predictions, market, fit_predict.blocks, notes, settings=settings
    )


class _BlockFitter:
    """The ``fit_predict`` that :func:`footy.evaluation.walk_forward` calls once per block."""

    def __init__(
        self,
        matches: pd.DataFrame,
        starts: list[pd.Timestamp],
        feature_set: tuple[str, ...],
        window: int,
        seed: int,
        baselines: Sequence[str],
        scored: pd.Series,
        log: Log,
        hyper_parameters: Mapping,
    ) -> None:
        from footy.ratings import elo_features

        self.matches = matches
        self.starts = starts
        self.feature_set = feature_set
        self.window = window
        self.seed = seed
        self.baselines = list(baselines)
        self.scored = scored
        self.log = log
        self.hyper_parameters = dict(hyper_parameters)
        self.blocks: list[dict] = []
        # Walk-forward features, computed once for the whole table.
        from footy.predict import features_both_orders

        self.both_orders = features_both_orders(matches, feature_set, window)
        self.features = pd.DataFrame(
            self.both_orders[0],
            index=matches.index,
            columns=feature_names(feature_set, window),
        )
        self.y = outcome(matches["home_goals"], matches["away_goals"])
        if "elo" in self.baselines:
            elo = elo_features(matches)
            self.elo_x = np.column_stack(
                [elo["elo_diff"].to_numpy(float), matches["neutral"].to_numpy(float)]
            )

    def names(self) -> list[str]:
        return [MODEL, *(BASELINES[b] for b in self.baselines)]

    def __call__(self, train: pd.DataFrame, test: pd.DataFrame) -> dict[str, np.ndarray]:
        from footy.training import model_training_end, train_model

        if not self.scored.loc[test.index].any():  # nothing to score here: no need to fit
            return {name: np.full((len(test), 3), np.nan) for name in self.names()}
        block_start = max(s for s in self.starts if s <= test["date"].min())
        until = block_start - pd.Timedelta(days=1)
        began = time.perf_counter()
        model, sidecar = train_model(
            self.matches,
            until=until,
            feature_set=self.feature_set,
            window=self.window,
            seed=self.seed,
            features=self.features,
            **self.hyper_parameters,
        )
        # What the network learnt from must end before the block: refuse otherwise.
        assert_no_overlap((train["date"].min(), model_training_end(sidecar)), block_start)
        if sidecar["training_period"]["matches"] != len(train):
            raise BadInputError(
                f"the network learnt from {sidecar['training_period']['matches']} matches, "
                f"but {len(train)} are dated before {block_start:%Y-%m-%d}"
            )
        out = {MODEL: self._both_orders(model, test)}
        for name in self.baselines:
            out[BASELINES[name]] = self._baseline(name, train, test)
        seconds = time.perf_counter() - began
        self.blocks.append(
            {
                "block_start": f"{block_start:%Y-%m-%d}",
                "trained_from": sidecar["training_period"]["first_date"],
                "trained_until": sidecar["training_period"]["last_date"],
                "training_matches": len(train),
                "test_matches": len(test),
                "epochs": len(next(iter(model.history_.values()), [])),
                "seconds": round(seconds, 1),
            }
        )
        self.log(
            f"block from {block_start:%Y-%m-%d}: fitted on {len(train):,} matches up to "
            f"{sidecar['training_period']['last_date']}, predicted {len(test):,} "
            f"({seconds:.0f} s)"
        )
        return out

    def _both_orders(self, predictor, test: pd.DataFrame) -> np.ndarray:
        from footy.predict import predict_matches

        rows = self.matches.index.isin(test.index)
        return predict_matches(predictor, self.matches, rows, features=self.both_orders)

    def _baseline(self, name: str, train: pd.DataFrame, test: pd.DataFrame) -> np.ndarray:
        from footy import baselines

        tr = self.matches.index.get_indexer(train.index)
        te = self.matches.index.get_indexer(test.index)
        if name == "base":
            return baselines.BaseRate().fit(train).predict_proba(test)
        if name == "elo":
            elo = baselines.EloLogit().fit(self.elo_x[tr], self.y[tr])
            return elo.predict_proba(self.elo_x[te])
        if name == "logistic":
            x = self.features.to_numpy(float)
            return self._both_orders(baselines.LogisticBaseline().fit(x[tr], self.y[tr]), test)
        if name == "dixon-coles":
            return baselines.DixonColes().fit(train).predict_proba(test)
        if name == "market":
            return baselines.market_probabilities(test)
        raise BadInputError(f"unknown baseline {name!r}")  # parse_baselines stops this earlier


# ---- reporting --------------------------------------------------------------------------


def format_report(evaluation: Evaluation, n_boot: int = 2000, seed: int = 0) -> str:
    """The comparison tables (all predictors; the market on its subset) for people."""
    from footy.evaluation import format_comparison

    s = evaluation.settings
    head = f"{s['from']} .. {s['to']}"
    if s.get("tournament"):
        head += f", {s['tournament']} matches only"
    parts = [head, format_comparison(evaluation.comparison(n_boot, seed))]
    market = evaluation.market_comparison(n_boot, seed)
    if market is not None:
        parts += ["", "against the market, on the matches with closing odds:"]
        parts.append(format_comparison(market))
    return "\n".join(parts)


def report_json(evaluation: Evaluation, n_boot: int = 2000, seed: int = 0) -> dict:
    """The same comparison as a JSON-ready dict (NaN differences become null)."""
    market = evaluation.market_comparison(n_boot, seed)
    return {
        **evaluation.settings,
        "matches": len(evaluation.matches),
        "reference": MODEL,
        "bootstrap": {"resamples": n_boot, "seed": seed},
        "scores": _records(evaluation.comparison(n_boot, seed)),
        "market": None
        if market is None
        else {"matches": int(evaluation.market_rows().sum()), "scores": _records(market)},
        "blocks": evaluation.blocks,
        "notes": evaluation.notes,
    }


def _records(table: pd.DataFrame) -> list[dict]:
    records = []
    for name, row in table.iterrows():
        record = {"predictor": str(name)}
        for key, value in row.items():
            value = float(value)
            record[key] = int(value) if key == "n" else (None if np.isnan(value) else value)
        records.append(record)
    return records


# ---- helpers ----------------------------------------------------------------------------


def _period(matches: pd.DataFrame, start: DateLike, end: DateLike | None) -> pd.DataFrame:
    if len(matches) == 0:
        raise BadInputError("no matches in the data")
    last = matches["date"].max()
    period = evaluation_period(matches, start, last if end is None else end)
    if len(period) == 0:
        stop = last if end is None else pd.Timestamp(end)
        raise BadInputError(
            f"no matches between {pd.Timestamp(start):%Y-%m-%d} and {stop:%Y-%m-%d} in the data "
            f"(it runs from {matches['date'].min():%Y-%m-%d} to {last:%Y-%m-%d})"
        )
    return period


def _period_settings(period: pd.DataFrame, start: DateLike, end: DateLike | None) -> dict:
    stop = period["date"].max() if end is None else pd.Timestamp(end)
    return {"from": f"{pd.Timestamp(start):%Y-%m-%d}", "to": f"{stop:%Y-%m-%d}"}


def _quiet(message: str) -> None:
    pass
