"""raw.operations__complaints: complaints and public-opinion items about merchants."""

import great_expectations as gx

from expectations.common import (
    MERCHANT_ID_REGEX,
    RAW_LINEAGE_COLUMNS,
    columns_exactly,
    derived_names,
    flag_holds,
    known_in,
    matches,
    not_after_landing,
    not_null,
    one_of,
    primary_key,
    select_with,
    suite,
)

TABLE = "raw.operations__complaints"
COLUMNS = ("complaint_id", "merchant_id", "customer_id", "channel", "category", "severity", "content", "received_at",
           *RAW_LINEAGE_COLUMNS)
DERIVED = (known_in("merchant_id", "raw.merchant_management__merchants"), not_after_landing("received_at"))
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_exactly(COLUMNS + derived_names(*DERIVED)),
        *primary_key("complaint_id"),
        matches("merchant_id", MERCHANT_ID_REGEX),
        *not_null("merchant_id", "received_at"),
        one_of("channel", ["app_review", "hotline", "regulator", "social_media"]),
        one_of("category", ["false_advertising", "goods_not_received", "refund_dispute", "repayment_dispute",
                            "service_not_delivered", "service_quality", "store_closed", "unauthorized_loan"]),
        one_of("severity", ["high", "low", "medium"]),
        flag_holds("merchant_id_is_known"),
        flag_holds("dated_by_landing_day"),
    ])
