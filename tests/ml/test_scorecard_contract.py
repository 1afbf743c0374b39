"""The scorecard is a scikit-learn estimator: params, clone, pipelines, fitted attributes, determinism."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone, is_classifier
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils.estimator_checks import parametrize_with_checks

from ml import Scorecard, build_scorecard

FITTED_ATTRIBUTES = [
    "classes_",
    "pos_label_",
    "n_features_in_",
    "feature_names_in_",
    "binnings_",
    "selected_variables_",
    "logistic_regression_",
    "coefficients_",
    "factor_",
    "offset_",
    "points_",
    "selection_table_",
    "binning_table_",
    "scorecard_table_",
]


# scikit-learn's own estimator checks run on tiny random data where no variable would reach the default IV threshold
# or minimum bin counts; with those relaxed the scorecard passes every check.
@parametrize_with_checks([build_scorecard(min_iv=0.0, min_bin_goods=0, min_bin_bads=0)])
@pytest.mark.filterwarnings("ignore:invalid value encountered in cast:RuntimeWarning")  # the checks' own NaN/inf y
def test_passes_scikit_learn_estimator_checks(estimator, check):
    check(estimator)


def test_factory_returns_an_unfitted_classifier_with_the_given_params():
    scorecard = build_scorecard(pdo=40, max_bins=5)
    assert isinstance(scorecard, Scorecard) and is_classifier(scorecard)
    assert scorecard.get_params()["pdo"] == 40 and scorecard.get_params()["max_bins"] == 5
    with pytest.raises(NotFittedError):
        scorecard.predict_proba(pd.DataFrame({"x": [1.0]}))


def test_clone_copies_params_and_drops_the_fit(fitted):
    copy = clone(fitted)
    assert copy.get_params() == fitted.get_params()
    assert not hasattr(copy, "points_")
    assert copy.set_params(base_score=700).base_score == 700


def test_fitted_attributes_end_with_an_underscore(fitted, applicants):
    frame, _ = applicants
    for name in FITTED_ATTRIBUTES:
        assert hasattr(fitted, name), name
    assert list(fitted.feature_names_in_) == list(frame.columns)
    assert fitted.n_features_in_ == frame.shape[1]
    assert list(fitted.classes_) == [0, 1] and fitted.pos_label_ == 1
    unfitted = build_scorecard()
    assert not [name for name in vars(unfitted) if name.endswith("_")]


def test_predictions_have_the_classifier_shapes(fitted, applicants):
    frame, _ = applicants
    proba = fitted.predict_proba(frame)
    assert proba.shape == (len(frame), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert set(np.unique(fitted.predict(frame))) <= {0, 1}
    assert fitted.score(frame).shape == (len(frame),)


def test_score_with_y_keeps_the_classifier_contract(fitted, applicants):
    frame, bad = applicants
    assert fitted.score(frame, bad) == pytest.approx((fitted.predict(frame) == bad).mean())


def test_string_labels_with_pos_label(applicants):
    frame, bad = applicants
    labels = np.where(bad == 1, "bad", "good")
    by_label = build_scorecard(pos_label="bad").fit(frame, labels)
    by_number = build_scorecard().fit(frame, bad)
    assert list(by_label.classes_) == ["bad", "good"]
    # Column 0 is now P("bad"): the same probability the 0/1 fit puts in column 1.
    np.testing.assert_allclose(by_label.predict_proba(frame)[:, 0], by_number.predict_proba(frame)[:, 1])
    np.testing.assert_allclose(by_label.score(frame), by_number.score(frame))


def test_fit_is_deterministic(applicants):
    frame, bad = applicants
    first = build_scorecard(special_values=[-999]).fit(frame, bad)
    second = build_scorecard(special_values=[-999]).fit(frame, bad)
    pd.testing.assert_frame_equal(first.binning_table_, second.binning_table_)
    pd.testing.assert_frame_equal(first.scorecard_table_, second.scorecard_table_)
    np.testing.assert_array_equal(first.score(frame), second.score(frame))


def _add_income_per_utilization(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(income_per_utilization=frame["income"] / (frame["utilization"] + 0.1))


def test_works_as_the_last_step_of_a_pipeline(applicants):
    frame, bad = applicants
    pipeline = Pipeline(
        [
            ("features", FunctionTransformer(_add_income_per_utilization)),
            ("scorecard", build_scorecard(special_values=[-999])),
        ]
    )
    pipeline.fit(frame, bad)
    assert "income_per_utilization" in pipeline.named_steps["scorecard"].binnings_
    assert pipeline.predict_proba(frame).shape == (len(frame), 2)
    np.testing.assert_allclose(
        pipeline.score(frame), pipeline.named_steps["scorecard"].score(_add_income_per_utilization(frame))
    )
    assert not hasattr(clone(pipeline).named_steps["scorecard"], "points_")


def test_grid_search_tunes_it(applicants):
    frame, bad = applicants
    search = GridSearchCV(build_scorecard(), {"max_bins": [3, 6]}, scoring="roc_auc", cv=2).fit(frame, bad)
    assert search.best_params_["max_bins"] in (3, 6)
    assert search.best_score_ > 0.75


def test_accepts_a_numeric_array_and_checks_its_width(applicants):
    frame, bad = applicants
    array = frame[["utilization", "noise"]].to_numpy()
    scorecard = build_scorecard().fit(array, bad)
    assert scorecard.selected_variables_ == ["x0"]
    assert not hasattr(scorecard, "feature_names_in_")
    with pytest.raises(ValueError, match="expecting 2 features"):
        scorecard.predict_proba(array[:, :1])


def test_a_dataframe_needs_only_the_selected_columns(fitted, applicants):
    frame, _ = applicants
    only_selected = frame[fitted.selected_variables_]
    np.testing.assert_allclose(fitted.score(only_selected), fitted.score(frame))
    with pytest.raises(KeyError, match="income"):
        fitted.score(frame.drop(columns="income"))
