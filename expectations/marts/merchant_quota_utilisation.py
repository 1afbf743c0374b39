"""marts.merchant_quota_utilisation: each merchant's credit quota and the principal outstanding against it at every
month end (the current month closes on the data date, is_latest), with the month's principal movements.

A warning to the merchant managers, not blocking. Being over quota is what the table reports, not an error.
"""

import great_expectations as gx

from expectations.common import (
    MERCHANT_ID_REGEX,
    columns_include,
    derived_names,
    flag_holds,
    key_joins,
    known_in,
    matches,
    non_negative,
    not_null,
    one_of,
    primary_key,
    rule,
    select_with,
    suite,
    unique_where_filled,
)

TABLE = "marts.merchant_quota_utilisation"
MOVEMENTS = ("principal_disbursed", "principal_repaid", "principal_cancelled", "principal_written_off")
DERIVED = (
    key_joins("merchant_month_key", "merchant_id", "month_start"),
    known_in("merchant_id", "marts.dim_merchants"),
    known_in("merchant_version_key", "marts.merchant_admission_history"),
    "case when is_latest then merchant_id end as latest_merchant_id",
    rule("is_latest = (as_of_date = (select max(as_of_date) from marts.fct_loans))", "latest_is_the_data_date"),
    rule("month_start = date_trunc('month', as_of_date) and (is_latest or as_of_date = last_day(as_of_date))",
         "closes_at_the_month_end"),
    rule("outstanding_principal = opening_outstanding_principal + principal_disbursed - principal_repaid "
         "- principal_cancelled - principal_written_off", "outstanding_rolls_forward"),
    rule("quota_headroom = credit_quota - outstanding_principal and is_over_quota = (outstanding_principal > "
         "credit_quota)", "headroom_is_quota_less_outstanding"),
    rule("(credit_quota > 0) = (quota_utilisation is not null)", "utilisation_exactly_with_a_quota"),
)
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_include(("merchant_month_key", "merchant_id", "merchant_version_key", "scenario", "admission_status",
                         "credit_quota", "outstanding_principal", "quota_utilisation", "quota_headroom",
                         "is_over_quota", "opening_outstanding_principal", "loans_disbursed", *MOVEMENTS, "is_latest",
                         "month_start", "as_of_date", *derived_names(*DERIVED))),
        *primary_key("merchant_month_key"),
        matches("merchant_id", MERCHANT_ID_REGEX),
        *not_null("merchant_id", "merchant_version_key", "admission_status", "credit_quota", "outstanding_principal",
                  "opening_outstanding_principal", *MOVEMENTS, "month_start", "as_of_date"),
        one_of("admission_status", ["pending", "admitted", "suspended", "terminated"]),
        *non_negative("credit_quota", "outstanding_principal", "opening_outstanding_principal", "loans_disbursed",
                      "quota_utilisation", *MOVEMENTS),
        unique_where_filled("latest_merchant_id"),
        *(flag_holds(flag) for flag in derived_names(*DERIVED) if flag != "latest_merchant_id"),
    ])
