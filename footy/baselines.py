"""Simple predictors that footy's network has to beat, judged on the same matches.

Each is a small estimator in the scikit-learn style: ``__init__`` stores the
hyper-parameters, ``fit`` returns the estimator, learned state ends in ``_``,
and ``predict_proba`` returns an n x 3 array (home win, draw, away win).

- :class:`BaseRate`: how often home wins, draws and away wins happened in training,
  separately for neutral and home venues.
- :class:`LogisticBaseline`: multinomial logistic regression on a feature matrix.
- :class:`EloLogit`: ordered logistic regression on a rating difference and the venue.
- :class:`DixonColes`: the Dixon–Coles goals model (via the optional ``penaltyblog``).
- :func:`market_probabilities`: bookmakers' closing odds with the margin removed.

scikit-learn, scipy and penaltyblog are imported inside the functions that need them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from footy.errors import BadInputError, FootyError
from footy.outcomes import AWAY_WIN, DRAW, HOME_WIN, outcome

NOT_FITTED = "not fitted yet: call fit() first"
NEEDS_COMPARE_EXTRA = "Dixon–Coles needs the compare extra: pip install 'footy[compare]'"
ODDS_COLUMNS = ("odds_home", "odds_draw", "odds_away")


def _require_columns(matches: pd.DataFrame, columns, who: str) -> None:
    missing = [c for c in columns if c not in matches.columns]
    if missing:
        raise BadInputError(
            f"{who} needs a match table with columns {', '.join(columns)}; "
            f"missing {', '.join(missing)}"
        )


def _check_fitted(estimator, attribute: str) -> None:
    if not hasattr(estimator, attribute):
        raise FootyError(NOT_FITTED)


def _mirror(probs: np.ndarray) -> np.ndarray:
    """The same probabilities seen from the other side: home win and away win swap."""
    return probs[:, ::-1]


def _as_2d(X) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    return X.reshape(-1, 1) if X.ndim == 1 else X


class BaseRate:
    """Outcome frequencies of the training matches, by venue (neutral or home).

    Parameters
    ----------
    prior : float
        Each venue's counts get ``3 * prior`` pseudo-matches spread like the
        overall frequencies, so an outcome never seen at a venue keeps a small
        probability and a venue with no training matches gets the overall rates.
    """

    def __init__(self, prior: float = 1.0) -> None:
        self.prior = prior

    def fit(self, matches: pd.DataFrame) -> BaseRate:
        _require_columns(matches, ("home_goals", "away_goals", "neutral"), "BaseRate")
        y = outcome(matches["home_goals"], matches["away_goals"])
        neutral = matches["neutral"].to_numpy(dtype=bool)
        overall = np.bincount(y, minlength=3) + self.prior
        overall = overall / overall.sum()
        rates = {}
        for venue, mask in (("home", ~neutral), ("neutral", neutral)):
            counts = np.bincount(y[mask], minlength=3).astype(float)
            # With no matches at a venue, the prior pulls towards the overall frequencies.
            counts = counts + (self.prior * 3 * overall if self.prior > 0 else 0.0)
            rates[venue] = counts / counts.sum() if counts.sum() > 0 else overall
        self.home_rates_ = rates["home"]
        self.neutral_rates_ = rates["neutral"]
        self.n_matches_ = len(matches)
        return self

    def predict_proba(self, matches: pd.DataFrame) -> np.ndarray:
        _check_fitted(self, "home_rates_")
        _require_columns(matches, ("neutral",), "BaseRate")
        neutral = matches["neutral"].to_numpy(dtype=bool)
        return np.where(neutral[:, None], self.neutral_rates_, self.home_rates_)


class LogisticBaseline:
    """Multinomial logistic regression on standardised features (a scikit-learn Pipeline).

    Parameters
    ----------
    C : float
        Inverse strength of the L2 penalty.
    max_iter : int
        Iterations the solver may take.
    """

    def __init__(self, C: float = 1.0, max_iter: int = 1000) -> None:
        self.C = C
        self.max_iter = max_iter

    def fit(self, X, y) -> LogisticBaseline:
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        X = _as_2d(X)
        y = np.asarray(y, dtype=int)
        if len(X) != len(y):
            raise BadInputError(f"X has {len(X)} rows but y has {len(y)} outcomes")
        self.pipeline_ = make_pipeline(
            StandardScaler(), LogisticRegression(C=self.C, max_iter=self.max_iter)
        ).fit(X, y)
        self.n_features_in_ = X.shape[1]
        return self

    def predict_proba(self, X) -> np.ndarray:
        _check_fitted(self, "pipeline_")
        X = _as_2d(X)
        if X.shape[1] != self.n_features_in_:
            raise BadInputError(
                f"the model was fitted on {self.n_features_in_} features, got {X.shape[1]}"
            )
        # An outcome absent from training gets probability 0 in its column.
        probs = np.zeros((len(X), 3))
        probs[:, self.pipeline_.classes_] = self.pipeline_.predict_proba(X)
        return probs


class EloLogit:
    """Ordered logistic regression on a rating difference and the venue.

    ``X`` has one or two columns: the rating difference (home minus away, e.g.
    ``elo_diff`` from :func:`footy.ratings.elo_features`) and optionally the
    neutral flag (1 = neutral venue). The latent strength is
    ``s = b * diff / scale + h * home`` and the outcome thresholds are ordered,
    so a larger difference always raises the home-win probability and the
    draw is most likely when the sides are level.

    A neutral match has no home side, so it enters the fit in both orders (half
    weight each) and is predicted as the average of both orders: the answer does
    not depend on which team is named first.

    Parameters
    ----------
    scale : float or None
        Divide the difference by this before fitting; ``None`` uses the
        standard deviation of the training differences.
    """

    def __init__(self, scale: float | None = None) -> None:
        self.scale = scale

    @staticmethod
    def _split(X) -> tuple[np.ndarray, np.ndarray]:
        X = _as_2d(X)
        if X.shape[1] not in (1, 2):
            raise BadInputError(
                f"EloLogit takes one or two columns (rating difference, neutral); got {X.shape[1]}"
            )
        neutral = X[:, 1].astype(bool) if X.shape[1] == 2 else np.zeros(len(X), dtype=bool)
        return X[:, 0], neutral

    @staticmethod
    def _probs(params: np.ndarray, z: np.ndarray, home: np.ndarray) -> np.ndarray:
        from scipy.special import expit

        b, h, c1, log_gap = params
        s = b * z + h * home
        away = expit(c1 - s)
        away_or_draw = expit(c1 + np.exp(log_gap) - s)
        return np.column_stack([1.0 - away_or_draw, away_or_draw - away, away])

    def fit(self, X, y) -> EloLogit:
        from scipy.optimize import minimize

        diff, neutral = self._split(X)
        y = np.asarray(y, dtype=int)
        if len(diff) != len(y):
            raise BadInputError(f"X has {len(diff)} rows but y has {len(y)} outcomes")
        if not np.all(np.isfinite(diff)):
            raise BadInputError("EloLogit: the rating difference has missing values")
        scale = self.scale if self.scale is not None else float(np.std(diff)) or 1.0
        z = diff / scale
        # Neutral matches count in both orders, half weight each.
        mirrored = np.array([AWAY_WIN, DRAW, HOME_WIN])
        z_all = np.concatenate([z, -z[neutral]])
        y_all = np.concatenate([y, mirrored[y[neutral]]])
        home_all = np.concatenate([~neutral, np.zeros(neutral.sum(), dtype=bool)]).astype(float)
        w_all = np.concatenate([np.where(neutral, 0.5, 1.0), np.full(neutral.sum(), 0.5)])
        rows = np.arange(len(y_all))

        def loss(params: np.ndarray) -> float:
            p = self._probs(params, z_all, home_all)[rows, y_all]
            return -float(np.sum(w_all * np.log(np.clip(p, 1e-12, 1.0)))) / w_all.sum()

        start = np.array([1.0, 0.3, -0.5, 0.0])
        result = minimize(loss, start, method="L-BFGS-B")
        self.params_ = result.x
        self.scale_ = scale
        return self

    def predict_proba(self, X) -> np.ndarray:
        _check_fitted(self, "params_")
        diff, neutral = self._split(X)
        z = diff / self.scale_
        probs = self._probs(self.params_, z, (~neutral).astype(float))
        swapped = _mirror(self._probs(self.params_, -z, np.zeros(len(z))))
        probs[neutral] = 0.5 * (probs[neutral] + swapped[neutral])
        return probs


class DixonColes:
    """The Dixon–Coles goals model, time-decay weighted, fitted with penaltyblog's likelihood.

    Training uses only the last ``years`` years before the latest training match
    (international teams change; older matches would slow the fit and barely
    count after the decay anyway), each match weighted ``exp(-xi * age in days)``.

    penaltyblog (an optional dependency) supplies the likelihood and its gradient;
    footy minimises it with L-BFGS-B, which is 20-40 times faster than
    penaltyblog's own constrained SLSQP fit on a few hundred teams and reaches the
    same optimum (tests compare the two). The attack strengths are then centred on
    zero, which does not change any prediction.

    Prediction: a team unknown to the fitted model gets the base rate of the
    training window for its venue (no match is dropped). At a neutral venue the
    home advantage is left out and the match is predicted in both orders and
    averaged.

    Parameters
    ----------
    xi : float
        Time decay per day (0.0018 halves a match's weight in about a year).
    years : float or None
        Training window in years before the last training match; ``None`` uses all.
    max_goals : int
        Score grid size per team (goals 0 .. max_goals - 1).
    """

    def __init__(self, xi: float = 0.0018, years: float | None = 8.0, max_goals: int = 15) -> None:
        self.xi = xi
        self.years = years
        self.max_goals = max_goals

    def fit(self, matches: pd.DataFrame) -> DixonColes:
        try:
            from penaltyblog.models import DixonColesGoalModel, dixon_coles_weights
        except ImportError as err:
            raise FootyError(NEEDS_COMPARE_EXTRA) from err

        columns = ("date", "home_team", "away_team", "home_goals", "away_goals", "neutral")
        _require_columns(matches, columns, "DixonColes")
        if len(matches) == 0:
            raise BadInputError("DixonColes: no training matches")
        dates = pd.to_datetime(matches["date"])
        last = dates.max()
        if self.years is not None:
            keep = (dates > last - pd.Timedelta(days=round(365.25 * self.years))).to_numpy()
            matches, dates = matches.loc[keep], dates[keep]
        weights = dixon_coles_weights(list(dates), self.xi, base_date=last)
        model = DixonColesGoalModel(
            matches["home_goals"].to_numpy(),
            matches["away_goals"].to_numpy(),
            matches["home_team"].to_numpy(dtype=str),
            matches["away_team"].to_numpy(dtype=str),
            weights=weights,
            neutral_venue=matches["neutral"].to_numpy(dtype=int),
        )
        params, self.converged_ = _fit_dixon_coles(model)
        n = model.n_teams
        attack, defence = params[:n], params[n : 2 * n]
        shift = attack.mean()  # attack + c with defence - c predicts the same
        self.teams_ = {str(team): i for i, team in enumerate(model.teams)}
        self.attack_ = attack - shift
        self.defence_ = defence + shift
        # All-neutral training data cannot identify a home advantage.
        self.home_advantage_ = (
            float(params[-2]) if np.any(~model.neutral_venue.astype(bool)) else 0.0
        )
        self.rho_ = float(params[-1])
        self.base_rate_ = BaseRate().fit(matches)
        self.last_date_ = last
        self.n_matches_ = len(matches)
        return self

    def predict_proba(self, matches: pd.DataFrame) -> np.ndarray:
        _check_fitted(self, "attack_")
        _require_columns(matches, ("home_team", "away_team", "neutral"), "DixonColes")
        home = matches["home_team"].map(self.teams_).to_numpy(dtype=float)
        away = matches["away_team"].map(self.teams_).to_numpy(dtype=float)
        neutral = matches["neutral"].to_numpy(dtype=bool)
        known = ~(np.isnan(home) | np.isnan(away))
        probs = self.base_rate_.predict_proba(matches)
        if known.any():
            h, a, nv = home[known].astype(int), away[known].astype(int), neutral[known]
            hfa = np.where(nv, 0.0, self.home_advantage_)
            p = self._outcome_probs(h, a, hfa)
            p[nv] = 0.5 * (p[nv] + _mirror(self._outcome_probs(a[nv], h[nv], hfa[nv])))
            probs[known] = p
        return probs

    def _outcome_probs(self, h: np.ndarray, a: np.ndarray, hfa: np.ndarray) -> np.ndarray:
        """Home win, draw, away win from the Dixon–Coles score grid, for many matches at once."""
        from scipy.stats import poisson

        lam_h = np.exp(hfa + self.attack_[h] + self.defence_[a])
        lam_a = np.exp(self.attack_[a] + self.defence_[h])
        goals = np.arange(self.max_goals)
        grid = poisson.pmf(goals[None, :, None], lam_h[:, None, None]) * poisson.pmf(
            goals[None, None, :], lam_a[:, None, None]
        )
        rho = self.rho_
        grid[:, 0, 0] *= 1 - rho * lam_h * lam_a
        grid[:, 0, 1] *= 1 + rho * lam_h
        grid[:, 1, 0] *= 1 + rho * lam_a
        grid[:, 1, 1] *= 1 - rho
        # The low-score correction can go negative for extreme goal rates; such a cell is 0.
        grid = np.clip(grid, 0.0, None)
        grid /= grid.sum(axis=(1, 2), keepdims=True)
        home_win = np.tril(np.ones((self.max_goals, self.max_goals)), -1).astype(bool)
        return np.column_stack(
            [
                grid[:, home_win].sum(axis=1),
                np.trace(grid, axis1=1, axis2=2),
                grid[:, home_win.T].sum(axis=1),
            ]
        )


def _fit_dixon_coles(model) -> tuple[np.ndarray, bool]:
    """Minimise penaltyblog's weighted Dixon–Coles likelihood; returns (parameters, converged).

    Uses the model's likelihood and gradient with L-BFGS-B when penaltyblog exposes
    them (1.13 does), else penaltyblog's own (slower) fit.
    """
    from scipy.optimize import minimize

    if not (hasattr(model, "_loss_function") and hasattr(model, "_gradient")):
        model.fit()
        return model.params_array, True
    n = model.n_teams
    bounds = [(-2.5, 2.5)] * (2 * n) + [(0.0, 2.0), (-2.5, 2.5)]
    start = np.concatenate([np.ones(n), -np.ones(n), [0.25, -0.1]])
    result = minimize(
        lambda x: (model._loss_function(x), model._gradient(x)),
        start,
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options={"maxiter": 5000},
    )
    if not np.all(np.isfinite(result.x)):
        raise FootyError(f"the Dixon–Coles fit failed: {result.message}")
    return result.x, bool(result.success)


def market_probabilities(matches: pd.DataFrame, method: str = "proportional") -> np.ndarray:
    """Outcome probabilities implied by closing decimal odds, with the margin removed.

    Parameters
    ----------
    matches : DataFrame
        A match table with ``odds_home``, ``odds_draw``, ``odds_away`` (NaN where absent).
    method : {"proportional", "shin"}
        ``proportional`` divides each 1/odds by their sum. ``shin`` uses Shin's
        model of insider trading, which takes more of the margin off long shots
        (the favourite-longshot bias).

    Returns
    -------
    ndarray
        n x 3 (home win, draw, away win); a row is NaN where any of its odds is
        missing or not a valid decimal price (> 1).
    """
    _require_columns(matches, ODDS_COLUMNS, "market_probabilities")
    odds = matches[list(ODDS_COLUMNS)].to_numpy(dtype=float)
    valid = np.all(np.isfinite(odds) & (odds > 1.0), axis=1)
    inverse = np.full(odds.shape, np.nan)
    inverse[valid] = 1.0 / odds[valid]
    if method == "proportional":
        return inverse / inverse.sum(axis=1, keepdims=True)
    if method == "shin":
        probs = np.full(odds.shape, np.nan)
        probs[valid] = _shin(inverse[valid])
        return probs
    raise BadInputError(f"unknown de-margining method {method!r}; use 'proportional' or 'shin'")


def _shin(inverse: np.ndarray, iterations: int = 60) -> np.ndarray:
    """Shin's probabilities for each row of 1/odds; z found by bisection, all rows at once."""
    booksum = inverse.sum(axis=1, keepdims=True)

    def probs(z: np.ndarray) -> np.ndarray:
        return (np.sqrt(z**2 + 4 * (1 - z) * inverse**2 / booksum) - z) / (2 * (1 - z))

    # The probabilities' sum falls as z grows; z = 0 gives sum >= 1 when there is a margin.
    lo = np.zeros((len(inverse), 1))
    hi = np.full((len(inverse), 1), 0.999)
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        too_big = probs(mid).sum(axis=1, keepdims=True) > 1.0
        lo = np.where(too_big, mid, lo)
        hi = np.where(too_big, hi, mid)
    p = probs(0.5 * (lo + hi))
    return p / p.sum(axis=1, keepdims=True)
