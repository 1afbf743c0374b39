"""raw.core_lending__instalment_schedules: the repayment schedule of each loan (one row per loan and instalment)."""

import great_expectations as gx

from expectations.common import (
    LOAN_ID_REGEX,
    RAW_LINEAGE_COLUMNS,
    between,
    columns_exactly,
    derived_names,
    flag_holds,
    known_in,
    matches,
    non_negative,
    primary_key,
    select_with,
    suite,
)

TABLE = "raw.core_lending__instalment_schedules"
COLUMNS = ("loan_id", "instalment_no", "due_on", "principal_due", "interest_due", "total_due", *RAW_LINEAGE_COLUMNS)
DERIVED = (
    known_in("loan_id", "raw.core_lending__loans"),
    "coalesce(total_due = principal_due + interest_due, false) as total_is_principal_plus_interest",
)
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_exactly(COLUMNS + derived_names(*DERIVED)),
        *primary_key("loan_id", "instalment_no"),
        matches("loan_id", LOAN_ID_REGEX),
        between("instalment_no", 1, 60),
        *non_negative("principal_due", "interest_due", "total_due"),
        flag_holds("total_is_principal_plus_interest"),
        flag_holds("loan_id_is_known"),
    ])
