"""Defaults the command line shows in ``--help``: kept here, free of heavy imports,
so that ``footy --help`` does not load pandas or TensorFlow."""

# 60 matches: a logistic regression on the 12 features, trained on internationals
# before 2014 and scored on 2014-2017, improves from RPS 0.2062 (6 matches) to
# 0.1944 (60) and then flattens (0.1937 at 120); 60 is the smallest window within
# 0.001 of the best. See benchmarks/window_evidence.py and the README.
DEFAULT_WINDOW = 60

# footy tune: about 30 s per trial on the internationals on 2 cores, so the default
# search fits in 20 minutes (see the README's tune section for the timing).
DEFAULT_TRIALS = 30
# Validation period: the last 4 years up to --until (the window evidence uses the
# same split: train before 2014, score 2014-2017).
DEFAULT_VALIDATION_YEARS = 4.0
