"""raw.fraud_data__external_blacklist: the blacklist feed from external providers."""

import great_expectations as gx

from expectations.common import (
    DEVICE_ID_REGEX,
    ID_NUMBER_REGEX,
    MOBILE_REGEX,
    RAW_LINEAGE_COLUMNS,
    columns_exactly,
    derived_names,
    flag_holds,
    not_after_landing,
    not_null,
    one_of,
    primary_key,
    select_with,
    suite,
)

TABLE = "raw.fraud_data__external_blacklist"
COLUMNS = ("entry_id", "provider", "entry_type", "entry_value", "risk_level", "listed_on", *RAW_LINEAGE_COLUMNS)
PII_COLUMNS = ("entry_value",)

ENTRY_VALUE_FITS_TYPE = (
    f"case entry_type when 'id_number' then regexp_matches(entry_value, '{ID_NUMBER_REGEX}') "
    f"when 'mobile' then regexp_matches(entry_value, '{MOBILE_REGEX}') "
    f"when 'device_id' then regexp_matches(entry_value, '{DEVICE_ID_REGEX}') else false end as entry_value_fits_type"
)
DERIVED = (ENTRY_VALUE_FITS_TYPE, not_after_landing("listed_on"))
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_exactly(COLUMNS + derived_names(*DERIVED)),
        *primary_key("entry_id"),
        *not_null("provider", "entry_value", "listed_on"),
        one_of("entry_type", ["device_id", "id_number", "mobile"]),
        one_of("risk_level", ["high", "low", "medium"]),
        flag_holds("entry_value_fits_type"),
        flag_holds("dated_by_landing_day"),
    ])
