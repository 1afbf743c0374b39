"""marts.cross_sell_list: the published cross-selling list - furniture offers to appliance customers and the
reverse, by SMS or call, one row per campaign and customer, tokens and a masked mobile only.

Blocking - does it guard what it blocks?
- marketing_lists: the export file and the publish. Yes: the SMS gateway and the call centre act on the file; a
  row that is not a selected candidate, a campaign of another list or a restricted customer must not reach them.
  The list asset's own audits (no restricted customer, contact caps, tokens only) run on the staged rows before
  publishing; this suite checks the published table against the warehouse.
- daily_path: the day's single run - everything it builds downstream of this table, as the jobs above do, and
  its one publish. Yes, for the same reasons.
"""

import great_expectations as gx

from expectations.marketing import CHANNELS, LIST_PII_COLUMNS, build_list_suite, list_query

TABLE = "marts.cross_sell_list"
BLOCKING = True
PII_COLUMNS = LIST_PII_COLUMNS
LIST_KIND = "cross_sell"
QUERY = list_query("cross_sell_list", LIST_KIND)


def build_suite() -> gx.ExpectationSuite:
    return build_list_suite("cross_sell_list", LIST_KIND, channels=CHANNELS)
