"""marts.merchant_warnings: merchant early warning - one row per merchant, day and signal that fired, with its level,
the evidence, the grade whose thresholds applied and the recommended action.

A warning to the merchant-risk analysts, not blocking.
"""

import great_expectations as gx

from expectations.common import (
    MERCHANT_ID_REGEX,
    SCENARIOS,
    between,
    columns_include,
    derived_names,
    flag_holds,
    key_joins,
    known_in,
    matches,
    not_null,
    one_of,
    primary_key,
    rule,
    select_with,
    suite,
)

TABLE = "marts.merchant_warnings"
SIGNALS = ("return_refund_spike", "complaint_spike", "non_delivery_complaints", "callback_not_received", "fpd_spike",
           "customer_base_deviation", "application_burst", "odd_hour_applications", "split_orders", "shared_devices",
           "deposit_shortfall", "sales_rep_concentration")
LEVELS = ("info", "warn", "severe")
DERIVED = (
    key_joins("warning_key", "merchant_id", "warning_date", "signal"),
    known_in("merchant_id", "marts.dim_merchants"),
    # the thresholds of the merchant's grade at the previous month end (merchant_tiers), "new" in its first month
    rule("threshold_grade = (select coalesce(tiers.previous_month_end_grade, 'new') "
         "from marts.merchant_tiers as tiers where tiers.merchant_id = merchant_warnings.merchant_id "
         "and tiers.as_of_date = merchant_warnings.warning_date)",
         "thresholds_of_the_previous_month_end_grade"),
    # the fired level's threshold and event minimum of seed merchant_warning_thresholds for the signal and grade
    rule("exists (select 1 from reference.merchant_warning_thresholds as thresholds "
         "where thresholds.signal = merchant_warnings.signal and thresholds.grade = merchant_warnings.threshold_grade "
         "and merchant_warnings.statistic_threshold = case merchant_warnings.level "
         "when 'severe' then thresholds.severe_threshold when 'warn' then thresholds.warn_threshold "
         "else thresholds.info_threshold end "
         "and merchant_warnings.event_count >= case merchant_warnings.level "
         "when 'severe' then thresholds.severe_min_events else thresholds.min_events end)",
         "threshold_is_the_seeds"),
    rule("case when signal = 'deposit_shortfall' then statistic < statistic_threshold "
         "else statistic >= statistic_threshold end", "statistic_crosses_its_threshold"),
    rule("recommended_action = (select actions.recommended_action from reference.merchant_warning_actions as actions "
         "where actions.signal = merchant_warnings.signal and actions.level = merchant_warnings.level)",
         "action_is_the_seeds"),
    # is_new: the signal did not fire for the merchant the day before
    rule("is_new = not exists (select 1 from marts.merchant_warnings as earlier "
         "where earlier.merchant_id = merchant_warnings.merchant_id and earlier.signal = merchant_warnings.signal "
         "and earlier.warning_date = merchant_warnings.warning_date - 1)", "new_exactly_on_the_first_day"),
    rule("warning_date <= (select max(as_of_date) from marts.fct_loans)", "not_after_the_data_date"),
)
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_include(("warning_key", "merchant_id", "scenario", "signal", "level", "threshold_grade", "metric_name",
                         "metric_value", "baseline_value", "threshold_value", "statistic", "statistic_threshold",
                         "event_count", "recommended_action", "is_new", "warning_date", *derived_names(*DERIVED))),
        *primary_key("warning_key"),
        matches("merchant_id", MERCHANT_ID_REGEX),
        *not_null("merchant_id", "signal", "level", "threshold_grade", "metric_name", "metric_value",
                  "threshold_value", "statistic", "statistic_threshold", "event_count", "recommended_action",
                  "is_new", "warning_date"),
        one_of("signal", SIGNALS),
        one_of("level", LEVELS),
        one_of("threshold_grade", ["A", "B", "C", "new"]),
        one_of("scenario", SCENARIOS),
        between("event_count", 1),
        *(flag_holds(flag) for flag in derived_names(*DERIVED)),
    ])
