"""raw.credit_bureau__reports: credit-bureau reports pulled at application time (one row per report)."""

import great_expectations as gx

from expectations.common import (
    CUSTOMER_ID_REGEX,
    ID_NUMBER_REGEX,
    RAW_LINEAGE_COLUMNS,
    columns_exactly,
    derived_names,
    flag_holds,
    id_number_check_character,
    known_in,
    matches,
    non_negative,
    not_after_landing,
    not_null,
    one_of,
    primary_key,
    select_with,
    share,
    suite,
)

TABLE = "raw.credit_bureau__reports"
COLUMNS = ("report_id", "customer_id", "id_number", "queried_at", "employer_type", "employer_name",
           "provident_fund_status", "provident_fund_base", "existing_credit_lines", "total_credit_limit",
           "credit_utilization", "overdue_accounts", *RAW_LINEAGE_COLUMNS)
PII_COLUMNS = ("id_number",)
DERIVED = (
    known_in("customer_id", "raw.core_lending__customers"),
    id_number_check_character("id_number"),
    not_after_landing("queried_at"),
)
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_exactly(COLUMNS + derived_names(*DERIVED)),
        *primary_key("report_id"),
        matches("customer_id", CUSTOMER_ID_REGEX),
        *not_null("customer_id", "id_number", "queried_at"),
        matches("id_number", ID_NUMBER_REGEX),
        flag_holds("id_number_check_ok"),
        one_of("employer_type", ["foreign_invested", "private", "public_institution", "self_employed", "state_owned",
                                 "unemployed"]),
        one_of("provident_fund_status", ["none", "paying", "stopped"]),
        *non_negative("provident_fund_base", "existing_credit_lines", "total_credit_limit", "overdue_accounts"),
        *share("credit_utilization"),
        flag_holds("customer_id_is_known"),
        flag_holds("dated_by_landing_day"),
    ])
