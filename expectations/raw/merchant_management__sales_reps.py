"""raw.merchant_management__sales_reps: sales representatives working at a store (one row per rep)."""

import great_expectations as gx

from expectations.common import (
    MOBILE_REGEX,
    RAW_LINEAGE_COLUMNS,
    SALES_REP_ID_REGEX,
    STORE_ID_REGEX,
    columns_exactly,
    derived_names,
    flag_holds,
    known_in,
    matches,
    not_after_landing,
    not_null,
    primary_key,
    select_with,
    suite,
)

TABLE = "raw.merchant_management__sales_reps"
COLUMNS = ("sales_rep_id", "merchant_id", "store_id", "rep_name", "mobile", "hired_on", *RAW_LINEAGE_COLUMNS)
PII_COLUMNS = ("rep_name", "mobile")
DERIVED = (known_in("store_id", "raw.merchant_management__stores"), not_after_landing("hired_on"))
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_exactly(COLUMNS + derived_names(*DERIVED)),
        *primary_key("sales_rep_id"),
        matches("sales_rep_id", SALES_REP_ID_REGEX),
        matches("store_id", STORE_ID_REGEX),
        *not_null("merchant_id", "store_id", "mobile"),
        matches("mobile", MOBILE_REGEX),
        flag_holds("store_id_is_known"),
        flag_holds("dated_by_landing_day"),
    ])
