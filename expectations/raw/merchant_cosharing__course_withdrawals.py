"""raw.merchant_cosharing__course_withdrawals: education course withdrawals agreed between customer and school."""

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
    non_negative,
    not_after_landing,
    not_null,
    positive,
    primary_key,
    select_with,
    suite,
)

TABLE = "raw.merchant_cosharing__course_withdrawals"
COLUMNS = ("withdrawal_id", "loan_id", "customer_id", "merchant_id", "agreed_on", "course_fee", "lessons_total",
           "lessons_used", "unused_tuition", *RAW_LINEAGE_COLUMNS)
DERIVED = (known_in("loan_id", "raw.core_lending__loans"), not_after_landing("agreed_on"))
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_exactly(COLUMNS + derived_names(*DERIVED)),
        *primary_key("withdrawal_id"),
        matches("loan_id", LOAN_ID_REGEX),
        *not_null("loan_id", "agreed_on", "course_fee", "unused_tuition"),
        *positive("course_fee", "lessons_total"),
        *non_negative("lessons_used", "unused_tuition"),
        at_least("lessons_total", "lessons_used"),
        at_least("course_fee", "unused_tuition"),
        flag_holds("loan_id_is_known"),
        flag_holds("dated_by_landing_day"),
    ])
