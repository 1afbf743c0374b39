"""marts.dim_sales_reps: one row per sales representative; the mobile only as a token and a masked form.

Blocking - does it guard what it blocks?
- daily_batch: the publish to the serving lake, which every mart waits for (staff keep the previous build).
  Yes: a mobile token or mask that is not one would put personal
  data in front of business staff.
- daily_path: the day's single run - everything it builds downstream of this table, as the jobs above do, and
  its one publish. Yes, for the same reasons.
"""

import great_expectations as gx

from expectations.common import (
    MASKED_MOBILE_REGEX,
    SALES_REP_ID_REGEX,
    TOKEN_REGEX,
    columns_include,
    matches,
    not_null,
    primary_key,
    suite,
)

TABLE = "marts.dim_sales_reps"
BLOCKING = True
PII_COLUMNS = ("mobile_token", "mobile_masked")


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_include(("sales_rep_id", "merchant_id", "store_id", *PII_COLUMNS)),
        *primary_key("sales_rep_id"),
        matches("sales_rep_id", SALES_REP_ID_REGEX),
        *not_null("merchant_id", "store_id", "mobile_token"),
        matches("mobile_token", TOKEN_REGEX),
        matches("mobile_masked", MASKED_MOBILE_REGEX),
    ])
