"""marts.risk_fpd: first-payment default per merchant, scenario and origination month - FPD30 and FPD7 counts and
rates over the loans whose first instalment fell due at least 30 days before the data date.

A warning to the risk analysts, not blocking.
"""

import great_expectations as gx

from expectations.common import (
    MERCHANT_ID_REGEX,
    SCENARIOS,
    at_least,
    between,
    columns_include,
    derived_names,
    flag_holds,
    known_in,
    matches,
    non_negative,
    not_null,
    one_of,
    primary_key,
    rule,
    select_with,
    share,
    single_value,
    suite,
)

TABLE = "marts.risk_fpd"
COUNTS = ("loan_count", "observable_loan_count", "fpd30_loan_count", "fpd7_loan_count")
AMOUNTS = ("principal", "observable_principal", "fpd30_principal", "fpd7_principal")
RATES = ("fpd30_rate", "fpd30_principal_rate", "fpd7_rate", "fpd7_principal_rate")
DERIVED = (
    known_in("merchant_id", "marts.dim_merchants"),
    rule("origination_month = date_trunc('month', origination_month)", "origination_month_is_a_month"),
    rule("origination_month <= as_of_date", "originated_by_the_data_date"),
    rule("as_of_date = (select max(as_of_date) from marts.fct_loans)", "as_of_the_data_date"),
    rule("(observable_loan_count = 0) = (fpd30_rate is null) and (observable_loan_count = 0) = (fpd7_rate is null)",
         "rates_exactly_when_observable"),
    rule("observable_loan_count = 0 or abs(fpd30_rate - fpd30_loan_count / observable_loan_count) < 1e-9",
         "fpd30_rate_is_the_count"),
)
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_include(("merchant_id", "scenario", "origination_month", *COUNTS, *AMOUNTS, *RATES, "as_of_date",
                         *derived_names(*DERIVED))),
        *primary_key("merchant_id", "scenario", "origination_month"),
        matches("merchant_id", MERCHANT_ID_REGEX),
        *not_null(*COUNTS, *AMOUNTS, "as_of_date"),
        one_of("scenario", SCENARIOS),
        between("loan_count", 1),  # a row is a month with a loan that was not returned
        *non_negative(*COUNTS, *AMOUNTS),
        *share(*RATES),
        single_value("as_of_date"),
        at_least("loan_count", "observable_loan_count"),
        at_least("observable_loan_count", "fpd7_loan_count"),
        at_least("fpd7_loan_count", "fpd30_loan_count"),
        at_least("principal", "observable_principal"),
        at_least("observable_principal", "fpd7_principal"),
        at_least("fpd7_principal", "fpd30_principal"),
        *(flag_holds(flag) for flag in derived_names(*DERIVED)),
    ])
