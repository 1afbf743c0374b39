"""marts.store_reconciliation_daily: store x day, the books against the store's own statement (merchant staff)."""

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

TABLE = "marts.store_reconciliation_daily"
DERIVED = (
    known_in("store_id", "marts.dim_stores"),
    "(is_matched or difference_cause is not null) as a_difference_has_a_cause",
)
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_include(("store_day_key", "store_id", "business_date", "is_matched", "difference_cause",
                         "net_payable", *derived_names(*DERIVED))),
        *primary_key("store_day_key"),
        gx.expectations.ExpectCompoundColumnsToBeUnique(column_list=["store_id", "business_date"]),
        *not_null("store_id", "business_date", "is_matched"),
        *non_negative("loans_disbursed", "disbursed_amount", "returns_amount", "refunds_amount"),
        flag_holds("a_difference_has_a_cause"),
        flag_holds("store_id_is_known"),
    ])
