"""The daily early-warning run."""

import dagster as dg

from orchestration.defs.merchants.jobs import merchant_warnings_job

merchant_warnings_schedule = dg.ScheduleDefinition(
    name="merchant_warnings_schedule",
    job=merchant_warnings_job,
    cron_schedule="30 3 * * *",
    description="Every day at 03:30, after the 02:00 T+1 batch has landed yesterday's extracts: grade every merchant "
                "and raise the day's early warnings.",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
