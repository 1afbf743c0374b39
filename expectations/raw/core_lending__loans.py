"""raw.core_lending__loans: loans disbursed to merchants on behalf of customers (one row per loan)."""

import great_expectations as gx

from expectations.common import (
    APPLICATION_ID_REGEX,
    LOAN_ID_REGEX,
    RAW_LINEAGE_COLUMNS,
    SCENARIOS,
    at_least,
    between,
    columns_exactly,
    derived_names,
    flag_holds,
    known_in,
    matches,
    not_after_landing,
    not_null,
    one_of,
    positive,
    primary_key,
    select_with,
    suite,
)

TABLE = "raw.core_lending__loans"
COLUMNS = ("loan_id", "application_id", "customer_id", "merchant_id", "store_id", "scenario", "principal",
           "term_months", "annual_rate", "disbursed_on", "first_due_on", *RAW_LINEAGE_COLUMNS)
DERIVED = (known_in("application_id", "raw.core_lending__applications"), not_after_landing("disbursed_on"))
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_exactly(COLUMNS + derived_names(*DERIVED)),
        *primary_key("loan_id"),
        matches("loan_id", LOAN_ID_REGEX),
        matches("application_id", APPLICATION_ID_REGEX),
        *not_null("application_id", "customer_id", "principal", "term_months", "disbursed_on", "first_due_on"),
        one_of("scenario", SCENARIOS),
        *positive("principal"),
        between("term_months", 1, 60),
        between("annual_rate", 0, 0.36),
        at_least("first_due_on", "disbursed_on"),
        flag_holds("application_id_is_known"),
        flag_holds("dated_by_landing_day"),
    ])
