"""Validation metrics against values computed by hand and against scikit-learn and scipy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import ks_2samp
from sklearn.metrics import roc_auc_score

from ml import validation

from .conftest import make_applicants


@pytest.fixture(scope="module")
def sample():
    rng = np.random.default_rng(0)
    p = rng.uniform(0.01, 0.6, size=2000)
    y = (rng.uniform(size=p.size) < p).astype(int)
    return y, p


def test_ks_by_hand():
    y = [0, 0, 0, 1, 1]
    p = [0.1, 0.2, 0.6, 0.5, 0.9]
    # Cutting at 0.5 takes both bads and one of three goods: 1 - 1/3.
    assert validation.ks_statistic(y, p) == pytest.approx(2 / 3)


def test_ks_matches_the_two_sample_statistic(sample):
    y, p = sample
    assert validation.ks_statistic(y, p) == pytest.approx(ks_2samp(p[y == 1], p[y == 0]).statistic)


def test_auc_and_gini_match_scikit_learn(sample):
    y, p = sample
    assert validation.auc(y, p) == pytest.approx(roc_auc_score(y, p))
    assert validation.gini(y, p) == pytest.approx(2 * roc_auc_score(y, p) - 1)
    metrics = validation.discrimination_metrics(y, p)
    assert set(metrics) == {"auc", "gini", "ks"} and all(isinstance(v, float) for v in metrics.values())


def test_labels_must_be_zero_and_one():
    with pytest.raises(ValueError, match="0 \\(good\\) and 1 \\(bad\\)"):
        validation.auc([0, 2], [0.1, 0.2])
    with pytest.raises(ValueError, match="both goods and bads"):
        validation.ks_statistic([1, 1], [0.1, 0.2])


def test_psi_by_hand():
    # Expected median 2.5 splits [1, 2 | 3, 4] half and half; actual puts 3/4 below it.
    expected, actual = [1, 2, 3, 4], [1, 1, 1, 4]
    assert validation.psi(expected, actual, n_bins=2) == pytest.approx(
        (0.75 - 0.5) * np.log(0.75 / 0.5) + (0.25 - 0.5) * np.log(0.25 / 0.5)
    )
    table = validation.psi_table(expected, actual, n_bins=2)
    assert list(table["bin"]) == ["(-inf, 2.5]", "(2.5, inf]"]
    assert list(table["actual_count"]) == [3, 1]


def test_psi_of_a_sample_against_itself_is_zero_and_an_empty_bin_stays_finite(sample):
    _, p = sample
    assert validation.psi(p, p) == pytest.approx(0.0)
    shifted = validation.psi(p, p[p > 0.3])
    assert np.isfinite(shifted) and shifted > 0.25
    assert validation.stability(shifted) == "significant shift"
    assert validation.stability(0.05) == "stable"


def test_lift_table_shape_and_totals(sample):
    y, p = sample
    table = validation.lift_table(y, p)
    assert list(table["bucket"]) == list(range(1, 11))
    assert table["count"].sum() == len(y) and table["bads"].sum() == y.sum()
    assert table["capture_rate"].iloc[-1] == pytest.approx(1.0)
    assert table["cum_lift"].iloc[-1] == pytest.approx(1.0)
    assert table["lift"].iloc[0] > 1.5 > table["lift"].iloc[-1]
    assert (np.diff(table["max_prob"]) <= 0).all()  # bucket 1 is the riskiest
    assert len(validation.lift_table(y, p, n_bins=5)) == 5


def test_grades_put_the_highest_scores_in_a():
    assert list(validation.assign_grades([499, 500, 549, 551], edges=[500, 550])) == ["C", "B", "B", "A"]
    assert list(validation.assign_grades([10, 90], edges=[50], labels=["low risk", "high risk"])) == [
        "high risk",
        "low risk",
    ]
    assert len(validation.grade_edges(np.arange(1000), n_grades=5)) == 4


def test_calibration_by_grade_compares_observed_and_predicted(sample):
    y, p = sample
    points = 600 - 50 * np.log2(p / (1 - p))  # higher points, lower risk
    table = validation.calibration_by_grade(y, p, points)
    assert list(table["grade"]) == ["A", "B", "C", "D", "E"]
    assert table["count"].sum() == len(y) and table["share"].sum() == pytest.approx(1.0)
    assert (np.diff(table["observed_bad_rate"]) > 0).all()
    assert (np.diff(table["predicted_bad_rate"]) > 0).all()
    assert (table["p_value"] > 0.001).all()  # y was drawn from p: calibrated
    over_predicted = validation.calibration_by_grade(y, np.minimum(p * 2, 0.99), points)
    assert (over_predicted["difference"] < 0).all() and (over_predicted["p_value"] < 0.05).all()


def test_calibration_uses_the_given_edges(sample):
    y, p = sample
    points = 600 - 50 * np.log2(p / (1 - p))
    table = validation.calibration_by_grade(y, p, points, edges=[550, 600, 650])
    assert list(table["grade"]) == ["A", "B", "C", "D"]
    assert list(table["score_from"]) == [650, 600, 550, -np.inf]


def test_csi_is_zero_on_the_same_sample_and_flags_the_shifted_feature(fitted, applicants):
    frame, _ = applicants
    same = validation.csi(fitted, frame, frame)
    assert list(same.index) == fitted.selected_variables_
    np.testing.assert_allclose(same.to_numpy(), 0.0, atol=1e-12)
    later, _, _ = make_applicants(3000, seed=31)
    later["utilization"] = later["utilization"] * 1.5  # a later population with much higher utilization
    shifted = validation.csi(fitted, frame, later)
    assert shifted.idxmax() == "utilization" and shifted["utilization"] > 0.25
    assert shifted.drop("utilization").max() < 0.1
    table = validation.csi_table(fitted, frame, later)
    assert set(table.columns) >= {"variable", "bin", "expected_share", "actual_share", "csi"}
    per_variable = table.groupby("variable")["expected_share"].sum()
    np.testing.assert_allclose(per_variable.to_numpy(), 1.0)
    assert isinstance(table, pd.DataFrame)
