"""raw.fraud_data__device_fingerprints: the device fingerprint captured with each application."""

import great_expectations as gx

from expectations.common import (
    APPLICATION_ID_REGEX,
    DEVICE_ID_REGEX,
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

TABLE = "raw.fraud_data__device_fingerprints"
COLUMNS = ("fingerprint_id", "application_id", "customer_id", "device_id", "os", "device_model", "is_emulator",
           "is_rooted", "captured_at", *RAW_LINEAGE_COLUMNS)
DERIVED = (known_in("application_id", "raw.core_lending__applications"), not_after_landing("captured_at"))
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_exactly(COLUMNS + derived_names(*DERIVED)),
        *primary_key("fingerprint_id"),
        matches("application_id", APPLICATION_ID_REGEX),
        matches("device_id", DEVICE_ID_REGEX),
        *not_null("application_id", "device_id", "is_emulator", "is_rooted"),
        one_of("os", ["Android", "iOS"]),
        flag_holds("application_id_is_known"),
        flag_holds("dated_by_landing_day"),
    ])
