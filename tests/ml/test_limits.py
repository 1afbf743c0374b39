"""Credit limits: income multiple by grade, product caps, and the rule that set each limit."""

from __future__ import annotations

import pandas as pd

from ml.limits import LimitPolicy, recommend_limits

POLICY = LimitPolicy(
    income_multiple_by_grade={"A": 6, "B": 4, "C": 2, "D": 1, "E": 0},
    product_cap_by_scenario={"appliance": 20000, "education": 50000},
    unverified_income_haircut=0.5,
    minimum_limit=1000,
    rounding=100,
)


def _limits(rows):
    frame = pd.DataFrame(rows, columns=["grade", "scenario", "declared_monthly_income", "provident_fund_base"])
    return recommend_limits(frame, POLICY)


def test_each_limit_says_which_rule_set_it():
    out = _limits([
        ("A", "appliance", 10000, 8000),  # 6 x 8000 = 48000 > cap 20000
        ("B", "education", 10000, 8000),  # 4 x 8000 = 32000 under the cap
        ("C", "education", 3000, None),  # unverified: 2 x 1500 = 3000
        ("D", "education", 1500, None),  # 1 x 750 = 750 < minimum
        ("E", "education", 50000, 40000),  # no credit at grade E
    ])
    assert out["recommended_limit"].tolist() == [20000, 32000, 3000, 0, 0]
    assert out["limit_rule"].tolist() == [
        "product_cap", "income_multiple", "income_multiple", "below_minimum", "grade_no_credit"
    ]


def test_a_better_grade_never_gets_a_lower_limit():
    grades = ["A", "B", "C", "D", "E"]
    out = _limits([(g, "education", 8000, 6000) for g in grades])
    limits = out["recommended_limit"].tolist()
    assert limits == sorted(limits, reverse=True)


def test_the_provident_fund_base_cannot_lift_income_above_what_was_declared():
    out = _limits([("B", "education", 3000, 9000)])
    assert out["recommended_limit"].iloc[0] == 12000
