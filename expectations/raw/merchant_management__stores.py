"""raw.merchant_management__stores: stores, campuses and clinics of each merchant (one row per store)."""

import great_expectations as gx

from expectations.common import (
    MERCHANT_ID_REGEX,
    RAW_LINEAGE_COLUMNS,
    STORE_ID_REGEX,
    between,
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

TABLE = "raw.merchant_management__stores"
COLUMNS = ("store_id", "merchant_id", "store_name", "city", "address", "gps_lat", "gps_lon", "opened_on",
           *RAW_LINEAGE_COLUMNS)
DERIVED = (known_in("merchant_id", "raw.merchant_management__merchants"), not_after_landing("opened_on"))
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_exactly(COLUMNS + derived_names(*DERIVED)),
        *primary_key("store_id"),
        matches("store_id", STORE_ID_REGEX),
        matches("merchant_id", MERCHANT_ID_REGEX),
        *not_null("merchant_id", "store_name", "city"),
        between("gps_lat", 18, 54),  # mainland China
        between("gps_lon", 73, 135),
        flag_holds("merchant_id_is_known"),
        flag_holds("dated_by_landing_day"),
    ])
