"""marts.fraud_labels: the fraud model's labelled cases (one row per application).

Blocking: wrong labels must not train fraud/detector.
"""

import great_expectations as gx

from expectations.common import (
    columns_include,
    derived_names,
    flag_holds,
    known_in,
    not_null,
    primary_key,
    select_with,
    suite,
)

TABLE = "marts.fraud_labels"
BLOCKING = True
DERIVED = (
    known_in("application_id", "marts.fct_applications"),
    "(not is_confirmed_fraud or confirmed_on is not null) as fraud_has_a_confirmation_day",
    "case when is_label_mature then is_confirmed_fraud::integer end as mature_fraud",
)
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_include(("application_id", "confirmed_on", "is_confirmed_fraud", "is_label_mature",
                         *derived_names(*DERIVED))),
        *primary_key("application_id"),
        *not_null("is_confirmed_fraud", "is_label_mature"),
        flag_holds("fraud_has_a_confirmation_day"),
        # some fraud among the mature labels, but not most of them
        gx.expectations.ExpectColumnMeanToBeBetween(column="mature_fraud", min_value=0.0005, max_value=0.3),
        flag_holds("application_id_is_known"),
    ])
