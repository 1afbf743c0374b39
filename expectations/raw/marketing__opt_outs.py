"""raw.marketing__opt_outs: customers who opted out of marketing on a channel."""

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

TABLE = "raw.marketing__opt_outs"
COLUMNS = ("opt_out_id", "customer_id", "channel", "opted_out_at", *RAW_LINEAGE_COLUMNS)
DERIVED = (known_in("customer_id", "raw.core_lending__customers"), not_after_landing("opted_out_at"))
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_exactly(COLUMNS + derived_names(*DERIVED)),
        *primary_key("opt_out_id"),
        matches("customer_id", CUSTOMER_ID_REGEX),
        *not_null("customer_id", "opted_out_at"),
        one_of("channel", ["all", "outbound_call", "sms"]),
        flag_holds("customer_id_is_known"),
        flag_holds("dated_by_landing_day"),
    ])
