"""raw.merchant_management__merchants: partner institutions, a new row per change of status, quota or deposit terms."""

import great_expectations as gx

from expectations.common import (
    MERCHANT_ID_REGEX,
    RAW_LINEAGE_COLUMNS,
    SCENARIOS,
    between,
    columns_exactly,
    derived_names,
    flag_holds,
    matches,
    non_negative,
    not_after_landing,
    not_null,
    one_of,
    primary_key,
    select_with,
    suite,
)

TABLE = "raw.merchant_management__merchants"
COLUMNS = ("merchant_id", "merchant_name", "scenario", "province", "city", "admission_status", "admitted_on",
           "deposit_ratio", "credit_quota", "updated_at", *RAW_LINEAGE_COLUMNS)
DERIVED = (not_after_landing("admitted_on", "updated_at"),)
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_exactly(COLUMNS + derived_names(*DERIVED)),
        *primary_key("merchant_id", "updated_at"),
        matches("merchant_id", MERCHANT_ID_REGEX),
        *not_null("merchant_name", "scenario", "admission_status"),
        one_of("scenario", SCENARIOS),
        one_of("admission_status", ["admitted", "pending", "suspended", "terminated"]),
        between("deposit_ratio", 0, 1),
        *non_negative("credit_quota"),
        flag_holds("dated_by_landing_day"),
    ])
