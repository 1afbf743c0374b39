"""marts.marketing_call_list: the published outbound-call list - life-cycle campaigns and the reactivation of
dormant customers by phone, one row per campaign and customer, tokens and a masked mobile only.

Blocking: the call centre takes the export file written after it; a broken list is not exported. The list asset's
own audits (no restricted customer, contact caps, tokens only) run on the staged rows before publishing; this suite
checks the published table against the warehouse (every row a selected candidate of the day, a campaign of the list,
a known and unrestricted customer).
"""

import great_expectations as gx

from expectations.marketing import LIST_PII_COLUMNS, build_list_suite, list_query

TABLE = "marts.marketing_call_list"
BLOCKING = True
PII_COLUMNS = LIST_PII_COLUMNS
LIST_KIND = "life_cycle"
QUERY = list_query("marketing_call_list", LIST_KIND)


def build_suite() -> gx.ExpectationSuite:
    return build_list_suite("marketing_call_list", LIST_KIND, channels=("outbound_call",))
