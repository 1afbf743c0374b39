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


# The environment variables a partitioned dbt invocation reads its window from (dbt_project/macros/core/partitions.sql
# reads the same names). Not `--vars`: dbt throws its partial-parse state away when the vars change, so every daily
# invocation parsed the whole project again (9 of its 14 s); a changed environment variable re-parses only the
# files that read it.
PARTITION_DAY_FROM_ENV, PARTITION_DAY_TO_ENV = "LAKEHOUSE_PARTITION_DAY_FROM", "LAKEHOUSE_PARTITION_DAY_TO"


def partition_window_env(first: date, last: date) -> dict[str, str]:
    """The environment of a partitioned dbt invocation over the inclusive days first .. last."""
    return {PARTITION_DAY_FROM_ENV: first.isoformat(), PARTITION_DAY_TO_ENV: last.isoformat()}


def partition_window_days(window: dg.TimeWindow) -> tuple[date, date]:
    """A daily partition window (end exclusive) as its first and last day."""
    return window.start.date(), window.end.date() - timedelta(days=1)


def shifted_range(first: str, last: str, days: int) -> tuple[str, str] | None:
    """A partition key range moved by `days`, clipped to the partitions that exist; None if nothing is left."""
    keys = daily_partitions.get_partition_keys()
    start = (date.fromisoformat(first) + timedelta(days=days)).isoformat()
    end = (date.fromisoformat(last) + timedelta(days=days)).isoformat()
    start, end = max(start, keys[0]), min(end, keys[-1])
    return (start, end) if start <= end else None


def days_in_window(start: date, end_exclusive: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end_exclusive - start).days)]
