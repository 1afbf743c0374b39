"""A scikit-learn scorecard for any DataFrame: supervised binning, WOE/IV, selection, logistic regression, points."""

from ml.scorecard.binning import BinningParams, VariableBinning, fit_binning
from ml.scorecard.estimator import Scorecard, build_scorecard
from ml.scorecard.woe import information_value, woe_iv

__all__ = [
    "BinningParams",
    "Scorecard",
    "VariableBinning",
    "build_scorecard",
    "fit_binning",
    "information_value",
    "woe_iv",
]
