"""marts.application_scores: the champion credit score of every application (grade, PD, reasons, limit).

Blocking - does it guard what it blocks?
- credit_scoring: the model monitoring and the publish. Yes: a score table with a duplicate application, a PD
  outside [0, 1] or an unknown grade would be monitored and read by staff as if it were right. An empty table (no
  champion yet) passes: there is nothing wrong to stop.
- daily_path: the day's single run - everything it builds downstream of this table, as the jobs above do, and
  its one publish. Yes, for the same reasons.
"""

import great_expectations as gx

from expectations.common import (
    columns_include,
    derived_names,
    flag_holds,
    known_in,
    non_negative,
    not_null,
    one_of,
    primary_key,
    select_with,
    share,
    suite,
)

TABLE = "marts.application_scores"
BLOCKING = True
DERIVED = (known_in("application_id", "marts.fct_applications"),)
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_include(("application_id", "customer_id", "combined_score", "pd", "grade", "reason_1",
                         "recommended_limit", "model_name", "model_version", "scored_at",
                         *derived_names(*DERIVED))),
        *primary_key("application_id"),
        *not_null("combined_score", "pd", "grade", "model_name", "model_version", "scored_at"),
        *share("pd"),
        one_of("grade", ["A", "B", "C", "D", "E"]),
        *non_negative("recommended_limit"),
        gx.expectations.ExpectColumnValuesToBeBetween(column="model_version", min_value=1),
        flag_holds("application_id_is_known"),
    ])
