"""raw.core_lending__customers: customers as the core lending system registers them (one row per customer)."""

import great_expectations as gx

from expectations.common import (
    CUSTOMER_ID_REGEX,
    ID_NUMBER_REGEX,
    MOBILE_REGEX,
    RAW_LINEAGE_COLUMNS,
    between,
    columns_exactly,
    derived_names,
    flag_holds,
    id_number_check_character,
    matches,
    not_after_landing,
    not_null,
    primary_key,
    select_with,
    suite,
)

TABLE = "raw.core_lending__customers"
COLUMNS = ("customer_id", "full_name", "id_number", "mobile", "home_province", "home_city", "home_address",
           "declared_monthly_income", "occupation", "registered_at", *RAW_LINEAGE_COLUMNS)
PII_COLUMNS = ("full_name", "id_number", "mobile", "home_address")
DERIVED = (id_number_check_character("id_number"), not_after_landing("registered_at"))
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_exactly(COLUMNS + derived_names(*DERIVED)),
        *primary_key("customer_id"),
        matches("customer_id", CUSTOMER_ID_REGEX),
        *not_null("full_name", "id_number", "mobile", "home_province", "home_city", "registered_at"),
        matches("id_number", ID_NUMBER_REGEX),
        flag_holds("id_number_check_ok"),
        matches("mobile", MOBILE_REGEX),
        between("declared_monthly_income", 0, 1_000_000),
        flag_holds("dated_by_landing_day"),
    ])
