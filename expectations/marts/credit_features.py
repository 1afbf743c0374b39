"""marts.credit_features: the credit models' training and scoring input (one row per application, point in time).

Blocking - does it guard what it blocks?
- credit_training: the scorecards. Yes: every expectation is about rows being wrong (duplicate or unknown
  applications, a feature dated before its application, counts below zero, shares outside [0, 1]); a model trained on
  them is wrong. Whether there is enough to train on at all is not data being wrong: that is the training readiness
  (ml.readiness, credit_policy.yml), a warning in the batch and a "not yet" in training - not here.
- credit_scoring: the scores and the publish. Yes: the same wrong rows would be scored.
- daily_batch: the publish to the serving lake, which every mart waits for (staff keep the previous build).
  Yes: the feature mart is published, and a broken one means the
  warehouse under it is broken.
- daily_path: the day's single run - everything it builds downstream of this table, as the jobs above do, and
  its one publish. Yes, for the same reasons.
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
    # the target is known exactly when its six months have passed
    "(is_bad_30dpd_6mob is not null) = is_target_observable as target_known_when_observable",
)
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_exactly(COLUMNS + derived_names(*DERIVED)),
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
        flag_holds("target_known_when_observable"),
        flag_holds("application_id_is_known"),
    ])
