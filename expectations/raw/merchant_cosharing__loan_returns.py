"""raw.merchant_cosharing__loan_returns: cancelled loans (goods returned); the merchant pays the principal back."""

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

TABLE = "raw.merchant_cosharing__loan_returns"
COLUMNS = ("return_id", "loan_id", "merchant_id", "store_id", "return_amount", "reason", "state", "requested_at",
           "completed_at", *RAW_LINEAGE_COLUMNS)
DERIVED = (known_in("loan_id", "raw.core_lending__loans"), not_after_landing("requested_at", "completed_at"))
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_exactly(COLUMNS + derived_names(*DERIVED)),
        *primary_key("return_id"),
        matches("loan_id", LOAN_ID_REGEX),
        *not_null("loan_id", "return_amount", "state", "requested_at"),
        *positive("return_amount"),
        one_of("state", ["completed", "rejected", "requested"]),
        one_of("reason", ["customer_changed_mind", "duplicate_order", "goods_returned", "order_cancelled",
                          "service_not_provided"]),
        at_least("completed_at", "requested_at"),
        flag_holds("loan_id_is_known"),
        flag_holds("dated_by_landing_day"),
    ])
