"""Which days the T+1 batch and the refund instructions build: small pure functions, no Dagster instance."""

from __future__ import annotations

from datetime import UTC, datetime

import dagster as dg

from orchestration.defs.batch import previous_day_partition
from orchestration.defs.education.sensors import refund_days_after
from orchestration.partitions import (
    PARTITION_RANGE_END_TAG,
    PARTITION_RANGE_START_TAG,
    daily_partitions,
    partition_window_vars,
    shifted_range,
)


def test_the_batch_at_two_in_the_morning_processes_the_previous_landing_day():
    assert previous_day_partition(datetime(2026, 3, 1, 2, 0, tzinfo=UTC)) == "2026-02-28"


def test_a_batch_over_one_landing_day_is_followed_by_the_next_refund_day():
    assert refund_days_after({"dagster/partition": "2025-01-31"}) == ("2025-02-01", "2025-02-01")


def test_a_backfill_range_is_followed_by_the_same_range_a_day_later():
    tags = {PARTITION_RANGE_START_TAG: "2025-01-01", PARTITION_RANGE_END_TAG: "2025-03-31"}
    assert refund_days_after(tags) == ("2025-01-02", "2025-04-01")


def test_an_unpartitioned_run_requests_no_refunds():
    assert refund_days_after({}) is None


def test_shifted_ranges_are_clipped_to_existing_partitions():
    keys = daily_partitions.get_partition_keys()
    assert shifted_range(keys[-1], keys[-1], days=1) is None
    assert shifted_range(keys[-2], keys[-1], days=1) == (keys[-1], keys[-1])
    assert shifted_range("2000-01-01", keys[0], days=-1) is None


def test_a_partition_window_becomes_inclusive_dbt_vars():
    window = daily_partitions.time_window_for_partition_key("2025-01-31")
    assert partition_window_vars(window) == {"partition_day_from": "2025-01-31", "partition_day_to": "2025-01-31"}
    span = dg.TimeWindow(window.start, daily_partitions.time_window_for_partition_key("2025-02-02").end)
    assert partition_window_vars(span) == {"partition_day_from": "2025-01-31", "partition_day_to": "2025-02-02"}
