"""marts.education_refund_instructions: the T+1 refund instructions of course withdrawals (one row per withdrawal).

Blocking - does it guard what it blocks?
- education_refunds: the publish. Yes: money moves on this list; a refund not due T+1, a negative amount or an
  unknown loan must not reach the finance team.
- daily_path: the day's single run - everything it builds downstream of this table, as the jobs above do, and
  its one publish. Yes, for the same reasons.
"""

import great_expectations as gx

from expectations.common import (
    columns_include,
    derived_names,
    flag_holds,
    known_in,
    non_negative,
    not_null,
    primary_key,
    select_with,
    suite,
)

TABLE = "marts.education_refund_instructions"
BLOCKING = True
AMOUNTS = ("unused_tuition", "amount_paid_by_customer", "principal_owed", "principal_cancelled",
           "merchant_refund_amount", "customer_refund_amount", "customer_residual_principal")
DERIVED = (
    known_in("loan_id", "marts.fct_loans"),
    "coalesce(refund_on = agreed_on + 1, false) as refunds_on_t_plus_1",
)
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_include(("withdrawal_id", "loan_id", "refund_on", "agreed_on", *AMOUNTS, *derived_names(*DERIVED))),
        *primary_key("withdrawal_id"),
        *not_null("loan_id", "refund_on", "merchant_refund_amount", "customer_refund_amount"),
        *non_negative(*AMOUNTS),
        flag_holds("refunds_on_t_plus_1"),
        flag_holds("loan_id_is_known"),
    ])
