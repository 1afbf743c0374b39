"""marts.risk_roll_rates: the month-to-month transition matrix - per month end, scenario, bucket then and bucket at
the next month end, the loans and their share of the from-bucket (the roll rate).

A warning to the risk analysts, not blocking.
"""

import great_expectations as gx

from expectations.common import (
    SCENARIOS,
    between,
    columns_include,
    derived_names,
    flag_holds,
    non_negative,
    not_null,
    one_of,
    primary_key,
    rule,
    select_with,
    share,
    suite,
)

TABLE = "marts.risk_roll_rates"
BUCKETS = ("current", "M1", "M2", "M3+", "written_off")
FROM_BUCKET = "partition by from_month_end, scenario, from_bucket"
DERIVED = (
    rule("from_month_end = last_day(from_month_end) and to_month_end = last_day(from_month_end + 1)",
         "to_is_the_next_month_end"),
    rule("to_month_end <= (select max(as_of_date) from marts.fct_loans)", "read_by_the_data_date"),
    rule("from_bucket <> 'written_off' or to_bucket = 'written_off'", "written_off_stays_written_off"),
    rule("to_bucket <> 'closed' or to_outstanding_principal = 0", "closed_owes_nothing"),
    # the rows of a from-bucket, month and scenario share out all of its loans (and its principal, where it has any)
    rule(f"abs(sum(loan_share) over ({FROM_BUCKET}) - 1) < 1e-9", "loan_shares_add_up_to_one"),
    rule(f"count(principal_share) over ({FROM_BUCKET}) = 0 "
         f"or abs(sum(principal_share) over ({FROM_BUCKET}) - 1) < 1e-9", "principal_shares_add_up_to_one"),
    rule(f"abs(loan_share - loan_count / sum(loan_count) over ({FROM_BUCKET})) < 1e-9", "loan_share_is_the_count"),
)
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_include(("from_month_end", "to_month_end", "scenario", "from_bucket", "to_bucket", "loan_count",
                         "loan_share", "from_outstanding_principal", "principal_share", "to_outstanding_principal",
                         *derived_names(*DERIVED))),
        *primary_key("from_month_end", "scenario", "from_bucket", "to_bucket"),
        *not_null("to_month_end", "loan_count", "loan_share", "from_outstanding_principal",
                  "to_outstanding_principal"),
        one_of("scenario", SCENARIOS),
        one_of("from_bucket", BUCKETS),
        one_of("to_bucket", [*BUCKETS, "closed"]),
        between("loan_count", 1),  # a transition no loan took is not a row
        gx.expectations.ExpectColumnValuesToBeBetween(column="loan_share", min_value=0, max_value=1, strict_min=True),
        *share("principal_share"),
        *non_negative("from_outstanding_principal", "to_outstanding_principal"),
        *(flag_holds(flag) for flag in derived_names(*DERIVED)),
    ])
