"""The daily T+1 batch: on day T+1, everything landing day T changes - in one run, the daily path.

`daily_path` (what the schedule runs): ingestion of T, the warehouse and its charts, the T+1 refund instructions
(partition T+1), credit and fraud scoring of the new applications, the customer tags and marketing lists, and one
publish of the marts at the end. One Dagster run, one dbt invocation per stage that needs dbt (warehouse, refunds,
marketing), one publication - each separate job paid its own start-up, dbt start-up and full publish, five times a
day.

The separate jobs (`daily_batch`, `education_refunds`, `credit_scoring`, `fraud_scoring`, `marketing_lists`) stay for
manual runs and backfills: `daily_batch` over a range is the first build's one-run backfill of the history, and when
it succeeds the run-status sensors launch the refunds and scoring after it, as before.
"""

from datetime import date, timedelta

import dagster as dg

from orchestration.check_scope import CHECK_SCOPE_TAG, WRITTEN_BY_RUN
from orchestration.defs.credit.scoring import application_scores, model_monitoring
from orchestration.defs.education.assets import education_refund_dbt_models, refund_run_tags
from orchestration.defs.fraud.assets import fraud_rings, fraud_scores
from orchestration.defs.ingestion.assets import landing_run_config, raw_landing_files
from orchestration.defs.risk.assets import risk_charts
from orchestration.defs.serving import PUBLISHED_MARTS_KEY
from orchestration.defs.warehouse.assets import warehouse_dbt_models
from orchestration.freshness import BATCH_CRON, BATCH_HOUR
from orchestration.partitions import daily_partitions

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

daily_path_job = dg.define_asset_job(
    "daily_path",
    selection=dg.AssetSelection.assets(raw_landing_files, warehouse_dbt_models, risk_charts,
                                       education_refund_dbt_models, application_scores, model_monitoring,
                                       fraud_scores, fraud_rings, PUBLISHED_MARTS_KEY)
    | dg.AssetSelection.groups("marketing"),
    # the refund instructions are partitioned by refund day: the run's partition is T+1, the landing day T its config
    partitions_def=daily_partitions,
    # its dbt tests and data-quality suites check the rows it writes, not the whole history (weekly: everything)
    tags={CHECK_SCOPE_TAG: WRITTEN_BY_RUN},
    description="The T+1 day in one run: ingest landing day T (config ops.raw_landing_files.config first_day / "
    "last_day), build the warehouse, the refund instructions of partition T+1, score the new applications (credit "
    "and fraud), rebuild the tags and marketing lists with their exports, and publish the marts once.",
    executor_def=dg.in_process_executor,
)


def previous_day(scheduled_at) -> date:
    """On day T+1 the batch processes landing day T (today's landing day is still open)."""
    return scheduled_at.date() - timedelta(days=1)


def daily_path_request(first: date, last: date) -> dg.RunRequest | None:
    """The daily path over landing days first..last: the landing days as config, their refund days (T+1) as the run's
    partition range; None when no refund partition follows them (the lake's partitions start later)."""
    tags = refund_run_tags(first, last)
    if tags is None:
        return None
    return dg.RunRequest(run_key=f"daily-path-{first}-{last}", run_config=landing_run_config(first, last),
                         tags={**tags, "landing_day": first.isoformat() if first == last else f"{first}..{last}"})


@dg.schedule(
    name="daily_path_schedule",
    job=daily_path_job,
    cron_schedule=BATCH_CRON,
    description=f"T+1: at {BATCH_HOUR:02d}:00 run the daily path for the previous day's landing files.",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
def daily_path_schedule(context: dg.ScheduleEvaluationContext):
    day = previous_day(context.scheduled_execution_time)
    request = daily_path_request(day, day)
    return request or dg.SkipReason(f"no refund partition follows landing day {day}: the lake starts later")
