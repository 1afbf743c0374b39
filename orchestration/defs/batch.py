"""The daily T+1 batch: ingest day T's extracts, then rebuild everything downstream, on day T+1."""

from datetime import date, timedelta

import dagster as dg

from orchestration.defs.ingestion.assets import landing_run_config, raw_landing_files
from orchestration.defs.risk.assets import risk_charts
from orchestration.defs.serving import PUBLISHED_MARTS_KEY
from orchestration.defs.warehouse.assets import warehouse_dbt_models
from orchestration.freshness import BATCH_CRON, BATCH_HOUR

# Ingestion, the warehouse and its charts, then the marts published to the serving lake. Jobs that follow it (T+1
# refunds, credit scoring) are launched by run-status sensors when it succeeds; model training runs on demand or on
# drift; maintenance at night.
daily_batch_job = dg.define_asset_job(
    "daily_batch",
    selection=dg.AssetSelection.assets(raw_landing_files, warehouse_dbt_models, risk_charts, PUBLISHED_MARTS_KEY),
    description="Raw ingestion of a landing day (or a range, in one run: config ops.raw_landing_files.config "
    "first_day / last_day, empty = every landing day), the whole warehouse downstream of it, and the marts published "
    "to the serving lake.",
    executor_def=dg.in_process_executor,
)


def previous_day(scheduled_at) -> date:
    """On day T+1 the batch processes landing day T (today's landing day is still open)."""
    return scheduled_at.date() - timedelta(days=1)


@dg.schedule(
    name="daily_batch_schedule",
    job=daily_batch_job,
    cron_schedule=BATCH_CRON,
    description=f"T+1: at {BATCH_HOUR:02d}:00 process the previous day's landing files.",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
def daily_batch_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    day = previous_day(context.scheduled_execution_time)
    return dg.RunRequest(run_key=f"daily-batch-{day}", run_config=landing_run_config(day, day),
                         tags={"landing_day": day.isoformat()})
