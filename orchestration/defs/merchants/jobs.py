"""Jobs over the merchant risk marts (dbt models of the one warehouse multi-asset)."""

import dagster as dg
from dagster_dbt import build_dbt_asset_selection

from orchestration.defs.warehouse.assets import warehouse_dbt_models

MERCHANT_RISK_TAGS = {"domain": "merchants", "owner": "team:merchant-risk"}

# The daily run: merchant_warnings and everything it is built from (core facts, tiers, seeds), with their tests.
merchant_warnings_job = dg.define_asset_job(
    "merchant_warnings_daily",
    selection=build_dbt_asset_selection([warehouse_dbt_models], dbt_select="+merchant_warnings"),
    description="Grade every merchant (merchant_tiers) and raise the day's early warnings (merchant_warnings), "
                "rebuilding the warehouse models they are built from.",
    tags=MERCHANT_RISK_TAGS,
    executor_def=dg.in_process_executor,
)

# The immediate re-evaluation: the two marts and the measured merchant days they read (a table: the complaints and
# call-backs reach it from staging views over the raw tables), so a complaint that has just landed counts now, not
# after the next batch - without rebuilding the core facts it also reads.
REEVALUATED = "int_merchant_days_measured merchant_tiers merchant_warnings"
merchant_reevaluation_job = dg.define_asset_job(
    "merchant_reevaluation",
    selection=build_dbt_asset_selection([warehouse_dbt_models], dbt_select=REEVALUATED),
    description="Re-grade merchants and re-raise their warnings now, from the complaints and call-backs just landed.",
    tags=MERCHANT_RISK_TAGS,
    executor_def=dg.in_process_executor,
)
