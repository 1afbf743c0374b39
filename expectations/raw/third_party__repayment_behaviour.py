"""raw.third_party__repayment_behaviour: the customer's repayment behaviour at other institutions."""

import great_expectations as gx

from expectations.common import (
    CUSTOMER_ID_REGEX,
    RAW_LINEAGE_COLUMNS,
    columns_exactly,
    derived_names,
    flag_holds,
    known_in,
    matches,
    non_negative,
    not_after_landing,
    primary_key,
    select_with,
    share,
    suite,
)

TABLE = "raw.third_party__repayment_behaviour"
COLUMNS = ("record_id", "customer_id", "accounts_elsewhere", "on_time_ratio_12m", "overdue_count_12m", "max_dpd_12m",
           "reported_at", *RAW_LINEAGE_COLUMNS)
DERIVED = (known_in("customer_id", "raw.core_lending__customers"), not_after_landing("reported_at"))
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_exactly(COLUMNS + derived_names(*DERIVED)),
        *primary_key("record_id"),
        matches("customer_id", CUSTOMER_ID_REGEX),
        *non_negative("accounts_elsewhere", "overdue_count_12m", "max_dpd_12m"),
        *share("on_time_ratio_12m"),
        flag_holds("customer_id_is_known"),
        flag_holds("dated_by_landing_day"),
    ])
