"""marts.marketing_call_list: the published outbound-call list - life-cycle campaigns and the reactivation of
dormant customers by phone, one row per campaign and customer, tokens and a masked mobile only.

Blocking - does it guard what it blocks?
- marketing_lists: the export file and the publish. Yes: the call centre takes the file; a row that is not a
  selected candidate, a campaign of another list or a restricted customer must not reach it. The list asset's own
  audits (no restricted customer, contact caps, tokens only) run on the staged rows before publishing; this suite
  checks the published table against the warehouse.
- daily_path: the day's single run - everything it builds downstream of this table, as the jobs above do, and
  its one publish. Yes, for the same reasons.
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
