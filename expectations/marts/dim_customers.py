"""marts.dim_customers: one row per customer; ID number and mobile only as tokens and masked forms.

Blocking - does it guard what it blocks?
- daily_batch: the publish to the serving lake, which every mart waits for (staff keep the previous build).
  Yes: a token or mask that is not one would put personal data in
  front of business staff, and every mart joins this dimension.
- daily_path: the day's single run - everything it builds downstream of this table, as the jobs above do, and
  its one publish. Yes, for the same reasons.
"""

import great_expectations as gx

from expectations.common import (
    CUSTOMER_ID_REGEX,
    MASKED_ID_NUMBER_REGEX,
    MASKED_MOBILE_REGEX,
    TOKEN_REGEX,
    columns_include,
    matches,
    non_negative,
    not_null,
    one_of,
    primary_key,
    suite,
)

TABLE = "marts.dim_customers"
BLOCKING = True
PII_COLUMNS = ("id_number_token", "id_number_masked", "mobile_token", "mobile_masked")


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_include(("customer_id", *PII_COLUMNS, "gender", "birth_year", "home_city")),
        *primary_key("customer_id"),
        matches("customer_id", CUSTOMER_ID_REGEX),
        *not_null("id_number_token", "mobile_token"),
        matches("id_number_token", TOKEN_REGEX),
        matches("mobile_token", TOKEN_REGEX),
        gx.expectations.ExpectColumnValuesToBeUnique(column="id_number_token"),
        matches("id_number_masked", MASKED_ID_NUMBER_REGEX),
        matches("mobile_masked", MASKED_MOBILE_REGEX),
        one_of("gender", ["female", "male"]),
        gx.expectations.ExpectColumnValuesToBeBetween(column="birth_year", min_value=1900, max_value=2015),
        *non_negative("application_count", "loan_count", "declared_monthly_income"),
    ])
