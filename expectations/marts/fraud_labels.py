"""marts.fraud_labels: the fraud model's labelled cases (one row per application).

Blocking - does it guard what it blocks?
- fraud_training: the detector. Yes: a duplicate application or a fraud without a confirmation day would train on
  wrong labels. The share of fraud among mature labels is not checked here: a young book has no mature label, which
  is the training readiness (ml.readiness, fraud_policy.yml), a warning in the batch and a "not yet" in training.
- daily_batch: the publish to the serving lake, which every mart waits for (staff keep the previous build).
  Yes: the labels are published; wrong ones mislead fraud staff.
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
    primary_key,
    select_with,
    suite,
)

TABLE = "marts.fraud_labels"
BLOCKING = True
DERIVED = (
    known_in("application_id", "marts.fct_applications"),
    "(not is_confirmed_fraud or confirmed_on is not null) as fraud_has_a_confirmation_day",
)
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_include(("application_id", "confirmed_on", "is_confirmed_fraud", "is_label_mature", "label_mature_on",
                         *derived_names(*DERIVED))),
        *primary_key("application_id"),
        *not_null("is_confirmed_fraud", "is_label_mature", "label_mature_on"),
        flag_holds("fraud_has_a_confirmation_day"),
        flag_holds("application_id_is_known"),
    ])
