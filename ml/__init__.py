"""Credit-risk modelling library: a plain library a modeler can use from a notebook (no Dagster, no MLflow here).

- ``ml.scorecard``: ``build_scorecard(...)`` / ``Scorecard``, a scikit-learn points scorecard for any DataFrame.
- ``ml.validation``: AUC, KS, Gini, lift by decile, calibration by grade, PSI and CSI.
- ``ml.plots``: ROC, KS and score-distribution figures (matplotlib ``Figure`` objects, Agg canvas, no display).
"""

from ml.scorecard import Scorecard, build_scorecard

__all__ = ["Scorecard", "build_scorecard"]
