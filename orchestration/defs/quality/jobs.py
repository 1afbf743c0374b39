"""The weekly full data-quality check: every dbt test and every Great Expectations suite on whole tables.

The daily path checks only the rows it writes (orchestration/check_scope.py); a fault that a day's rows cannot show -
a duplicate key between an old row and a new one, a reconciliation drifting by a yuan a day - is caught here, on
Sunday morning after the batch, and in every manual `daily_batch` (the first build's included)."""

import dagster as dg

from orchestration.defs.marketing.models import marketing_dbt_models
from orchestration.defs.quality.checks import suite_checks, volume_checks
from orchestration.defs.warehouse.assets import warehouse_dbt_models

data_quality_full_job = dg.define_asset_job(
    "data_quality_full",
    # the T+1 refund instructions' tests run with each partition; the marketing lists' audits with each list
    selection=dg.AssetSelection.checks(*suite_checks, *volume_checks)
    | dg.AssetSelection.checks_for_assets(warehouse_dbt_models, marketing_dbt_models),
    description="Every dbt data test and Great Expectations suite on whole tables (the daily path checks only the "
    "rows it writes).",
    executor_def=dg.in_process_executor,
)

data_quality_full_schedule = dg.ScheduleDefinition(
    name="data_quality_full_schedule",
    job=data_quality_full_job,
    cron_schedule="0 5 * * 0",
    description="Sundays at 05:00, after the batch and the night's maintenance: every check on whole tables.",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
