"""marts.fct_applications: one row per loan application, the grain every score and feature mart follows."""

import great_expectations as gx

from expectations.common import (
    SCENARIOS,
    at_least,
    columns_include,
    derived_names,
    flag_holds,
    known_in,
    not_null,
    one_of,
    positive,
    primary_key,
    select_with,
    suite,
)

TABLE = "marts.fct_applications"
DERIVED = (known_in("customer_id", "marts.dim_customers"),)
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_include(("application_id", "customer_id", "merchant_id", "store_id", "loan_id", "scenario",
                         "decision", "requested_amount", "applied_at", "decided_at", *derived_names(*DERIVED))),
        *primary_key("application_id"),
        *not_null("customer_id", "merchant_id", "store_id", "applied_at", "decision"),
        one_of("scenario", SCENARIOS),
        one_of("decision", ["approved", "declined"]),
        *positive("requested_amount"),
        at_least("decided_at", "applied_at"),
        flag_holds("customer_id_is_known"),
    ])
