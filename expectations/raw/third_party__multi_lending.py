"""raw.third_party__multi_lending: the customer's loans and credit queries at other institutions."""

import great_expectations as gx

from expectations.common import (
    CUSTOMER_ID_REGEX,
    RAW_LINEAGE_COLUMNS,
    at_least,
    columns_exactly,
    derived_names,
    flag_holds,
    known_in,
    matches,
    non_negative,
    not_after_landing,
    not_null,
    one_of,
    primary_key,
    select_with,
    suite,
)

TABLE = "raw.third_party__multi_lending"
COLUMNS = ("record_id", "customer_id", "institution_type", "event_type", "amount", "event_on", "reported_at",
           *RAW_LINEAGE_COLUMNS)
DERIVED = (known_in("customer_id", "raw.core_lending__customers"), not_after_landing("event_on", "reported_at"))
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_exactly(COLUMNS + derived_names(*DERIVED)),
        *primary_key("record_id"),
        matches("customer_id", CUSTOMER_ID_REGEX),
        *not_null("event_on", "reported_at"),
        one_of("institution_type", ["bank", "consumer_finance", "microloan", "online_lender"]),
        one_of("event_type", ["loan", "query"]),
        *non_negative("amount"),
        at_least("reported_at", "event_on"),
        flag_holds("customer_id_is_known"),
        flag_holds("dated_by_landing_day"),
    ])
