"""marts.fraud_features: the fraud model's training and scoring input (one row per application, point in time).

Blocking - does it guard what it blocks?
- fraud_training: the detector. Yes: every expectation is about rows being wrong (duplicate or unknown
  applications, features dated before the application, impossible values). How many rows there are is not: a new
  lender's first applications are scored too, and enough for training is the training readiness (ml.readiness).
- fraud_scoring: the scores, the rings and the publish. Yes: wrong features would be decided on.
- daily_batch: the publish to the serving lake, which every mart waits for (staff keep the previous build).
  Yes: a broken feature mart means the warehouse under it is broken.
- daily_path: the day's single run - everything it builds downstream of this table, as the jobs above do, and
  its one publish. Yes, for the same reasons.
"""

import great_expectations as gx

from expectations.common import (
    SCENARIOS,
    at_least,
    columns_exactly,
    derived_names,
    flag_holds,
    known_in,
    non_negative,
    not_null,
    one_of,
    primary_key,
    select_with,
    suite,
)

TABLE = "marts.fraud_features"
BLOCKING = True
COLUMNS = (
    "application_id", "customer_id", "merchant_id", "store_id", "scenario", "channel", "decision", "applied_at",
    "features_as_of", "application_month", "blacklist_internal_id_number_hits", "blacklist_internal_mobile_hits",
    "blacklist_internal_device_hits", "blacklist_internal_hits", "blacklist_external_id_number_hits",
    "blacklist_external_mobile_hits", "blacklist_external_device_hits", "blacklist_external_hits",
    "blacklist_external_providers", "blacklist_external_max_risk_level", "blacklist_external_max_risk_rank",
    "blacklist_any_hit", "liveness_result", "liveness_retries", "liveness_is_passed", "device_has_fingerprint",
    "device_os", "device_is_emulator", "device_is_rooted", "device_customers_1d", "device_customers_7d",
    "device_customers_30d", "device_devices_of_applicant_30d", "gps_km_to_store", "gps_km_to_home_city",
    "gps_km_from_previous_application", "gps_hours_since_previous_application", "gps_kmh_since_previous_application",
    "gps_is_impossible_travel", "velocity_id_number_applications_1h", "velocity_id_number_applications_1d",
    "velocity_id_number_applications_7d", "velocity_id_number_applications_30d", "velocity_mobile_applications_1h",
    "velocity_mobile_applications_1d", "velocity_mobile_applications_7d", "velocity_mobile_applications_30d",
    "velocity_device_applications_1h", "velocity_device_applications_1d", "velocity_device_applications_7d",
    "velocity_device_applications_30d", "velocity_id_number_merchants_7d", "graph_component_id",
    "graph_component_size", "graph_neighbours", "graph_device_neighbours", "graph_address_neighbours",
    "graph_ip_neighbours", "graph_contact_neighbours", "graph_blacklisted_within_2_hops", "_loaded_at",
)
NON_NEGATIVE = tuple(
    c for c in COLUMNS
    if c.endswith(("_hits", "_providers", "_retries", "_1h", "_1d", "_7d", "_30d", "_neighbours", "_2_hops"))
    or c.startswith("gps_km")
)
DERIVED = (known_in("application_id", "marts.fct_applications"),)
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_exactly(COLUMNS + derived_names(*DERIVED)),
        *primary_key("application_id"),
        *not_null("customer_id", "applied_at", "features_as_of", "application_month", "blacklist_any_hit",
                  "graph_component_id"),
        one_of("scenario", SCENARIOS),
        one_of("liveness_result", ["pass", "fail"]),
        one_of("device_os", ["android", "ios"]),
        one_of("blacklist_external_max_risk_level", ["low", "medium", "high"]),
        at_least("features_as_of", "applied_at"),
        *non_negative(*NON_NEGATIVE, "gps_hours_since_previous_application"),
        gx.expectations.ExpectColumnValuesToBeBetween(column="graph_component_size", min_value=1),
        at_least("velocity_id_number_applications_30d", "velocity_id_number_applications_1d"),
        flag_holds("application_id_is_known"),
    ])
