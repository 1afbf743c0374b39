"""The daily landing-date partitions every partitioned asset shares."""

from __future__ import annotations

from datetime import date, timedelta

import dagster as dg

from orchestration.config import load_settings

# Run tags Dagster reads to execute a partition range in one run (single-run backfill policy).
PARTITION_RANGE_START_TAG = "dagster/asset_partition_range_start"
PARTITION_RANGE_END_TAG = "dagster/asset_partition_range_end"

daily_partitions = dg.DailyPartitionsDefinition(
    start_date=load_settings().partitions_start.isoformat(), end_offset=1
)


def partition_range_tags(first: date, last: date) -> dict[str, str]:
    return {PARTITION_RANGE_START_TAG: first.isoformat(), PARTITION_RANGE_END_TAG: last.isoformat()}


def partition_window_vars(window: dg.TimeWindow) -> dict[str, str]:
    """The dbt vars of a daily partition window (end exclusive) as inclusive ISO days."""
    last = window.end.date() - timedelta(days=1)
    return {"partition_day_from": window.start.date().isoformat(), "partition_day_to": last.isoformat()}


def shifted_range(first: str, last: str, days: int) -> tuple[str, str] | None:
    """A partition key range moved by `days`, clipped to the partitions that exist; None if nothing is left."""
    keys = daily_partitions.get_partition_keys()
    start = (date.fromisoformat(first) + timedelta(days=days)).isoformat()
    end = (date.fromisoformat(last) + timedelta(days=days)).isoformat()
    start, end = max(start, keys[0]), min(end, keys[-1])
    return (start, end) if start <= end else None


def days_in_window(start: date, end_exclusive: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end_exclusive - start).days)]
