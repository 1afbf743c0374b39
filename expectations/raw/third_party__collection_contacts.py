"""raw.third_party__collection_contacts: suspected debt-collection calls and SMS the customer received."""

import great_expectations as gx

from expectations.common import (
    CUSTOMER_ID_REGEX,
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

TABLE = "raw.third_party__collection_contacts"
COLUMNS = ("record_id", "customer_id", "contact_type", "counterparty_category", "contacted_at", *RAW_LINEAGE_COLUMNS)
DERIVED = (known_in("customer_id", "raw.core_lending__customers"), not_after_landing("contacted_at"))
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_exactly(COLUMNS + derived_names(*DERIVED)),
        *primary_key("record_id"),
        matches("customer_id", CUSTOMER_ID_REGEX),
        *not_null("contacted_at"),
        one_of("contact_type", ["call", "sms"]),
        one_of("counterparty_category", ["bank", "collection_agency", "consumer_finance", "online_lender", "unknown"]),
        flag_holds("customer_id_is_known"),
        flag_holds("dated_by_landing_day"),
    ])
