"""marts.model_monitoring: the champion credit model watched - per model version and day the score PSI and each
scorecard variable's CSI over the trailing window, and per application month the realised bad rate's drift from the
predicted PD. The credit_retraining_sensor reads it.

A warning to the modelers, not blocking: a broken row misleads the retraining sensor, but nothing is published
from it.
"""

import great_expectations as gx

from expectations.common import (
    between,
    columns_include,
    derived_names,
    flag_holds,
    not_null,
    one_of,
    rule,
    select_with,
    suite,
)

TABLE = "marts.model_monitoring"
METRICS = ("score_psi", "feature_csi", "default_rate_drift")
# ml.validation.PSI_BANDS: a PSI or CSI below 0.1 is stable, below 0.25 a moderate shift, above a significant one;
# default_rate_drift is drifted or within its threshold (credit_policy.yml).
STATUSES = ("stable", "moderate shift", "significant shift", "drifted", "within")
MIN_WINDOW_APPLICATIONS = 50  # a day's PSI/CSI is computed only on a window of at least 50 scored applications
GRAIN = ("model_name", "model_version", "monitored_on", "metric", "feature")
DERIVED = (
    rule("(metric = 'feature_csi') = (feature is not null)", "a_feature_exactly_for_csi"),
    # the variables are credit features: <group>_<name> for the groups bureau, transaction, behaviour, other
    rule("feature is null or regexp_full_match(feature, '(bureau|transaction|behaviour|other)_[a-z0-9_]+')",
         "feature_is_a_credit_feature"),
    "case when metric in ('score_psi', 'feature_csi') then value end as stability_index",
    rule("metric = 'default_rate_drift' or not isnan(value)", "index_is_a_number"),
    "case when metric in ('score_psi', 'feature_csi') then sample_size end as window_applications",
    "case when metric = 'default_rate_drift' then value end as default_rate_drift",
    rule("case when metric = 'default_rate_drift' then status in ('drifted', 'within') "
         "else status = case when value < 0.1 then 'stable' when value < 0.25 then 'moderate shift' "
         "else 'significant shift' end end", "status_reads_the_value"),
    rule("metric <> 'default_rate_drift' or monitored_on = date_trunc('month', monitored_on)",
         "drift_is_per_application_month"),
)
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_include((*GRAIN, "value", "sample_size", "status", "computed_at", *derived_names(*DERIVED))),
        *not_null("model_name", "model_version", "monitored_on", "metric", "sample_size", "status", "computed_at"),
        gx.expectations.ExpectCompoundColumnsToBeUnique(column_list=list(GRAIN), ignore_row_if="never"),
        one_of("metric", METRICS),
        one_of("status", STATUSES),
        between("model_version", 1),
        between("sample_size", 1),
        between("window_applications", MIN_WINDOW_APPLICATIONS),
        between("stability_index", 0),
        between("default_rate_drift", -1),  # realised / predicted - 1: -1 when nothing went bad
        flag_holds("index_is_a_number"),
        flag_holds("a_feature_exactly_for_csi"),
        flag_holds("feature_is_a_credit_feature"),
        flag_holds("status_reads_the_value"),
        flag_holds("drift_is_per_application_month"),
    ])
