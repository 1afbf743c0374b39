"""marts.fct_loans: one row per loan with its position and days past due as of the data date."""

import great_expectations as gx

from expectations.common import (
    SCENARIOS,
    at_least,
    columns_include,
    derived_names,
    flag_holds,
    known_in,
    non_negative,
    not_null,
    one_of,
    positive,
    primary_key,
    select_with,
    suite,
)

TABLE = "marts.fct_loans"
DERIVED = (known_in("application_id", "marts.fct_applications"), known_in("customer_id", "marts.dim_customers"))
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_include(("loan_id", "application_id", "customer_id", "merchant_id", "scenario", "loan_status",
                         "current_dpd_bucket", "principal", "outstanding_principal", "disbursed_on",
                         *derived_names(*DERIVED))),
        *primary_key("loan_id"),
        *not_null("application_id", "customer_id", "merchant_id", "loan_status", "disbursed_on"),
        one_of("scenario", SCENARIOS),
        one_of("loan_status", ["active", "paid_off", "returned", "written_off", "withdrawn"]),
        one_of("current_dpd_bucket", ["current", "M1", "M2", "M3+"]),
        *positive("principal"),
        *non_negative("outstanding_principal", "amount_repaid", "current_dpd", "max_dpd_to_date"),
        at_least("principal", "outstanding_principal"),
        at_least("max_dpd_to_date", "current_dpd"),
        flag_holds("application_id_is_known"),
        flag_holds("customer_id_is_known"),
    ])
