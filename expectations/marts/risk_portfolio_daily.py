"""marts.risk_portfolio_daily: the book per day, scenario and delinquency bucket - loans at the end of the day and
their outstanding principal, every combination present; written_off is a running stock kept apart from the book.

A warning to the risk analysts, not blocking.
"""

import great_expectations as gx

from expectations.common import (
    SCENARIOS,
    columns_include,
    derived_names,
    flag_holds,
    known_in,
    non_negative,
    not_null,
    one_of,
    primary_key,
    rule,
    select_with,
    suite,
)

TABLE = "marts.risk_portfolio_daily"
BUCKETS = ("current", "M1", "M2", "M3+", "written_off")
DERIVED = (
    known_in("date_day", "marts.dim_date"),
    rule(f"count(*) over (partition by date_day) = {len(SCENARIOS) * len(BUCKETS)}", "every_scenario_and_bucket"),
    rule("date_day <= (select max(as_of_date) from marts.fct_loans)", "not_after_the_data_date"),
    rule("loan_count > 0 or outstanding_principal = 0", "principal_only_on_loans"),
    # written_off is a stock: it never shrinks from one day to the next
    rule("dpd_bucket <> 'written_off' or loan_count >= coalesce(lag(loan_count) over "
         "(partition by scenario, dpd_bucket order by date_day), 0)", "written_off_stock_never_shrinks"),
)
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_include(("date_day", "scenario", "dpd_bucket", "loan_count", "outstanding_principal",
                         *derived_names(*DERIVED))),
        *primary_key("date_day", "scenario", "dpd_bucket"),
        *not_null("loan_count", "outstanding_principal"),
        one_of("scenario", SCENARIOS),
        one_of("dpd_bucket", BUCKETS),
        *non_negative("loan_count", "outstanding_principal"),
        *(flag_holds(flag) for flag in derived_names(*DERIVED)),
    ])
