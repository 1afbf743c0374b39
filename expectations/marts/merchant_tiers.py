"""marts.merchant_tiers: every admitted merchant's ABC grade per day - the three sub-scores, the overall score, the
reason and the metrics behind them (the monthly grade on is_month_end, today's on is_latest).

A warning to the merchant-risk analysts, not blocking. The table is long (merchant x day: 12.8M rows at 1M
customers, where the whole table as a DataFrame took GX 89 s and ~19 GB), so the suite reads only the columns it
checks, and only the grades analysts act on: the days of the last month (today's grade among them) and every month
end. dbt's data tests on the model (key, not null, rates, coverage) hold for every row of the history.
"""

import great_expectations as gx

from expectations.common import (
    MERCHANT_ID_REGEX,
    SCENARIOS,
    between,
    columns_include,
    derived_names,
    flag_holds,
    key_joins,
    known_in,
    matches,
    non_negative,
    not_null,
    one_of,
    primary_key,
    rule,
    share,
    suite,
    unique_where_filled,
)

TABLE = "marts.merchant_tiers"
GRADES = ("A", "B", "C")
SCORES = ("overall_score", "operating_scale_score", "customer_quality_score", "capital_flow_score")
RATES = ("fpd30_rate", "ever_30dpd_rate", "never_paid_60dpd_rate", "fraud_blacklisted_rate")
# Not a share: returns and refunds requested in 365 days over the principal disbursed in them - a return of a loan
# disbursed before the window counts on top (above 1 on 32 merchant-days of the last month at 1M customers).
OUTFLOW_RATE = "return_refund_outflow_rate"
AMOUNTS = ("principal_disbursed_365d", "outstanding_principal", "required_deposit")
COUNTS = ("loans_disbursed_365d", "tenure_days", "open_store_count", "fpd30_observable_loans_365d")
COLUMNS = ("merchant_tier_key", "merchant_id", "as_of_date", "scenario", "grade", "previous_month_end_grade",
           "grade_reason", "admission_status", "is_month_end", "is_latest", *SCORES, *RATES, OUTFLOW_RATE, *AMOUNTS,
           *COUNTS)
DERIVED = (
    key_joins("merchant_tier_key", "merchant_id", "as_of_date"),
    known_in("merchant_id", "marts.dim_merchants"),
    "case when is_latest then merchant_id end as latest_merchant_id",
    rule("is_latest = (as_of_date = (select max(as_of_date) from marts.fct_loans))", "latest_is_the_data_date"),
    rule("is_month_end = (as_of_date = last_day(as_of_date))", "month_end_is_the_last_day"),
    # the best grade of seed merchant_tier_grades whose floors the overall score and the weakest sub-score meet
    # (least() skips the sub-scores that are null: the grade rests on the others)
    rule("grade = (select grades.grade from reference.merchant_tier_grades as grades "
         "where merchant_tiers.overall_score >= grades.min_overall_score "
         "and least(merchant_tiers.operating_scale_score, merchant_tiers.customer_quality_score, "
         "merchant_tiers.capital_flow_score) >= grades.min_sub_score "
         "order by grades.min_overall_score desc, grades.grade limit 1)", "grade_meets_its_floors"),
    rule("starts_with(grade_reason, 'grade ' || grade || ':')", "reason_names_the_grade"),
    rule("(required_deposit > 0) = (deposit_coverage_ratio is not null)", "coverage_exactly_when_required"),
    # a rate is null, not 0 or 1, when there is nothing to measure it on
    rule("(ever_30dpd_rate is null) = (fpd30_observable_loans_365d = 0)", "ever_30dpd_rate_null_without_loans"),
    rule("(fraud_blacklisted_rate is null) = (loans_disbursed_365d = 0)", "fraud_rate_null_without_loans"),
)
RECENT_DAYS = 31
QUERY = (f"select {', '.join(COLUMNS)}, {', '.join(DERIVED)} from {TABLE} "
         f"where is_month_end or as_of_date > (select max(as_of_date) from {TABLE}) - {RECENT_DAYS}")


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_include((*COLUMNS, *derived_names(*DERIVED))),
        *primary_key("merchant_tier_key"),
        matches("merchant_id", MERCHANT_ID_REGEX),
        *not_null("merchant_id", "as_of_date", "grade", "overall_score", "operating_scale_score", "grade_reason",
                  "admission_status", "is_month_end", "is_latest", *AMOUNTS),
        one_of("grade", GRADES),
        one_of("previous_month_end_grade", GRADES),
        one_of("scenario", SCENARIOS),
        one_of("admission_status", ["admitted", "suspended", "terminated", "pending"]),
        *(between(score, 0, 100) for score in SCORES),
        *share(*RATES),
        *non_negative(OUTFLOW_RATE, *AMOUNTS, *COUNTS),
        unique_where_filled("latest_merchant_id"),
        *(flag_holds(flag) for flag in derived_names(*DERIVED) if flag != "latest_merchant_id"),
    ])
