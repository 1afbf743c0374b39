"""marts.merchant_deposit_positions: each merchant's deposit (margin) at every month end and on the data date -
the balance, what its terms require on its outstanding principal, and the shortfall.

A warning to the merchant managers, not blocking. A negative balance (a deduction for a loan return larger than the
deposit) is a documented quirk of the source and is not flagged here.
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
    share,
    suite,
    unique_where_filled,
)

TABLE = "marts.merchant_deposit_positions"
AMOUNTS = ("outstanding_principal", "required_deposit", "deposit_shortfall")
DERIVED = (
    key_joins("position_key", "merchant_id", "position_date"),
    known_in("merchant_id", "marts.dim_merchants"),
    "case when is_latest then merchant_id end as latest_merchant_id",
    rule("is_latest = (position_date = (select max(as_of_date) from marts.fct_loans))", "latest_is_the_data_date"),
    rule("is_month_end = (position_date = last_day(position_date)) and (is_month_end or is_latest)",
         "a_month_end_or_the_data_date"),
    rule("position_month = date_trunc('month', position_date)", "position_month_is_the_dates"),
    rule("required_deposit = round(deposit_ratio * outstanding_principal, 2)", "required_is_ratio_times_principal"),
    rule("deposit_shortfall = greatest(required_deposit - deposit_balance, 0)", "shortfall_is_required_less_balance"),
    rule("is_short = (deposit_shortfall > 0) and is_balance_negative = (deposit_balance < 0)", "flags_match_amounts"),
    rule("(required_deposit > 0) = (coverage_ratio is not null)", "coverage_exactly_when_required"),
)
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_include(("position_key", "merchant_id", "admission_status", "deposit_ratio", "deposit_balance",
                         "coverage_ratio", "is_short", "is_balance_negative", "is_month_end", "is_latest",
                         "position_date", "position_month", *AMOUNTS, *derived_names(*DERIVED))),
        *primary_key("position_key"),
        matches("merchant_id", MERCHANT_ID_REGEX),
        *not_null("merchant_id", "admission_status", "deposit_ratio", "deposit_balance", "position_date", *AMOUNTS),
        one_of("admission_status", ["pending", "admitted", "suspended", "terminated"]),
        *share("deposit_ratio"),
        *non_negative(*AMOUNTS),
        unique_where_filled("latest_merchant_id"),
        *(flag_holds(flag) for flag in derived_names(*DERIVED) if flag != "latest_merchant_id"),
    ])
