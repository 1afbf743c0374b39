"""The daily T+1 batch: ingest day T's extracts, then rebuild everything downstream, on day T+1."""

import dagster as dg

from orchestration.partitions import daily_partitions

daily_batch_job = dg.define_asset_job(
    "daily_batch",
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups("maintenance"),
    partitions_def=daily_partitions,
    description="Raw ingestion of a landing day (or a range, in one run) and the whole warehouse downstream of it.",
    executor_def=dg.in_process_executor,
)

daily_batch_schedule = dg.build_schedule_from_partitioned_job(
    daily_batch_job,
    hour_of_day=2,
    name="daily_batch_schedule",
    description="T+1: at 02:00 process the previous day's landing partition.",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
