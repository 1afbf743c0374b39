"""marts.credit_features: the credit models' training and scoring input (one row per application, point in time).

Blocking: a broken feature mart stops the scorecards (credit_training) and the scoring (credit_scoring).
"""

import great_expectations as gx

from expectations.common import (
    SCENARIOS,
    at_least,
    between,
    columns_exactly,
    derived_names,
    flag_holds,
    known_in,
    non_negative,
    not_null,
    one_of,
    primary_key,
    row_count_at_least,
    select_with,
    share,
    suite,
)

TABLE = "marts.credit_features"
BLOCKING = True
COLUMNS = (
    "application_id", "customer_id", "merchant_id", "store_id", "loan_id", "scenario", "channel", "decision",
    "applied_at", "features_as_of", "application_month", "requested_amount", "requested_term_months",
    "bureau_employer_type", "bureau_provident_fund_status", "bureau_provident_fund_base",
    "bureau_existing_credit_lines", "bureau_total_credit_limit", "bureau_credit_utilization", "bureau_overdue_accounts",
    "transaction_queries_30d", "transaction_queries_90d", "transaction_queries_180d", "transaction_loans_30d",
    "transaction_loans_90d", "transaction_loans_180d", "transaction_loan_amount_30d", "transaction_loan_amount_90d",
    "transaction_loan_amount_180d", "transaction_institution_types_180d", "transaction_small_lender_events_180d",
    "transaction_debt_to_annual_income", "transaction_prior_loans_with_us", "behaviour_accounts_elsewhere",
    "behaviour_on_time_ratio_12m", "behaviour_overdue_count_12m", "behaviour_max_dpd_12m",
    "behaviour_collection_contacts_30d", "behaviour_collection_contacts_90d", "behaviour_collection_contacts_180d",
    "behaviour_collection_calls_180d", "behaviour_collection_agency_contacts_180d",
    "behaviour_days_since_last_collection_contact", "behaviour_ever_30dpd_with_us", "other_age",
    "other_declared_monthly_income", "other_occupation", "other_city_tier", "other_district_level",
    "other_housing_class", "other_contacts", "other_contacts_who_are_customers", "other_contacts_ever_30dpd",
    "other_share_contacts_ever_30dpd", "target_horizon_on", "is_target_observable", "is_bad_30dpd_6mob",
)
COUNTS = (
    "bureau_existing_credit_lines", "bureau_overdue_accounts", "transaction_queries_30d", "transaction_queries_90d",
    "transaction_queries_180d", "transaction_loans_30d", "transaction_loans_90d", "transaction_loans_180d",
    "transaction_institution_types_180d", "transaction_small_lender_events_180d", "transaction_prior_loans_with_us",
    "behaviour_accounts_elsewhere", "behaviour_overdue_count_12m", "behaviour_max_dpd_12m",
    "behaviour_collection_contacts_30d", "behaviour_collection_contacts_90d", "behaviour_collection_contacts_180d",
    "behaviour_collection_calls_180d", "behaviour_collection_agency_contacts_180d", "other_contacts",
    "other_contacts_who_are_customers", "other_contacts_ever_30dpd",
)
DERIVED = (
    known_in("application_id", "marts.fct_applications"),
    # the bad rate among applications whose six months have passed (null elsewhere, so the mean ignores them)
    "case when is_target_observable then is_bad_30dpd_6mob::integer end as observable_bad",
)
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_exactly(COLUMNS + derived_names(*DERIVED)),
        row_count_at_least(100),
        *primary_key("application_id"),
        *not_null("customer_id", "applied_at", "features_as_of", "application_month", "is_target_observable"),
        one_of("scenario", SCENARIOS),
        one_of("decision", ["approved", "declined"]),
        at_least("features_as_of", "applied_at"),  # features are taken at the decision, after the application
        *non_negative(*COUNTS, "transaction_loan_amount_180d", "transaction_debt_to_annual_income",
                      "bureau_total_credit_limit", "other_declared_monthly_income"),
        *share("bureau_credit_utilization", "behaviour_on_time_ratio_12m", "other_share_contacts_ever_30dpd"),
        between("other_age", 18, 80),
        between("other_city_tier", 1, 4),
        one_of("other_housing_class", ["low_end", "ordinary", "premium", "rural"]),
        # the model needs both outcomes: a bad rate of 0 or 1 means the target is broken
        gx.expectations.ExpectColumnMeanToBeBetween(column="observable_bad", min_value=0.001, max_value=0.5),
        flag_holds("application_id_is_known"),
    ])
