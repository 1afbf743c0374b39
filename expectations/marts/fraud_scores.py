"""marts.fraud_scores: the champion fraud decision of every application (probability, rules, pass/review/reject).

Blocking: a broken score table is not published, so the review queue never reads it.
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

TABLE = "marts.fraud_scores"
BLOCKING = True
DERIVED = (known_in("application_id", "marts.fct_applications"),)
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_include(("application_id", "customer_id", "fraud_probability", "decision", "reasons", "model_version",
                         *derived_names(*DERIVED))),
        *primary_key("application_id"),
        *not_null("fraud_probability", "decision", "model_version", "scored_at"),
        *share("fraud_probability"),
        one_of("decision", ["pass", "review", "reject"]),
        flag_holds("application_id_is_known"),
    ])
