"""marts.fraud_scores: the fraud decision of every application (probability, rules, pass/review/reject) - by the
champion, or by the rules alone while there is none.

Blocking - does it guard what it blocks?
- fraud_scoring: the rings and the publish. Yes: the review queue reads the published scores; a duplicate, an
  unknown decision or a probability outside [0, 1] must not reach it. Rules-only rows (no champion yet) have no
  probability, and only they may lack one.
- daily_path: the day's single run - everything it builds downstream of this table, as the jobs above do, and
  its one publish. Yes, for the same reasons.
"""

import great_expectations as gx

from expectations.common import (
    columns_include,
    derived_names,
    flag_holds,
    known_in,
    not_null,
    one_of,
    primary_key,
    select_with,
    share,
    suite,
)
from ml.fraud import RULES_ONLY

TABLE = "marts.fraud_scores"
BLOCKING = True
DERIVED = (
    known_in("application_id", "marts.fct_applications"),
    # decided by the rules alone (no champion yet) is the only way to have no probability
    f"(fraud_probability is not null) <> (model_name = '{RULES_ONLY[0]}' and model_version = {RULES_ONLY[1]})"
    " as probability_unless_rules_only",
)
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_include(("application_id", "customer_id", "fraud_probability", "decision", "reasons", "model_version",
                         *derived_names(*DERIVED))),
        *primary_key("application_id"),
        *not_null("decision", "model_name", "model_version", "scored_at"),
        flag_holds("probability_unless_rules_only"),
        *share("fraud_probability"),
        one_of("decision", ["pass", "review", "reject"]),
        flag_holds("application_id_is_known"),
    ])
