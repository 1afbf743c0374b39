"""raw.merchant_cosharing__refunds: partial refunds from a merchant to the lender on a loan."""

import great_expectations as gx

from expectations.common import (
    LOAN_ID_REGEX,
    RAW_LINEAGE_COLUMNS,
    at_least,
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

TABLE = "raw.merchant_cosharing__refunds"
COLUMNS = ("refund_id", "loan_id", "merchant_id", "store_id", "refund_amount", "reason", "state", "requested_at",
           "completed_at", *RAW_LINEAGE_COLUMNS)
DERIVED = (known_in("loan_id", "raw.core_lending__loans"), not_after_landing("requested_at", "completed_at"))
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_exactly(COLUMNS + derived_names(*DERIVED)),
        *primary_key("refund_id"),
        matches("loan_id", LOAN_ID_REGEX),
        *not_null("loan_id", "refund_amount", "state", "requested_at"),
        *positive("refund_amount"),
        one_of("state", ["completed", "rejected", "requested"]),
        one_of("reason", ["course_withdrawal", "damaged_goods", "partial_service_cancelled", "price_adjustment",
                          "promotion_rebate"]),
        at_least("completed_at", "requested_at"),
        flag_holds("loan_id_is_known"),
        flag_holds("dated_by_landing_day"),
    ])
