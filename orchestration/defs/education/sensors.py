"""After the T+1 batch has loaded landing day(s) T, issue the refund instructions of partition day(s) T+1."""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg

from orchestration.config import load_settings
from orchestration.defs.batch import daily_batch_job
from orchestration.defs.education.assets import education_refunds_job, refund_run_tags
from orchestration.defs.ingestion.assets import landing_days_of_run


def refund_tags_after(run_config: Mapping[str, Any], landing_dir: Path) -> dict[str, str] | None:
    """The run tags of the refund days that follow the landing days a batch run loaded (one day or a range)."""
    window = landing_days_of_run(run_config, landing_dir)
    return refund_run_tags(*window) if window else None


@dg.run_status_sensor(
    name="education_refunds_after_batch",
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[daily_batch_job],
    request_job=education_refunds_job,
    description="When the batch for landing day T succeeds, build the T+1 refund instructions (partition T+1).",
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def education_refunds_after_batch(context: dg.RunStatusSensorContext):
    tags = refund_tags_after(context.dagster_run.run_config, load_settings().landing_dir)
    if tags is None:
        return dg.SkipReason("the batch run loaded no landing day that a refund day follows")
    days = "-".join(tags.values())
    return dg.RunRequest(run_key=f"education-refunds-{days}-{context.dagster_run.run_id}", tags=tags)
