"""Credit-limit recommendation, "reasonable and moderate": a multiple of a verified-income proxy set by the grade,
capped by the product rules; every limit carries the rule that set it.

The policy is plain data (from version-controlled YAML in the platform); the function works on any DataFrame with
the named columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class LimitPolicy:
    income_multiple_by_grade: dict[str, float]  # grade -> months of income; 0 = no credit
    product_cap_by_scenario: dict[str, float]  # scenario -> maximum limit, yuan
    unverified_income_haircut: float = 0.6  # declared income counts at this share without a provident-fund base
    minimum_limit: float = 1000.0  # below this no limit is offered
    rounding: float = 100.0  # limits are rounded down to a multiple of this
    default_cap: float = 20000.0  # cap for a scenario missing from product_cap_by_scenario
    notes: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, config: dict[str, Any]) -> LimitPolicy:
        return cls(**config)


def income_proxy(declared_monthly_income: pd.Series, provident_fund_base: pd.Series, haircut: float) -> pd.Series:
    """Monthly income the lender trusts: the provident-fund contribution base when there is one (verified by the
    bureau), else the declared income at a haircut; never more than the declared income when both exist."""
    declared = pd.to_numeric(declared_monthly_income, errors="coerce").fillna(0.0)
    verified = pd.to_numeric(provident_fund_base, errors="coerce")
    has_verified = verified.notna() & (verified > 0)
    ceiling = declared.where(declared > 0, np.inf)  # no declared income: the verified base alone
    trusted = np.where(has_verified, np.minimum(verified.fillna(0.0), ceiling), declared * haircut)
    return pd.Series(trusted, index=declared.index, dtype="float64")


def recommend_limits(frame: pd.DataFrame, policy: LimitPolicy) -> pd.DataFrame:
    """Per row of `frame` (columns grade, scenario, declared_monthly_income, provident_fund_base): the recommended
    limit in yuan and the rule that set it - grade_no_credit, income_multiple, product_cap or below_minimum."""
    proxy = income_proxy(frame["declared_monthly_income"], frame["provident_fund_base"],
                         policy.unverified_income_haircut)
    multiple = frame["grade"].map(policy.income_multiple_by_grade).fillna(0.0).astype("float64")
    cap = frame["scenario"].map(policy.product_cap_by_scenario).fillna(policy.default_cap).astype("float64")
    by_income = proxy * multiple
    limit = np.minimum(by_income, cap)
    limit = np.floor(limit / policy.rounding) * policy.rounding
    rule = np.where(by_income > cap, "product_cap", "income_multiple")
    rule = np.where(limit < policy.minimum_limit, "below_minimum", rule)
    rule = np.where(multiple <= 0, "grade_no_credit", rule)
    limit = np.where(np.isin(rule, ["below_minimum", "grade_no_credit"]), 0.0, limit)
    return pd.DataFrame({"recommended_limit": limit, "limit_rule": rule}, index=frame.index)
