"""marts.fraud_ring_candidates: identity components of three or more customers, for investigators.

Blocking - does it guard what it blocks?
- daily_batch: the publish to the serving lake, which every mart waits for (staff keep the previous build).
  Yes: investigators work from the published candidates; a component
  of fewer than three customers or more blacklisted members than members would send them after nothing.
- daily_path: the day's single run - everything it builds downstream of this table, as the jobs above do, and
  its one publish. Yes, for the same reasons.
"""

import great_expectations as gx

from expectations.common import (
    MERCHANT_ID_REGEX,
    at_least,
    columns_include,
    matches,
    non_negative,
    not_null,
    primary_key,
    share,
    suite,
)

TABLE = "marts.fraud_ring_candidates"
BLOCKING = True


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_include(("component_id", "members", "applications", "main_merchant_id", "blacklisted_members")),
        *primary_key("component_id"),
        *not_null("members", "applications"),
        gx.expectations.ExpectColumnValuesToBeBetween(column="members", min_value=3),
        *non_negative("shared_devices", "shared_ip_addresses", "shared_home_addresses", "contact_linked_pairs",
                      "loans", "principal_disbursed", "outstanding_principal", "blacklisted_members"),
        *share("main_merchant_share"),
        matches("main_merchant_id", MERCHANT_ID_REGEX),
        at_least("members", "blacklisted_members"),
        at_least("applications", "approved_applications"),
    ])
