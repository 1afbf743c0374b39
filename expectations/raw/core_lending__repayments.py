"""raw.core_lending__repayments: payments received from customers (one row per payment)."""

import great_expectations as gx

from expectations.common import (
    LOAN_ID_REGEX,
    RAW_LINEAGE_COLUMNS,
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

TABLE = "raw.core_lending__repayments"
COLUMNS = ("repayment_id", "loan_id", "instalment_no", "paid_at", "amount", "payment_channel", *RAW_LINEAGE_COLUMNS)
DERIVED = (known_in("loan_id", "raw.core_lending__loans"), not_after_landing("paid_at"))
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_exactly(COLUMNS + derived_names(*DERIVED)),
        *primary_key("repayment_id"),
        matches("loan_id", LOAN_ID_REGEX),
        *not_null("loan_id", "paid_at", "amount"),
        between("instalment_no", 1, 60),
        *positive("amount"),
        one_of("payment_channel", ["alipay", "app", "auto_debit", "bank_transfer", "wechat_pay"]),
        flag_holds("loan_id_is_known"),
        flag_holds("dated_by_landing_day"),
    ])
