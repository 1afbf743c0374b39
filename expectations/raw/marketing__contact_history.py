"""raw.marketing__contact_history: marketing contacts made (SMS and outbound calls)."""

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

TABLE = "raw.marketing__contact_history"
COLUMNS = ("contact_id", "customer_id", "channel", "campaign", "contacted_at", "outcome", *RAW_LINEAGE_COLUMNS)
DERIVED = (known_in("customer_id", "raw.core_lending__customers"), not_after_landing("contacted_at"))
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_exactly(COLUMNS + derived_names(*DERIVED)),
        *primary_key("contact_id"),
        matches("customer_id", CUSTOMER_ID_REGEX),
        *not_null("campaign", "contacted_at"),
        one_of("channel", ["outbound_call", "sms"]),
        one_of("outcome", ["applied", "clicked", "delivered", "failed", "interested", "no_answer", "not_interested"]),
        flag_holds("customer_id_is_known"),
        flag_holds("dated_by_landing_day"),
    ])
