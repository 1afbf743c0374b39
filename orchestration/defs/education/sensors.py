"""After the T+1 batch has loaded landing day(s) T, issue the refund instructions of partition day(s) T+1."""

from datetime import date

import dagster as dg

from orchestration.defs.batch import daily_batch_job
from orchestration.defs.education.assets import education_refunds_job
from orchestration.partitions import (
    PARTITION_RANGE_END_TAG,
    PARTITION_RANGE_START_TAG,
    partition_range_tags,
    shifted_range,
)


def refund_days_after(run_tags: dict[str, str]) -> tuple[str, str] | None:
    """The refund-day range that follows a batch run's landing-day range (a single partition or a range)."""
    if PARTITION_RANGE_START_TAG in run_tags:
        first, last = run_tags[PARTITION_RANGE_START_TAG], run_tags[PARTITION_RANGE_END_TAG]
    elif "dagster/partition" in run_tags:
        first = last = run_tags["dagster/partition"]
    else:
        return None
    return shifted_range(first, last, days=1)


@dg.run_status_sensor(
    name="education_refunds_after_batch",
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[daily_batch_job],
    request_job=education_refunds_job,
    description="When the batch for landing day T succeeds, build the T+1 refund instructions (partition T+1).",
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def education_refunds_after_batch(context: dg.RunStatusSensorContext):
    days = refund_days_after(context.dagster_run.tags)
    if days is None:
        return dg.SkipReason("the batch run had no partition")
    first, last = days
    tags = partition_range_tags(date.fromisoformat(first), date.fromisoformat(last))
    return dg.RunRequest(run_key=f"education-refunds-{first}-{last}-{context.dagster_run.run_id}", tags=tags)
