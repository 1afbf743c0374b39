"""raw.fraud_data__contact_lists: phone contacts uploaded by the customer (edges of the social graph)."""

import great_expectations as gx

from expectations.common import (
    CUSTOMER_ID_REGEX,
    MOBILE_REGEX,
    RAW_LINEAGE_COLUMNS,
    columns_exactly,
    derived_names,
    flag_holds,
    known_in,
    matches,
    not_after_landing,
    one_of,
    primary_key,
    select_with,
    suite,
)

TABLE = "raw.fraud_data__contact_lists"
COLUMNS = ("customer_id", "contact_mobile", "contact_name", "relation", "uploaded_at", *RAW_LINEAGE_COLUMNS)
PII_COLUMNS = ("contact_mobile", "contact_name")
DERIVED = (known_in("customer_id", "raw.core_lending__customers"), not_after_landing("uploaded_at"))
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_exactly(COLUMNS + derived_names(*DERIVED)),
        *primary_key("customer_id", "contact_mobile"),
        matches("customer_id", CUSTOMER_ID_REGEX),
        matches("contact_mobile", MOBILE_REGEX),
        one_of("relation", ["colleague", "family", "friend", "other"]),
        flag_holds("customer_id_is_known"),
        flag_holds("dated_by_landing_day"),
    ])
