"""Nightly housekeeping of the lake, after the T+1 batch."""

import dagster as dg

from orchestration.defs.maintenance.assets import lakehouse_maintenance

lakehouse_maintenance_job = dg.define_asset_job(
    "lakehouse_maintenance_job", selection=[lakehouse_maintenance], description="Compact and clean the lake."
)

lakehouse_maintenance_schedule = dg.ScheduleDefinition(
    name="lakehouse_maintenance_schedule",
    job=lakehouse_maintenance_job,
    cron_schedule="30 4 * * *",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
