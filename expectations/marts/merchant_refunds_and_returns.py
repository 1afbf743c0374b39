"""marts.merchant_refunds_and_returns: refund management - one row per loan return and per refund a merchant owes
the lender, with its processing state, how long it took and the instalments it cancelled.

A warning to the merchant managers, not blocking.
"""

import great_expectations as gx

from expectations.common import (
    LOAN_ID_REGEX,
    MERCHANT_ID_REGEX,
    STORE_ID_REGEX,
    at_least,
    columns_include,
    derived_names,
    flag_holds,
    known_in,
    matches,
    non_negative,
    not_null,
    one_of,
    positive,
    primary_key,
    rule,
    select_with,
    suite,
)

TABLE = "marts.merchant_refunds_and_returns"
KINDS = ("loan_return", "course_withdrawal_refund", "refund")
STATES = ("requested", "completed", "rejected")
DERIVED = (
    known_in("loan_id", "marts.fct_loans"),
    known_in("customer_id", "marts.dim_customers"),
    known_in("merchant_id", "marts.dim_merchants"),
    known_in("store_id", "marts.dim_stores"),
    # a return keeps its return_id (RT...), a refund its refund_id (RF...)
    rule("(kind = 'loan_return') = starts_with(case_id, 'RT') and (kind <> 'loan_return') = starts_with(case_id, 'RF')",
         "case_id_is_of_its_kind"),
    rule("(kind = 'course_withdrawal_refund') = (withdrawal_id is not null) "
         "and (withdrawal_id is null) = (withdrawal_agreed_on is null)", "a_withdrawal_exactly_for_its_refund"),
    rule("(state = 'completed') = (completed_on is not null) and (state = 'completed') = is_completed "
         "and (state = 'rejected') = (rejected_on is not null)", "state_matches_its_dates"),
    rule("(state = 'requested') = (closed_at is null) and (state = 'requested') = (days_open is not null)",
         "open_exactly_while_requested"),
    rule("days_to_complete is not distinct from (completed_on - requested_on)", "days_to_complete_is_the_span"),
    rule("kind <> 'refund' or (instalments_cancelled = 0 and principal_cancelled = 0 and interest_cancelled = 0)",
         "a_refund_cancels_nothing"),
    rule("(instalments_cancelled > 0) = (instalments_cancelled_on is not null)", "cancellation_has_a_day"),
)
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_include(("case_id", "loan_id", "customer_id", "merchant_id", "store_id", "withdrawal_id", "kind",
                         "scenario", "reason", "state", "amount", "loan_principal", "instalments_cancelled",
                         "principal_cancelled", "interest_cancelled", "days_to_complete", "days_open", "is_completed",
                         "requested_on", "completed_on", "rejected_on", "withdrawal_agreed_on",
                         "instalments_cancelled_on", "requested_at", "closed_at", *derived_names(*DERIVED))),
        *primary_key("case_id"),
        *not_null("loan_id", "kind", "state", "amount", "loan_principal", "requested_on", "instalments_cancelled",
                  "principal_cancelled", "interest_cancelled"),
        matches("loan_id", LOAN_ID_REGEX),
        matches("merchant_id", MERCHANT_ID_REGEX),
        matches("store_id", STORE_ID_REGEX),
        one_of("kind", KINDS),
        one_of("state", STATES),
        *positive("amount", "loan_principal"),
        *non_negative("instalments_cancelled", "principal_cancelled", "interest_cancelled", "days_to_complete",
                      "days_open"),
        at_least("loan_principal", "principal_cancelled"),
        at_least("completed_on", "requested_on"),
        at_least("rejected_on", "requested_on"),
        at_least("closed_at", "requested_at"),
        *(flag_holds(flag) for flag in derived_names(*DERIVED)),
    ])
