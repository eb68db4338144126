"""Evidence for the default feature window (README, "Choosing the window").

For each window, a multinomial logistic regression on the 12 tutorial features
is trained on internationals before 2014 and scored (RPS) on 2014-2017: the
choice is made on this validation period only. The test period (2018 on,
trained before 2018) is printed for the record, not used to choose.
Run: ``.venv/bin/python -m benchmarks.window_evidence``.
"""

from __future__ import annotations

from footy import paths
from footy.features import features
from footy.matches import read_matches
from footy.outcomes import outcome, rps

WINDOWS = (6, 10, 20, 30, 40, 60, 80, 120)


def _logistic_rps(x, y, train, test) -> float:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    model.fit(x[train], y[train])
    return float(rps(model.predict_proba(x[test]), y[test]).mean())


def main() -> None:
    matches = read_matches(paths.INTERNATIONAL_RESULTS)
    y = outcome(matches["home_goals"], matches["away_goals"])
    date = matches["date"]
    fit = (date < "2014-01-01").to_numpy()
    validation = ((date >= "2014-01-01") & (date < "2018-01-01")).to_numpy()
    before_test = (date < "2018-01-01").to_numpy()
    test = ~before_test
    print(f"{'window':>6}  {'validation RPS 2014-17':>22}  {'test RPS 2018-26':>16}")
    for window in WINDOWS:
        x = features(matches, window).to_numpy()
        val = _logistic_rps(x, y, fit, validation)
        tst = _logistic_rps(x, y, before_test, test)
        print(f"{window:>6}  {val:>22.4f}  {tst:>16.4f}")
    print(f"validation matches: {validation.sum():,}; test matches: {test.sum():,}")


if __name__ == "__main__":
    main()
