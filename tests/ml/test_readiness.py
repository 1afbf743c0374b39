"""Training readiness: what a young book lacks, and when it will have it."""

from datetime import date, timedelta

import pandas as pd
import pytest

from ml.readiness import ReadinessPolicy, assess
from orchestration.defs.credit.policy import load_policy as credit_policy
from orchestration.defs.fraud.policy import load_policy as fraud_policy

POLICY = ReadinessPolicy(min_labelled=4, min_positives=1, min_months=2, rate_between=(0.01, 0.9))


def outcomes(rows):
    """rows: (month, labelled, positive, labelled_on)"""
    return pd.DataFrame(rows, columns=["month", "labelled", "positive", "labelled_on"])


def test_a_book_with_no_outcome_yet_says_when_the_first_ones_mature_and_when_there_are_enough():
    young = outcomes([
        ("2025-01", False, None, date(2025, 7, 10)),
        ("2025-01", False, None, date(2025, 7, 2)),
        ("2025-01", False, None, None),  # declined: never an outcome
        ("2025-02", False, None, date(2025, 8, 5)),
        ("2025-02", False, None, date(2025, 8, 20)),
        ("2025-02", False, None, date(2025, 8, 30)),
    ])
    readiness = assess(young, POLICY)
    assert not readiness.ready
    assert (readiness.labelled, readiness.positives, readiness.months, readiness.rate) == (0, 0, 0, None)
    assert readiness.first_labelled_on == date(2025, 7, 2)
    assert readiness.expected_ready_on == date(2025, 8, 20)  # the fourth dated outcome; two months by then
    text = readiness.summary("credit_scorecard")
    assert text.startswith("credit_scorecard: not trainable yet - 0 labelled outcomes, 4 needed")
    assert "the first outcomes mature on 2025-07-02" in text and "enough of them by 2025-08-20" in text


def test_enough_outcomes_over_two_months_with_both_classes_is_ready():
    day = date(2025, 1, 1)
    book = outcomes([("2025-01", True, i == 0, day) for i in range(3)] + [("2025-02", True, False, day)] * 3)
    readiness = assess(book, POLICY)
    assert readiness.ready and readiness.reasons == ()
    assert (readiness.labelled, readiness.positives, readiness.months) == (6, 1, 2)
    assert readiness.summary("m") == "m: ready to train - 6 labelled outcomes over 2 months, positive rate 0.1667"


def test_every_outcome_positive_means_a_broken_target_and_has_no_date():
    day = date(2025, 1, 1)
    book = outcomes([("2025-01", True, True, day)] * 3 + [("2025-02", True, True, day)] * 3)
    readiness = assess(book, POLICY)
    assert not readiness.ready and readiness.expected_ready_on is None
    assert readiness.reasons == ("positive rate 1.0000 outside [0.01, 0.9]: the target looks broken",)


def test_enough_outcomes_without_a_positive_cannot_be_dated():
    day = date(2025, 1, 1)
    book = outcomes([("2025-01", True, False, day)] * 3 + [("2025-02", True, False, day + timedelta(days=30))] * 3)
    readiness = assess(book, POLICY)
    assert readiness.reasons[0] == "0 positives, 1 needed (both classes)"  # and so a rate of 0, out of bounds
    assert readiness.expected_ready_on is None  # the counts are there; the positives cannot be forecast


def test_missing_columns_and_bad_settings_are_named():
    with pytest.raises(ValueError, match="missing \\['labelled_on'\\]"):
        assess(pd.DataFrame({"month": [], "labelled": [], "positive": []}), POLICY)
    good = {"min_labelled": 10, "min_positives": 1, "min_months": 2, "rate_between": [0.0, 0.5]}
    assert ReadinessPolicy.from_dict(good, "x.yml").rate_between == (0.0, 0.5)
    for field, value, message in [("min_labelled", 0, "min_labelled must be a whole number >= 1"),
                                  ("min_months", "2", "min_months must be a whole number"),
                                  ("rate_between", [0.5, 0.1], "rate_between must be"),
                                  ("rate_between", [0, 2], "rate_between must be")]:
        with pytest.raises(ValueError, match=f"credit_policy.yml: readiness.{message}"):
            ReadinessPolicy.from_dict({**good, field: value}, "credit_policy.yml")
    with pytest.raises(ValueError, match="unknown readiness settings \\['min_rows'\\]"):
        ReadinessPolicy.from_dict({**good, "min_rows": 5}, "credit_policy.yml")


def test_the_models_policies_carry_their_readiness():
    assert credit_policy().readiness.min_months >= 2 and fraud_policy().readiness.min_months >= 2
