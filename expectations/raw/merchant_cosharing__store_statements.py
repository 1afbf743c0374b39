"""raw.merchant_cosharing__store_statements: each store's own daily statement of what it is owed."""

import great_expectations as gx

from expectations.common import (
    RAW_LINEAGE_COLUMNS,
    STORE_ID_REGEX,
    columns_exactly,
    derived_names,
    flag_holds,
    known_in,
    matches,
    non_negative,
    not_after_landing,
    not_null,
    primary_key,
    select_with,
    suite,
)

TABLE = "raw.merchant_cosharing__store_statements"
COLUMNS = ("statement_id", "store_id", "merchant_id", "statement_date", "loans_disbursed", "disbursed_amount",
           "returns_amount", "refunds_amount", "net_payable", *RAW_LINEAGE_COLUMNS)
DERIVED = (
    known_in("store_id", "raw.merchant_management__stores"),
    not_after_landing("statement_date"),
    "coalesce(net_payable = disbursed_amount - returns_amount - refunds_amount, false) as net_payable_adds_up",
)
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_exactly(COLUMNS + derived_names(*DERIVED)),
        *primary_key("statement_id"),
        matches("store_id", STORE_ID_REGEX),
        *not_null("store_id", "statement_date", "net_payable"),
        *non_negative("loans_disbursed", "disbursed_amount", "returns_amount", "refunds_amount"),
        flag_holds("net_payable_adds_up"),
        flag_holds("store_id_is_known"),
        flag_holds("dated_by_landing_day"),
    ])
