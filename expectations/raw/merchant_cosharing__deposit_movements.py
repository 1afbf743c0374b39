"""raw.merchant_cosharing__deposit_movements: movements of the deposit (margin) each merchant keeps."""

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
    positive,
    primary_key,
    select_with,
    suite,
)

TABLE = "raw.merchant_cosharing__deposit_movements"
COLUMNS = ("movement_id", "merchant_id", "movement_type", "amount", "moved_at", *RAW_LINEAGE_COLUMNS)
DERIVED = (known_in("merchant_id", "raw.merchant_management__merchants"), not_after_landing("moved_at"))
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_exactly(COLUMNS + derived_names(*DERIVED)),
        *primary_key("movement_id"),
        matches("merchant_id", MERCHANT_ID_REGEX),
        *not_null("amount", "moved_at"),
        one_of("movement_type", ["deduction", "release", "top_up"]),
        *positive("amount"),
        flag_holds("merchant_id_is_known"),
        flag_holds("dated_by_landing_day"),
    ])
