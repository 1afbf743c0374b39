"""raw.core_lending__applications: loan applications with device, location and liveness data."""

import great_expectations as gx

from expectations.common import (
    APPLICATION_ID_REGEX,
    CUSTOMER_ID_REGEX,
    MERCHANT_ID_REGEX,
    RAW_LINEAGE_COLUMNS,
    SCENARIOS,
    STORE_ID_REGEX,
    at_least,
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

TABLE = "raw.core_lending__applications"
COLUMNS = ("application_id", "customer_id", "merchant_id", "store_id", "sales_rep_id", "scenario", "channel",
           "requested_amount", "requested_term_months", "applied_at", "device_id", "ip_address", "gps_lat", "gps_lon",
           "liveness_result", "liveness_retries", "decision", "decision_reason", "decided_at", *RAW_LINEAGE_COLUMNS)
PII_COLUMNS = ("gps_lat", "gps_lon")
DERIVED = (known_in("customer_id", "raw.core_lending__customers"), not_after_landing("applied_at", "decided_at"))
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_exactly(COLUMNS + derived_names(*DERIVED)),
        *primary_key("application_id"),
        matches("application_id", APPLICATION_ID_REGEX),
        matches("customer_id", CUSTOMER_ID_REGEX),
        matches("merchant_id", MERCHANT_ID_REGEX),
        matches("store_id", STORE_ID_REGEX),
        *not_null("customer_id", "merchant_id", "store_id", "applied_at", "decision"),
        one_of("scenario", SCENARIOS),
        one_of("channel", ["H5", "in_store"]),
        *positive("requested_amount"),
        between("requested_amount", high=1_000_000),
        between("requested_term_months", 1, 60),
        one_of("liveness_result", ["pass", "fail"]),
        between("liveness_retries", 0, 10),
        one_of("decision", ["approved", "declined"]),
        at_least("decided_at", "applied_at"),
        flag_holds("customer_id_is_known"),
        flag_holds("dated_by_landing_day"),
    ])
