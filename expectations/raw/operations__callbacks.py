"""raw.operations__callbacks: AI call-back results asking customers whether they received the goods or service."""

import great_expectations as gx

from expectations.common import (
    LOAN_ID_REGEX,
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

TABLE = "raw.operations__callbacks"
COLUMNS = ("callback_id", "loan_id", "customer_id", "merchant_id", "called_at", "result", *RAW_LINEAGE_COLUMNS)
DERIVED = (known_in("loan_id", "raw.core_lending__loans"), not_after_landing("called_at"))
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_exactly(COLUMNS + derived_names(*DERIVED)),
        *primary_key("callback_id"),
        matches("loan_id", LOAN_ID_REGEX),
        *not_null("loan_id", "called_at", "result"),
        one_of("result", ["no_answer", "not_received", "received"]),
        flag_holds("loan_id_is_known"),
        flag_holds("dated_by_landing_day"),
    ])
