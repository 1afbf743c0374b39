"""The daily early-warning run."""

import dagster as dg

from orchestration.defs.merchants.jobs import merchant_warnings_job

merchant_warnings_schedule = dg.ScheduleDefinition(
    name="merchant_warnings_schedule",
    job=merchant_warnings_job,
    cron_schedule="30 3 * * *",
    description="Every day at 03:30: grade every merchant and raise the day's early warnings. Stopped by default - "
                "the 02:00 daily_batch already builds these models with the rest of the warehouse; start it when the "
                "warnings must run on their own (e.g. the batch is split).",
    default_status=dg.DefaultScheduleStatus.STOPPED,
)
